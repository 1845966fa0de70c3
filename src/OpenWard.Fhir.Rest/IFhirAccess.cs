using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

/// <summary>
/// Who is asking, and the one gate between them and the store. Every interaction calls
/// <see cref="Demand"/> for each resource type before touching it, then checks each resource it
/// would return (<see cref="DemandAsync"/>, <see cref="FilterAsync"/>) or write
/// (<see cref="DemandWriteAsync"/>). A refusal throws a 403 <see cref="FhirException"/>; but a
/// resource the caller may not read (<see cref="MayReadAsync"/>) is hidden, and the interactions
/// answer it as if it did not exist. The implementation also remembers what was touched, for the audit trail.
/// </summary>
public interface IFhirAccess
{
    /// <summary>May the caller do this to resources of this type at all?</summary>
    void Demand(string resourceType, FhirAction action);

    /// <summary>May the caller read this resource (a read, vread or conditional match)? Throws 403 if not.</summary>
    ValueTask DemandAsync(FhirAction action, StoredResource resource, CancellationToken cancellationToken);

    /// <summary>
    /// May the caller read this resource? Unlike <see cref="DemandAsync"/> this neither throws nor
    /// records the resource as read: a false answer means the resource is hidden from the caller,
    /// who is answered as if it did not exist (a read's 404, a conditional interaction's "no match").
    /// </summary>
    /// <param name="named">True when the caller named the resource (by id or by the one match of a
    /// condition): a refusal is then remembered for the audit event, with the patient it concerned.</param>
    ValueTask<bool> MayReadAsync(StoredResource resource, bool named, CancellationToken cancellationToken);

    /// <summary>The resources the caller may see, in order; the others are left out (search, includes, history, $everything).</summary>
    ValueTask<IReadOnlyList<StoredResource>> FilterAsync(IReadOnlyList<StoredResource> resources, CancellationToken cancellationToken);

    /// <summary>
    /// May the caller replace <paramref name="current"/> (null when creating) with <paramref name="next"/>
    /// (a tombstone when deleting)? Throws 403 if not; otherwise remembers <paramref name="next"/> as written.
    /// </summary>
    ValueTask DemandWriteAsync(FhirAction action, StoredResource? current, StoredResource next, CancellationToken cancellationToken);

    /// <summary>Called inside the write transaction, just before it commits: the audit event of the writes commits with them.</summary>
    Task RecordWritesAsync(IStoreTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// A batch or transaction entry begins: until <see cref="EndEntryAsync"/>, what the caller
    /// touches (or is refused) is audited as this entry's own event.
    /// </summary>
    void BeginEntry(BundleEntryAudit entry);

    /// <summary>
    /// The entry begun last ended with <paramref name="status"/> (and <paramref name="failure"/>
    /// when it failed). A batch entry's audit event is written now, durably, unless its write
    /// already committed it; a transaction entry's commits with the transaction's writes.
    /// </summary>
    Task EndEntryAsync(int status, string? failure, CancellationToken cancellationToken);

    /// <summary>True when nothing is filtered for this caller, so search totals are safe to give.</summary>
    bool SeesEverything { get; }
}

/// <summary>Full access: for the command line and in-process tools run by the machine's operator.</summary>
public sealed class OperatorAccess : IFhirAccess
{
    public static OperatorAccess Instance { get; } = new();

    public bool SeesEverything => true;

    public void Demand(string resourceType, FhirAction action)
    {
    }

    public ValueTask DemandAsync(FhirAction action, StoredResource resource, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<bool> MayReadAsync(StoredResource resource, bool named, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public ValueTask<IReadOnlyList<StoredResource>> FilterAsync(IReadOnlyList<StoredResource> resources, CancellationToken cancellationToken) => ValueTask.FromResult(resources);

    public ValueTask DemandWriteAsync(FhirAction action, StoredResource? current, StoredResource next, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public Task RecordWritesAsync(IStoreTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public void BeginEntry(BundleEntryAudit entry)
    {
    }

    public Task EndEntryAsync(int status, string? failure, CancellationToken cancellationToken) => Task.CompletedTask;
}
