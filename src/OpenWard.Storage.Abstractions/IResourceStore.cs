using OpenWard.Fhir.Search;

namespace OpenWard.Storage;

/// <summary>
/// The record store contract that every engine implements and that one conformance suite tests.
/// Current versions, every historic version and typed search indexes; one
/// <see cref="IStoreTransaction"/> is one database transaction.
/// </summary>
public interface IResourceStore : IAsyncDisposable
{
    /// <summary>Which engine this is ("Sqlite" or "Postgres"), for logs and the CapabilityStatement.</summary>
    string Engine { get; }

    /// <summary>Brings the schema to the newest version (idempotent).</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The current version (a tombstone if deleted), or null if the resource never existed.</summary>
    Task<StoredResource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken);

    /// <summary>A specific version, or null.</summary>
    Task<StoredResource?> VReadAsync(string resourceType, string id, int versionId, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction and commits it before returning. The
    /// engine may commit it together with other waiting work (group commit); each piece is isolated
    /// by a savepoint, so a piece that throws rolls back only its own writes.
    /// </summary>
    Task<T> WriteAsync<T>(Func<IStoreTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Opens a write transaction; nothing is visible to others until <see cref="IStoreTransaction.CommitAsync"/>.</summary>
    Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken);

    /// <summary>Runs a search over current, non-deleted resources, including _include/_revinclude.</summary>
    Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// A search whose page holds only the matches <paramref name="keep"/> lets through (those the
    /// caller may see): the matches are walked from the first, <c>_offset</c> of the kept ones are
    /// skipped and <c>_count</c> taken, plus one to know whether there are more. Includes are
    /// followed from the kept page only, and each <c>:iterate</c> round only from the included
    /// resources <paramref name="keepIncluded"/> lets through, so nothing hidden leads anywhere; the
    /// include cap counts only those. Gives no total. Stops when <paramref name="work"/> is spent.
    /// </summary>
    Task<FilteredSearchResult> SearchFilteredAsync(SearchQuery query, MatchFilter keep, MatchFilter keepIncluded, SearchWork work, CancellationToken cancellationToken);

    /// <summary>Every current resource in a patient's compartment (the Patient first), for <c>$everything</c>.</summary>
    Task<HistoryPage> PatientCompartmentAsync(string patientId, int count, int offset, CancellationToken cancellationToken);

    /// <summary>History of one resource, one type or the whole system, newest first.</summary>
    Task<HistoryPage> HistoryAsync(HistoryQuery query, CancellationToken cancellationToken);

    /// <summary>Streams every current resource of a type (for export), in storage order.</summary>
    IAsyncEnumerable<StoredResource> ExportAsync(string resourceType, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>
    /// Brings the searchable copies of logged AuditEvents up to date, then walks the audit log in
    /// order, streaming, and recomputes every link from the logged JSON (see <see cref="AuditChain"/>);
    /// also checks that each event's searchable copy exists, at version 1, identical to the logged
    /// JSON, that the chain's end matches its head, and that no AuditEvent exists outside the log.
    /// Stops at the first problem.
    /// </summary>
    Task<AuditChainReport> VerifyAuditChainAsync(CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="VerifyAuditChainAsync(CancellationToken)"/>, and also that the chain still holds
    /// each of <paramref name="anchors"/> (heads recorded outside the database, see <see cref="AuditAnchor"/>)
    /// at its position, and is not shorter than the newest: cutting off or rewriting the newest
    /// events, even with the head reset to match, is found.
    /// </summary>
    Task<AuditChainReport> VerifyAuditChainAsync(IReadOnlyCollection<AuditChainHead> anchors, CancellationToken cancellationToken);

    /// <summary>The audit chain's newest link as committed (seq 0 and <see cref="AuditChain.GenesisHash"/> when empty), to anchor outside the database.</summary>
    Task<AuditChainHead> ReadAuditHeadAsync(CancellationToken cancellationToken);
}

/// <summary>One database transaction spanning one interaction or one transaction Bundle.</summary>
public interface IStoreTransaction : IAsyncDisposable
{
    /// <summary>The current version as seen inside this transaction (locked for update where the engine can).</summary>
    Task<StoredResource?> ReadForUpdateAsync(string resourceType, string id, CancellationToken cancellationToken);

    /// <summary>The current versions of several resources of one type, keyed by id (absent ids are missing).</summary>
    Task<IReadOnlyDictionary<string, StoredResource>> ReadManyForUpdateAsync(string resourceType, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>Ids of current resources matching a search, inside this transaction (conditional interactions).</summary>
    Task<IReadOnlyList<string>> SearchIdsAsync(SearchQuery query, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a new version. <paramref name="write"/>.VersionId must be one more than the current
    /// version (1 for a new resource); otherwise a <see cref="VersionConflictException"/> is thrown.
    /// </summary>
    Task WriteAsync(ResourceWrite write, CancellationToken cancellationToken);

    /// <summary>
    /// Writes many new versions with a few multi-row statements (import, transactions). Each
    /// (type, id) may appear at most once; the version rule of <see cref="WriteAsync"/> applies to each.
    /// </summary>
    Task WriteManyAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken);

    /// <summary>
    /// Appends new AuditEvents (version 1; their <see cref="ResourceWrite.Json"/> is kept exactly)
    /// in order to the audit log and its hash chain, in this transaction: one small row each. The
    /// store then makes them searchable as ordinary resources (resource, history and index rows,
    /// extracted by the store, so <see cref="ResourceWrite.Indexes"/> is ignored) in the background,
    /// and always before any read that may return AuditEvents, so a search sees every committed event.
    /// The only way an AuditEvent enters the store: <see cref="WriteAsync"/> and
    /// <see cref="WriteManyAsync"/> refuse them, and nothing updates or deletes them. On PostgreSQL
    /// this takes the chain's lock until commit, so call it last in the transaction. Do not read
    /// AuditEvents from the store inside a write: that read would wait for this write's commit.
    /// </summary>
    Task AppendAuditEventsAsync(IReadOnlyList<ResourceWrite> auditEvents, CancellationToken cancellationToken);

    /// <summary>
    /// Holds a lock on <paramref name="key"/> (any text naming what a check protects, such as a bed)
    /// until this transaction ends, so that two transactions checking and then writing the same thing
    /// run one after the other and the second sees what the first committed. An engine that allows
    /// one writer at a time already gives this. Take keys in a fixed order to avoid deadlocks; a
    /// deadlock the engine detects fails one transaction with <see cref="VersionConflictException"/>.
    /// </summary>
    Task LockAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a job to the durable queue (<see cref="IJobQueue"/>) in this transaction: it exists only
    /// if the change that caused it commits. Returns its id.
    /// </summary>
    Task<long> EnqueueJobAsync(JobRequest job, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a change notice (<see cref="IChangeFeed"/>) in this transaction, for every instance to
    /// hear of once it commits: <paramref name="topic"/> says what changed (such as
    /// <c>care-relationships</c>), <paramref name="key"/> which one (a patient id). No patient data beyond the key.
    /// </summary>
    Task PublishChangeAsync(string topic, string key, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>A new version to write: a resource (Json and Indexes) or a deletion (both null).</summary>
public sealed record ResourceWrite(
    string ResourceType,
    string Id,
    int VersionId,
    DateTimeOffset LastUpdated,
    string? Json,
    ResourceIndexes? Indexes,
    string Method)
{
    public bool IsDelete => Json is null;
}

/// <summary>Thrown when a write lost a race: the resource's version changed (or it was created) meanwhile.</summary>
public sealed class VersionConflictException(string reference) : Exception($"{reference} was changed by another request.")
{
    public string Reference { get; } = reference;
}

/// <param name="IncludedTruncated">More resources were to be included than one page may carry (<see cref="SearchResult.MaxIncluded"/>); <paramref name="Included"/> holds the first of them.</param>
public sealed record SearchResult(
    IReadOnlyList<StoredResource> Matches,
    IReadOnlyList<StoredResource> Included,
    int? Total,
    bool IncludedTruncated = false)
{
    /// <summary>Resources one page may include (<c>_include</c>, <c>_revinclude</c>, all rounds of <c>:iterate</c>).</summary>
    public const int MaxIncluded = 1000;
}

/// <summary>The candidates (in order) that count as matches: for a search whose results are filtered per resource.</summary>
public delegate ValueTask<IReadOnlyList<StoredResource>> MatchFilter(IReadOnlyList<StoredResource> candidates, CancellationToken cancellationToken);

/// <param name="Matches">The page of kept matches.</param>
/// <param name="HasMore">A kept match follows the page.</param>
/// <param name="WorkSpent">The walk stopped at its work limit before the page was full or the matches ran out.</param>
public sealed record FilteredSearchResult(
    IReadOnlyList<StoredResource> Matches,
    IReadOnlyList<StoredResource> Included,
    bool HasMore,
    bool WorkSpent,
    bool IncludedTruncated);

/// <summary>
/// How many stored rows one request may still examine (each statement costs at least one), shared
/// by a filtered search's walk and the checks its filter makes.
/// </summary>
public sealed class SearchWork(int rows)
{
    /// <summary>Rows one request may examine by default.</summary>
    public const int DefaultRows = 5000;

    public int Left { get; private set; } = rows;

    public bool Spent => Left <= 0;

    public void Spend(int rows) => Left -= Math.Max(1, rows);
}

/// <param name="ResourceType">Null for system history.</param>
/// <param name="Id">Null for type or system history.</param>
public sealed record HistoryQuery(string? ResourceType, string? Id, DateTimeOffset? Since, int Count, int Offset);

public sealed record HistoryPage(IReadOnlyList<StoredResource> Entries, int Total);
