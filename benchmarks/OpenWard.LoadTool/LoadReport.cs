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

    /// <summary>The issue #2 §9 targets, per scenario: (units per second, p99 in ms or null).</summary>
    private static readonly Dictionary<string, (double PerSecond, double? P99Milliseconds)> Targets = new()
    {
        [ScenarioNames.Read] = (5000, 10),
        [ScenarioNames.SearchNhsNumber] = (2000, 20),
        [ScenarioNames.SearchName] = (2000, 20),
        [ScenarioNames.SearchObservation] = (2000, 20),
        [ScenarioNames.Create] = (2000, null),
        [ScenarioNames.Transaction] = (10000, null),
        [ScenarioNames.Import] = (20000, null),
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
        text.AppendLine("| scenario | unit | clients | requests | units/s | p50 ms | p95 ms | p99 ms | errors | of the floor | target (issue #2) | met |");
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

    private static (string Target, string Met) Describe(ScenarioResult result, (double PerSecond, double? P99Milliseconds) target)
    {
        var c = CultureInfo.InvariantCulture;
        var text = target.P99Milliseconds is { } p99
            ? string.Create(c, $"≥ {target.PerSecond:N0}/s, p99 ≤ {p99:0} ms")
            : string.Create(c, $"≥ {target.PerSecond:N0}/s");
        var rateMet = result.UnitsPerSecond >= target.PerSecond;
        var latencyMet = target.P99Milliseconds is not { } limit || result.PercentileMilliseconds(99) <= limit;
        var met = rateMet && latencyMet
            ? "yes"
            : "no: " + string.Join(", ", new[]
            {
                rateMet ? null : string.Create(c, $"{target.PerSecond / Math.Max(result.UnitsPerSecond, 0.001):0.0}× short"),
                latencyMet ? null : string.Create(c, $"p99 {result.PercentileMilliseconds(99) / target.P99Milliseconds!.Value:0.0}× over"),
            }.Where(s => s is not null));
        return (text, met);
    }
}

public sealed record PopulationLoad(int Resources, TimeSpan Elapsed);
