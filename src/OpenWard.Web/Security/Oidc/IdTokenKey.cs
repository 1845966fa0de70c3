using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Web.Security.Oidc;

/// <summary>
/// The RSA key that signs id_tokens (RS256, OpenID Connect Core §10.1), published at
/// <c>/auth/jwks</c> so that apps can check them without sharing a secret with OpenWard. Every
/// instance must share it (<c>OpenWard:Auth:IdTokenKeyFile</c>, a PEM private key); a standalone
/// install without one keeps a generated key in its data folder.
/// </summary>
public sealed class IdTokenKey
{
    private readonly RSA _rsa;

    private IdTokenKey(RSA rsa)
    {
        _rsa = rsa;
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        // The key id is the RFC 7638 thumbprint, so it changes exactly when the key does.
        Key = new RsaSecurityKey(rsa) { KeyId = Base64UrlEncoder.Encode(new JsonWebKey { Kty = "RSA", N = Base64UrlEncoder.Encode(parameters.Modulus), E = Base64UrlEncoder.Encode(parameters.Exponent) }.ComputeJwkThumbprint()) };
    }

    public RsaSecurityKey Key { get; }

    /// <summary>The public half as a JWK Set.</summary>
    public object Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = Key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        };
    }

    /// <exception cref="InvalidOperationException">The configured file is missing or not an RSA private key of at least 2048 bits.</exception>
    public static IdTokenKey Load(string? configuredFile, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredFile))
        {
            if (!File.Exists(configuredFile))
            {
                throw new InvalidOperationException($"OpenWard:Auth:IdTokenKeyFile {configuredFile} does not exist.");
            }

            return FromPem(File.ReadAllText(configuredFile), "OpenWard:Auth:IdTokenKeyFile");
        }

        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "id-token-signing.pem");
        if (File.Exists(path))
        {
            return FromPem(File.ReadAllText(path), path);
        }

        var rsa = RSA.Create(2048);
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new IdTokenKey(rsa);
    }

    private static IdTokenKey FromPem(string pem, string source)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            _ = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"{source} must hold an RSA private key in PEM.", e);
        }

        if (rsa.KeySize < 2048)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"{source}: the RSA key must be at least 2048 bits.");
        }

        return new IdTokenKey(rsa);
    }
}
