using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Web.Tests.Security;

/// <summary>Public JWKs written out by hand from generated keys, as a client would publish them (RFC 7518 §6.2, §6.3).</summary>
internal static class TestJwks
{
    public static Dictionary<string, string> Rsa(RSA rsa, string kid)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new() { ["kty"] = "RSA", ["kid"] = kid, ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent) };
    }

    public static Dictionary<string, string> Ec(ECDsa ec, string kid, string curve = "P-384")
    {
        var parameters = ec.ExportParameters(includePrivateParameters: false);
        return new() { ["kty"] = "EC", ["kid"] = kid, ["crv"] = curve, ["x"] = Base64UrlEncoder.Encode(parameters.Q.X), ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y) };
    }

    public static string Set(params Dictionary<string, string>[] keys) => JsonSerializer.Serialize(new { keys });
}
