using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

public sealed class InMemoryAssertionReplayCacheTests
{
    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_jti_is_refused_a_second_time_while_its_assertion_is_valid()
    {
        var clock = new SettableClock(Start);
        var cache = new InMemoryAssertionReplayCache(clock);

        var first = await cache.TryRecordAsync("client", "jti-1", Start.AddMinutes(5), CancellationToken.None);
        clock.Now = Start.AddMinutes(4);
        var second = await cache.TryRecordAsync("client", "jti-1", Start.AddMinutes(9), CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
    }

    [Fact]
    public async Task The_same_jti_from_another_client_is_no_replay()
    {
        var cache = new InMemoryAssertionReplayCache(new SettableClock(Start));

        Assert.True(await cache.TryRecordAsync("client-a", "jti-1", Start.AddMinutes(5), CancellationToken.None));
        Assert.True(await cache.TryRecordAsync("client-b", "jti-1", Start.AddMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task A_jti_may_be_used_again_once_the_assertion_that_used_it_has_expired()
    {
        var clock = new SettableClock(Start);
        var cache = new InMemoryAssertionReplayCache(clock);

        await cache.TryRecordAsync("client", "jti-1", Start.AddSeconds(30), CancellationToken.None);
        clock.Now = Start.AddSeconds(31);

        Assert.True(await cache.TryRecordAsync("client", "jti-1", Start.AddMinutes(10), CancellationToken.None));
        Assert.False(await cache.TryRecordAsync("client", "jti-1", Start.AddMinutes(10), CancellationToken.None));
    }
}
