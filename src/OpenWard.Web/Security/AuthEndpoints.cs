using System.Text;

namespace OpenWard.Web.Security;

/// <summary>
/// The token endpoint (RFC 6749 §4.4 client credentials; client_secret_basic or client_secret_post)
/// and SMART discovery (https://hl7.org/fhir/smart-app-launch/conformance.html).
/// </summary>
public static class AuthEndpoints
{
    public const string TokenPath = "/auth/token";

    public static void Map(WebApplication app)
    {
        app.MapPost(TokenPath, async (HttpContext context, TokenService tokens) =>
        {
            if (!context.Request.HasFormContentType)
            {
                return OAuthError("invalid_request", "Send the token request as application/x-www-form-urlencoded.");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (form["grant_type"] != "client_credentials")
            {
                return OAuthError("unsupported_grant_type", "Only grant_type=client_credentials is supported.");
            }

            var (clientId, clientSecret) = ReadClient(context.Request, form);
            var (token, scope, error, description) = tokens.Issue(clientId, clientSecret, form["scope"].FirstOrDefault());
            if (token is null)
            {
                return error == "invalid_client"
                    ? Results.Json(new { error, error_description = description }, statusCode: 401)
                    : OAuthError(error!, description!);
            }

            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new
            {
                access_token = token,
                token_type = "Bearer",
                expires_in = (int)TokenService.Lifetime.TotalSeconds,
                scope,
            });
        }).DisableAntiforgery();

        app.MapGet("/fhir/.well-known/smart-configuration", (HttpContext context) =>
        {
            var origin = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
            return Results.Json(new
            {
                issuer = TokenService.Issuer,
                token_endpoint = origin + TokenPath,
                grant_types_supported = new[] { "client_credentials" },
                token_endpoint_auth_methods_supported = new[] { "client_secret_basic", "client_secret_post" },
                scopes_supported = new[] { "system/*.cruds", "system/*.rs", "system/*.read", "system/*.write" },
                capabilities = new[] { "client-confidential-symmetric", "permission-v1", "permission-v2" },
            });
        });
    }

    private static IResult OAuthError(string error, string description) =>
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
