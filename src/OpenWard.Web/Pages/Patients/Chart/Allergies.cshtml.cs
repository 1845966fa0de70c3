using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Chart;

/// <summary>The Allergies tab: every allergy record of the patient (ChartPageModel reads them for the banner), current ones first.</summary>
public sealed class AllergiesModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ChartPageModel(fhir, gate, time)
{
    public override ChartTab Tab => ChartTabs.Allergies;

    public IReadOnlyList<AllergyIntolerance> Listed { get; private set; } = [];

    /// <summary>What the last change saved, after a redirect from the allergy pages.</summary>
    [TempData]
    public string? Notice { get; set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) => ShowChartAsync(id, _ =>
    {
        // Current first, then those no longer current, then those entered in error.
        Listed = [.. Allergies.OrderBy(a => PatientBanner.IsCurrent(a) ? 0 : AllergyChangeForm.IsEnteredInError(a) ? 2 : 1)];
        return System.Threading.Tasks.Task.CompletedTask;
    }, cancellationToken);
}
