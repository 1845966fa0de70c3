using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Security.Passwords;
using OpenWard.Storage.Security;

namespace OpenWard.Web.Security;

public enum SignInOutcome
{
    SignedIn,

    /// <summary>Unknown user, wrong password or disabled account: deliberately not told apart.</summary>
    Refused,

    /// <summary>Too many wrong passwords: the account is locked for <see cref="StaffSignIn.LockFor"/>.</summary>
    LockedOut,
}

/// <summary>
/// Local staff accounts: checks a password against its Argon2id hash, counts failures and locks
/// the account after <see cref="LockAfter"/> of them, starts the session, and audits every attempt.
/// Never logs or stores the password; the same work is done for an unknown user as for a known one,
/// so timing does not reveal which user names exist.
/// </summary>
public sealed class StaffSignIn(StaffDirectory staff, PasswordHasher hasher, AuditTrail audit, TimeProvider time)
{
    /// <summary>Wrong passwords in a row before the account locks (NCSC: lock-out or throttling after a few failures).</summary>
    public const int LockAfter = 5;

    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    public const string SessionScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    // A valid hash of a random password, checked when the user does not exist so that the answer takes as long.
    private readonly string _decoyHash = hasher.Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    public async Task<SignInOutcome> SignInAsync(HttpContext context, string userName, string password, CancellationToken cancellationToken)
    {
        userName = userName.Trim();
        var now = time.GetUtcNow();
        var account = userName.Length == 0 ? null : await staff.FindAsync(userName, cancellationToken);
        var who = account?.ToPrincipal() ?? new Principal(PrincipalKind.Staff, userName, userName);
        if (account is { LockedUntil: { } lockedUntil } && lockedUntil > now)
        {
            await AuditAsync(context, who, "login-failed", 4, "The account is locked after repeated wrong passwords.", cancellationToken);
            return SignInOutcome.LockedOut;
        }

        var check = hasher.Verify(password, account?.PasswordHash ?? _decoyHash);
        if (account is null || account.Disabled || account.PasswordHash is null || check == PasswordCheck.Invalid)
        {
            var failures = account is null ? 0 : await staff.RecordFailedSignInAsync(account.UserName, LockAfter, now + LockFor, cancellationToken);
            var locked = failures >= LockAfter;
            await AuditAsync(context, who, "login-failed", 4, locked ? "Wrong password; the account is now locked." : "Unknown user, wrong password or disabled account.", cancellationToken);
            return locked ? SignInOutcome.LockedOut : SignInOutcome.Refused;
        }

        if (check == PasswordCheck.ValidNeedsRehash)
        {
            account = account with { PasswordHash = hasher.Hash(password) };
            await staff.SaveAsync(account, cancellationToken);
        }

        await staff.RecordSuccessfulSignInAsync(account.UserName, cancellationToken);
        await StartSessionAsync(context, account);
        await AuditAsync(context, account.ToPrincipal(), "login", 0, null, cancellationToken);
        return SignInOutcome.SignedIn;
    }

    /// <summary>Starts the session cookie for an account (after a password check, or after the trust's identity provider vouched for it).</summary>
    public static Task StartSessionAsync(HttpContext context, StaffAccount account)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(TokenClaims.Subject, account.UserName),
                new Claim(TokenClaims.Kind, TokenClaims.StaffKind),
                new Claim("name", account.DisplayName),
                new Claim("role", account.Role.ToString()),
                new Claim(SessionIssuedClaim, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            SessionScheme,
            "name",
            "role");
        return context.SignInAsync(SessionScheme, new ClaimsPrincipal(identity));
    }

    public async Task SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var userName = context.User.FindFirst(TokenClaims.Subject)?.Value;
        await context.SignOutAsync(SessionScheme);
        if (userName is not null)
        {
            await AuditAsync(context, new Principal(PrincipalKind.Staff, userName, context.User.FindFirst("name")?.Value ?? userName), "logout", 0, null, cancellationToken);
        }
    }

    /// <summary>When the session began: sessions end after <c>OpenWard:Auth:SessionMaxHours</c> however active they are.</summary>
    public const string SessionIssuedClaim = "openward_session_started";

    private Task AuditAsync(HttpContext context, Principal who, string interaction, int outcome, string? description, CancellationToken cancellationToken) =>
        audit.RecordAsync(
            new AuditRecord(time.GetUtcNow(), who, interaction, AuditAction.Execute, outcome)
            {
                Address = AccessFactory.Address(context),
                OutcomeDescription = description,
            },
            cancellationToken);
}
