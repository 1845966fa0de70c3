using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Web.Security;

/// <summary>
/// A client allowed to use the client-credentials grant, with the scopes it may be given. It
/// authenticates with a shared secret, with a JWT signed by a key in its public JWK Set
/// (<see cref="ClientAssertionValidator"/>), or either when it has both.
/// </summary>
public sealed record RegisteredClient(string ClientId, string? ClientSecret, string AllowedScopes, JsonWebKeySet? Jwks = null);

/// <summary>
/// The OAuth 2.0 token endpoint's core (RFC 6749 §4.4, client credentials; SMART Backend
/// Services style): checks a client's secret, narrows the requested scopes to what an
/// authenticated client may have, and issues a signed JWT access token.
/// </summary>
public sealed class TokenService(SigningKey signingKey, IReadOnlyList<RegisteredClient> clients, TimeProvider time)
{
    public const string Issuer = "openward";
    public const string Audience = "openward-fhir";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>The client with this id and secret (client_secret_basic or client_secret_post), or null.</summary>
    public RegisteredClient? AuthenticateWithSecret(string? clientId, string? clientSecret)
    {
        var client = clients.FirstOrDefault(c => c.ClientId == clientId);
        return client?.ClientSecret is not null && clientSecret is not null && FixedTimeEquals(client.ClientSecret, clientSecret) ? client : null;
    }

    /// <summary>A token for an authenticated client with the granted scope string, or null with an OAuth error code.</summary>
    public (string? Token, string? GrantedScope, string? Error, string? Description) Issue(RegisteredClient client, string? requestedScope)
    {
        var allowed = client.AllowedScopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var requested = (requestedScope ?? client.AllowedScopes).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var granted = requested.Where(s => allowed.Contains(s) || allowed.Contains("system/*.cruds") && SmartScopes.TryParse(s, out var context, out _, out _) && context == SmartScopes.System).Distinct().ToList();
        if (granted.Count == 0)
        {
            return (null, null, "invalid_scope", $"None of the requested scopes may be granted to {client.ClientId}.");
        }

        var scope = string.Join(' ', granted);
        var now = time.GetUtcNow().UtcDateTime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Subject = new ClaimsIdentity([new Claim(TokenClaims.Subject, client.ClientId), new Claim(TokenClaims.ClientId, client.ClientId), new Claim(TokenClaims.Scope, scope), new Claim(TokenClaims.Kind, TokenClaims.SystemKind)]),
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, scope, null, null);
    }

    /// <summary>
    /// An access token for a member of staff using an app they approved (authorization code grant):
    /// the scopes granted at consent and, for a patient launch, the chosen patient. Any patient/ scope
    /// confines the whole token to that patient (<see cref="TokenClaims.Confined"/>).
    /// </summary>
    public string IssueForStaff(string userName, string clientId, string scope, string? patient)
    {
        var confined = new SmartScopes(scope, SmartScopes.User, SmartScopes.Patient).HasPatientContext;
        if (confined && patient is null)
        {
            throw new InvalidOperationException("A token with patient/ scopes needs the patient it is confined to.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim>
        {
            new(TokenClaims.Subject, userName),
            new(TokenClaims.ClientId, clientId),
            new(TokenClaims.Scope, scope),
            new(TokenClaims.Kind, TokenClaims.StaffKind),
        };
        if (patient is not null)
        {
            claims.Add(new Claim(TokenClaims.Patient, patient));
        }

        if (confined)
        {
            claims.Add(new Claim(TokenClaims.Confined, "true"));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        });
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(actual)));
}

/// <summary>
/// The key that signs access tokens. Every instance behind a load balancer must share it, so it
/// comes from configuration (<c>OpenWard:Auth:SigningKey</c>, base64, ≥ 32 bytes); a standalone
/// install without one keeps a generated key in its data folder.
/// </summary>
public sealed class SigningKey(byte[] bytes)
{
    public SymmetricSecurityKey Key { get; } = new(bytes) { KeyId = "openward-1" };

    public static SigningKey Load(string? configured, string dataDirectory) =>
        new(ConfiguredKey.Load(configured, "OpenWard:Auth:SigningKey", dataDirectory, "token-signing.key", generate: true)!);
}
