using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Web.Security;

/// <summary>
/// Reads a client's JWK Set (RFC 7517 §5) for asymmetric client authentication. Only public
/// keys that can verify the algorithms SMART requires are accepted
/// (https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html: RS384 and ES384):
/// RSA of at least 2048 bits and EC on P-384. A private or symmetric key is refused, because a
/// JWKS given to a server is published material, and a symmetric key would let anyone who reads
/// it sign as the client.
/// </summary>
public static class ClientJwks
{
    private const int MinimumRsaBits = 2048;

    /// <summary>Parses and checks a JWK Set; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidOperationException">The JSON is not a JWK Set of acceptable public keys.</exception>
    public static JsonWebKeySet Parse(string json, string source)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            throw new InvalidOperationException($"{source} is not a JWK Set: expected JSON like {{\"keys\":[{{\"kty\":\"RSA\",\"kid\":\"...\",\"n\":\"...\",\"e\":\"AQAB\"}}]}}.", e);
        }

        if (set.Keys.Count == 0)
        {
            throw new InvalidOperationException($"{source} holds no keys.");
        }

        foreach (var key in set.Keys)
        {
            var problem = Problem(key);
            if (problem is not null)
            {
                var name = string.IsNullOrEmpty(key.Kid) ? "a key without kid" : $"the key with kid '{key.Kid}'";
                throw new InvalidOperationException($"{source}: {name} {problem}");
            }
        }

        return set;
    }

    /// <summary>Reads and checks a JWK Set from a file.</summary>
    public static JsonWebKeySet Load(string path, string source) =>
        File.Exists(path)
            ? Parse(File.ReadAllText(path), $"{source} ({path})")
            : throw new InvalidOperationException($"{source}: no file at {path}.");

    private static string? Problem(JsonWebKey key)
    {
        if (!string.IsNullOrEmpty(key.Use) && key.Use != JsonWebKeyUseNames.Sig)
        {
            return $"has use '{key.Use}'; a client's keys sign (use 'sig' or leave it out).";
        }

        if (key.HasPrivateKey || !string.IsNullOrEmpty(key.D))
        {
            return "is a private key: register only the public half (remove 'd' and the other private members).";
        }

        return key.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.RSA when string.IsNullOrEmpty(key.N) || string.IsNullOrEmpty(key.E) =>
                "lacks 'n' or 'e'.",
            JsonWebAlgorithmsKeyTypes.RSA when BitLength(key.N) < MinimumRsaBits =>
                $"is not an RSA key of at least {MinimumRsaBits} bits ('n' is shorter, or not base64url).",
            JsonWebAlgorithmsKeyTypes.RSA => AlgorithmProblem(key, SecurityAlgorithms.RsaSha384),
            JsonWebAlgorithmsKeyTypes.EllipticCurve when key.Crv != JsonWebKeyECTypes.P384 =>
                $"is on curve '{key.Crv}'; ES384 needs P-384.",
            JsonWebAlgorithmsKeyTypes.EllipticCurve when string.IsNullOrEmpty(key.X) || string.IsNullOrEmpty(key.Y) =>
                "lacks 'x' or 'y'.",
            JsonWebAlgorithmsKeyTypes.EllipticCurve => AlgorithmProblem(key, SecurityAlgorithms.EcdsaSha384),
            _ => $"has kty '{key.Kty}'; only RSA (RS384) and EC P-384 (ES384) public keys are accepted.",
        };
    }

    private static int BitLength(string base64Url)
    {
        try
        {
            return Base64UrlEncoder.DecodeBytes(base64Url).Length * 8;
        }
        catch (FormatException)
        {
            return 0;
        }
    }

    private static string? AlgorithmProblem(JsonWebKey key, string algorithm) =>
        string.IsNullOrEmpty(key.Alg) || key.Alg == algorithm ? null : $"has alg '{key.Alg}'; this server accepts {algorithm} for a {key.Kty} key.";
}
