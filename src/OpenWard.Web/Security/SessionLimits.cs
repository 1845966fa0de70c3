using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Security;

/// <summary>
/// Ends a session that was signed out (its server-side row is gone, on whichever instance), outlived
/// its maximum length, or whose account was disabled since sign-in or is a demo account outside
/// demo mode. Checked on every request, not cached, so sign-out holds at once everywhere. The idle
/// limit is the cookie's sliding expiry.
/// </summary>
public static class SessionLimits
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context, TimeSpan maxLength)
    {
        var services = context.HttpContext.RequestServices;
        var cancellationToken = context.HttpContext.RequestAborted;
        var started = context.Principal?.FindFirst(StaffSignIn.SessionIssuedClaim)?.Value;
        var userName = context.Principal?.FindFirst(TokenClaims.Subject)?.Value;
        var sessionId = context.Principal?.FindFirst(StaffSignIn.SessionIdClaim)?.Value;
        var tooOld = !long.TryParse(started, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || DateTimeOffset.FromUnixTimeSeconds(seconds) + maxLength < services.GetRequiredService<TimeProvider>().GetUtcNow();
        var account = userName is null ? null : await services.GetRequiredService<AccessFactory>().ActiveAccountAsync(userName, cancellationToken);
        var usable = account is not null && (!account.Demo || services.GetRequiredService<OpenWardOptions>().DemoData);
        var current = sessionId is not null && userName is not null
            && await services.GetRequiredService<StaffSessions>().IsActiveAsync(sessionId, userName, cancellationToken);
        if (tooOld || !usable || !current)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
