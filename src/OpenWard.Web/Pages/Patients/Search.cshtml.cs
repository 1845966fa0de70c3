using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Clinical.Registration;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// Find a patient by NHS number, date of birth or name (the header's search box posts here). Results
/// show enough to tell two similar people apart; patients the user may not see (restricted records)
/// are left out by the policy like any other search.
/// </summary>
public sealed class SearchModel(FhirRestService fhir, TimeProvider time) : PageModel
{
    /// <summary>Most results shown: past this the user is asked to narrow the search.</summary>
    public const int MaximumResults = 50;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    public PatientQuery Query { get; private set; } = new PatientQuery.Empty();

    public IReadOnlyList<ResultRow> Results { get; private set; } = [];

    /// <summary>More patients matched than are shown.</summary>
    public bool Truncated { get; private set; }

    /// <param name="MergedInto">The id of the record this one was merged into, when it was: the page points there.</param>
    public sealed record ResultRow(string Id, string Name, string Born, string Age, string Sex, string NhsNumber, string Postcode, string Practice, string? MergedInto = null);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Query = PatientQuery.Parse(Q);
        if (Query is PatientQuery.Empty or PatientQuery.Invalid)
        {
            return Page();
        }

        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var shown = await PageAccess.RunAsync(HttpContext, "search-type", 'E', async access =>
        {
            var found = await PatientReads.SearchAsync(fhir, access, "Patient",
                [.. Query.ToSearchParameters(), new("_include", "Patient:general-practitioner"), new("_count", (MaximumResults + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))],
                cancellationToken);
            var patients = found.Of<Patient>().ToList();
            Truncated = patients.Count > MaximumResults;
            Results = [.. patients.Take(MaximumResults).Select(p => Row(p, found, today)).OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)];
            return this;
        });
        return shown is null ? Challenge() : Page();
    }

    private static ResultRow Row(Patient patient, PatientReads.Found found, DateOnly today)
    {
        var practice = patient.GeneralPractitioner.Select(found.Resolve<Organization>).OfType<Organization>().FirstOrDefault();
        return new(patient.Id ?? "", PatientDisplay.Name(patient), PatientDisplay.Born(patient), PatientDisplay.Age(patient, today), PatientDisplay.Sex(patient),
            PatientDisplay.NhsNumber(patient), PatientDisplay.Postcode(patient), practice?.Name ?? PatientDisplay.GpPractice(patient),
            RecordMerge.ReplacedBy(patient)?["Patient/".Length..]);
    }
}
