using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OpenWard.Storage;

/// <summary>
/// The audit trail's hash chain: each AuditEvent's link is
/// <c>hash = lowercase hex SHA-256(UTF-8(prev_hash + "\n" + stored JSON))</c>, and the first
/// <c>prev_hash</c> is <see cref="GenesisHash"/>. Changing, removing or inserting an event after
/// it was written breaks the link of that event or of the one after it. Described in
/// docs/implementation/storage.md ("Audit chain").
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first link: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>The hash of the link that chains <paramref name="storedJson"/> after <paramref name="previousHash"/>.</summary>
    public static string Link(string previousHash, string storedJson)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(storedJson);
        var length = Encoding.UTF8.GetMaxByteCount(previousHash.Length + 1 + storedJson.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(previousHash, buffer);
            buffer[written++] = (byte)'\n';
            written += Encoding.UTF8.GetBytes(storedJson, buffer.AsSpan(written));
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, written), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>A link of the chain by position: its sequence number (1 for the first event) and its hash.</summary>
public sealed record AuditChainHead(long Seq, string Hash);

/// <summary>What <see cref="IResourceStore.VerifyAuditChainAsync(CancellationToken)"/> found.</summary>
/// <param name="Intact">True when every link holds, the chain's end matches its head and every AuditEvent is in the chain.</param>
/// <param name="EventsChecked">Chain rows walked (all of them when intact; those before the break otherwise).</param>
/// <param name="FirstBrokenSeq">The sequence number of the first broken link, or null (also when the break is not a link, e.g. an event outside the chain).</param>
/// <param name="FirstBrokenEventId">The id of the AuditEvent at the break, if one is known.</param>
/// <param name="Problem">One plain sentence saying what is wrong, or null when intact.</param>
public sealed record AuditChainReport(bool Intact, long EventsChecked, long? FirstBrokenSeq, string? FirstBrokenEventId, string? Problem)
{
    internal static AuditChainReport Broken(long checkedCount, long? seq, string? eventId, string problem) =>
        new(false, checkedCount, seq, eventId, problem);
}
