using System.Diagnostics;

namespace OpenWard.LoadTool;

/// <summary>One scenario's measurements: every request's latency is kept, so percentiles are exact.</summary>
public sealed record ScenarioResult(
    string Name,
    string Unit,
    int Clients,
    long Requests,
    long Units,
    long Errors,
    TimeSpan Elapsed,
    long[] SortedLatencyTicks,
    string? FirstError)
{
    public double UnitsPerSecond => Elapsed > TimeSpan.Zero ? Units / Elapsed.TotalSeconds : 0;

    /// <summary>Nearest-rank percentile in milliseconds (0 when nothing was measured).</summary>
    public double PercentileMilliseconds(double percentile)
    {
        if (SortedLatencyTicks.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * SortedLatencyTicks.Length);
        var ticks = SortedLatencyTicks[Math.Clamp(rank - 1, 0, SortedLatencyTicks.Length - 1)];
        return ticks * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>
/// A closed-loop load: N clients each send one request, wait for its answer, and send the next,
/// until the duration is up or the request budget is spent. Each operation returns how many units
/// (requests, resources, rows) it completed, or throws to count an error.
/// </summary>
public static class ScenarioRunner
{
    public delegate Task<int> Operation(int client, CancellationToken cancellationToken);

    public static async Task<ScenarioResult> RunAsync(
        string name,
        string unit,
        int clients,
        TimeSpan duration,
        long maxRequests,
        Operation operation,
        CancellationToken cancellationToken)
    {
        long issued = 0;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task<ClientTally> ClientAsync(int client)
        {
            var tally = new ClientTally();
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested
                && (maxRequests <= 0 || Interlocked.Increment(ref issued) <= maxRequests))
            {
                var before = Stopwatch.GetTimestamp();
                try
                {
                    tally.Units += await operation(client, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    tally.Errors++;
                    tally.FirstError ??= e.Message;
                }

                tally.Latencies.Add(Stopwatch.GetTimestamp() - before);
            }

            return tally;
        }

        var tallies = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c), cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(start);
        var latencies = tallies.SelectMany(t => t.Latencies).ToArray();
        Array.Sort(latencies);
        return new ScenarioResult(
            name,
            unit,
            clients,
            latencies.Length,
            tallies.Sum(t => t.Units),
            tallies.Sum(t => t.Errors),
            elapsed,
            latencies,
            tallies.Select(t => t.FirstError).FirstOrDefault(e => e is not null));
    }

    private sealed class ClientTally
    {
        public List<long> Latencies { get; } = new(4096);
        public long Units { get; set; }
        public long Errors { get; set; }
        public string? FirstError { get; set; }
    }
}
