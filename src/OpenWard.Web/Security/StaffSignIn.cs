using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security.Passwords;

namespace OpenWard.Web.Security;

public enum SignInOutcome
{
    SignedIn,

    /// <summary>
    /// Unknown user, wrong password, disabled or demo account, or attempts paused after repeated
    /// failures: deliberately not told apart.
    /// </summary>
    Refused,
}

/// <summary>
/// Local staff accounts: checks a password against its Argon2id hash, starts a server-side session,
/// and audits every attempt. Wrong passwords are throttled per (account, client address): after
/// <see cref="FreeAttempts"/> of them, attempts from that address on that account pause for a delay
/// that doubles with each further failure up to <see cref="LongestPause"/>, while the clinician can
/// still sign in from their own workstation (OWASP Authentication Cheat Sheet: throttling rather
/// than account lock-out, which anyone could use to lock a clinician out). Never logs or stores the
/// password; the same work is done for an unknown user as for a known one, so neither the answer
/// nor its timing reveals which user names exist or are paused.
/// </summary>
public sealed class StaffSignIn(StaffDirectory staff, SignInThrottle throttle, PasswordHasher hasher, OpenWardOptions options, AuditTrail audit, TimeProvider time)
{
    /// <summary>Wrong passwords from one address on one account before its attempts pause.</summary>
    public const int FreeAttempts = 5;

    public static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(15);

    /// <summary>Failures are forgotten after this long without another one.</summary>
    public static readonly TimeSpan ForgetFailuresAfter = TimeSpan.FromHours(1);

    public const string SessionScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    // A valid hash of a random password, checked when the user does not exist so that the answer takes as long.
    private readonly string _decoyHash = hasher.Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    public async Task<SignInOutcome> SignInAsync(HttpContext context, string userName, string password, CancellationToken cancellationToken)
    {
        userName = userName.Trim();
        var now = time.GetUtcNow();
        var address = AccessFactory.Address(context) ?? "unknown";
        var account = userName.Length == 0 ? null : await staff.FindAsync(userName, cancellationToken);
        var who = account?.ToPrincipal() ?? new Principal(PrincipalKind.Staff, userName, userName);
        var paused = await throttle.BlockedUntilAsync(userName, address, cancellationToken) > now;
        // Checked even when paused, so that a paused answer takes as long as any other.
        var check = hasher.Verify(password, account?.PasswordHash ?? _decoyHash);
        if (paused)
        {
            await AuditAsync(context, who, "login-failed", 4, "Attempts from this address are paused after repeated wrong passwords.", cancellationToken);
            return SignInOutcome.Refused;
        }

        if (account is null || account.Disabled || account.PasswordHash is null || check == PasswordCheck.Invalid || (account.Demo && !options.DemoData))
        {
            var failures = await throttle.RecordFailureAsync(userName, address, now, now - ForgetFailuresAfter, cancellationToken);
            if (failures >= FreeAttempts)
            {
                await throttle.BlockAsync(userName, address, now + Pause(failures), cancellationToken);
            }

            var reason = account is { Demo: true } && !options.DemoData && check != PasswordCheck.Invalid
                ? "A demo account, refused because the server is not in demo mode."
                : "Unknown user, wrong password or disabled account.";
            await AuditAsync(context, who, "login-failed", 4, reason, cancellationToken);
            return SignInOutcome.Refused;
        }

        if (check == PasswordCheck.ValidNeedsRehash)
        {
            account = account with { PasswordHash = hasher.Hash(password) };
            await staff.SaveAsync(account, cancellationToken);
        }

        await throttle.ClearAsync(account.UserName, address, cancellationToken);
        await StartSessionAsync(context, account);
        await AuditAsync(context, account.ToPrincipal(), "login", 0, null, cancellationToken);
        return SignInOutcome.SignedIn;
    }

    /// <summary>How long attempts pause after the given number of failures: doubling from <see cref="FirstPause"/>, at most <see cref="LongestPause"/>.</summary>
    public static TimeSpan Pause(int failures)
    {
        var doublings = Math.Clamp(failures - FreeAttempts, 0, 10);
        var pause = FirstPause * (1 << doublings);
        return pause < LongestPause ? pause : LongestPause;
    }

    /// <summary>
    /// Starts a server-side session for an account (after a password check, or after the trust's
    /// identity provider vouched for it); the cookie carries the session's id.
    /// </summary>
    public static async Task StartSessionAsync(HttpContext context, StaffAccount account)
    {
        var services = context.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var sessionId = await services.GetRequiredService<StaffSessions>().StartAsync(
            account.UserName, now, TimeSpan.FromHours(services.GetRequiredService<OpenWardOptions>().Auth.SessionMaxHours), context.RequestAborted);
        var identity = new ClaimsIdentity(
            [
                new Claim(TokenClaims.Subject, account.UserName),
                new Claim(TokenClaims.Kind, TokenClaims.StaffKind),
                new Claim("name", account.DisplayName),
                new Claim("role", account.Role.ToString()),
                new Claim(SessionIssuedClaim, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(SessionIdClaim, sessionId),
            ],
            SessionScheme,
            "name",
            "role");
        await context.SignInAsync(SessionScheme, new ClaimsPrincipal(identity));
    }

    public async Task SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var userName = context.User.FindFirst(TokenClaims.Subject)?.Value;
        if (context.User.FindFirst(SessionIdClaim)?.Value is { } sessionId)
        {
            await context.RequestServices.GetRequiredService<StaffSessions>().EndAsync(sessionId, cancellationToken);
        }

        await context.SignOutAsync(SessionScheme);
        if (userName is not null)
        {
            await AuditAsync(context, new Principal(PrincipalKind.Staff, userName, context.User.FindFirst("name")?.Value ?? userName), "logout", 0, null, cancellationToken);
        }
    }

    /// <summary>When the session began: sessions end after <c>OpenWard:Auth:SessionMaxHours</c> however active they are.</summary>
    public const string SessionIssuedClaim = "openward_session_started";

    /// <summary>The server-side session's id (<see cref="StaffSessions"/>): the session ends everywhere when its row goes.</summary>
    public const string SessionIdClaim = "openward_session";

    private Task AuditAsync(HttpContext context, Principal who, string interaction, int outcome, string? description, CancellationToken cancellationToken) =>
        audit.RecordAsync(
            new AuditRecord(time.GetUtcNow(), who, interaction, AuditAction.Execute, outcome)
            {
                Address = AccessFactory.Address(context),
                OutcomeDescription = description,
            },
            cancellationToken);
}
