using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage;
using OpenWard.Storage.Security;

namespace OpenWard.Web.Security;

/// <summary>A break-glass request that cannot be granted, with a message for the person asking.</summary>
public sealed class BreakGlassRefusedException(string message) : Exception(message);

/// <summary>What granting break-glass did: the grant, and the job that tells the patient's clinicians.</summary>
public sealed record BreakGlassResult(BreakGlassGrant Grant, long NotificationJobId);

/// <summary>
/// Break-glass: time-limited access to one patient's record for a stated, coded reason. Granting
/// writes, in one transaction, the grant, an audit event (purpose BTG, the reason as its detail), a
/// change notice (so every instance drops its cached answer) and a job that tells the patient's
/// responsible clinicians (<see cref="BreakGlassNotifications"/>); the grant waits in the privacy
/// officer's review queue.
/// </summary>
public sealed class BreakGlassService(
    BreakGlassLedger ledger,
    CareRelationships relationships,
    AuditTrail audit,
    IResourceStore store,
    TimeProvider time)
{
    public async Task<BreakGlassResult> GrantAsync(Principal staff, string patientId, string? reasonCode, string? reasonText, TimeSpan? duration, string? address, CancellationToken cancellationToken)
    {
        if (staff.Kind != PrincipalKind.Staff)
        {
            throw new BreakGlassRefusedException("Only members of staff can use break-glass.");
        }

        if (BreakGlassReasons.Validate(reasonCode, reasonText) is { } problem)
        {
            throw new BreakGlassRefusedException(problem);
        }

        var patient = await store.ReadAsync("Patient", patientId, cancellationToken);
        if (patient is null || patient.IsDeleted)
        {
            throw new BreakGlassRefusedException($"There is no patient record Patient/{patientId}.");
        }

        var length = duration ?? BreakGlassReasons.DefaultDuration;
        if (length <= TimeSpan.Zero || length > BreakGlassReasons.MaxDuration)
        {
            throw new BreakGlassRefusedException($"Break-glass lasts at most {BreakGlassReasons.MaxDuration.TotalHours:0} hours.");
        }

        BreakGlassReasons.TryGet(reasonCode, out var reason);
        var now = time.GetUtcNow();
        var grant = new BreakGlassGrant(Guid.NewGuid().ToString(), staff.Id, patientId, reason!.Code, string.IsNullOrWhiteSpace(reasonText) ? null : reasonText.Trim(), now, now + length);
        var record = new AuditRecord(now, staff, AuditInteraction.BreakGlass, AuditAction.Execute, AuditOutcome.Success)
        {
            Address = address,
            PurposeOfUse = AuditPurpose.BreakTheGlass,
            PatientIds = [patientId],
            Entities = [$"Patient/{patientId}"],
            Detail = Describe(grant),
        };
        var jobId = await store.WriteAsync(
            async transaction =>
            {
                await ledger.AddAsync(transaction, grant, cancellationToken);
                var job = await transaction.EnqueueJobAsync(BreakGlassNotifications.Request(grant), cancellationToken);
                await transaction.PublishChangeAsync(CareRelationships.ChangeTopic, patientId, cancellationToken);
                await audit.RecordInTransactionAsync(transaction, record, cancellationToken);
                return job;
            },
            cancellationToken);
        relationships.Forget(staff.Id, patientId);
        return new BreakGlassResult(grant, jobId);
    }

    /// <summary>The reason and how long, as the audit event and the clinicians' notification say it.</summary>
    public static string Describe(BreakGlassGrant grant) =>
        $"{(BreakGlassReasons.TryGet(grant.ReasonCode, out var reason) ? reason!.Display : grant.ReasonCode)}{(grant.ReasonText is null ? "" : ": " + grant.ReasonText)} (until {grant.ExpiresAt:yyyy-MM-dd HH:mm} UTC)";

    public Task<IReadOnlyList<BreakGlassGrant>> QueueAsync(Principal reviewer, CancellationToken cancellationToken)
    {
        RequirePrivacyOfficer(reviewer);
        return ledger.UnreviewedAsync(200, cancellationToken);
    }

    /// <summary>
    /// Records the privacy officer's conclusion (<c>appropriate</c> or <c>refer</c>); false when
    /// already reviewed. Nobody reviews their own break-glass: the review is someone else's check.
    /// </summary>
    public async Task<bool> ReviewAsync(Principal reviewer, string grantId, string outcome, string? note, string? address, CancellationToken cancellationToken)
    {
        RequirePrivacyOfficer(reviewer);
        if (outcome is not ("appropriate" or "refer"))
        {
            throw new BreakGlassRefusedException("Choose whether the access was appropriate or needs referring for investigation.");
        }

        var grant = await ledger.FindAsync(grantId, cancellationToken) ?? throw new BreakGlassRefusedException("That break-glass access is not known.");
        if (grant.UserName == reviewer.Id)
        {
            throw new BreakGlassRefusedException(OwnGrantMessage);
        }

        var now = time.GetUtcNow();
        if (!await ledger.ReviewAsync(grantId, reviewer.Id, outcome, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), now, cancellationToken))
        {
            return false;
        }

        await audit.RecordAsync(
            new AuditRecord(now, reviewer, AuditInteraction.BreakGlass, AuditAction.Update, AuditOutcome.Success)
            {
                Address = address,
                PurposeOfUse = AuditPurpose.Operations,
                PatientIds = [grant.PatientId],
                Entities = [$"Patient/{grant.PatientId}"],
                Detail = $"Review of {grant.UserName}'s break-glass of {grant.GrantedAt:yyyy-MM-dd HH:mm} UTC: {outcome}{(string.IsNullOrWhiteSpace(note) ? "" : ": " + note.Trim())}",
            },
            cancellationToken);
        return true;
    }

    public const string OwnGrantMessage = "You cannot review your own break-glass access: another privacy officer must review it.";

    private static void RequirePrivacyOfficer(Principal reviewer)
    {
        if (reviewer.Role != StaffRole.PrivacyOfficer)
        {
            throw new UnauthorizedAccessException("Only a privacy officer reviews break-glass access.");
        }
    }
}
