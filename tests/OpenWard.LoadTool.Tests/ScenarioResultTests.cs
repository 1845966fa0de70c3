using System.Diagnostics;

namespace OpenWard.LoadTool.Tests;

public class ScenarioResultTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_over_every_latency()
    {
        var millisecond = Stopwatch.Frequency / 1000;
        var latencies = Enumerable.Range(1, 100).Select(i => i * millisecond).ToArray();
        var result = new ScenarioResult("read", "reads", 1, 100, 100, 0, TimeSpan.FromSeconds(2), latencies, null);

        Assert.Equal(50, result.PercentileMilliseconds(50), 3);
        Assert.Equal(99, result.PercentileMilliseconds(99), 3);
        Assert.Equal(100, result.PercentileMilliseconds(100), 3);
        Assert.Equal(50, result.UnitsPerSecond, 3);
    }
}
