using Hl7.Fhir.Model;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage.Security;

namespace OpenWard.Web.Security;

/// <summary>A break-glass request that cannot be granted, with a message for the person asking.</summary>
public sealed class BreakGlassRefusedException(string message) : Exception(message);

/// <summary>What granting break-glass did: the grant, and who was told.</summary>
public sealed record BreakGlassResult(BreakGlassGrant Grant, IReadOnlyList<string> NotifiedClinicians);

/// <summary>
/// Break-glass: time-limited access to one patient's record for a stated, coded reason. Granting
/// writes the grant, an audit event (purpose BTG, the reason as its detail), and a FHIR
/// Communication to the patient's responsible clinicians (the practitioners of their current
/// encounters and episodes of care); the grant waits in the privacy officer's review queue.
/// </summary>
public sealed class BreakGlassService(
    BreakGlassLedger ledger,
    CareRelationships relationships,
    AccessGate gate,
    AuditTrail audit,
    FhirRestService fhir,
    SearchQueryParser parser,
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

        var patient = await fhir.Store.ReadAsync("Patient", patientId, cancellationToken);
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
        await ledger.AddAsync(grant, cancellationToken);
        relationships.Forget(staff.Id, patientId);

        var detail = $"{reason.Display}{(grant.ReasonText is null ? "" : ": " + grant.ReasonText)} (until {grant.ExpiresAt:yyyy-MM-dd HH:mm} UTC)";
        await audit.RecordAsync(
            new AuditRecord(now, staff, AuditInteraction.BreakGlass, AuditAction.Execute, AuditOutcome.Success)
            {
                Address = address,
                PurposeOfUse = AuditPurpose.BreakTheGlass,
                PatientIds = [patientId],
                Entities = [$"Patient/{patientId}"],
                Detail = detail,
            },
            cancellationToken);

        var clinicians = await ResponsibleCliniciansAsync(patientId, staff, cancellationToken);
        if (clinicians.Count > 0)
        {
            await NotifyAsync(staff, patientId, clinicians, detail, cancellationToken);
        }

        return new BreakGlassResult(grant, clinicians);
    }

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

    /// <summary>Practitioners caring for the patient now: participants of current encounters and managers of active episodes of care.</summary>
    private async Task<List<string>> ResponsibleCliniciansAsync(string patientId, Principal staff, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var (type, query) in new (string, KeyValuePair<string, string>[])[]
        {
            ("Encounter", [new("patient", patientId), new("status", EncounterStates.CurrentSearchValue)]),
            ("EpisodeOfCare", [new("patient", patientId), new("status", "active")]),
        })
        {
            var search = parser.Parse(type, query, lenient: false);
            foreach (var match in (await fhir.Store.SearchAsync(search, cancellationToken)).Matches)
            {
                var resource = FhirSerialization.ParseJson(match.Json!);
                var references = resource switch
                {
                    Encounter encounter => encounter.Participant.Select(p => p.Individual?.Reference),
                    EpisodeOfCare episode => [episode.CareManager?.Reference],
                    _ => [],
                };
                found.AddRange(references.OfType<string>().Where(r => r.StartsWith("Practitioner/", StringComparison.Ordinal)));
            }
        }

        return found.Distinct(StringComparer.Ordinal).Where(r => r != $"Practitioner/{staff.PractitionerId}").ToList();
    }

    /// <summary>The notification, written by OpenWard itself through the same gate and audit as any other write.</summary>
    private async System.Threading.Tasks.Task NotifyAsync(Principal staff, string patientId, List<string> clinicians, string detail, CancellationToken cancellationToken)
    {
        var communication = new Communication
        {
            Status = EventStatus.Completed,
            // https://terminology.hl7.org/CodeSystem-communication-category.html
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/communication-category", "notification", "Notification")],
            Priority = RequestPriority.Urgent,
            Subject = new ResourceReference($"Patient/{patientId}"),
            Recipient = [.. clinicians.Select(c => new ResourceReference(c))],
            Sender = staff.PractitionerId is null ? new ResourceReference { Display = staff.DisplayName } : new ResourceReference($"Practitioner/{staff.PractitionerId}", staff.DisplayName),
            Sent = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            Payload = [new Communication.PayloadComponent { Content = new FhirString($"{staff.DisplayName} used break-glass to open this patient's record. Reason: {detail}.") }],
        };
        var system = new RequestAccess(Principal.SystemClient("openward"), null, null, gate, audit, time, new RequestDescription(AuditInteraction.Create, AuditAction.Create, null));
        await fhir.CreateAsync(system, "Communication", communication, null, cancellationToken);
        await system.RecordSuccessAsync(cancellationToken);
    }
}
