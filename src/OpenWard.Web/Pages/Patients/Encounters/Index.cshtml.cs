using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>The chart's Encounters tab: the patient's encounters newest first, with admit, transfer and discharge where they apply.</summary>
public sealed class IndexModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : PageModel
{
    public PatientBanner? Banner { get; private set; }

    public IReadOnlyList<EncounterView> Encounters { get; private set; } = [];

    public string? RefusedBecause { get; private set; }

    public string? Notice { get; private set; }

    public TimeZoneInfo Zone => time.LocalTimeZone;

    public bool InHospital => Encounters.Any(e => EncounterStates.IsCurrent(e.Encounter));

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Notice = TempData["Notice"] as string;
        try
        {
            var result = await PageAccess.RunAsync<IActionResult>(HttpContext, "read", 'R', async access =>
            {
                var patient = await PatientReads.ReadPatientAsync(fhir, gate, access, id, cancellationToken);
                var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
                Banner = PatientBanner.DemographicsOnly(patient, today);
                Encounters = await EncounterReads.ForPatientAsync(fhir, access, id, null, cancellationToken);
                Banner = await EncounterReads.BannerAsync(fhir, access, patient, today, cancellationToken);
                return Page();
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
