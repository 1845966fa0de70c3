using OpenWard.Storage;

namespace OpenWard.Web.Hosting;

/// <summary>
/// Runs one kind of job (<see cref="Kind"/>). Return normally when the job's work is done; to make
/// a database effect exactly once, write it in the same transaction as
/// <see cref="IJobQueue.CompleteAsync(IStoreTransaction, Job, DateTimeOffset, CancellationToken)"/>
/// (or through <see cref="IJobQueue.RunAsync"/>). Throw to fail the run: it is retried with back-off.
/// </summary>
public interface IJobHandler
{
    /// <summary>The job kind this handler runs, as enqueued in <see cref="JobRequest.Kind"/>.</summary>
    string Kind { get; }

    Task RunAsync(Job job, CancellationToken cancellationToken);
}

/// <summary>
/// Claims due jobs from the database's queue and runs each with its kind's handler. It looks every
/// <see cref="JobOptions.PollSeconds"/>, and at once when this instance commits a new job. A failed
/// run is recorded with back-off (dead after its last attempt); a job of a kind no handler runs
/// fails the same way, with a message naming the kind. Jobs survive restarts: a job claimed by an
/// instance that died is claimed again when its lease expires.
/// </summary>
public sealed partial class JobRunner : BackgroundService
{
    private readonly IJobQueue _queue;
    private readonly Dictionary<string, IJobHandler> _handlers;
    private readonly JobOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JobRunner> _logger;

    public JobRunner(IJobQueue queue, IEnumerable<IJobHandler> handlers, OpenWardOptions options, TimeProvider time, ILogger<JobRunner> logger)
    {
        _queue = queue;
        _options = options.Jobs;
        _time = time;
        _logger = logger;
        _handlers = new Dictionary<string, IJobHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new InvalidOperationException($"Two job handlers are registered for kind '{handler.Kind}'.");
            }
        }
    }

    /// <summary>Names this instance's claims (lease owner): machine, process and a random part, since process ids repeat.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Claims one batch of due jobs and runs them; returns how many were claimed.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var jobs = await _queue.ClaimAsync(Owner, _options.BatchSize, TimeSpan.FromSeconds(_options.LeaseSeconds), _time.GetUtcNow(), cancellationToken);
        foreach (var job in jobs)
        {
            await RunAsync(job, cancellationToken);
        }

        return jobs.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(_logger);
            return;
        }

        var poll = TimeSpan.FromSeconds(_options.PollSeconds);
        try
        {
            var nextPrune = DateTimeOffset.MinValue;
            while (!stoppingToken.IsCancellationRequested)
            {
                var claimed = 0;
                try
                {
                    claimed = await RunDueAsync(stoppingToken);
                    if (_time.GetUtcNow() >= nextPrune)
                    {
                        await PruneDoneAsync(stoppingToken);
                        nextPrune = _time.GetUtcNow() + PruneEvery;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogClaimFailed(_logger, e);
                }

                // A full batch suggests more are due: look again at once.
                if (claimed < _options.BatchSize)
                {
                    await _queue.WaitForEnqueuedAsync(poll, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a job cut short is claimed again when its lease expires.
        }
    }

    /// <summary>How often an instance deletes done jobs older than <see cref="JobOptions.KeepDoneDays"/>.</summary>
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    /// <summary>Deletes done jobs older than the options keep them; returns how many.</summary>
    public async Task<int> PruneDoneAsync(CancellationToken cancellationToken)
    {
        var pruned = await _queue.PruneDoneAsync(_time.GetUtcNow() - TimeSpan.FromDays(_options.KeepDoneDays), cancellationToken);
        if (pruned > 0)
        {
            LogPruned(_logger, pruned);
        }

        return pruned;
    }

    private async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        if (!_handlers.TryGetValue(job.Kind, out var handler))
        {
            var state = await _queue.FailAsync(job, $"No handler for job kind '{job.Kind}' in this version of OpenWard (instance {Owner}).", _time.GetUtcNow(), cancellationToken);
            LogUnknownKind(_logger, job.Id, job.Kind, state);
            return;
        }

        try
        {
            await handler.RunAsync(job, cancellationToken);
            // Done unless the handler already marked it done with its effect (then this changes nothing).
            await _queue.CompleteAsync(job, _time.GetUtcNow(), cancellationToken);
            LogRan(_logger, job.Id, job.Kind, job.Attempts);
        }
        catch (JobLeaseLostException)
        {
            LogLeaseLost(_logger, job.Id, job.Kind);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var state = await _queue.FailAsync(job, $"{e.GetType().Name}: {e.Message}", _time.GetUtcNow(), cancellationToken);
            LogFailed(_logger, e, job.Id, job.Kind, job.Attempts, job.MaxAttempts, state);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} done jobs older than OpenWard:Jobs:KeepDoneDays")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "The job runner is off in this instance (OpenWard:Jobs:Enabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not claim jobs; trying again at the next poll")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) done on attempt {Attempt}")]
    private static partial void LogRan(ILogger logger, long jobId, string kind, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} has kind {Kind}, which no handler runs; it is now {State}")]
    private static partial void LogUnknownKind(ILogger logger, long jobId, string kind, JobState? state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) was claimed by another instance after its lease expired; this run's effect was rolled back")]
    private static partial void LogLeaseLost(ILogger logger, long jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) failed on attempt {Attempt} of {MaxAttempts}; it is now {State}")]
    private static partial void LogFailed(ILogger logger, Exception exception, long jobId, string kind, int attempt, int maxAttempts, JobState? state);
}
