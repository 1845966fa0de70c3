using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using OpenWard.Storage;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Jobs;

/// <summary>
/// The poller's position in the notices: it starts at the newest, applies each notice once, and
/// moves past a gap in seq (a PostgreSQL transaction that took a seq and has not committed yet)
/// only once the notice after the gap is <see cref="ChangeNoticePoller.GapWait"/> old.
/// </summary>
public sealed class ChangeNoticePollerTests
{
    private static readonly DateTimeOffset Now = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public async Task A_gap_is_waited_for_while_fresh_and_every_notice_is_applied_once()
    {
        var feed = new ScriptedFeed(latest: 10);
        var time = new FixedTime(Now);
        var relationships = new CareRelationships(null!, null!, null!, time, new MemoryCache(new MemoryCacheOptions()));
        var poller = new ChangeNoticePoller(feed, relationships, new OpenWardOptions(), time, NullLogger<ChangeNoticePoller>.Instance);

        Assert.Equal(0, await poller.PollAsync(default)); // starts at the newest notice

        feed.Next = [Notice(11, Now.AddMinutes(-1)), Notice(13, Now)];
        Assert.Equal(2, await poller.PollAsync(default));
        Assert.Equal(10, feed.AskedAfter);

        // 12 committed late: it is applied, 13 is not applied again, and the position moves past both.
        feed.Next = [Notice(12, Now), Notice(13, Now)];
        Assert.Equal(1, await poller.PollAsync(default));
        Assert.Equal(11, feed.AskedAfter);

        feed.Next = [];
        Assert.Equal(0, await poller.PollAsync(default));
        Assert.Equal(13, feed.AskedAfter);

        // 14 never commits (rolled back): once 15 is older than GapWait the poller moves on.
        feed.Next = [Notice(15, Now - ChangeNoticePoller.GapWait - TimeSpan.FromSeconds(1))];
        Assert.Equal(1, await poller.PollAsync(default));
        feed.Next = [];
        await poller.PollAsync(default);
        Assert.Equal(15, feed.AskedAfter);
    }

    private static ChangeNotice Notice(long seq, DateTimeOffset at) => new(seq, CareRelationships.ChangeTopic, $"patient-{seq}", at);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Answers each read with <see cref="Next"/> and remembers where it was asked to read from.</summary>
    private sealed class ScriptedFeed(long latest) : IChangeFeed
    {
        public IReadOnlyList<ChangeNotice> Next { get; set; } = [];

        public long AskedAfter { get; private set; } = -1;

        public Task<long> LatestSeqAsync(CancellationToken cancellationToken) => Task.FromResult(latest);

        public Task<IReadOnlyList<ChangeNotice>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken)
        {
            AskedAfter = afterSeq;
            return Task.FromResult(Next);
        }

        public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
