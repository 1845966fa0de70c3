using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest.Rules;

/// <summary>A rule's view of the store: the write transaction itself, so it sees its own earlier writes and holds its locks.</summary>
internal sealed class TransactionRuleContext(IStoreTransaction transaction, SearchQueryParser parser, DeferredRuleWork deferred) : IWriteRuleContext
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

    public void DeferUntilCommit(string key, Func<IWriteRuleContext, CancellationToken, System.Threading.Tasks.Task> work) => deferred.Add(key, work);

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

/// <summary>The work rules deferred until a transaction's last write (<see cref="IWriteRuleContext.DeferUntilCommit"/>), by key, in the order first asked for.</summary>
internal sealed class DeferredRuleWork(bool refused = false)
{
    /// <summary>For writes outside the FHIR service's write transactions (import), where there is no "last write" to wait for: a rule that defers there fails loudly rather than losing its work.</summary>
    public static DeferredRuleWork Refused => new(refused: true);

    private readonly List<string> _order = [];
    private readonly Dictionary<string, Func<IWriteRuleContext, CancellationToken, System.Threading.Tasks.Task>> _work = new(StringComparer.Ordinal);

    public bool IsEmpty => _work.Count == 0;

    public void Add(string key, Func<IWriteRuleContext, CancellationToken, System.Threading.Tasks.Task> work)
    {
        if (refused)
            throw new InvalidOperationException($"A write rule deferred work ('{key}') outside a write transaction of the FHIR service (bulk import): set RunsOnImport to false for it.");
        if (!_work.ContainsKey(key))
            _order.Add(key);
        _work[key] = work;
    }

    /// <summary>Takes the work asked for so far, leaving none (work may defer more, which the caller takes next).</summary>
    public List<Func<IWriteRuleContext, CancellationToken, System.Threading.Tasks.Task>> TakeAll()
    {
        var taken = _order.Select(k => _work[k]).ToList();
        _order.Clear();
        _work.Clear();
        return taken;
    }
}
