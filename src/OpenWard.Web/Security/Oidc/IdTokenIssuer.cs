using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Storage.Security;

namespace OpenWard.Web.Security.Oidc;

/// <summary>Issues OpenID Connect id_tokens (OpenID Connect Core 1.0 §2) for staff who approved an app.</summary>
public sealed class IdTokenIssuer(IdTokenKey key, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <param name="issuer">This server's base URL, as its discovery document names it.</param>
    /// <param name="fhirUser">The absolute URL of the user's Practitioner resource, if they have one (SMART fhirUser claim).</param>
    /// <param name="accessToken">The access token issued with it, for at_hash (§3.1.3.6).</param>
    public string Issue(string issuer, string clientId, StaffAccount account, string? nonce, string? fhirUser, string accessToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = account.UserName,
            ["name"] = account.DisplayName,
            ["preferred_username"] = account.UserName,
            ["at_hash"] = AtHash(accessToken),
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        if (fhirUser is not null)
        {
            claims["fhirUser"] = fhirUser;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = clientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The left half of the SHA-256 of the access token, base64url (OpenID Connect Core §3.1.3.6).</summary>
    private static string AtHash(string accessToken) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]);
}
