namespace OpenWard.LoadTool.Tests;

public class LoadRunTests
{
    [Fact]
    public async Task A_one_client_one_second_read_run_on_five_patients_reports_its_reads()
    {
        var options = LoadToolCommandLine.Parse(["--patients", "5", "--clients", "1", "--duration", "1", "--warmup", "0", "--scenarios", "read"]).Options!;
        using var output = new StringWriter();

        var report = await LoadRun.RunAsync(options, output, CancellationToken.None);

        var read = Assert.Single(report.Results);
        Assert.Equal(ScenarioNames.Read, read.Name);
        Assert.True(read.Units > 0, output.ToString());
        Assert.Equal(0, read.Errors);
        Assert.Equal(read.Units, read.SortedLatencyTicks.Length);
        Assert.True(read.PercentileMilliseconds(99) >= read.PercentileMilliseconds(50));
        Assert.Contains("| read | reads | 1 |", report.ToMarkdown(DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_aimed_at_another_machine_is_refused_before_any_request()
    {
        var options = new LoadOptions { Url = new Uri("http://192.0.2.10:8080") };

        await Assert.ThrowsAsync<ArgumentException>(() => LoadRun.RunAsync(options, TextWriter.Null, CancellationToken.None));
    }
}
