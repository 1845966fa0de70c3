using Hl7.Fhir.Model;
using Microsoft.Extensions.Caching.Memory;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Storage.Security;

namespace OpenWard.Web.Security;

/// <summary>
/// Turns an authenticated request (a bearer token on the API, the session cookie on pages) into
/// the <see cref="RequestAccess"/> that gates and audits it. A staff account is looked up on each
/// request (briefly cached), so a disabled account or a changed role takes effect within seconds.
/// </summary>
public sealed class AccessFactory(StaffDirectory staff, AccessGate gate, AuditTrail audit, TimeProvider time, IMemoryCache cache)
{
    private static readonly TimeSpan AccountCacheFor = TimeSpan.FromSeconds(15);

    /// <summary>The gate for a FHIR API request; 401 without a valid bearer token, 401 for a disabled or unknown account.</summary>
    public async Task<RequestAccess> ForApiAsync(HttpContext context, RequestDescription request)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            throw FhirException.Create(401, OperationOutcome.IssueType.Login, "AUTH_REQUIRED",
                "This request needs a bearer token: get one from the token endpoint (see /fhir/.well-known/smart-configuration).");
        }

        var subject = user.FindFirst(TokenClaims.Subject)?.Value ?? "";
        var clientId = user.FindFirst(TokenClaims.ClientId)?.Value;
        var scope = user.FindFirst(TokenClaims.Scope)?.Value;
        var kind = user.FindFirst(TokenClaims.Kind)?.Value ?? TokenClaims.SystemKind;
        switch (kind)
        {
            case TokenClaims.StaffKind:
                {
                    var account = await ActiveAccountAsync(subject, context.RequestAborted)
                        ?? throw FhirException.Create(401, OperationOutcome.IssueType.Login, "ACCOUNT_INACTIVE", "The user this token was issued for is unknown or disabled: sign in again.");
                    var scopes = new SmartScopes(scope, SmartScopes.User, SmartScopes.Patient);
                    // Confinement was decided when the token was issued (TokenService.IssueForStaff); a
                    // token with a patient/ scope but no confinement is refused, never left unconfined.
                    var confined = user.HasClaim(TokenClaims.Confined, "true");
                    string? launchPatient = null;
                    if (confined || scopes.HasPatientContext)
                    {
                        launchPatient = (confined ? user.FindFirst(TokenClaims.Patient)?.Value : null)
                            ?? throw FhirException.Create(403, OperationOutcome.IssueType.Forbidden, "PATIENT_CONTEXT", "This token has patient/ scopes but is not confined to a patient in its launch context: get a new token.");
                    }

                    return new RequestAccess(account.ToPrincipal() with { ClientId = clientId }, scopes, launchPatient, gate, audit, time, request);
                }

            case TokenClaims.PatientKind:
                return new RequestAccess(new Principal(PrincipalKind.Patient, subject, subject) { ClientId = clientId },
                    new SmartScopes(scope, SmartScopes.Patient), subject, gate, audit, time, request);
            default:
                return new RequestAccess(Principal.SystemClient(clientId ?? subject), new SmartScopes(scope, SmartScopes.System), null, gate, audit, time, request);
        }
    }

    /// <summary>The gate for a page, for the signed-in member of staff; null when nobody (active) is signed in.</summary>
    public async Task<RequestAccess?> ForPageAsync(HttpContext context, RequestDescription request)
    {
        var userName = context.User.FindFirst(TokenClaims.Subject)?.Value;
        if (context.User.Identity?.IsAuthenticated != true || userName is null)
        {
            return null;
        }

        var account = await ActiveAccountAsync(userName, context.RequestAborted);
        return account is null ? null : new RequestAccess(account.ToPrincipal(), null, null, gate, audit, time, request);
    }

    /// <summary>The account, if it exists and may be used now.</summary>
    public async Task<StaffAccount?> ActiveAccountAsync(string userName, CancellationToken cancellationToken)
    {
        var key = $"staff-account|{userName}";
        if (!cache.TryGetValue(key, out StaffAccount? account))
        {
            account = await staff.FindAsync(userName, cancellationToken);
            cache.Set(key, account, AccountCacheFor);
        }

        return account is { Disabled: false } ? account : null;
    }

    /// <summary>Forgets a cached account after it was changed (disabled, role or wards changed), so the change applies at once.</summary>
    public void Forget(string userName) => cache.Remove($"staff-account|{userName}");

    public static string? Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
