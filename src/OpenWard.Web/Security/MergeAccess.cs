using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Web.Security;

/// <summary>
/// The access a record merge (or its undoing) writes with. A records manager has no clinical
/// permission, yet a merge moves the duplicate's clinical resources; so once the policy has allowed
/// the merge itself (<c>AccessPolicy.DecideMerge</c> and the demographics update on both patients),
/// the server writes with this access, which allows exactly the updates the merge planned and the
/// one Provenance recording it, and refuses anything else with 403. Every write is recorded in the
/// user's own audit event, in the same transaction.
/// </summary>
public sealed class MergeAccess(RequestAccess user, AccessGate gate, IReadOnlySet<string> plannedUpdates, bool createsProvenance) : IFhirAccess
{
    private readonly HashSet<string> _plannedTypes = [.. plannedUpdates.Select(reference => reference[..reference.IndexOf('/', StringComparison.Ordinal)])];
    private bool _provenanceCreated;

    public bool SeesEverything => false;

    public void Demand(string resourceType, FhirAction action)
    {
        var planned = action switch
        {
            FhirAction.Update => _plannedTypes.Contains(resourceType),
            FhirAction.Create => createsProvenance && resourceType == "Provenance",
            _ => false,
        };
        if (!planned)
        {
            throw NotPlanned($"{action} of {resourceType}");
        }
    }

    public ValueTask DemandAsync(FhirAction action, StoredResource resource, CancellationToken cancellationToken) =>
        plannedUpdates.Contains(resource.Reference) ? ValueTask.CompletedTask : throw NotPlanned(resource.Reference);

    public ValueTask<bool> MayReadAsync(StoredResource resource, bool named, CancellationToken cancellationToken) =>
        ValueTask.FromResult(plannedUpdates.Contains(resource.Reference));

    public ValueTask<IReadOnlyList<StoredResource>> FilterAsync(IReadOnlyList<StoredResource> resources, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<StoredResource>>([.. resources.Where(r => plannedUpdates.Contains(r.Reference))]);

    public ValueTask DemandWriteAsync(FhirAction action, StoredResource? current, StoredResource next, CancellationToken cancellationToken)
    {
        var planned = action switch
        {
            FhirAction.Update => current is not null && plannedUpdates.Contains(next.Reference),
            FhirAction.Create => createsProvenance && !_provenanceCreated && next.ResourceType == "Provenance",
            _ => false,
        };
        if (!planned)
        {
            throw NotPlanned(next.Reference);
        }

        _provenanceCreated |= action == FhirAction.Create;
        user.RecordWriteOnBehalf(current, next);
        if (next.ResourceType == "Patient")
        {
            gate.ForgetPatient(next.Id);
        }

        return ValueTask.CompletedTask;
    }

    public System.Threading.Tasks.Task RecordWritesAsync(IStoreTransaction transaction, CancellationToken cancellationToken) =>
        user.RecordWritesAsync(transaction, cancellationToken);

    public void BeginEntry(BundleEntryAudit entry) => user.BeginEntry(entry);

    public System.Threading.Tasks.Task EndEntryAsync(int status, string? failure, CancellationToken cancellationToken) =>
        user.EndEntryAsync(status, failure, cancellationToken);

    private static FhirException NotPlanned(string what) => FhirException.Create(403, OperationOutcome.IssueType.Forbidden, "MERGE_NOT_PLANNED",
        $"A record merge may change only what it planned; {what} was not part of it.");
}
