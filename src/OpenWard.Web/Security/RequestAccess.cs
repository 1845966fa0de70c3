using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage;

namespace OpenWard.Web.Security;

/// <summary>What a request is, for its audit event: the interaction and how it was asked.</summary>
/// <param name="Interaction">A code of http://hl7.org/fhir/restful-interaction (read, search-type...) or an OpenWard event code.</param>
/// <param name="Action">C, R, U, D or E (http://hl7.org/fhir/audit-event-action).</param>
public sealed record RequestDescription(string Interaction, char Action, string? Address, string? Query = null, string? OperationName = null);

/// <summary>
/// One request's gate (<see cref="IFhirAccess"/>): the caller's SMART scopes first, then the access
/// policy for every resource through <see cref="AccessGate"/>. It remembers every resource it let
/// through, and writes the request's audit event: inside the write transaction for writes,
/// through the batching <see cref="AuditTrail"/> for reads, and for refusals and failures. Each
/// entry of a batch or transaction Bundle gets its own event (<see cref="BeginEntry"/>). A refusal
/// remembers the patient and resource it concerned, so the failure's event names them whatever
/// the response says.
/// </summary>
public sealed class RequestAccess(
    Principal principal,
    SmartScopes? scopes,
    string? launchPatient,
    AccessGate gate,
    AuditTrail audit,
    TimeProvider time,
    RequestDescription request) : IFhirAccess
{
    private readonly List<string> _entities = [];
    private readonly HashSet<string> _patients = new(StringComparer.Ordinal);

    // Refused resources and their patients: named by the event only if the interaction fails.
    private readonly List<string> _refusedEntities = [];
    private readonly HashSet<string> _refusedPatients = new(StringComparer.Ordinal);

    // Events appended inside a write transaction that has not committed yet; if it fails, the
    // failure's event names what they named, since they are rolled back with the writes.
    private readonly List<AuditRecord> _uncommitted = [];

    // A transaction's entry events, appended with its writes just before it commits.
    private readonly List<AuditRecord> _transactionEntries = [];
    // Patients whose care relationships the writes since the last commit may change (CareRelationships.ChangeTopic),
    // and those whose changes committed, to forget in this instance at once after the interaction.
    private readonly HashSet<string> _relationshipChanges = new(StringComparer.Ordinal);
    private readonly HashSet<string> _relationshipsChanged = new(StringComparer.Ordinal);

    private BundleEntryAudit? _entry;
    private bool _usedBreakGlass;
    private bool _recorded;
    private bool _entryRecorded;

    public Principal Principal => principal;

    /// <summary>
    /// Free text the page wants kept with this request's audit event (AuditEvent detail extension),
    /// such as why a patient was registered although they may already have a record.
    /// </summary>
    public string? Detail { get; set; }

    /// <summary>Systems see whole types (their scopes are checked per type); people and confined apps are filtered per resource.</summary>
    public bool SeesEverything => principal.Kind == PrincipalKind.System && launchPatient is null;

    public void Demand(string resourceType, FhirAction action)
    {
        scopes?.Demand(resourceType, action);
        // A role that may never do this to the type is refused before any data is touched.
        var decision = AccessPolicy.DecideFor(principal, Relationship.CareRelationship, Sensitivity.None, DataCategories.Of(resourceType), action);
        if (decision.Decision == AccessDecision.Deny)
        {
            throw Refusal(decision);
        }
    }

    public async ValueTask DemandAsync(FhirAction action, StoredResource resource, CancellationToken cancellationToken)
    {
        var decision = await gate.DecideAsync(principal, resource, action, launchPatient, cancellationToken);
        if (decision.Policy.Decision != AccessDecision.Allow)
        {
            RememberRefusal(resource, decision.PatientId);
            throw Refusal(decision.Policy);
        }

        Touched(resource, decision);
    }

    public async ValueTask<bool> MayReadAsync(StoredResource resource, bool named, CancellationToken cancellationToken)
    {
        var decision = await gate.DecideAsync(principal, resource, FhirAction.Read, launchPatient, cancellationToken);
        if (decision.Policy.Decision == AccessDecision.Allow)
        {
            return true;
        }

        // The answer will be "not known", but if the interaction fails its audit event still says whose record was tried.
        if (named)
        {
            RememberRefusal(resource, decision.PatientId);
        }

        return false;
    }

    public async ValueTask<IReadOnlyList<StoredResource>> FilterAsync(IReadOnlyList<StoredResource> resources, CancellationToken cancellationToken)
    {
        var visible = new List<StoredResource>(resources.Count);
        foreach (var resource in resources)
        {
            var decision = await gate.DecideAsync(principal, resource, FhirAction.Read, launchPatient, cancellationToken);
            if (decision.Policy.Decision == AccessDecision.Allow)
            {
                visible.Add(resource);
                Touched(resource, decision);
            }
            else
            {
                // Named only if the interaction then fails, e.g. a read answered 404 because its one resource was left out.
                RememberRefusal(resource, decision.PatientId);
            }
        }

        return visible;
    }

    public async ValueTask DemandWriteAsync(FhirAction action, StoredResource? current, StoredResource next, CancellationToken cancellationToken)
    {
        if (current is not null)
        {
            await DemandAsync(action == FhirAction.Delete ? FhirAction.Delete : FhirAction.Update, current, cancellationToken);
        }

        // A tombstone has no content to judge; the current version was judged above.
        if (!next.IsDeleted)
        {
            // Every patient the record names, not only its compartment's: an Appointment or referral
            // naming a patient gives its participants a care relationship with them (CareRelationships).
            foreach (var named in next.NamedPatients.Where(p => p != next.PatientId))
            {
                var decision = await gate.DecideAsync(principal, next with { PatientId = named }, action, launchPatient, cancellationToken);
                if (decision.Policy.Decision != AccessDecision.Allow)
                {
                    RememberRefusal(next, named);
                    throw Refusal(decision.Policy);
                }
            }

            await DemandAsync(action, next, cancellationToken);
        }
        else
        {
            Touched(next, null);
        }

        if (next.ResourceType == "Patient")
        {
            gate.ForgetPatient(next.Id);
        }

        NoteRelationshipChange(current, next);
    }

    /// <summary>
    /// A write OpenWard makes on this user's behalf after its own narrower check (a record merge:
    /// see <see cref="MergeAccess"/>), recorded in this user's audit event like their own writes.
    /// </summary>
    public void RecordWriteOnBehalf(StoredResource? current, StoredResource written)
    {
        Touched(written, null);
        NoteRelationshipChange(current, written);
    }

    /// <summary>A write of a record that care relationships rest on changes them for its patient, before and after.</summary>
    private void NoteRelationshipChange(StoredResource? current, StoredResource next)
    {
        if (CareRelationships.RestOn(next.ResourceType))
        {
            foreach (var patient in new[] { current?.PatientId, next.PatientId }.OfType<string>())
            {
                _relationshipChanges.Add(patient);
            }
        }
    }

    /// <summary>
    /// The writes' events, appended last in their transaction: a transaction Bundle's entry events,
    /// and an event for whatever else was touched (or the bare interaction when nothing was recorded).
    /// </summary>
    public async System.Threading.Tasks.Task RecordWritesAsync(IStoreTransaction transaction, CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>(_transactionEntries);
        _transactionEntries.Clear();
        if (!_entryRecorded || _entities.Count > 0)
        {
            records.Add(TakeRecord(AuditOutcome.Success, null));
        }

        // Every instance drops its cached answers for these patients once this commits; the audit events go last.
        foreach (var patient in _relationshipChanges.Order(StringComparer.Ordinal))
        {
            await transaction.PublishChangeAsync(CareRelationships.ChangeTopic, patient, cancellationToken);
            _relationshipsChanged.Add(patient);
        }

        _relationshipChanges.Clear();
        _uncommitted.AddRange(records);
        await audit.RecordInTransactionAsync(transaction, records, cancellationToken);
    }

    public void BeginEntry(BundleEntryAudit entry)
    {
        _entry = entry;
        _entryRecorded = false;
    }

    public async System.Threading.Tasks.Task EndEntryAsync(int status, string? failure, CancellationToken cancellationToken)
    {
        if (_entry is null)
        {
            return;
        }

        if (status >= 400 && !_entry.InTransaction)
        {
            _relationshipChanges.Clear(); // rolled back with the entry's writes
        }

        if (_entry.InTransaction)
        {
            _transactionEntries.Add(TakeRecord(OutcomeOf(status), failure));
        }
        else if (status >= 400)
        {
            await audit.RecordAsync(TakeRecord(OutcomeOf(status), failure), cancellationToken);
        }
        else
        {
            // A write entry's event committed with it; a read's is written now.
            _uncommitted.Clear();
            if (!_entryRecorded || _entities.Count > 0)
            {
                await audit.RecordAsync(TakeRecord(AuditOutcome.Success, null), cancellationToken);
            }
        }

        _entry = null;
    }

    /// <summary>
    /// After a successful interaction: the audit event of what it read, durable before the answer
    /// goes out. Writes already have theirs (a batch may have several), so this records only what
    /// is left, or the bare interaction if nothing was recorded at all (a search that found nothing).
    /// </summary>
    public async System.Threading.Tasks.Task RecordSuccessAsync(CancellationToken cancellationToken)
    {
        // The writes have committed: this instance forgets at once, the others when they read the notices.
        foreach (var patient in _relationshipsChanged)
        {
            gate.ForgetRelationships(patient);
        }

        _relationshipsChanged.Clear();
        _entry = null;
        _uncommitted.Clear();
        if (!_recorded || _entities.Count > 0)
        {
            await audit.RecordAsync(TakeRecord(0, null), cancellationToken);
        }
    }

    /// <summary>After a refused or failed interaction: its audit event, with the outcome and why.</summary>
    public async System.Threading.Tasks.Task RecordFailureAsync(int status, string description, CancellationToken cancellationToken)
    {
        // The whole request failed: a transaction's entry events were rolled back with it, so this one names what they named.
        _entry = null;
        _uncommitted.AddRange(_transactionEntries);
        _transactionEntries.Clear();
        await audit.RecordAsync(TakeRecord(OutcomeOf(status), description), cancellationToken);
    }

    /// <summary>4xx: the caller's request was refused (minor failure); 5xx: OpenWard failed (serious failure).</summary>
    private static int OutcomeOf(int status) => status switch
    {
        >= 500 => AuditOutcome.SeriousFailure,
        >= 400 => AuditOutcome.MinorFailure,
        _ => AuditOutcome.Success,
    };

    /// <summary>
    /// The audit record of everything touched since the last one. A failure also names what was
    /// refused and what the rolled-back events named: who tried to reach which record is kept.
    /// </summary>
    private AuditRecord TakeRecord(int outcome, string? description)
    {
        var record = Record(outcome, description);
        if (outcome != AuditOutcome.Success)
        {
            record = record with
            {
                PatientIds = [.. record.PatientIds.Concat(_refusedPatients).Concat(_uncommitted.SelectMany(r => r.PatientIds)).Distinct(StringComparer.Ordinal)],
                Entities = [.. record.Entities.Concat(_refusedEntities).Concat(_uncommitted.SelectMany(r => r.Entities)).Distinct(StringComparer.Ordinal)],
            };
            _uncommitted.Clear();
        }

        _entities.Clear();
        _patients.Clear();
        _refusedEntities.Clear();
        _refusedPatients.Clear();
        _recorded = true;
        _entryRecorded = true;
        return record;
    }

    private void RememberRefusal(StoredResource resource, string? patientId)
    {
        _refusedEntities.Add(resource.Reference);
        if ((patientId ?? resource.PatientId) is { } patient)
        {
            _refusedPatients.Add(patient);
        }
    }

    private void Touched(StoredResource resource, GateDecision? decision)
    {
        _entities.Add(resource.IsDeleted ? resource.Reference : $"{resource.Reference}/_history/{resource.VersionId}");
        if (resource.PatientId is not null)
        {
            _patients.Add(resource.PatientId);
        }

        _usedBreakGlass |= decision?.Relationship == Relationship.BreakGlass;
    }

    private AuditRecord Record(int outcome, string? description) => new(time.GetUtcNow(), principal, _entry?.Interaction ?? request.Interaction, _entry?.Action ?? request.Action, outcome)
    {
        Address = request.Address,
        OutcomeDescription = description,
        PurposeOfUse = PurposeOfUse(),
        PatientIds = [.. _patients],
        Entities = [.. _entities],
        Query = _entry is null ? request.Query : _entry.Query,
        OperationName = _entry is null ? request.OperationName : null,
        // A page's own detail (a merge's reason) stays on each entry's event of the Bundle it sent.
        Detail = _entry is null ? Detail : Detail is null ? _entry.Detail : $"{Detail} {_entry.Detail}",
    };

    /// <summary>A code of http://terminology.hl7.org/CodeSystem/v3-ActReason.</summary>
    private string PurposeOfUse() => principal.Kind switch
    {
        PrincipalKind.System => AuditPurpose.Operations,
        PrincipalKind.Patient => AuditPurpose.PatientRequest,
        _ => _usedBreakGlass ? AuditPurpose.BreakTheGlass : AuditPurpose.Treatment,
    };

    private static FhirException Refusal(PolicyDecision decision)
    {
        // The text never names the patient: the audit event records whose record it was.
        var code = decision.Decision == AccessDecision.BreakGlassRequired ? "BREAK_GLASS_REQUIRED" : decision.Code;
        return FhirException.Create(403, OperationOutcome.IssueType.Forbidden, code, decision.Reason);
    }
}
