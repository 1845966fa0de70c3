using System.Data.Common;
using OpenWard.Storage.Search;
using OpenWard.Storage.Security;

namespace OpenWard.Storage;

/// <summary>
/// The <c>jobs</c> table (migration 10) as a queue. A claim is one UPDATE that takes due rows and
/// stamps them with the claimer and a lease expiry: on PostgreSQL its rows are picked with
/// <c>FOR UPDATE SKIP LOCKED</c>, so parallel claimers pass each other by; on SQLite the single
/// writer runs claims one after the other. Each claim adds one to <c>attempts</c>, and (owner,
/// attempts) names the claim: completing or failing a job checks it, so a run whose lease expired
/// and whose job another instance has since claimed changes nothing.
/// </summary>
public sealed class SqlJobQueue(SqlResourceStore store) : IJobQueue, IDisposable
{
    private const string Columns = "id, kind, payload, state, due_at, attempts, max_attempts, lease_owner, lease_expires_at, last_error, created_at, updated_at, completed_at";

    /// <summary>Longest last_error kept: enough for a message and the top of a stack trace.</summary>
    private const int MaxErrorLength = 4000;

    private const string LeaseExpiredOnLastAttempt = "The instance running it stopped before finishing (its lease expired) on its last allowed attempt.";

    private readonly SemaphoreSlim _enqueued = new(0, 1);

    public static string StateName(JobState state) => state switch
    {
        JobState.Pending => "pending",
        JobState.Running => "running",
        JobState.Done => "done",
        JobState.Dead => "dead",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static JobState ParseState(string name) => name switch
    {
        "pending" => JobState.Pending,
        "running" => JobState.Running,
        "done" => JobState.Done,
        "dead" => JobState.Dead,
        _ => throw new InvalidOperationException($"Unknown job state '{name}' in the jobs table."),
    };

    public Task<IReadOnlyList<Job>> ClaimAsync(string owner, int limit, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        return store.WriteAsync<IReadOnlyList<Job>>(
            async transaction =>
            {
                var sql = (SqlStoreTransaction)transaction;
                var bury = new SqlBuilder();
                bury.Append("UPDATE jobs SET state = ").Append(bury.Bind(StateName(JobState.Dead)))
                    .Append(", last_error = ").Append(bury.Bind(LeaseExpiredOnLastAttempt))
                    .Append(", lease_owner = NULL, lease_expires_at = NULL, updated_at = ").Append(bury.Bind(now.UtcTicks))
                    .Append(" WHERE state = ").Append(bury.Bind(StateName(JobState.Running)))
                    .Append(" AND lease_expires_at <= ").Append(bury.Bind(now.UtcTicks)).Append(" AND attempts >= max_attempts");
                await sql.ExecuteAsync(bury, cancellationToken);

                var claim = new SqlBuilder();
                claim.Append("UPDATE jobs SET state = ").Append(claim.Bind(StateName(JobState.Running)))
                    .Append(", lease_owner = ").Append(claim.Bind(owner))
                    .Append(", lease_expires_at = ").Append(claim.Bind((now + lease).UtcTicks))
                    .Append(", attempts = attempts + 1, updated_at = ").Append(claim.Bind(now.UtcTicks))
                    .Append(" WHERE id IN (SELECT id FROM jobs WHERE (state = ").Append(claim.Bind(StateName(JobState.Pending)))
                    .Append(" AND due_at <= ").Append(claim.Bind(now.UtcTicks))
                    .Append(") OR (state = ").Append(claim.Bind(StateName(JobState.Running)))
                    .Append(" AND lease_expires_at <= ").Append(claim.Bind(now.UtcTicks))
                    .Append(") ORDER BY due_at, id LIMIT ").Append(claim.Bind(limit)).Append(store.Dialect.ForUpdateSkipLocked)
                    .Append($") RETURNING {Columns}");
                var claimed = await sql.QueryAsync(claim, Read, cancellationToken);
                return [.. claimed.OrderBy(j => j.DueAt).ThenBy(j => j.Id)];
            },
            cancellationToken);
    }

    public async Task<bool> CompleteAsync(IStoreTransaction transaction, Job job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("UPDATE jobs SET state = ").Append(sql.Bind(StateName(JobState.Done)))
            .Append(", completed_at = ").Append(sql.Bind(now.UtcTicks)).Append(", updated_at = ").Append(sql.Bind(now.UtcTicks))
            .Append(", lease_owner = NULL, lease_expires_at = NULL");
        AppendThisClaim(sql, job);
        return await ((SqlStoreTransaction)transaction).ExecuteAsync(sql, cancellationToken) == 1;
    }

    public Task<bool> CompleteAsync(Job job, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.WriteAsync(transaction => CompleteAsync(transaction, job, now, cancellationToken), cancellationToken);

    public async Task<bool> RunAsync(Job job, Func<IStoreTransaction, Task> effect, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await store.WriteAsync(
                async transaction =>
                {
                    // "Done" first: on PostgreSQL this locks the row, so no claimer takes it while the effect is written.
                    if (!await CompleteAsync(transaction, job, now, cancellationToken))
                    {
                        throw new JobLeaseLostException(job.Id); // rolls back this piece of work, so nothing is written
                    }

                    await effect(transaction);
                    return true;
                },
                cancellationToken);
        }
        catch (JobLeaseLostException e) when (e.JobId == job.Id)
        {
            return false;
        }
    }

    public async Task<JobState?> FailAsync(Job job, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN ").Append(sql.Bind(StateName(JobState.Dead)))
            .Append(" ELSE ").Append(sql.Bind(StateName(JobState.Pending))).Append(" END")
            .Append(", due_at = ").Append(sql.Bind((now + JobBackoff.After(job.Attempts)).UtcTicks))
            .Append(", last_error = ").Append(sql.Bind(error.Length > MaxErrorLength ? error[..MaxErrorLength] : error))
            .Append(", lease_owner = NULL, lease_expires_at = NULL, updated_at = ").Append(sql.Bind(now.UtcTicks));
        AppendThisClaim(sql, job);
        sql.Append(" RETURNING state");
        var states = await store.WriteAsync(transaction => ((SqlStoreTransaction)transaction).QueryAsync(sql, r => r.GetString(0), cancellationToken), cancellationToken);
        return states.Count == 1 ? ParseState(states[0]) : null;
    }

    public async Task<IReadOnlyList<Job>> ListAsync(JobState? state, int limit, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM jobs");
        if (state is { } only)
        {
            sql.Append(" WHERE state = ").Append(sql.Bind(StateName(only)));
        }

        sql.Append(" ORDER BY id DESC LIMIT ").Append(sql.Bind(limit));
        return await SqlCommands.QueryAsync(store.Dialect, sql, Read, cancellationToken);
    }

    public async Task<Job?> FindAsync(long id, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM jobs WHERE id = ").Append(sql.Bind(id));
        return (await SqlCommands.QueryAsync(store.Dialect, sql, Read, cancellationToken)).FirstOrDefault();
    }

    public async Task<int> PruneDoneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("DELETE FROM jobs WHERE state = ").Append(sql.Bind(StateName(JobState.Done)))
            .Append(" AND completed_at < ").Append(sql.Bind(completedBefore.UtcTicks));
        return await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);
    }

    public async Task<bool> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("UPDATE jobs SET state = ").Append(sql.Bind(StateName(JobState.Pending)))
            .Append(", attempts = 0, due_at = ").Append(sql.Bind(now.UtcTicks)).Append(", updated_at = ").Append(sql.Bind(now.UtcTicks))
            .Append(" WHERE id = ").Append(sql.Bind(id)).Append(" AND state = ").Append(sql.Bind(StateName(JobState.Dead)));
        var retried = await store.WriteAsync(transaction => ((SqlStoreTransaction)transaction).ExecuteAsync(sql, cancellationToken), cancellationToken) == 1;
        if (retried)
        {
            Nudge();
        }

        return retried;
    }

    public async Task WaitForEnqueuedAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _enqueued.WaitAsync(timeout, cancellationToken);

    /// <summary>A transaction of this process that enqueued a job committed: wakes a waiting runner.</summary>
    internal void Nudge()
    {
        try
        {
            _enqueued.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the runner will look once for both.
        }
    }

    public void Dispose() => _enqueued.Dispose();

    private static void AppendThisClaim(SqlBuilder sql, Job job) =>
        sql.Append(" WHERE id = ").Append(sql.Bind(job.Id))
            .Append(" AND state = ").Append(sql.Bind(StateName(JobState.Running)))
            .Append(" AND lease_owner = ").Append(sql.Bind(job.LeaseOwner))
            .Append(" AND attempts = ").Append(sql.Bind(job.Attempts));

    private static Job Read(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetString(2),
        ParseState(r.GetString(3)),
        SqlCommands.Time(r, 4),
        Convert.ToInt32(r.GetValue(5), System.Globalization.CultureInfo.InvariantCulture),
        Convert.ToInt32(r.GetValue(6), System.Globalization.CultureInfo.InvariantCulture),
        SqlCommands.NullableString(r, 7),
        SqlCommands.NullableTime(r, 8),
        SqlCommands.NullableString(r, 9),
        SqlCommands.Time(r, 10),
        SqlCommands.Time(r, 11),
        SqlCommands.NullableTime(r, 12));
}
