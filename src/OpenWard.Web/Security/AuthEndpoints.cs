using System.Text;
using OpenWard.Web.Security.Oidc;
using OpenWard.Web.Security.Smart;

namespace OpenWard.Web.Security;

/// <summary>
/// The token endpoint: client credentials (RFC 6749 §4.4) with three ways for a client to
/// authenticate: client_secret_basic, client_secret_post, and private_key_jwt
/// (https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html); and the
/// authorization code grant for user-facing apps (<see cref="AuthorizationCodeGrant"/>). Also SMART
/// discovery (https://hl7.org/fhir/smart-app-launch/conformance.html), OpenID Connect discovery
/// (OpenID Connect Discovery 1.0 §4) and the id_token signing keys.
/// </summary>
public static class AuthEndpoints
{
    public const string TokenPath = "/auth/token";
    public const string AuthorizePath = "/auth/authorize";
    public const string JwksPath = "/auth/jwks";

    /// <summary>Resource scopes a user-facing app may be granted, as discovery lists them.</summary>
    private static readonly string[] UserScopesSupported =
        ["openid", "fhirUser", "profile", "launch/patient", "user/*.cruds", "user/*.rs", "user/*.read", "patient/*.cruds", "patient/*.rs", "patient/*.read"];

    public static void Map(WebApplication app)
    {
        app.MapPost(TokenPath, async (HttpContext context, TokenService tokens, ClientAssertionValidator assertions, AuthorizationCodeGrant codeGrant) =>
        {
            if (!context.Request.HasFormContentType)
            {
                return OAuthError("invalid_request", "Send the token request as application/x-www-form-urlencoded.");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var (clientId, clientSecret) = ReadClient(context.Request, form);
            if (form["grant_type"] == "authorization_code")
            {
                return await codeGrant.ExchangeAsync(context, form, clientId, clientSecret);
            }

            if (form["grant_type"] != "client_credentials")
            {
                return OAuthError("unsupported_grant_type", "Supported: grant_type=client_credentials and grant_type=authorization_code.");
            }
            var assertionType = form["client_assertion_type"].FirstOrDefault();
            var assertion = form["client_assertion"].FirstOrDefault();
            RegisteredClient? client;
            if (assertionType is null && assertion is null)
            {
                client = tokens.AuthenticateWithSecret(clientId, clientSecret);
                if (client is null)
                {
                    return InvalidClient("Unknown client or wrong secret.");
                }
            }
            else
            {
                // RFC 6749 §2.3: a request uses one way of authenticating the client, never two.
                if (clientSecret is not null)
                {
                    return OAuthError("invalid_request", "Authenticate with a client secret or with a client_assertion, not both.");
                }

                if (assertionType != ClientAssertionValidator.AssertionType || string.IsNullOrEmpty(assertion))
                {
                    return OAuthError("invalid_request", $"An assertion needs client_assertion_type={ClientAssertionValidator.AssertionType} and a client_assertion JWT.");
                }

                (client, var description) = await assertions.AuthenticateAsync(assertion, TokenEndpoint(context.Request), clientId, context.RequestAborted);
                if (client is null)
                {
                    return InvalidClient(description!);
                }
            }

            var (token, scope, error, errorDescription) = tokens.Issue(client, form["scope"].FirstOrDefault());
            if (token is null)
            {
                return OAuthError(error!, errorDescription!);
            }

            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new
            {
                access_token = token,
                token_type = "Bearer",
                expires_in = (int)TokenService.Lifetime.TotalSeconds,
                scope,
            });
        }).DisableAntiforgery().RequireRateLimiting(RateLimits.Token);

        // SMART App Launch 2.0 discovery (https://hl7.org/fhir/smart-app-launch/conformance.html#metadata).
        app.MapGet("/fhir/.well-known/smart-configuration", (HttpContext context) => Results.Json(new
        {
            issuer = BaseUrl(context.Request),
            jwks_uri = BaseUrl(context.Request) + JwksPath,
            authorization_endpoint = BaseUrl(context.Request) + AuthorizePath,
            token_endpoint = TokenEndpoint(context.Request),
            grant_types_supported = new[] { "authorization_code", "client_credentials" },
            token_endpoint_auth_methods_supported = new[] { "client_secret_basic", "client_secret_post", "private_key_jwt" },
            token_endpoint_auth_signing_alg_values_supported = ClientAssertionValidator.Algorithms,
            scopes_supported = UserScopesSupported.Concat(["system/*.cruds", "system/*.rs", "system/*.read", "system/*.write"]).ToArray(),
            response_types_supported = new[] { "code" },
            code_challenge_methods_supported = new[] { "S256" },
            capabilities = new[]
            {
                "launch-standalone", "client-public", "client-confidential-symmetric", "client-confidential-asymmetric",
                "context-standalone-patient", "sso-openid-connect", "permission-v1", "permission-v2", "permission-patient", "permission-user",
            },
        }));

        app.MapGet("/.well-known/openid-configuration", (HttpContext context) => Results.Json(new
        {
            issuer = BaseUrl(context.Request),
            authorization_endpoint = BaseUrl(context.Request) + AuthorizePath,
            token_endpoint = TokenEndpoint(context.Request),
            jwks_uri = BaseUrl(context.Request) + JwksPath,
            response_types_supported = new[] { "code" },
            response_modes_supported = new[] { "query" },
            grant_types_supported = new[] { "authorization_code" },
            subject_types_supported = new[] { "public" },
            id_token_signing_alg_values_supported = new[] { "RS256" },
            scopes_supported = UserScopesSupported,
            claims_supported = new[] { "iss", "sub", "aud", "exp", "iat", "nonce", "name", "preferred_username", "fhirUser" },
            token_endpoint_auth_methods_supported = new[] { "client_secret_basic", "client_secret_post", "none" },
            code_challenge_methods_supported = new[] { "S256" },
        }));

        app.MapGet(JwksPath, (IdTokenKey key) => Results.Json(key.Jwks()));
    }

    /// <summary>
    /// This server's base URL as the client reached it: the OpenID Connect issuer, and the root of
    /// every advertised endpoint. Behind a reverse proxy, forward the original scheme and host.
    /// </summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The FHIR endpoint's absolute URL: what a SMART app's <c>aud</c> must name.</summary>
    public static string FhirBaseUrl(HttpRequest request) => BaseUrl(request) + "/fhir";

    /// <summary>
    /// The token endpoint's URL as the client reached it: what discovery advertises and what an
    /// assertion's aud must name. Behind a reverse proxy, forward the original scheme and host.
    /// </summary>
    public static string TokenEndpoint(HttpRequest request) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{TokenPath}";

    /// <summary>RFC 6749 §5.2: the client could not be authenticated.</summary>
    public static IResult InvalidClient(string description) =>
        Results.Json(new { error = "invalid_client", error_description = description }, statusCode: 401);

    public static IResult OAuthError(string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: 400);

    private static (string? Id, string? Secret) ReadClient(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }

        return (form["client_id"].FirstOrDefault(), form["client_secret"].FirstOrDefault());
    }
}
