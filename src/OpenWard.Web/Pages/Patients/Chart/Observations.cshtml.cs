using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Chart;

/// <summary>
/// The Observations tab: the NEWS2 chart of the last sets (<see cref="News2Chart"/>, on the first page
/// only), then every measurement of the patient (not OpenWard's NEWS2 scores, which the chart shows), newest first, a page at a time (?offset=, moved on
/// by a page while the Bundle has a next link).
/// </summary>
public sealed class ObservationsModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ChartPageModel(fhir, gate, time)
{
    public override ChartTab Tab => ChartTabs.Observations;

    public const int PageSize = 50;

    public ChartSection<Observation> Readings { get; private set; } = ChartSection.Nothing<Observation>();

    /// <summary>The sets the NEWS2 chart draws, oldest first (the last 3 days, at most 30).</summary>
    public IReadOnlyList<News2ChartSet> Sets { get; private set; } = [];

    /// <summary>Where this page starts in the newest-first list.</summary>
    public int Start { get; private set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) => ShowChartAsync(id, async access =>
    {
        Start = Offset(Request.Query["offset"]);
        if (Start == 0)
        {
            var now = Clock.GetUtcNow();
            var since = (now - News2Chart.Window).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
            // Up to 30 sets of up to 10 Observations and their scores; more than that is more than the chart draws.
            var recent = await SearchSectionAsync(access, "Observation", [new("date", "ge" + since), new("_sort", "-date"), new("_count", "400")], cancellationToken);
            Sets = recent is null ? [] : News2Chart.SetsFrom(recent.Of<Observation>(), now);
        }

        // Measurements only: OpenWard's NEWS2 scores are in the chart above (and each set's result page), not listed twice.
        Readings = ChartSection.Of<Observation>(await SearchSectionAsync(access, "Observation", [new("_tag:not", $"{News2Set.TagSystem}|{News2Set.OwnScoreTag}"), new("_sort", "-date"), new("_count", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("_offset", Start.ToString(System.Globalization.CultureInfo.InvariantCulture))], cancellationToken));
    }, cancellationToken);
}
