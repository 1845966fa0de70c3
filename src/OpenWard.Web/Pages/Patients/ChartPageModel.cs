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

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// What every page of a patient's chart (the summary and each tab) does first, in one place: read the
/// Patient, show the demographics banner, ask the policy whether the user may read the clinical
/// record, and only then read the allergies and the current admission the full banner needs, and the
/// page's own part of the record. A refusal is shown as a message (status 403 on a tab, 200 on the
/// summary, which still shows the banner); when break-glass would
/// open the record, the summary asks for a reason and a tab points there. Everything goes through
/// <see cref="FhirRestService"/> with the user's access inside <see cref="PageAccess.RunAsync"/> (one audit event per page).
/// </summary>
/// <remarks>
/// A chart page derives from this, calls <see cref="ShowChartAsync"/> from its handler with the reads
/// of its own tab, and renders <c>_ChartRefused</c> when <see cref="CanRead"/> is false.
/// </remarks>
public abstract class ChartPageModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : PageModel
{
    protected FhirRestService Fhir => fhir;

    protected TimeProvider Clock => time;

    /// <summary>The tab this page is (its label titles the page).</summary>
    public abstract ChartTab Tab { get; }

    public Patient? Patient { get; private set; }

    /// <summary>The banner: demographics always, allergies and location only once the record may be read.</summary>
    public PatientBanner? Banner { get; private set; }

    /// <summary>Why the record may not be read; null when it may.</summary>
    public string? RefusedBecause { get; private set; }

    /// <summary>The policy would open the record with a break-glass reason.</summary>
    public bool NeedsBreakGlass { get; private set; }

    public bool CanRead => Patient is not null && RefusedBecause is null;

    public string PatientId => Patient?.Id ?? (string?)RouteData.Values["id"] ?? "";

    /// <summary>The patient's allergy records the user can see (all of them: the banner sums them up).</summary>
    public IReadOnlyList<AllergyIntolerance> Allergies { get; private set; } = [];

    /// <summary>The current encounter and where the patient is in it; null when not in hospital.</summary>
    public (Encounter Encounter, string Place)? Admission { get; private set; }

    /// <summary>The time zone dates are shown in (the server's: the hospital's).</summary>
    public TimeZoneInfo Zone => time.LocalTimeZone;

    /// <summary>The browser title: "Problems: SMITH, Ann", or the refusal.</summary>
    public string Title => !CanRead && NeedsBreakGlass ? $"Break-glass for {Name}" : Tab == ChartTabs.Summary ? Name : $"{Tab.Label}: {Name}";

    public string Name => Banner?.Name ?? "Patient";

    /// <summary>The summary offers the break-glass form itself (status 200); the tabs send the user there.</summary>
    protected virtual bool OffersBreakGlass => false;

    /// <summary>
    /// Loads the patient and decides access, then runs <paramref name="readRecord"/> when the record may
    /// be read. Returns the page, a challenge (nobody signed in) or 404 (no such patient).
    /// </summary>
    protected async Task<IActionResult> ShowChartAsync(string id, Func<RequestAccess, Task> readRecord, CancellationToken cancellationToken)
    {
        try
        {
            var shown = await PageAccess.RunAsync(HttpContext, "read", 'R', async access =>
            {
                try
                {
                    Patient = await PatientReads.ReadAsync<Patient>(fhir, access, id, cancellationToken);
                }
                catch (FhirException e) when (e.Status == 404)
                {
                    // The API answers a record the user may not open as unknown; the page says why and
                    // offers break-glass when the patient's own labels are what stands in the way.
                    var restricted = await gate.DecideForRecordAsync(access.Principal, id, DataCategory.Demographics, FhirAction.Read, cancellationToken);
                    if (restricted.Policy.Decision != AccessDecision.BreakGlassRequired)
                    {
                        throw;
                    }

                    NeedsBreakGlass = true;
                    Refuse(restricted.Policy.Reason);
                    return this;
                }

                var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
                Banner = PatientBanner.DemographicsOnly(Patient, today);
                var decision = await gate.DecideForRecordAsync(access.Principal, id, DataCategory.Clinical, FhirAction.Read, cancellationToken);
                if (decision.Policy.Decision != AccessDecision.Allow)
                {
                    NeedsBreakGlass = decision.Policy.Decision == AccessDecision.BreakGlassRequired;
                    Refuse(decision.Policy.Reason);
                    return this;
                }

                Allergies = [.. (await PatientReads.SearchAsync(fhir, access, "AllergyIntolerance", [new("patient", id), new("_sort", "-date"), new("_count", "100"), new("_total", "none")], cancellationToken)).Of<AllergyIntolerance>()];
                Admission = await PatientReads.CurrentEncounterAsync(fhir, access, id, cancellationToken);
                Banner = PatientBanner.For(Patient, today, Allergies, Admission?.Place);
                await readRecord(access);
                return this;
            });
            return shown is null ? Challenge() : Page();
        }
        catch (FhirException e) when (e.Status == 403)
        {
            Refuse(e.Message);
            return Page();
        }
        catch (FhirException e) when (e.Status is 404 or 410)
        {
            return NotFound();
        }
    }

    private void Refuse(string? reason)
    {
        RefusedBecause = reason ?? "You do not have access to this record.";
        // The summary is the record's front door: it shows the banner (demographics, which every
        // member of staff may read) and says what the user may do, as a page, not an error. A ward
        // clerk who has just registered a patient lands there. Tabs are only the clinical record.
        if (!OffersBreakGlass)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }

    /// <summary>
    /// A search of the patient's record for one section of a page; null when the user's role may not
    /// search that kind of resource at all (the section then says so, and the rest of the page still shows).
    /// Asks for no total: the page does not show one, and counting every match costs a second query.
    /// </summary>
    protected async Task<PatientReads.Found?> SearchSectionAsync(RequestAccess access, string type, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await PatientReads.SearchAsync(fhir, access, type, [new("patient", PatientId), .. parameters, new("_total", "none")], cancellationToken);
        }
        catch (FhirException e) when (e.Status == 403)
        {
            return null;
        }
    }

    /// <summary>Reads the page's offset from the query string: a whole number from 0, else 0.</summary>
    protected static int Offset(string? text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset) && offset <= 1_000_000 ? offset : 0;
}
