using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Chart;

/// <summary>The Observations tab: every Observation of the patient, newest first, a page at a time (?offset=, moved on by a page while the Bundle has a next link).</summary>
public sealed class ObservationsModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ChartPageModel(fhir, gate, time)
{
    public override ChartTab Tab => ChartTabs.Observations;

    public const int PageSize = 50;

    public ChartSection<Observation> Readings { get; private set; } = ChartSection.Nothing<Observation>();

    /// <summary>Where this page starts in the newest-first list.</summary>
    public int Start { get; private set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) => ShowChartAsync(id, async access =>
    {
        Start = Offset(Request.Query["offset"]);
        Readings = ChartSection.Of<Observation>(await SearchSectionAsync(access, "Observation", [new("_sort", "-date"), new("_count", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("_offset", Start.ToString(System.Globalization.CultureInfo.InvariantCulture))], cancellationToken));
    }, cancellationToken);
}
