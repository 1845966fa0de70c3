using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Storage.Security;
using OpenWard.Web.Security.Oidc;

namespace OpenWard.Web.Security.Smart;

/// <summary>
/// The token endpoint's authorization_code grant (RFC 6749 §4.1.3, PKCE RFC 7636 §4.6, SMART App
/// Launch https://hl7.org/fhir/smart-app-launch/app-launch.html#obtain-access-token): redeems a
/// code once, checks that the same app with the same redirect URI and the PKCE verifier asks, and
/// issues the access token, with an id_token when openid was granted.
/// </summary>
public sealed partial class AuthorizationCodeGrant(SmartApps apps, AuthorizationCodes codes, TokenService tokens, IdTokenIssuer idTokens, AccessFactory access, TimeProvider time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Stores the approved request and returns the code for the redirect.</summary>
    public Task<string> IssueCodeAsync(AuthorizeRequest request, string userName, string? patientId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return codes.IssueAsync(
            new AuthorizationGrant(request.App.ClientId, request.RedirectUri, userName, request.GrantedScope, patientId, request.CodeChallenge, request.Nonce, now + CodeLifetime),
            now,
            cancellationToken);
    }

    public async Task<IResult> ExchangeAsync(HttpContext context, IFormCollection form, string? clientId, string? clientSecret)
    {
        var app = apps.Authenticate(clientId, clientSecret);
        if (app is null)
        {
            return AuthEndpoints.InvalidClient("Unknown app, or a confidential app without its secret.");
        }

        var code = form["code"].FirstOrDefault();
        var redirectUri = form["redirect_uri"].FirstOrDefault();
        var verifier = form["code_verifier"].FirstOrDefault();
        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(redirectUri) || string.IsNullOrEmpty(verifier))
        {
            return AuthEndpoints.OAuthError("invalid_request", "The authorization_code grant needs code, redirect_uri and code_verifier.");
        }

        // Redeemed before any other check: a code meets at most one attempt, right or wrong.
        var grant = await codes.RedeemAsync(code, time.GetUtcNow(), context.RequestAborted);
        if (grant is null)
        {
            return AuthEndpoints.OAuthError("invalid_grant", "The code is unknown, expired or already used.");
        }

        if (grant.ClientId != app.ClientId || grant.RedirectUri != redirectUri)
        {
            return AuthEndpoints.OAuthError("invalid_grant", "The code was issued to another app or for another redirect_uri.");
        }

        if (!VerifierMatches(verifier, grant.CodeChallenge))
        {
            return AuthEndpoints.OAuthError("invalid_grant", "The code_verifier does not match the code_challenge.");
        }

        var account = await access.ActiveAccountAsync(grant.UserName, context.RequestAborted);
        if (account is null)
        {
            return AuthEndpoints.OAuthError("invalid_grant", "The user who approved this app is unknown or disabled.");
        }

        var token = tokens.IssueForStaff(account.UserName, app.ClientId, grant.Scope, grant.PatientId);
        var scopes = grant.Scope.Split(' ');
        var baseUrl = AuthEndpoints.BaseUrl(context.Request);
        string? idToken = null;
        if (scopes.Contains(AuthorizeRequest.OpenId))
        {
            var fhirUser = account.PractitionerId is null ? null : $"{baseUrl}/fhir/Practitioner/{account.PractitionerId}";
            idToken = idTokens.Issue(baseUrl, app.ClientId, account, grant.Nonce, fhirUser, token);
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return Results.Json(new TokenResponse(token, "Bearer", (int)TokenService.Lifetime.TotalSeconds, grant.Scope, grant.PatientId, grant.PatientId is null ? null : true, idToken));
    }

    /// <summary>RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge; the verifier is 43-128 unreserved characters.</summary>
    public static bool VerifierMatches(string verifier, string challenge)
    {
        if (!VerifierShape().IsMatch(verifier))
        {
            return false;
        }

        var computed = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    [GeneratedRegex("^[A-Za-z0-9._~-]{43,128}$")]
    private static partial Regex VerifierShape();

    /// <summary>The JSON answer; null members are left out.</summary>
    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("scope")] string Scope,
        [property: JsonPropertyName("patient"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Patient,
        [property: JsonPropertyName("need_patient_banner"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? NeedPatientBanner,
        [property: JsonPropertyName("id_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdToken);
}
