using System.Collections.Concurrent;

namespace OpenWard.Web.Security;

/// <summary>
/// Remembers the assertion ids (<c>jti</c>) each client has used until those assertions expire,
/// so that a captured assertion cannot be replayed for another token
/// (https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html, RFC 7523 §3 item 7).
/// </summary>
public interface IAssertionReplayCache
{
    /// <summary>
    /// Records that <paramref name="clientId"/> used <paramref name="jti"/> in an assertion valid
    /// until <paramref name="expires"/>; false when it already did so in an assertion that has not
    /// yet expired. Atomic: of two concurrent calls with the same id, one gets false.
    /// </summary>
    ValueTask<bool> TryRecordAsync(string clientId, string jti, DateTimeOffset expires, CancellationToken cancellationToken);
}

/// <summary>
/// A replay cache in this process's memory.
/// <para>
/// MULTI-INSTANCE GAP: the architecture keeps all state in the database so that several
/// instances can run behind a load balancer. This cache does not: with N instances, an assertion
/// can be replayed up to N-1 more times (once on each other instance) within its lifetime of at
/// most five minutes. Until the store offers an atomic "insert (client, jti, expires) unless
/// present" (a table with that primary key, expired rows deleted), run a single instance or
/// pin token requests to one instance. See docs/status.md.
/// </para>
/// </summary>
public sealed class InMemoryAssertionReplayCache(TimeProvider time) : IAssertionReplayCache
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string ClientId, string Jti), DateTimeOffset> _used = new();
    private readonly Lock _sweepLock = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public ValueTask<bool> TryRecordAsync(string clientId, string jti, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        SweepExpired(now);
        var key = (clientId, jti);
        while (true)
        {
            if (_used.TryAdd(key, expires))
            {
                return ValueTask.FromResult(true);
            }

            if (!_used.TryGetValue(key, out var recorded))
            {
                continue;
            }

            if (recorded > now)
            {
                return ValueTask.FromResult(false);
            }

            // The earlier assertion has expired, so reusing its id is no replay.
            if (_used.TryUpdate(key, expires, recorded))
            {
                return ValueTask.FromResult(true);
            }
        }
    }

    private void SweepExpired(DateTimeOffset now)
    {
        lock (_sweepLock)
        {
            if (now < _nextSweep)
            {
                return;
            }

            _nextSweep = now + SweepInterval;
        }

        foreach (var entry in _used)
        {
            if (entry.Value <= now)
            {
                _used.TryRemove(entry);
            }
        }
    }
}
