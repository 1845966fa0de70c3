using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Chart;

/// <summary>The Results tab: reports (DiagnosticReport, the latest 50) and laboratory results (Observation category laboratory, the latest 100), newest first.</summary>
public sealed class ResultsModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ChartPageModel(fhir, gate, time)
{
    public override ChartTab Tab => ChartTabs.Results;

    public ChartSection<DiagnosticReport> Reports { get; private set; } = ChartSection.Nothing<DiagnosticReport>();

    public ChartSection<Observation> Laboratory { get; private set; } = ChartSection.Nothing<Observation>();

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) => ShowChartAsync(id, async access =>
    {
        Reports = ChartSection.Of<DiagnosticReport>(await SearchSectionAsync(access, "DiagnosticReport", [new("_sort", "-date"), new("_count", "50")], cancellationToken));
        Laboratory = ChartSection.Of<Observation>(await SearchSectionAsync(access, "Observation", [new("category", "laboratory"), new("_sort", "-date"), new("_count", "100")], cancellationToken));
    }, cancellationToken);
}
