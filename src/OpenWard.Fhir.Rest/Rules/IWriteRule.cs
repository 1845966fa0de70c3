using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Rest.Rules;

/// <summary>
/// A rule that every write must keep, whichever way it arrives (a page, the FHIR API, a Bundle
/// entry, import, the command line): the write path runs it inside the write's own transaction,
/// after the access policy and before the write, so the check and the write it guards cannot race.
/// A rule refuses by throwing <see cref="WriteRuleViolation"/>.
/// </summary>
public interface IWriteRule
{
    WriteRuleInfo Info { get; }

    /// <summary>The resource types whose writes this rule checks; null for every type in a patient's compartment.</summary>
    IReadOnlySet<string>? ResourceTypes { get; }

    ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Whether bulk import of historical data runs this rule. One that does not (medication checks on
    /// old orders) is not run, and each imported resource it would have checked is tagged
    /// <see cref="WriteRules.NotRunTagSystem"/> with its id, so nobody takes it for checked.
    /// </summary>
    bool RunsOnImport => true;

    /// <summary>Whether this rule would check <paramref name="resource"/> at all (which observations); import tags only those it did not run for.</summary>
    bool Concerns(Resource resource) => true;
}

/// <summary>What a rule protects and where it comes from, for its refusals and docs/architecture.md.</summary>
/// <param name="Id">The stable code of its refusals (the OperationOutcome's issue code).</param>
/// <param name="Protects">One line: what goes wrong for a patient without it.</param>
/// <param name="Source">Where the rule comes from (a standard, a safety case, the trust's practice).</param>
/// <param name="Status">409 for a conflict with other data, 422 for a rule about the resource itself.</param>
public sealed record WriteRuleInfo(string Id, string Protects, string Source, int Status);

/// <summary>A write about to happen: the resource as it is now and as it will be.</summary>
/// <param name="readBefore">Parses the current version when a rule first asks for it (most rules never do).</param>
public sealed class ProposedWrite(string resourceType, string id, Func<Resource?> readBefore, Resource? after, string? patientId, string? beforePatientId)
{
    private readonly Lazy<Resource?> _before = new(readBefore);

    public string ResourceType => resourceType;

    public string Id => id;

    public string Reference => $"{ResourceType}/{Id}";

    /// <summary>The current version; null for a create (or a write over a deleted resource).</summary>
    public Resource? Before => _before.Value;

    /// <summary>The new version; null for a delete.</summary>
    public Resource? After => after;

    /// <summary>The patient whose compartment the new version (or, for a delete, the old) belongs to.</summary>
    public string? PatientId => patientId;

    /// <summary>The patient whose compartment the current version belongs to; null for a create.</summary>
    public string? BeforePatientId => beforePatientId;

    public bool IsDelete => After is null;
}

/// <summary>
/// What a rule may read: the store as this transaction sees it (its own earlier writes included),
/// whatever the writer may see, because a rule protects every patient, not just the writer's.
/// Nothing a rule reads reaches the writer except the rule's own refusal.
/// </summary>
public interface IWriteRuleContext
{
    /// <summary>The current version of a resource, or null when absent or deleted.</summary>
    Task<Resource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken);

    /// <summary>Current resources matching FHIR search criteria, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Resource>> FindAsync(string resourceType, IReadOnlyList<KeyValuePair<string, string>> criteria, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Holds <paramref name="key"/> until the transaction ends, so another write checking the same
    /// thing (a bed, an NHS number) waits and then sees this one. Lock before reading.
    /// </summary>
    System.Threading.Tasks.Task LockAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="resource"/> (with its id set) in the same transaction, after the write
    /// being checked: what a rule found, kept with it (a medication alert's DetectedIssue). A rule
    /// that links the new resource from the resource being written changes <see cref="ProposedWrite.After"/>
    /// itself, and the write path stores the changed version.
    /// </summary>
    void WriteAlongside(Resource resource);

    /// <summary>
    /// Says that the rule changed <see cref="ProposedWrite.After"/> (a tracking field, a tag): the
    /// write path stores the changed version. Writing alongside implies it.
    /// </summary>
    void MarkWriteAmended();

    /// <summary>
    /// Enqueues a job (a timer, a notification) in the write's transaction: it exists only if the
    /// write commits, and runs once after it (an escalation due if nobody responds).
    /// </summary>
    System.Threading.Tasks.Task EnqueueJobAsync(OpenWard.Storage.JobRequest job, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> once, after the last write of this transaction and before it
    /// commits (for a transaction Bundle, after its last entry), with a context of its own on the
    /// same transaction: what many writes of one transaction change together (a set of observations
    /// sent entry by entry) is then worked out once. A later registration with the same
    /// <paramref name="key"/> replaces an earlier one. What the work writes alongside and enqueues
    /// commits with the transaction; a refusal it throws fails the whole transaction.
    /// </summary>
    void DeferUntilCommit(string key, Func<IWriteRuleContext, CancellationToken, System.Threading.Tasks.Task> work);
}
