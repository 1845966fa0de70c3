using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Web.Security;

/// <summary>
/// Asymmetric client authentication (<c>private_key_jwt</c>) for SMART Backend Services:
/// https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html (SMART's profile of
/// RFC 7523 §2.2 and §3), as the Bulk Data access guide requires
/// (https://hl7.org/fhir/uv/bulkdata/authorization/index.html). The client signs a short-lived
/// JWT with its private key; the server checks it against the public keys registered for the
/// client. Signature checks are Microsoft.IdentityModel's; this class decides which keys and
/// claims are acceptable and explains a refusal in words a developer can act on. A description
/// never contains the assertion itself.
/// </summary>
public sealed class ClientAssertionValidator(IReadOnlyList<RegisteredClient> clients, IAssertionReplayCache replays, TimeProvider time)
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>The signing algorithms SMART requires servers to support; no others are accepted.</summary>
    public static readonly IReadOnlyList<string> Algorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384];

    /// <summary>SMART: exp "SHALL be no more than five minutes in the future".</summary>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Tolerance for the client's clock, on every time check.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>
    /// The client the assertion authenticates, or null with the reason. <paramref name="tokenEndpoint"/>
    /// is the token endpoint's URL as this server is reached, which <c>aud</c> must name;
    /// <paramref name="statedClientId"/> is the request's optional <c>client_id</c>, which must then be
    /// the assertion's client (RFC 7521 §4.2).
    /// </summary>
    public async Task<(RegisteredClient? Client, string? Description)> AuthenticateAsync(
        string assertion, string tokenEndpoint, string? statedClientId, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(assertion))
        {
            return Refuse("client_assertion is not a well-formed JWT: expected compact serialization, header.payload.signature.");
        }

        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(assertion);
        }
        catch (ArgumentException)
        {
            return Refuse("client_assertion is not a well-formed JWT: its header or payload is not base64url-encoded JSON.");
        }

        // Decided from the header before any key is used, so that "none" and HMAC algorithms
        // (an HMAC keyed with a public key is forgeable by anyone) never reach verification.
        if (!Algorithms.Contains(unverified.Alg))
        {
            return Refuse($"The assertion's alg is '{Shorten(unverified.Alg)}'; this server accepts {string.Join(" or ", Algorithms)}.");
        }

        var client = clients.FirstOrDefault(c => c.Jwks is not null && c.ClientId == unverified.Issuer);
        if (client is null)
        {
            return Refuse("The assertion's iss is not a client registered with a JWK Set; iss and sub must both be your client_id.");
        }

        var keys = client.Jwks!.Keys.Where(k => Fits(k, unverified.Alg)).ToList();
        if (!string.IsNullOrEmpty(unverified.Kid))
        {
            keys = keys.Where(k => k.Kid == unverified.Kid).ToList();
            if (keys.Count == 0)
            {
                return Refuse($"The client's JWK Set has no {unverified.Alg} key with kid '{Shorten(unverified.Kid)}'.");
            }
        }
        else if (keys.Count == 0)
        {
            return Refuse($"The client's JWK Set has no key for {unverified.Alg}.");
        }

        var result = await _handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = client.ClientId,
            ValidAudience = tokenEndpoint,
            IssuerSigningKeys = keys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireAudience = true,
            // Checked below against the injected clock, which IdentityModel does not take.
            ValidateLifetime = false,
        });
        if (!result.IsValid)
        {
            return Refuse(Explain(result.Exception, tokenEndpoint));
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (token.Subject != client.ClientId)
        {
            return Refuse("The assertion's sub must equal its iss, the client_id.");
        }

        if (statedClientId is not null && statedClientId != client.ClientId)
        {
            return Refuse("The request's client_id is not the assertion's iss.");
        }

        if (!token.TryGetClaim(JwtRegisteredClaimNames.Exp, out _))
        {
            return Refuse("The assertion has no exp; SMART requires one at most five minutes in the future.");
        }

        var now = time.GetUtcNow();
        var expires = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);

        if (expires + ClockSkew <= now)
        {
            return Refuse("The assertion has expired (exp is in the past); sign a new one for each token request.");
        }

        if (expires > now + MaximumLifetime + ClockSkew)
        {
            return Refuse("The assertion's exp is more than five minutes in the future; SMART allows at most five.");
        }

        if (token.TryGetClaim(JwtRegisteredClaimNames.Nbf, out _) && new DateTimeOffset(token.ValidFrom, TimeSpan.Zero) > now + ClockSkew)
        {
            return Refuse("The assertion is not valid yet (nbf is in the future); check the client's clock.");
        }

        if (string.IsNullOrEmpty(token.Id))
        {
            return Refuse("The assertion has no jti; give each assertion a new unique id.");
        }

        if (!await replays.TryRecordAsync(client.ClientId, token.Id, expires + ClockSkew, cancellationToken))
        {
            return Refuse("This assertion's jti has been used before; an assertion is good for one token request, so sign a new one with a new jti.");
        }

        return (client, null);
    }

    private static (RegisteredClient?, string?) Refuse(string description) => (null, description);

    /// <summary>A key may verify the algorithm: the right type, and no other alg stated on it.</summary>
    private static bool Fits(JsonWebKey key, string algorithm) =>
        (string.IsNullOrEmpty(key.Alg) || key.Alg == algorithm)
        && key.Kty == (algorithm == SecurityAlgorithms.RsaSha384 ? JsonWebAlgorithmsKeyTypes.RSA : JsonWebAlgorithmsKeyTypes.EllipticCurve);

    /// <summary>IdentityModel's own messages hide details (PII logging is off); say what to fix instead.</summary>
    private static string Explain(Exception exception, string tokenEndpoint) => exception switch
    {
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The assertion's signature does not verify with the client's registered public key(s): sign with the private key whose public half is in the JWK Set, and name it in kid.",
        SecurityTokenInvalidAudienceException =>
            $"The assertion's aud must be this token endpoint's URL, {tokenEndpoint}.",
        SecurityTokenInvalidIssuerException =>
            "The assertion's iss must be the client_id.",
        SecurityTokenInvalidAlgorithmException =>
            $"The assertion must be signed with {string.Join(" or ", Algorithms)}.",
        SecurityTokenMalformedException =>
            "client_assertion is not a well-formed JWT.",
        _ => "The assertion could not be validated.",
    };

    /// <summary>Header values are echoed for the developer, but never at length.</summary>
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
