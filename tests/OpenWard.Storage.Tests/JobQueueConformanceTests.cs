using OpenWard.Storage.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Storage.Tests;

/// <summary>
/// The durable job queue and change notices on every engine. Each test passes "now" explicitly,
/// so back-off, leases and due times are tested without waiting; each starts by finishing every
/// job earlier tests of the class left claimable, so that it claims only its own.
/// </summary>
public abstract class JobQueueConformanceTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : StoreFixture
{
    private static readonly DateTimeOffset Now = new(2030, 3, 14, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly SqlResourceStore _store = (SqlResourceStore)fixture.Store;

    private IJobQueue Queue => _store.Jobs;

    private IChangeFeed Feed => _store.ChangeFeed;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Completes every job a claim far in the future would take, so the test that follows sees only its own.</summary>
    private async Task DrainAsync()
    {
        var farFuture = new DateTimeOffset(2999, 1, 1, 0, 0, 0, TimeSpan.Zero);
        while (await Queue.ClaimAsync("drain", 100, Lease, farFuture, default) is { Count: > 0 } left)
        {
            foreach (var job in left)
            {
                Assert.True(await Queue.CompleteAsync(job, farFuture, default));
            }
        }
    }

    private async Task<long> EnqueueAsync(JobRequest request) =>
        await _store.WriteAsync(transaction => transaction.EnqueueJobAsync(request, default), default);

    [Fact]
    public async Task A_job_enqueued_in_a_transaction_that_rolls_back_never_exists()
    {
        await DrainAsync();
        var kind = Unique("rolled-back");
        await using (var transaction = await _store.BeginAsync(default))
        {
            await transaction.EnqueueJobAsync(new JobRequest(kind, "{}", Now), default);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.WriteAsync<bool>(
            async transaction =>
            {
                await transaction.EnqueueJobAsync(new JobRequest(kind, "{}", Now), default);
                throw new InvalidOperationException("the change failed");
            },
            default));

        Assert.DoesNotContain(await Queue.ListAsync(null, 1000, default), j => j.Kind == kind);
        Assert.Empty(await Queue.ClaimAsync("a", 10, Lease, Now, default));
    }

    [Fact]
    public async Task A_job_enqueued_with_a_change_commits_with_it_and_is_claimed_once()
    {
        await DrainAsync();
        var grantId = Unique("grant");
        var id = await _store.WriteAsync(
            async transaction =>
            {
                await new BreakGlassLedger(_store).AddAsync(transaction, new BreakGlassGrant(grantId, "nurse", "p1", "emergency-care", null, Now, Now.AddHours(1)), default);
                return await transaction.EnqueueJobAsync(new JobRequest("notify", $$"""{"grant":"{{grantId}}"}""", Now), default);
            },
            default);

        Assert.NotNull(await new BreakGlassLedger(_store).FindAsync(grantId, default));
        var pending = await Queue.FindAsync(id, default);
        Assert.Equal(JobState.Pending, pending!.State);
        Assert.Equal(0, pending.Attempts);
        Assert.Equal(Now, pending.DueAt);

        var claimed = Assert.Single(await Queue.ClaimAsync("instance-a", 10, Lease, Now, default));
        Assert.Equal(id, claimed.Id);
        Assert.Equal("notify", claimed.Kind);
        Assert.Equal($$"""{"grant":"{{grantId}}"}""", claimed.Payload);
        Assert.Equal(JobState.Running, claimed.State);
        Assert.Equal(1, claimed.Attempts);
        Assert.Equal("instance-a", claimed.LeaseOwner);
        Assert.Equal(Now + Lease, claimed.LeaseExpiresAt);
        Assert.Empty(await Queue.ClaimAsync("instance-b", 10, Lease, Now.AddMinutes(1), default));

        Assert.True(await Queue.CompleteAsync(claimed, Now.AddMinutes(1), default));
        var done = await Queue.FindAsync(id, default);
        Assert.Equal(JobState.Done, done!.State);
        Assert.Equal(Now.AddMinutes(1), done.CompletedAt);
        Assert.Empty(await Queue.ClaimAsync("instance-b", 10, Lease, Now.AddDays(1), default));
    }

    [Fact]
    public async Task Many_claimers_in_parallel_never_get_the_same_job()
    {
        await DrainAsync();
        var ids = new List<long>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await EnqueueAsync(new JobRequest("parallel", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Now)));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await Queue.ClaimAsync($"claimer-{c}", 3, Lease, Now, default) is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed.Select(j => j.Id));
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(ids.Order(), all.Order());
    }

    [Fact]
    public async Task An_expired_lease_makes_a_running_job_claimable_again_and_the_first_claim_can_no_longer_finish_it()
    {
        await DrainAsync();
        var id = await EnqueueAsync(new JobRequest("lease", "{}", Now));
        var first = Assert.Single(await Queue.ClaimAsync("instance-a", 10, Lease, Now, default));

        Assert.Empty(await Queue.ClaimAsync("instance-b", 10, Lease, Now + Lease - TimeSpan.FromSeconds(1), default));
        var second = Assert.Single(await Queue.ClaimAsync("instance-b", 10, Lease, Now + Lease, default));
        Assert.Equal(id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.Equal("instance-b", second.LeaseOwner);

        // The first run's effect and "done" commit together or not at all.
        var lateEffect = Unique("late");
        Assert.False(await Queue.RunAsync(first, transaction => transaction.PublishChangeAsync("job-effect", lateEffect, default), Now + Lease, default));
        Assert.Null(await Queue.FailAsync(first, "too late", Now + Lease, default));
        var effect = Unique("effect");
        Assert.True(await Queue.RunAsync(second, transaction => transaction.PublishChangeAsync("job-effect", effect, default), Now + Lease, default));

        var effects = (await Feed.ReadAfterAsync(0, 100_000, default)).Where(n => n.Topic == "job-effect").Select(n => n.Key).ToList();
        Assert.Contains(effect, effects);
        Assert.DoesNotContain(lateEffect, effects);
        Assert.Equal(JobState.Done, (await Queue.FindAsync(id, default))!.State);
        Assert.False(await Queue.RunAsync(second, transaction => transaction.PublishChangeAsync("job-effect", Unique("again"), default), Now + Lease, default));
    }

    [Fact]
    public async Task A_failing_job_backs_off_doubling_then_is_dead_after_its_last_attempt_and_a_retry_brings_it_back()
    {
        await DrainAsync();
        var id = await EnqueueAsync(new JobRequest("flaky", "{}", Now) { MaxAttempts = 3 });
        var at = Now;
        foreach (var (attempt, wait) in new[] { (1, TimeSpan.FromSeconds(10)), (2, TimeSpan.FromSeconds(20)) })
        {
            var job = Assert.Single(await Queue.ClaimAsync("a", 10, Lease, at, default));
            Assert.Equal(attempt, job.Attempts);
            Assert.Equal(JobState.Pending, await Queue.FailAsync(job, $"failure {attempt}", at, default));
            Assert.Empty(await Queue.ClaimAsync("a", 10, Lease, at + wait - TimeSpan.FromTicks(1), default));
            at += wait;
        }

        var last = Assert.Single(await Queue.ClaimAsync("a", 10, Lease, at, default));
        Assert.Equal(3, last.Attempts);
        Assert.Equal(JobState.Dead, await Queue.FailAsync(last, "failure 3", at, default));
        Assert.Empty(await Queue.ClaimAsync("a", 10, Lease, at.AddYears(1), default));

        var dead = Assert.Single(await Queue.ListAsync(JobState.Dead, 1000, default), j => j.Id == id);
        Assert.Equal("failure 3", dead.LastError);
        Assert.DoesNotContain(await Queue.ListAsync(JobState.Pending, 1000, default), j => j.Id == id);

        Assert.True(await Queue.RetryAsync(id, at, default));
        Assert.False(await Queue.RetryAsync(id, at, default)); // no longer dead
        var retried = Assert.Single(await Queue.ClaimAsync("a", 10, Lease, at, default));
        Assert.Equal(id, retried.Id);
        Assert.Equal(1, retried.Attempts);
    }

    [Fact]
    public async Task A_job_whose_lease_expires_on_its_last_attempt_is_dead_not_run_again()
    {
        await DrainAsync();
        var id = await EnqueueAsync(new JobRequest("crashes", "{}", Now) { MaxAttempts = 1 });
        Assert.Single(await Queue.ClaimAsync("a", 10, Lease, Now, default));

        Assert.Empty(await Queue.ClaimAsync("b", 10, Lease, Now + Lease, default));
        var dead = await Queue.FindAsync(id, default);
        Assert.Equal(JobState.Dead, dead!.State);
        Assert.Contains("lease expired", dead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pruning_deletes_only_done_jobs_completed_before_the_cut_off()
    {
        await DrainAsync();
        var old = await EnqueueAsync(new JobRequest(Unique("prune"), "{}", Now));
        var recent = await EnqueueAsync(new JobRequest(Unique("prune"), "{}", Now));
        var pending = await EnqueueAsync(new JobRequest(Unique("prune"), "{}", Now) { DueAt = Now.AddDays(400) });
        var claimed = await Queue.ClaimAsync("pruner", 10, Lease, Now, default);
        Assert.Equal(2, claimed.Count);
        Assert.True(await Queue.CompleteAsync(claimed.Single(j => j.Id == old), Now, default));
        Assert.True(await Queue.CompleteAsync(claimed.Single(j => j.Id == recent), Now.AddDays(20), default));

        await Queue.PruneDoneAsync(Now.AddDays(10), default);

        Assert.Null(await Queue.FindAsync(old, default));
        Assert.Equal(JobState.Done, (await Queue.FindAsync(recent, default))!.State);
        Assert.Equal(JobState.Pending, (await Queue.FindAsync(pending, default))!.State);
    }

    [Fact]
    public async Task A_job_due_later_is_not_claimed_before_its_time()
    {
        await DrainAsync();
        var id = await EnqueueAsync(new JobRequest("timer", "{}", Now) { DueAt = Now.AddHours(1) });

        Assert.Empty(await Queue.ClaimAsync("a", 10, Lease, Now.AddMinutes(59), default));
        Assert.Equal(id, Assert.Single(await Queue.ClaimAsync("a", 10, Lease, Now.AddHours(1), default)).Id);
    }

    [Fact]
    public async Task Change_notices_are_read_in_order_after_a_seq_and_only_once_committed()
    {
        var start = await Feed.LatestSeqAsync(default);
        var topic = Unique("topic");
        await _store.WriteAsync(
            async transaction =>
            {
                await transaction.PublishChangeAsync(topic, "p1", default);
                await transaction.PublishChangeAsync(topic, "p2", default);
                return true;
            },
            default);
        await using (var abandoned = await _store.BeginAsync(default))
        {
            await abandoned.PublishChangeAsync(topic, "never", default);
        }

        await _store.WriteAsync(async transaction => { await transaction.PublishChangeAsync(topic, "p3", default); return true; }, default);

        var notices = (await Feed.ReadAfterAsync(start, 1000, default)).Where(n => n.Topic == topic).ToList();
        Assert.Equal(["p1", "p2", "p3"], notices.Select(n => n.Key));
        Assert.True(notices.Zip(notices.Skip(1)).All(pair => pair.First.Seq < pair.Second.Seq));
        Assert.Equal(["p3"], (await Feed.ReadAfterAsync(notices[1].Seq, 1000, default)).Where(n => n.Topic == topic).Select(n => n.Key));
        Assert.Equal(notices[2].Seq, await Feed.LatestSeqAsync(default));

        // Pruning everything older than the future still keeps the newest, so seq never goes back.
        Assert.True(await Feed.PruneAsync(DateTimeOffset.UtcNow.AddHours(1), default) >= 2);
        Assert.Equal(notices[2].Seq, await Feed.LatestSeqAsync(default));
        await _store.WriteAsync(async transaction => { await transaction.PublishChangeAsync(topic, "p4", default); return true; }, default);
        Assert.Equal(["p4"], (await Feed.ReadAfterAsync(notices[2].Seq, 1000, default)).Select(n => n.Key));
    }
}

public sealed class SqliteJobQueueConformanceTests(SqliteStoreFixture fixture) : JobQueueConformanceTests<SqliteStoreFixture>(fixture);

public sealed class PostgresJobQueueConformanceTests(PostgresStoreFixture fixture) : JobQueueConformanceTests<PostgresStoreFixture>(fixture);
