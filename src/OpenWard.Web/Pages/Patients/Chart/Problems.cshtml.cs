using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Chart;

/// <summary>The Problems tab: every Condition of the patient (the latest 100 recorded), active first, newest recorded first.</summary>
public sealed class ProblemsModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ChartPageModel(fhir, gate, time)
{
    public override ChartTab Tab => ChartTabs.Problems;

    public ChartSection<Condition> Conditions { get; private set; } = ChartSection.Nothing<Condition>();

    /// <summary>What the last change saved, after a redirect from the problem pages.</summary>
    [TempData]
    public string? Notice { get; set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) => ShowChartAsync(id, async access =>
    {
        var found = ChartSection.Of<Condition>(await SearchSectionAsync(access, "Condition", [new("_sort", "-recorded-date"), new("_count", "100")], cancellationToken));
        // Active ones first (clinical status), keeping the newest-first order within each.
        Conditions = found with { Items = [.. found.Items.OrderBy(c => c.ClinicalStatus?.Coding.FirstOrDefault()?.Code is "active" or "recurrence" or "relapse" ? 0 : 1)] };
    }, cancellationToken);
}
