using System.Globalization;
using System.Text;

namespace OpenWard.LoadTool;

/// <summary>A run's results and what it ran on, rendered as Markdown.</summary>
public sealed record LoadReport(
    LoadOptions Options,
    string Engine,
    string EngineVersion,
    int PopulationResources,
    int AverageJsonCharacters,
    PopulationLoad? Load,
    IReadOnlyList<ScenarioResult> Results)
{
    /// <summary>How busy the machine was (1-minute load average), for judging the figures.</summary>
    public string LoadAverages { get; init; } = "unknown";

    /// <summary>
    /// The targets, per scenario: issue #2 §9 for the API (throughput, p99), issue #4 for pages
    /// (server time p95: every page ≤ 150 ms with 100,000 patients, the chart of the patient with
    /// 500 encounters and 5,000 observations ≤ 250 ms).
    /// </summary>
    private static readonly Dictionary<string, Target> Targets = new()
    {
        [ScenarioNames.Read] = new("#2", PerSecond: 5000, P99Milliseconds: 10),
        [ScenarioNames.SearchNhsNumber] = new("#2", PerSecond: 2000, P99Milliseconds: 20),
        [ScenarioNames.SearchName] = new("#2", PerSecond: 2000, P99Milliseconds: 20),
        [ScenarioNames.SearchObservation] = new("#2", PerSecond: 2000, P99Milliseconds: 20),
        [ScenarioNames.Create] = new("#2", PerSecond: 2000),
        [ScenarioNames.Transaction] = new("#2", PerSecond: 10000),
        [ScenarioNames.Import] = new("#2", PerSecond: 20000),
        [ScenarioNames.PageMyPatients] = new("#4", P95Milliseconds: 150),
        [ScenarioNames.PageFindPatient] = new("#4", P95Milliseconds: 150),
        [ScenarioNames.PageChart] = new("#4", P95Milliseconds: 150),
        [ScenarioNames.PageChartTabs] = new("#4", P95Milliseconds: 150),
        [ScenarioNames.PageProblemSearch] = new("#4", P95Milliseconds: 150),
        [ScenarioNames.PageLargeChart] = new("#4", P95Milliseconds: 250),
        [ScenarioNames.PageLargeChartTabs] = new("#4", P95Milliseconds: 150),
        [ScenarioNames.CdsOrderSign] = new("#18", PerSecond: 500, P99Milliseconds: 20),
    };

    /// <summary>Which floor each server scenario is compared with.</summary>
    private static readonly Dictionary<string, string> FloorOf = new()
    {
        [ScenarioNames.ServiceRead] = ScenarioNames.FloorRead,
        [ScenarioNames.Read] = ScenarioNames.FloorRead,
        [ScenarioNames.ServiceSearch] = ScenarioNames.FloorRead,
        [ScenarioNames.SearchNhsNumber] = ScenarioNames.FloorRead,
        [ScenarioNames.SearchName] = ScenarioNames.FloorRead,
        [ScenarioNames.SearchObservation] = ScenarioNames.FloorRead,
        [ScenarioNames.ServiceCreate] = ScenarioNames.FloorInsert,
        [ScenarioNames.Create] = ScenarioNames.FloorInsert,
        [ScenarioNames.Transaction] = ScenarioNames.FloorInsertBatch,
        [ScenarioNames.Import] = ScenarioNames.FloorInsertBatch,
    };

    public string ToMarkdown(DateTimeOffset when)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"### {Engine}, {Options.Patients:N0} patients, {Options.Clients} clients, {Options.Duration.TotalSeconds:0} s per scenario ({when:yyyy-MM-dd})");
        text.AppendLine();
        text.AppendLine(c, $"{EngineVersion}; {PopulationResources:N0} resources in the population (mean {AverageJsonCharacters:N0} characters of JSON); {Environment.ProcessorCount} cores; .NET {Environment.Version}; server {(Options.Url is null ? "in the load tool's process" : Options.Url.ToString())}; load average {LoadAverages}.");
        if (Load is { } load)
        {
            text.AppendLine(c, $"Population load (`FhirRestService.ImportAsync` from POCOs, as `openward demo-data`): {load.Resources:N0} resources in {load.Elapsed.TotalSeconds:F1} s = {load.Resources / load.Elapsed.TotalSeconds:N0} resources/s.");
        }

        text.AppendLine();
        text.AppendLine("```sh");
        text.AppendLine(Options.CommandLine);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("| scenario | unit | clients | requests | units/s | p50 ms | p95 ms | p99 ms | errors | of the floor | target (issue) | met |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var result in Results)
        {
            var floor = FloorOf.TryGetValue(result.Name, out var floorName) ? Results.FirstOrDefault(r => r.Name == floorName) : null;
            var ofFloor = floor is { UnitsPerSecond: > 0 } ? (result.UnitsPerSecond / floor.UnitsPerSecond).ToString("P1", c) : "";
            var (target, met) = Targets.TryGetValue(result.Name, out var t) ? Describe(result, t) : ("", "");
            text.AppendLine(c, $"| {result.Name} | {result.Unit} | {result.Clients} | {result.Requests:N0} | {result.UnitsPerSecond:N0} | {result.PercentileMilliseconds(50):F2} | {result.PercentileMilliseconds(95):F2} | {result.PercentileMilliseconds(99):F2} | {result.Errors:N0} | {ofFloor} | {target} | {met} |");
        }

        foreach (var failed in Results.Where(r => r.FirstError is not null))
        {
            text.AppendLine();
            text.AppendLine(c, $"First error in {failed.Name}: {failed.FirstError}");
        }

        return text.ToString();
    }

    private static (string Target, string Met) Describe(ScenarioResult result, Target target)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        var shortfalls = new List<string>();
        if (target.PerSecond is { } perSecond)
        {
            parts.Add(string.Create(c, $"≥ {perSecond:N0}/s"));
            if (result.UnitsPerSecond < perSecond)
            {
                shortfalls.Add(string.Create(c, $"{perSecond / Math.Max(result.UnitsPerSecond, 0.001):0.0}× short"));
            }
        }

        foreach (var (percentile, limit) in new[] { (95, target.P95Milliseconds), (99, target.P99Milliseconds) })
        {
            if (limit is { } milliseconds)
            {
                parts.Add(string.Create(c, $"p{percentile} ≤ {milliseconds:0} ms"));
                if (result.PercentileMilliseconds(percentile) > milliseconds)
                {
                    shortfalls.Add(string.Create(c, $"p{percentile} {result.PercentileMilliseconds(percentile) / milliseconds:0.0}× over"));
                }
            }
        }

        return ($"{string.Join(", ", parts)} ({target.Issue})", shortfalls.Count == 0 ? "yes" : "no: " + string.Join(", ", shortfalls));
    }

    private sealed record Target(string Issue, double? PerSecond = null, double? P95Milliseconds = null, double? P99Milliseconds = null);
}

public sealed record PopulationLoad(int Resources, TimeSpan Elapsed);
