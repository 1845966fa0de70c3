using OpenWard.Storage;
using OpenWard.Web.Security;

namespace OpenWard.Web.Hosting;

/// <summary>
/// Hears, in every instance, of the changes any instance committed (<see cref="IChangeFeed"/>):
/// every <see cref="ChangeNoticeOptions.PollSeconds"/> it reads the notices after the last one it
/// applied and drops what they made stale (topic <see cref="CareRelationships.ChangeTopic"/>: the
/// patient's cached access answers). It starts from the newest notice at start-up (its caches are
/// empty then) and prunes notices older than <see cref="KeepFor"/>.
/// </summary>
/// <remarks>
/// On PostgreSQL a notice's seq is taken when it is written, so a slow transaction can commit a
/// lower seq after a higher one was read. The poller therefore applies every notice it has not
/// applied yet, but moves its position past a gap only once the notice after the gap is
/// <see cref="GapWait"/> old: by then the missing seq is a rolled-back write, not a slow one.
/// Applying a notice twice is harmless (it only drops cached answers).
/// </remarks>
public sealed partial class ChangeNoticePoller(IChangeFeed feed, CareRelationships relationships, OpenWardOptions options, TimeProvider time, ILogger<ChangeNoticePoller> logger) : BackgroundService
{
    /// <summary>How long notices are kept: far longer than any poller lags.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    /// <summary>How long a gap in seq is waited for before it is taken to be a rolled-back write.</summary>
    public static readonly TimeSpan GapWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(5);

    private const int BatchSize = 500;

    private readonly HashSet<long> _applied = [];
    private long? _after;
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    /// <summary>Reads and applies the notices committed since the last poll; returns how many were new.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        if (_after is not { } after)
        {
            _after = await feed.LatestSeqAsync(cancellationToken);
            return 0;
        }

        var notices = await feed.ReadAfterAsync(after, BatchSize, cancellationToken);
        var applied = 0;
        foreach (var notice in notices.Where(n => _applied.Add(n.Seq)))
        {
            Apply(notice);
            applied++;
        }

        var settled = time.GetUtcNow() - GapWait;
        foreach (var notice in notices)
        {
            if (notice.Seq != after + 1 && notice.CreatedAt > settled)
            {
                break; // a gap that a transaction still committing may fill
            }

            after = notice.Seq;
        }

        _after = after;
        _applied.RemoveWhere(seq => seq <= after);
        return applied;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.ChangeNotices.PollSeconds), time);
        try
        {
            do
            {
                try
                {
                    await PollAsync(stoppingToken);
                    await PruneIfDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPollFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Apply(ChangeNotice notice)
    {
        if (notice.Topic == CareRelationships.ChangeTopic)
        {
            relationships.ForgetPatient(notice.Key);
        }
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _prunedAt >= PruneEvery)
        {
            _prunedAt = now;
            await feed.PruneAsync(now - KeepFor, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not read change notices; trying again at the next poll (cached access answers still expire on their own)")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
