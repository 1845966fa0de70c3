using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace OpenWard.Web.Security.Passwords;

/// <summary>The outcome of checking a password against a stored hash.</summary>
public enum PasswordCheck
{
    Invalid,
    Valid,

    /// <summary>The password is right, but the stored hash used weaker parameters than today's: store a new hash.</summary>
    ValidNeedsRehash,
}

/// <summary>Argon2id cost parameters.</summary>
/// <param name="MemoryKiB">Memory in KiB (the PHC "m").</param>
/// <param name="Iterations">Passes over memory (the PHC "t").</param>
/// <param name="Parallelism">Lanes (the PHC "p").</param>
internal sealed record Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>
    /// OWASP's minimum for Argon2id: m=19456 (19 MiB), t=2, p=1
    /// (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
    /// </summary>
    public static Argon2Parameters Owasp { get; } = new(19456, 2, 1);
}

/// <summary>
/// Hashes and verifies passwords with Argon2id, stored as a PHC string
/// (https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md):
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>, salt and hash in unpadded standard base64.
/// </summary>
public sealed class PasswordHasher
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const int Argon2Version = 19; // 0x13, Argon2 1.3, the only version Konscious implements

    // Bounds on stored parameters, so that a corrupted or planted hash cannot make a sign-in burn
    // gigabytes or minutes; anything outside them counts as malformed.
    private const int MaxMemoryKiB = 1024 * 1024;
    private const int MaxIterations = 64;
    private const int MaxParallelism = 16;
    private const int MinStoredBytes = 8;
    private const int MaxStoredBytes = 64;

    private readonly Argon2Parameters parameters;

    public PasswordHasher()
        : this(Argon2Parameters.Owasp)
    {
    }

    /// <summary>For tests only: cheaper parameters.</summary>
    internal PasswordHasher(Argon2Parameters parameters) => this.parameters = parameters;

    /// <summary>A new PHC string for the password, with a fresh random salt.</summary>
    /// <exception cref="ArgumentException">The password is empty (Argon2 needs at least one byte).</exception>
    public string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, parameters, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v={Argon2Version}$m={parameters.MemoryKiB},t={parameters.Iterations},p={parameters.Parallelism}" +
            $"${ToUnpaddedBase64(salt)}${ToUnpaddedBase64(hash)}");
    }

    /// <summary>Checks the password against a stored PHC string. Malformed strings are <see cref="PasswordCheck.Invalid"/>.</summary>
    public PasswordCheck Verify(string password, string phc)
    {
        if (string.IsNullOrEmpty(password) || !TryParse(phc, out var stored, out var salt, out var expected))
            return PasswordCheck.Invalid;
        var actual = Derive(password, salt, stored, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            return PasswordCheck.Invalid;
        var weaker = stored.MemoryKiB < parameters.MemoryKiB
            || stored.Iterations < parameters.Iterations
            || salt.Length < SaltBytes
            || expected.Length < HashBytes;
        return weaker ? PasswordCheck.ValidNeedsRehash : PasswordCheck.Valid;
    }

    private static byte[] Derive(string password, byte[] salt, Argon2Parameters cost, int length)
    {
        // NIST SP 800-63B 5.1.1.2 asks for Unicode normalisation (NFKC or NFKD) so that the same password
        // typed on different keyboards hashes alike.
        var bytes = Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC));
        try
        {
            using var argon2 = new Argon2id(bytes)
            {
                Salt = salt,
                MemorySize = cost.MemoryKiB,
                Iterations = cost.Iterations,
                DegreeOfParallelism = cost.Parallelism,
            };
            return argon2.GetBytes(length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    internal static bool TryParse(string? phc, out Argon2Parameters cost, out byte[] salt, out byte[] hash)
    {
        cost = Argon2Parameters.Owasp;
        salt = hash = [];
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        var fields = phc?.Split('$');
        if (fields is not { Length: 6 } || fields[0].Length != 0 || fields[1] != "argon2id"
            || fields[2] != $"v={Argon2Version}")
            return false;
        var costs = fields[3].Split(',');
        if (costs.Length != 3
            || !TryParseCost(costs[0], "m=", out var memory) || !TryParseCost(costs[1], "t=", out var iterations)
            || !TryParseCost(costs[2], "p=", out var parallelism))
            return false;
        // Argon2 needs at least 8 KiB of memory per lane.
        if (memory > MaxMemoryKiB || memory < 8 * parallelism || iterations > MaxIterations || parallelism > MaxParallelism)
            return false;
        if (!TryFromUnpaddedBase64(fields[4], out salt) || !TryFromUnpaddedBase64(fields[5], out hash))
            return false;
        if (salt.Length is < MinStoredBytes or > MaxStoredBytes || hash.Length is < MinStoredBytes or > MaxStoredBytes)
            return false;
        cost = new Argon2Parameters(memory, iterations, parallelism);
        return true;
    }

    private static bool TryParseCost(string field, string prefix, out int value)
    {
        value = 0;
        return field.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(field.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= 1;
    }

    private static string ToUnpaddedBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryFromUnpaddedBase64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 == 1)
            return false;
        var padded = text + new string('=', (4 - (text.Length % 4)) % 4);
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
            return false;
        bytes = buffer[..written];
        // Only the canonical encoding counts: Convert skips whitespace and ignores stray padding bits.
        return ToUnpaddedBase64(bytes) == text;
    }
}
