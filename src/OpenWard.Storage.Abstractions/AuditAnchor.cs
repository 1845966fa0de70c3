using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenWard.Storage;

/// <summary>
/// A signed record, kept outside the database, that the audit chain had reached <see cref="Head"/>
/// at <see cref="Written"/>. One line of the anchor file:
/// <c>openward-audit-anchor/1 {seq} {hash} {time, ISO 8601 UTC} {mac}</c>, where <c>mac</c> is the
/// lowercase hex HMAC-SHA256, under the anchor key, of everything before it (without the space).
/// Someone who can change the database but not the key cannot make an anchor for a chain they
/// cut short or rewrote. Described in docs/implementation/storage.md ("Audit chain anchors").
/// </summary>
public sealed record AuditAnchor(AuditChainHead Head, DateTimeOffset Written)
{
    public const string Format = "openward-audit-anchor/1";

    /// <summary>The anchor as one signed line, without its line break.</summary>
    public string ToLine(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signed = string.Create(CultureInfo.InvariantCulture, $"{Format} {Head.Seq} {Head.Hash} {Written.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}");
        return $"{signed} {Mac(key, signed)}";
    }

    /// <summary>Reads a line written by <see cref="ToLine"/>, or says why it is not one signed with <paramref name="key"/>.</summary>
    public static bool TryParse(string line, byte[] key, out AuditAnchor? anchor, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(key);
        anchor = null;
        var parts = line.Split(' ');
        if (parts.Length != 5 || parts[0] != Format
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || parts[2].Length != 64
            || !DateTimeOffset.TryParseExact(parts[3], "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var written))
        {
            problem = "it is not an anchor line written by OpenWard";
            return false;
        }

        var signed = line[..line.LastIndexOf(' ')];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, signed)), Encoding.ASCII.GetBytes(parts[4])))
        {
            problem = "its signature does not match: it was forged or changed, or signed with another key";
            return false;
        }

        anchor = new AuditAnchor(new AuditChainHead(seq, parts[2]), written);
        problem = null;
        return true;
    }

    private static string Mac(byte[] key, string signed) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
}
