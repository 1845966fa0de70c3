using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest.Rules;

/// <summary>A rule's view of the store: the write transaction itself, so it sees its own earlier writes and holds its locks.</summary>
internal sealed class TransactionRuleContext(IStoreTransaction transaction, SearchQueryParser parser) : IWriteRuleContext
{
    private readonly List<Resource> _alongside = [];

    /// <summary>What the rules asked to write with this write.</summary>
    public IReadOnlyList<Resource> Alongside => _alongside;

    /// <summary>Whether a rule changed the resource being written (so it must be prepared again).</summary>
    public bool Amended { get; private set; }

    public void MarkWriteAmended() => Amended = true;

    public void WriteAlongside(Resource resource)
    {
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw new ArgumentException("A resource written alongside needs its id set, so the write can link it.", nameof(resource));
        }

        _alongside.Add(resource);
        Amended = true;
    }

    public System.Threading.Tasks.Task EnqueueJobAsync(JobRequest job, CancellationToken cancellationToken) => transaction.EnqueueJobAsync(job, cancellationToken);

    public async Task<Resource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken) =>
        await transaction.ReadForUpdateAsync(resourceType, id, cancellationToken) is { IsDeleted: false, Json: { } json }
            ? FhirSerialization.ParseJson(json)
            : null;

    public async Task<IReadOnlyList<Resource>> FindAsync(string resourceType, IReadOnlyList<KeyValuePair<string, string>> criteria, int limit, CancellationToken cancellationToken)
    {
        SearchQuery query;
        try
        {
            query = parser.Parse(resourceType, criteria, lenient: false);
        }
        catch (SearchQueryException e)
        {
            // A rule searches with values from the resource written: one that cannot be searched for is the client's to fix.
            throw FhirException.Unprocessable(e.Code, $"A value of this resource cannot be checked: {e.Message}");
        }

        var ids = await transaction.SearchIdsAsync(query, limit, cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var current = await transaction.ReadManyForUpdateAsync(resourceType, ids, cancellationToken);
        return [.. ids.Select(id => current.GetValueOrDefault(id)).OfType<StoredResource>().Where(r => r is { IsDeleted: false, Json: not null }).Select(r => FhirSerialization.ParseJson(r.Json!))];
    }

    public async System.Threading.Tasks.Task LockAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await transaction.LockAsync(key, cancellationToken);
        }
        catch (VersionConflictException e)
        {
            throw FhirRestService.ConcurrentChange(e);
        }
    }
}
