using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Security;

/// <summary>
/// Per-address limits on the endpoints that take credentials (sign-in, token, authorize), so that
/// passwords and client secrets cannot be guessed quickly. Over the limit: 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Token = "token";

    public static void Configure(RateLimiterOptions limiter, AuthOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.AddPolicy(SignIn, context => PerAddress(context, options.SignInAttemptsPerMinute));
        limiter.AddPolicy(Token, context => PerAddress(context, options.TokenRequestsPerMinute));
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var response = rejected.HttpContext.Response;
            response.Headers.RetryAfter = "60";
            var path = rejected.HttpContext.Request.Path;
            if (path.StartsWithSegments("/auth"))
            {
                // RFC 6749 §5.2 error shape, so OAuth clients show something sensible.
                await response.WriteAsJsonAsync(new { error = "invalid_request", error_description = "Too many requests from this address; wait a minute and try again." }, cancellationToken);
            }
            else
            {
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync("Too many sign-in attempts from this address. Wait a minute, then try again.", cancellationToken);
            }
        };
    }

    // Only attempts count: showing the sign-in form is free.
    private static RateLimitPartition<string> PerAddress(HttpContext context, int perMinute) =>
        HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments("/signin")
            ? RateLimitPartition.GetNoLimiter("form")
            : RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
