using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>
/// Admit a patient to a free bed: a UK Core inpatient Encounter (in progress, class IMP) written with
/// the user's access. The bed is re-checked at save; a patient already in hospital is not admitted twice.
/// </summary>
public sealed class AdmitModel(FhirRestService fhir, AccessGate gate, CareRelationships relationships, TimeProvider time) : PageModel
{
    public const string PatientKey = "Patient";

    public PatientBanner? Banner { get; private set; }

    public string? RefusedBecause { get; private set; }

    /// <summary>Where the patient already is, when they are in hospital (then nothing can be admitted).</summary>
    public string? AlreadyIn { get; private set; }

    public IReadOnlyList<WardBeds> Board { get; private set; } = [];

    public IReadOnlyList<Practitioner> Consultants { get; private set; } = [];

    [BindProperty] public string? PatientId { get; set; }
    [BindProperty] public string? Bed { get; set; }
    [BindProperty] public string? Consultant { get; set; }
    [BindProperty] public string? Method { get; set; }
    [BindProperty] public string? Source { get; set; }
    [BindProperty] public string? Date { get; set; }
    [BindProperty] public string? Time { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        PatientId = id;
        var now = TimeZoneInfo.ConvertTime(time.GetUtcNow(), time.LocalTimeZone);
        Date = now.ToString("d/M/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        Time = now.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return await RunAsync("read", 'R', id, _ => Task.FromResult<IActionResult>(Page()), cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return await RunAsync("create", 'C', id, async access =>
        {
            if (PatientId != id)
            {
                ModelState.AddModelError(PatientKey, "This form was opened for a different patient. Check the patient and admit them again");
                PatientId = id;
                return Page();
            }

            var errors = new List<(string Field, string Message)>();
            var ward = BedBoard.WardOfFreeBed(Board, Bed);
            if (string.IsNullOrEmpty(Bed))
            {
                errors.Add((nameof(Bed), "Select the ward and bed"));
            }
            else if (ward is null)
            {
                errors.Add((nameof(Bed), "This bed has just been taken or is not a bed: select another free bed"));
            }

            if (Consultants.All(c => c.Id != Consultant))
            {
                errors.Add((nameof(Consultant), "Select the admitting consultant"));
            }

            if (!string.IsNullOrEmpty(Method) && Admissions.AdmissionMethods.All(m => m.Code != Method))
            {
                errors.Add((nameof(Method), "Select the admission method from the list"));
            }

            if (!string.IsNullOrEmpty(Source) && Admissions.AdmissionSources.All(m => m.Code != Source))
            {
                errors.Add((nameof(Source), "Select where the patient was admitted from"));
            }

            var when = Admissions.ParseWhen(Date, Time, time.GetUtcNow(), time.LocalTimeZone, "admission", nameof(Date), errors);
            foreach (var (field, message) in errors)
            {
                ModelState.AddModelError(field, message);
            }

            if (ModelState.ErrorCount > 0 || AlreadyIn is not null)
            {
                return Page();
            }

            var encounter = Admissions.Admit(id, ward!.Id!, Bed!, Consultant!, Method, Source, when!.Value);
            await fhir.CreateAsync(access, "Encounter", encounter, null, cancellationToken);
            // The admission makes a care relationship: forget the cached "none" so the record opens at once.
            relationships.Forget(access.Principal.Id, id);
            TempData["Notice"] = $"Admitted to {ward.Name}, {Board.SelectMany(w => w.FreeBeds).First(b => b.Id == Bed).Name}.";
            return RedirectToPage("/Patients/Encounters/Index", new { id });
        }, cancellationToken);
    }

    private async Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken)
    {
        try
        {
            var result = await PageAccess.RunAsync(HttpContext, interaction, action, async access =>
            {
                var patient = await PatientReads.ReadAsync<Patient>(fhir, access, id, cancellationToken);
                var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
                Banner = PatientBanner.DemographicsOnly(patient, today);
                var decision = await gate.DecideForRecordAsync(access.Principal, id, DataCategory.Administrative, FhirAction.Create, cancellationToken);
                if (decision.Policy.Decision != AccessDecision.Allow)
                {
                    RefusedBecause = decision.Policy.Reason;
                    Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Page();
                }

                if (await EncounterReads.CurrentStayAsync(fhir, access, id, cancellationToken) is { } stay)
                {
                    AlreadyIn = stay.Place.Name;
                    if (Request.Method == "POST")
                    {
                        ModelState.AddModelError(PatientKey, $"This patient is already in hospital ({AlreadyIn}): transfer or discharge them instead");
                    }
                }

                Board = await BedBoard.FreeBedsAsync(fhir, access, cancellationToken);
                Consultants = [.. (await PatientReads.SearchAsync(fhir, access, "Practitioner", [new("active", "true"), new("_count", "200")], cancellationToken)).Of<Practitioner>().OrderBy(PatientDisplay.StaffName, StringComparer.Ordinal)];
                Banner = await EncounterReads.BannerAsync(fhir, access, patient, today, cancellationToken);
                return await work(access);
            });
            return result ?? Challenge();
        }
        catch (FhirException e) when (e.Status == 403)
        {
            RefusedBecause = e.Message;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        catch (FhirException e) when (e.Status is 404 or 410)
        {
            return NotFound();
        }
    }
}
