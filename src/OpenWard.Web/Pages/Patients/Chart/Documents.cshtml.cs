using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Chart;

/// <summary>The Documents tab: documents (DocumentReference) and structured documents such as letters and notes (Composition), the latest 100 of each, newest first.</summary>
public sealed class DocumentsModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ChartPageModel(fhir, gate, time)
{
    public override ChartTab Tab => ChartTabs.Documents;

    public ChartSection<DocumentReference> References { get; private set; } = ChartSection.Nothing<DocumentReference>();

    public ChartSection<Composition> Compositions { get; private set; } = ChartSection.Nothing<Composition>();

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) => ShowChartAsync(id, async access =>
    {
        References = ChartSection.Of<DocumentReference>(await SearchSectionAsync(access, "DocumentReference", [new("_sort", "-date"), new("_count", "100")], cancellationToken));
        Compositions = ChartSection.Of<Composition>(await SearchSectionAsync(access, "Composition", [new("_sort", "-date"), new("_count", "100")], cancellationToken));
    }, cancellationToken);
}
