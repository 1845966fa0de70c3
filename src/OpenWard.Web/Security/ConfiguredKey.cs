using System.Security.Cryptography;

namespace OpenWard.Web.Security;

/// <summary>
/// A secret key from configuration (base64, at least 32 bytes), or, for a standalone install
/// without one, a key generated once into the data folder (readable by its owner only).
/// </summary>
public static class ConfiguredKey
{
    /// <summary>The key; null only when none is configured or kept and <paramref name="generate"/> is false.</summary>
    /// <exception cref="InvalidOperationException">The configured key is not base64 or is shorter than 32 bytes.</exception>
    public static byte[]? Load(string? configured, string settingName, string dataDirectory, string fileName, bool generate)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = TryFromBase64(configured);
            return bytes is { Length: >= 32 } ? bytes : throw new InvalidOperationException($"{settingName} must be at least 32 bytes, base64-encoded.");
        }

        var path = Path.Combine(dataDirectory, fileName);
        if (File.Exists(path))
        {
            return TryFromBase64(File.ReadAllText(path).Trim()) ?? throw new InvalidOperationException($"{path} does not hold a base64 key: restore it, or set {settingName}.");
        }

        if (!generate)
        {
            return null;
        }

        Directory.CreateDirectory(dataDirectory);
        var generated = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(generated));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return generated;
    }

    private static byte[]? TryFromBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
