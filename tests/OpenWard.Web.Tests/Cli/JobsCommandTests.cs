using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using OpenWard.Storage;

namespace OpenWard.Web.Tests.Cli;

/// <summary><c>openward jobs list</c> and <c>openward jobs retry</c>, run as the real command.</summary>
public sealed class JobsCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-jobs-cli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SqlResourceStore Store() => new(new SqliteDialect($"Data Source={Path.Combine(_folder, "openward.db")}"));

    /// <summary>A job that failed its only attempt, and one still waiting.</summary>
    private async Task<(long Dead, long Pending)> ArrangeAsync()
    {
        await using var store = Store();
        await store.MigrateAsync(default);
        var dead = await store.WriteAsync(t => t.EnqueueJobAsync(new JobRequest("export-to-gp", "{}", Now) { MaxAttempts = 1 }, default), default);
        var pending = await store.WriteAsync(t => t.EnqueueJobAsync(new JobRequest("nightly-report", "{}", Now) { DueAt = Now.AddYears(100) }, default), default);
        var claimed = Assert.Single(await store.Jobs.ClaimAsync("test", 10, TimeSpan.FromMinutes(1), Now, default));
        Assert.Equal(JobState.Dead, await store.Jobs.FailAsync(claimed, "GP system unreachable", Now, default));
        return (dead, pending);
    }

    [Fact]
    public async Task Jobs_list_shows_jobs_by_state_with_their_attempts_and_last_error()
    {
        var (dead, pending) = await ArrangeAsync();

        var deadOnly = await OpenWardProcess.RunAsync(_folder, "", "jobs", "list", "--state", "dead");
        Assert.True(deadOnly.ExitCode == 0, deadOnly.Error);
        Assert.Equal([$"{dead}\texport-to-gp\tdead\t1/1\t2030-01-02 03:04:15\tGP system unreachable"], deadOnly.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var all = await OpenWardProcess.RunAsync(_folder, "", "jobs", "list");
        Assert.Equal([pending, dead], all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => long.Parse(line.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture)));

        var unknown = await OpenWardProcess.RunAsync(_folder, "", "jobs", "list", "--state", "stuck");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("not a job state", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_retry_sends_a_dead_job_back_to_the_queue_once_and_is_audited()
    {
        var (dead, pending) = await ArrangeAsync();

        var retried = await OpenWardProcess.RunAsync(_folder, "", "jobs", "retry", dead.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(retried.ExitCode == 0, retried.Error);
        var again = await OpenWardProcess.RunAsync(_folder, "", "jobs", "retry", dead.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, again.ExitCode);
        var notDead = await OpenWardProcess.RunAsync(_folder, "", "jobs", "retry", pending.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, notDead.ExitCode);

        await using var store = Store();
        var job = await store.Jobs.FindAsync(dead, default);
        Assert.Equal(JobState.Pending, job!.State);
        Assert.Equal(0, job.Attempts);
        var audit = new SearchQueryParser(SearchParameterRegistry.Default).Parse("AuditEvent", [new("subtype", "retry-job")], lenient: false);
        var json = Assert.Single((await store.SearchAsync(audit, default)).Matches).Json!;
        Assert.Contains($"cli:{Environment.UserName}", json, StringComparison.Ordinal);
        Assert.Contains($"Retried dead job {dead} (export-to-gp)", json, StringComparison.Ordinal);
    }
}
