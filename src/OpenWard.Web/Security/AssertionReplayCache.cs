using OpenWard.Storage;

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

/// <summary>The replay cache in the database, shared by every instance.</summary>
public sealed class DatabaseAssertionReplayCache(SqlReplayRegistry registry, TimeProvider time) : IAssertionReplayCache
{
    public async ValueTask<bool> TryRecordAsync(string clientId, string jti, DateTimeOffset expires, CancellationToken cancellationToken) =>
        await registry.TryRecordAsync(clientId, jti, expires, time.GetUtcNow(), cancellationToken);
}
