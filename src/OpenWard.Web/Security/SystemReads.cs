using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Search;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Web.Security;

/// <summary>
/// The one way page code reads past the signed-in user's access: a record merge must find every
/// resource of a patient, whoever may see them. Each use is an audited event naming the user it
/// acts for, the patients and the purpose, recorded before anything is read; the store itself is
/// not reachable from pages otherwise.
/// </summary>
public sealed class SystemReads(IResourceStore store, AuditTrail audit, TimeProvider time)
{
    public async Task<SystemReadScope> BeginAsync(Principal onBehalfOf, string purpose, IReadOnlyList<string> patientIds, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(
            new AuditRecord(time.GetUtcNow(), onBehalfOf, AuditInteraction.SearchSystem, AuditAction.Read, AuditOutcome.Success)
            {
                PatientIds = patientIds,
                Entities = [.. patientIds.Select(id => $"Patient/{id}")],
                Detail = $"Read by the system past the user's access, for: {purpose}",
            },
            cancellationToken);
        return new SystemReadScope(store);
    }
}

/// <summary>Reads of the whole store, begun (and audited) by <see cref="SystemReads.BeginAsync"/>.</summary>
public sealed class SystemReadScope(IResourceStore store)
{
    public Task<StoredResource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken) =>
        store.ReadAsync(resourceType, id, cancellationToken);

    public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken) =>
        store.SearchAsync(query, cancellationToken);

    public Task<HistoryPage> PatientCompartmentAsync(string patientId, int count, int offset, CancellationToken cancellationToken) =>
        store.PatientCompartmentAsync(patientId, count, offset, cancellationToken);
}
