using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Access tokens for a member of staff, exactly as the SMART authorization-code flow issues them
/// (same issuer, audience, key and claims), minted directly so that policy tests need no sign-in dance.
/// </summary>
public static class StaffTokens
{
    public static string Mint(ServerFixture server, string userName, string scope = "user/*.cruds", string? patient = null)
    {
        var claims = new List<Claim>
        {
            new(TokenClaims.Subject, userName),
            new(TokenClaims.Kind, TokenClaims.StaffKind),
            new(TokenClaims.ClientId, "policy-tests"),
            new(TokenClaims.Scope, scope),
        };
        if (patient is not null)
        {
            claims.Add(new Claim(TokenClaims.Patient, patient));
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenService.Issuer,
            Audience = TokenService.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(server.Services.GetRequiredService<SigningKey>().Key, SecurityAlgorithms.HmacSha256),
        });
    }

    public static HttpClient Client(ServerFixture server, string userName, string scope = "user/*.cruds", string? patient = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.FhirUrl + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Mint(server, userName, scope, patient));
        return client;
    }
}
