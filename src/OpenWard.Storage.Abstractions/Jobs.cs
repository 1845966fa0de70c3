namespace OpenWard.Storage;

/// <summary>
/// A job to run once, by one instance, after the transaction that enqueued it commits
/// (<see cref="IStoreTransaction.EnqueueJobAsync"/>).
/// </summary>
/// <param name="Kind">Names the handler that runs it, e.g. <c>break-glass-notify</c>.</param>
/// <param name="Payload">What the handler needs, as text (JSON by convention); no more patient data than the handler needs.</param>
/// <param name="EnqueuedAt">When it was asked for; it is due then unless <see cref="DueAt"/> says later (a timer).</param>
public sealed record JobRequest(string Kind, string Payload, DateTimeOffset EnqueuedAt)
{
    /// <summary>Not claimed before this time; null: due at once.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Runs that may fail (or be lost with their instance) before the job is dead.</summary>
    public int MaxAttempts { get; init; } = 5;
}

/// <summary>Where a job is in its life.</summary>
public enum JobState
{
    /// <summary>Waiting for its due time, or for a retry after a failure.</summary>
    Pending,

    /// <summary>Claimed by an instance whose lease has not expired.</summary>
    Running,

    /// <summary>Completed; never runs again.</summary>
    Done,

    /// <summary>Failed <see cref="Job.MaxAttempts"/> times; waits for an administrator to retry it.</summary>
    Dead,
}

/// <summary>One row of the job queue.</summary>
/// <param name="Attempts">Claims so far; a claim counts even if its instance died before finishing.</param>
/// <param name="LeaseOwner">The instance that claimed it, while <see cref="JobState.Running"/>.</param>
public sealed record Job(
    long Id,
    string Kind,
    string Payload,
    JobState State,
    DateTimeOffset DueAt,
    int Attempts,
    int MaxAttempts,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt);

/// <summary>
/// The durable job queue beside the record (the outbox): jobs are enqueued in the transaction of
/// the change that causes them, claimed with a lease by exactly one instance, and completed, retried
/// with back-off, or declared dead. Every method takes "now" so that callers (and tests) decide the time.
/// </summary>
public interface IJobQueue
{
    /// <summary>
    /// Claims up to <paramref name="limit"/> due jobs for <paramref name="owner"/> until
    /// <paramref name="now"/> + <paramref name="lease"/>: pending jobs whose due time has come, and
    /// running jobs whose lease expired (their instance died). No two claimers get the same job.
    /// A job whose lease expired after its last allowed attempt is declared dead instead.
    /// </summary>
    Task<IReadOnlyList<Job>> ClaimAsync(string owner, int limit, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the claimed job done inside <paramref name="transaction"/>, where the handler wrote its
    /// effect, so the effect and "done" commit together (exactly once). False when this claim no
    /// longer holds the job (another instance claimed it after the lease expired): the caller must
    /// then roll the transaction back.
    /// </summary>
    Task<bool> CompleteAsync(IStoreTransaction transaction, Job job, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks the claimed job done in a transaction of its own (a job with no effect in the database, or none to make).</summary>
    Task<bool> CompleteAsync(Job job, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="effect"/> and marks the job done in one transaction; false (and nothing
    /// written) when this claim no longer holds the job.
    /// </summary>
    Task<bool> RunAsync(Job job, Func<IStoreTransaction, Task> effect, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failed run: the job is due again after a back-off that doubles with each attempt,
    /// or dead after its last allowed attempt. Returns the new state, or null when this claim no
    /// longer holds the job.
    /// </summary>
    Task<JobState?> FailAsync(Job job, string error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Jobs (in one state, or all), newest first, for administrators.</summary>
    Task<IReadOnlyList<Job>> ListAsync(JobState? state, int limit, CancellationToken cancellationToken);

    Task<Job?> FindAsync(long id, CancellationToken cancellationToken);

    /// <summary>Sends a dead job back to the queue, due at <paramref name="now"/> with its attempts reset; false if it is not dead.</summary>
    Task<bool> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes done jobs completed before <paramref name="completedBefore"/> (their effects stay; pending, running and dead jobs are kept); returns how many.</summary>
    Task<int> PruneDoneAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Returns when a transaction of this process that enqueued a job has committed, or after
    /// <paramref name="timeout"/>: lets a runner poll slowly yet start local work at once.
    /// </summary>
    Task WaitForEnqueuedAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Back-off between failed runs of a job.</summary>
public static class JobBackoff
{
    /// <summary>The wait after the first failure; it doubles with each further one.</summary>
    public static readonly TimeSpan First = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between runs.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    /// <summary>The wait after the run numbered <paramref name="attempts"/> (1 for the first) failed.</summary>
    public static TimeSpan After(int attempts) =>
        TimeSpan.FromTicks((long)Math.Min(First.Ticks * Math.Pow(2, Math.Max(0, attempts - 1)), Longest.Ticks));
}

/// <summary>Thrown by a job handler's write when the job's claim was lost, so that its effect rolls back.</summary>
public sealed class JobLeaseLostException(long jobId) : Exception($"Job {jobId} was claimed again by another instance after its lease expired; this run's effect was rolled back.")
{
    public long JobId { get; } = jobId;
}

/// <summary>A change one instance committed that every instance must hear of (a broadcast, not a job).</summary>
/// <param name="Seq">Its place in the order of notices (assigned at insert, so a later commit may hold an earlier number).</param>
public sealed record ChangeNotice(long Seq, string Topic, string Key, DateTimeOffset CreatedAt);

/// <summary>
/// The change notices written with <see cref="IStoreTransaction.PublishChangeAsync"/>, read by a
/// poller in every instance (for example to drop cached answers another instance's write made stale).
/// </summary>
public interface IChangeFeed
{
    /// <summary>The highest seq written so far (0 when none): where a poller starting now begins.</summary>
    Task<long> LatestSeqAsync(CancellationToken cancellationToken);

    /// <summary>Committed notices with seq above <paramref name="afterSeq"/>, in seq order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ChangeNotice>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes notices created before <paramref name="before"/> (always keeping the newest, so seq never goes back); returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
