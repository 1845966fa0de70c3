using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OpenWard.Web.Security;

/// <summary>
/// Ends a session that outlived its maximum length or whose account was disabled since sign-in.
/// The idle limit is the cookie's sliding expiry.
/// </summary>
public static class SessionLimits
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context, TimeSpan maxLength)
    {
        var started = context.Principal?.FindFirst(StaffSignIn.SessionIssuedClaim)?.Value;
        var userName = context.Principal?.FindFirst(TokenClaims.Subject)?.Value;
        var tooOld = !long.TryParse(started, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || DateTimeOffset.FromUnixTimeSeconds(seconds) + maxLength < context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var active = userName is not null
            && await context.HttpContext.RequestServices.GetRequiredService<AccessFactory>().ActiveAccountAsync(userName, context.HttpContext.RequestAborted) is not null;
        if (tooOld || !active)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
