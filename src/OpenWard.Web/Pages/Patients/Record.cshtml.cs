using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// A patient's record: the banner, then the chart if the policy allows it. When the signed-in
/// member of staff has no relationship with the patient (or the record is sensitive for their
/// role), the page asks for a break-glass reason instead, and grants time-limited access.
/// </summary>
public sealed class RecordModel(FhirRestService fhir, AccessGate gate, AccessFactory accessFactory, BreakGlassService breakGlass, TimeProvider time) : PageModel
{
    public static readonly int[] DurationChoices = [1, 2, 4, 8, 12];

    public Patient? Patient { get; private set; }

    /// <summary>The banner: demographics always, allergies and location only once the record may be read.</summary>
    public PatientBanner? Banner { get; private set; }

    public string? RefusedBecause { get; private set; }

    public bool NeedsBreakGlass { get; private set; }

    public IReadOnlyList<Observation> Observations { get; private set; } = [];

    public IReadOnlyList<Condition> Conditions { get; private set; } = [];

    public IReadOnlyList<AllergyIntolerance> Allergies { get; private set; } = [];

    [BindProperty]
    public string? ReasonCode { get; set; }

    [BindProperty]
    public string? ReasonText { get; set; }

    [BindProperty]
    public int DurationHours { get; set; } = (int)BreakGlassReasons.DefaultDuration.TotalHours;

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var shown = await ShowAsync(id, cancellationToken);
        return shown ?? Page();
    }

    public async Task<IActionResult> OnPostBreakGlassAsync(string id, CancellationToken cancellationToken)
    {
        var access = await accessFactory.ForPageAsync(HttpContext, new RequestDescription("break-glass", 'E', AccessFactory.Address(HttpContext)));
        if (access is null)
        {
            return Challenge();
        }

        if (!DurationChoices.Contains(DurationHours))
        {
            ModelState.AddModelError(nameof(DurationHours), "Choose how long you need access for");
        }

        if (ModelState.ErrorCount == 0)
        {
            try
            {
                var result = await breakGlass.GrantAsync(access.Principal, id, ReasonCode, ReasonText, TimeSpan.FromHours(DurationHours), AccessFactory.Address(HttpContext), cancellationToken);
                Notice = $"You have access to this record until {result.Grant.ExpiresAt.ToLocalTime():HH:mm} on {result.Grant.ExpiresAt.ToLocalTime():d MMMM}. Your reason has been recorded; the privacy officer will review it"
                    + (result.NotifiedClinicians.Count > 0 ? " and the patient's responsible clinician has been told." : ".");
                return RedirectToPage(new { id });
            }
            catch (BreakGlassRefusedException e)
            {
                ModelState.AddModelError(string.IsNullOrEmpty(ReasonCode) || !BreakGlassReasons.TryGet(ReasonCode, out _) ? nameof(ReasonCode) : nameof(ReasonText), e.Message);
            }
        }

        return await ShowAsync(id, cancellationToken) ?? Page();
    }

    /// <summary>Loads what the user may see; an IActionResult when the page cannot be shown at all.</summary>
    private async Task<IActionResult?> ShowAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var shown = await PageAccess.RunAsync(HttpContext, "read", 'R', async access =>
            {
                Patient = await PatientReads.ReadAsync<Patient>(fhir, access, id, cancellationToken);
                var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
                Banner = PatientBanner.DemographicsOnly(Patient, today);
                var decision = await gate.DecideForRecordAsync(access.Principal, id, DataCategory.Clinical, FhirAction.Read, cancellationToken);
                if (decision.Policy.Decision != AccessDecision.Allow)
                {
                    NeedsBreakGlass = decision.Policy.Decision == AccessDecision.BreakGlassRequired;
                    RefusedBecause = decision.Policy.Reason;
                    return this;
                }

                Observations = await SearchAsync<Observation>(access, "Observation", id, "-date", cancellationToken);
                Conditions = await SearchAsync<Condition>(access, "Condition", id, "-recorded-date", cancellationToken);
                Allergies = await SearchAsync<AllergyIntolerance>(access, "AllergyIntolerance", id, "-date", cancellationToken);
                Banner = PatientBanner.For(Patient, today, Allergies, await PatientReads.CurrentLocationAsync(fhir, access, id, cancellationToken));
                return this;
            });
            return shown is null ? Challenge() : null;
        }
        catch (FhirException e) when (e.Status is 403 or 404 or 410)
        {
            RefusedBecause = e.Message;
            return e.Status == 403 ? null : NotFound();
        }
    }

    private async Task<IReadOnlyList<T>> SearchAsync<T>(IFhirAccess access, string type, string patientId, string sort, CancellationToken cancellationToken)
        where T : Resource =>
        [.. (await PatientReads.SearchAsync(fhir, access, type, [new("patient", patientId), new("_sort", sort), new("_count", "20")], cancellationToken)).Of<T>()];
}
