using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Fhir.Validation;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

/// <summary>
/// FHIR R4 RESTful interactions (https://hl7.org/fhir/R4/http.html) over an
/// <see cref="IResourceStore"/>, with no HTTP: each maps a request to a <see cref="FhirResponse"/>
/// or throws a <see cref="FhirException"/>. One interaction per file under Interactions/.
/// </summary>
public sealed partial class FhirRestService(
    IResourceStore store,
    SearchIndexer indexer,
    SearchQueryParser parser,
    ProfileValidator validator,
    WriteRules rules,
    TimeProvider time)
{
    /// <summary>The rules every write keeps, whichever interaction makes it.</summary>
    public WriteRules Rules => rules;

    private static void RequireSupportedType(string resourceType)
    {
        if (!SearchParameterRegistry.Default.IsSupportedType(resourceType))
        {
            throw Hl7.Fhir.Model.ModelInfo.IsKnownResource(resourceType)
                ? FhirException.Create(404, OperationOutcome.IssueType.NotSupported, "TYPE_NOT_SUPPORTED", $"This server does not store {resourceType} resources.")
                : FhirException.Create(404, OperationOutcome.IssueType.NotSupported, "TYPE_UNKNOWN", $"'{resourceType}' is not a FHIR R4 resource type.");
        }
    }

    private static void RequireValidId(string id)
    {
        // https://hl7.org/fhir/R4/datatypes.html#id
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            throw FhirException.BadRequest("ID_INVALID", $"'{id}' is not a valid FHIR id (1-64 of A-Z, a-z, 0-9, '-' and '.').");
        }
    }

    private DateTimeOffset Now()
    {
        // meta.lastUpdated is served to the millisecond; store exactly what is served.
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    internal static string NewId() => Guid.NewGuid().ToString();

    /// <summary>Parses a search string such as <c>identifier=x&amp;name=y</c> (from If-None-Exist or a conditional URL).</summary>
    internal SearchQuery ParseConditionalQuery(string resourceType, string queryString)
    {
        var pairs = QueryString.Parse(queryString);
        if (pairs.Count == 0)
        {
            throw FhirException.BadRequest("CONDITION_EMPTY", "A conditional interaction needs search criteria.");
        }

        var query = ParseSearch(resourceType, pairs, lenient: false);
        if (query.Criteria.Count == 0)
        {
            // Empty values are ignored in searches; here that would match every resource of the type.
            throw FhirException.BadRequest("CONDITION_EMPTY", $"The condition '{queryString}' has no criterion with a value, so it would match every {resourceType}.");
        }

        return query;
    }

    internal SearchQuery ParseSearch(string resourceType, IEnumerable<KeyValuePair<string, string>> query, bool lenient)
    {
        try
        {
            return parser.Parse(resourceType, query, lenient);
        }
        catch (SearchQueryException e)
        {
            throw FhirException.BadRequest(e.Code, e.Message, e.Parameter);
        }
    }

    /// <summary>How many matches of a conditional interaction are checked against the caller's access at most.</summary>
    internal const int MaxConditionalMatchesChecked = 1000;

    /// <summary>
    /// The answer to a caller who does not see everything, for a resource that does not exist and
    /// for one hidden from them alike: same status, code and text, so neither tells the other apart.
    /// Callers who see everything get <paramref name="absent"/>.
    /// </summary>
    internal static FhirException NotKnown(IFhirAccess access, string reference, string absent) =>
        FhirException.NotFound(access.SeesEverything
            ? absent
            : $"{reference} is not known, or is in a record you may not open: a care relationship or break-glass gives access.");

    /// <summary>
    /// May the caller see the resource whose current version (or tombstone) is <paramref name="current"/>?
    /// The current version's labels and patient decide for every version, so an older version never
    /// escapes a label added since; a deleted resource is judged by its last version before deletion.
    /// </summary>
    internal async Task<bool> MaySeeAsync(IFhirAccess access, StoredResource current, bool named, CancellationToken cancellationToken)
    {
        if (access.SeesEverything)
        {
            return true;
        }

        var deciding = current.IsDeleted && current.VersionId > 1
            ? await store.VReadAsync(current.ResourceType, current.Id, current.VersionId - 1, cancellationToken) ?? current
            : current;
        return await access.MayReadAsync(deciding, named, cancellationToken);
    }

    /// <summary>
    /// The current version of a resource the caller named, decided before anything is done with it:
    /// absent and hidden are the same 404 (<see cref="NotKnown"/>). A tombstone is returned as is.
    /// </summary>
    internal async Task<StoredResource> RequireSeenAsync(IFhirAccess access, StoredResource? current, string reference, string absent, CancellationToken cancellationToken)
    {
        if (current is null || !await MaySeeAsync(access, current, named: true, cancellationToken))
        {
            throw NotKnown(access, reference, absent);
        }

        return current;
    }

    /// <summary>
    /// The ids of current resources that match a conditional interaction's criteria and that the
    /// caller may see, at most <paramref name="limit"/>: a hidden match counts as no match, so the
    /// answer is the same whether or not one exists.
    /// </summary>
    internal async Task<IReadOnlyList<string>> VisibleMatchesAsync(IFhirAccess access, IStoreTransaction transaction, string resourceType, string condition, int limit, CancellationToken cancellationToken)
    {
        var query = ParseConditionalQuery(resourceType, condition);
        if (access.SeesEverything)
        {
            return await transaction.SearchIdsAsync(query, limit, cancellationToken);
        }

        var ids = await transaction.SearchIdsAsync(query, MaxConditionalMatchesChecked + 1, cancellationToken);
        if (ids.Count > MaxConditionalMatchesChecked)
        {
            throw FhirException.PreconditionFailed("CONDITION_TOO_BROAD", $"The condition '{condition}' is too broad to check against your access; add criteria that identify one {resourceType}.");
        }

        var current = await transaction.ReadManyForUpdateAsync(resourceType, ids, cancellationToken);
        var visible = new List<string>(limit);
        foreach (var id in ids)
        {
            if (current.TryGetValue(id, out var resource) && await MaySeeAsync(access, resource, named: false, cancellationToken))
            {
                visible.Add(id);
                if (visible.Count == limit)
                {
                    break;
                }
            }
        }

        return visible;
    }

    /// <summary>
    /// The one write path: <see cref="PrepareWrite"/> then the write inside <paramref name="transaction"/>.
    /// </summary>
    internal async Task<StoredResource> PersistAsync(IFhirAccess access, IStoreTransaction transaction, Resource resource, StoredResource? current, string method, CancellationToken cancellationToken)
    {
        var (write, stored) = PrepareWrite(resource, current, method);
        var live = current is { IsDeleted: false } ? current : null;
        await access.DemandWriteAsync(live is null ? FhirAction.Create : FhirAction.Update, live, stored, cancellationToken);
        var (alongside, amended) = await CheckWriteRulesAsync(transaction, live, resource, stored.PatientId, relaxed: null, importing: false, cancellationToken);
        if (amended)
        {
            // A rule changed the resource (linked what it found, updated a tracking field): store that version.
            (write, stored) = PrepareWrite(resource, current, method);
        }

        try
        {
            await transaction.WriteAsync(write, cancellationToken);
            await WriteAlongsideAsync(transaction, alongside, cancellationToken);
        }
        catch (VersionConflictException e)
        {
            throw ConcurrentChange(e);
        }

        return stored;
    }

    /// <summary>Writes what the rules asked to keep with a write: new, or a new version of one they wrote before (a set's score, rescored).</summary>
    private async System.Threading.Tasks.Task WriteAlongsideAsync(IStoreTransaction transaction, IReadOnlyList<Resource> alongside, CancellationToken cancellationToken)
    {
        foreach (var found in alongside)
        {
            var existing = await transaction.ReadForUpdateAsync(found.TypeName, found.Id!, cancellationToken);
            await transaction.WriteAsync(PrepareWrite(found, existing, existing is null ? "POST" : "PUT").Write, cancellationToken);
        }
    }

    /// <summary>
    /// Everything a write needs before the database, with no I/O (so a batch can prepare in
    /// parallel): stamps version and time, checks the NHS number and any claimed profile,
    /// extracts the search indexes and serialises.
    /// </summary>
    internal (ResourceWrite Write, StoredResource Stored) PrepareWrite(Resource resource, StoredResource? current, string method)
    {
        CheckBusinessRules(resource);
        var versionId = (current?.VersionId ?? 0) + 1;
        var lastUpdated = Now();
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = versionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = lastUpdated;

        var indexes = indexer.Extract(resource);
        var json = FhirSerialization.ToJson(resource);
        return (
            new ResourceWrite(resource.TypeName, resource.Id!, versionId, lastUpdated, json, indexes, method),
            new StoredResource(resource.TypeName, resource.Id!, versionId, lastUpdated, false, json, method) { PatientId = indexes.PatientCompartment, NamedPatients = PatientCompartment.Named(resource, indexes.References) });
    }

    /// <summary>
    /// Runs write work in one store transaction, then the work the rules deferred until its last
    /// write (<see cref="IWriteRuleContext.DeferUntilCommit"/>); the caller's audit event for the
    /// writes commits with them.
    /// </summary>
    private Task<T> WriteAuditedAsync<T>(IFhirAccess access, Func<IStoreTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async transaction =>
            {
                var deferred = new DeferredRuleWork();
                _deferred.AddOrUpdate(transaction, deferred);
                try
                {
                    var result = await work(transaction);
                    await RunDeferredAsync(transaction, deferred, cancellationToken);
                    await access.RecordWritesAsync(transaction, cancellationToken);
                    return result;
                }
                finally
                {
                    _deferred.Remove(transaction);
                }
            },
            cancellationToken);

    /// <summary>The deferred rule work of each open write transaction.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IStoreTransaction, DeferredRuleWork> _deferred = new();

    private async System.Threading.Tasks.Task RunDeferredAsync(IStoreTransaction transaction, DeferredRuleWork deferred, CancellationToken cancellationToken)
    {
        // A bounded number of rounds: deferred work may defer more, but not forever.
        for (var round = 0; round < 4 && !deferred.IsEmpty; round++)
        {
            foreach (var work in deferred.TakeAll())
            {
                var context = new TransactionRuleContext(transaction, parser, deferred);
                await work(context, cancellationToken);
                try
                {
                    await WriteAlongsideAsync(transaction, context.Alongside, cancellationToken);
                }
                catch (VersionConflictException e)
                {
                    throw ConcurrentChange(e);
                }
            }
        }
    }

    internal static FhirException ConcurrentChange(VersionConflictException e) =>
        FhirException.Conflict("VERSION_CONFLICT", $"{e.Reference} was changed by another request at the same time; read it again and retry.");

    internal async Task<StoredResource> PersistDeleteAsync(IFhirAccess access, IStoreTransaction transaction, StoredResource current, CancellationToken cancellationToken)
    {
        var versionId = current.VersionId + 1;
        var lastUpdated = Now();
        var tombstone = new StoredResource(current.ResourceType, current.Id, versionId, lastUpdated, true, null, "DELETE") { PatientId = current.PatientId };
        await access.DemandWriteAsync(FhirAction.Delete, current, tombstone, cancellationToken);
        var (alongside, _) = await CheckWriteRulesAsync(transaction, current, null, current.PatientId, relaxed: null, importing: false, cancellationToken);
        try
        {
            await transaction.WriteAsync(new ResourceWrite(current.ResourceType, current.Id, versionId, lastUpdated, null, null, "DELETE"), cancellationToken);
            await WriteAlongsideAsync(transaction, alongside, cancellationToken);
        }
        catch (VersionConflictException e)
        {
            throw ConcurrentChange(e);
        }

        return tombstone;
    }

    /// <summary>
    /// Runs the <see cref="WriteRules"/> that apply to this write, inside its transaction, after the
    /// policy allowed it (so a refusal tells nothing to someone who may not write here) and before it.
    /// </summary>
    /// <param name="live">The current version, or null when there is none or it is deleted.</param>
    /// <param name="after">The new version, or null for a delete.</param>
    /// <param name="importing">Bulk import: rules that do not run on import are left out (the importer tags the resource).</param>
    /// <returns>What the rules asked to write alongside (<see cref="IWriteRuleContext.WriteAlongside"/>), and whether they changed <paramref name="after"/>.</returns>
    internal async Task<(IReadOnlyList<Resource> Alongside, bool Amended)> CheckWriteRulesAsync(IStoreTransaction transaction, StoredResource? live, Resource? after, string? patientId, IReadOnlySet<string>? relaxed, bool importing, CancellationToken cancellationToken)
    {
        var resourceType = after?.TypeName ?? live!.ResourceType;
        var applicable = rules.For(resourceType, patientId is not null || live?.PatientId is not null, relaxed).Where(r => !importing || r.RunsOnImport).ToList();
        if (applicable.Count == 0)
        {
            return ([], false);
        }

        var write = new ProposedWrite(
            resourceType,
            after?.Id ?? live!.Id,
            () => live is { IsDeleted: false, Json: { } json } ? FhirSerialization.ParseJson(json) : null,
            after,
            patientId,
            live?.PatientId);
        var context = new TransactionRuleContext(transaction, parser, _deferred.TryGetValue(transaction, out var deferred) ? deferred : DeferredRuleWork.Refused);
        foreach (var rule in applicable)
        {
            await rule.CheckAsync(write, context, cancellationToken);
        }

        return (context.Alongside, context.Amended);
    }

    private void CheckBusinessRules(Resource resource)
    {
        if (resource is Patient patient)
        {
            foreach (var identifier in patient.Identifier.Where(i => i.System == NhsNumber.IdentifierSystem))
            {
                if (!NhsNumber.IsValid(identifier.Value))
                {
                    throw FhirException.Unprocessable(
                        "NHS_NUMBER_INVALID",
                        $"'{identifier.Value}' is not a valid NHS number: it must be 10 digits whose last digit is the Modulus 11 check digit of the first nine.",
                        "Patient.identifier");
                }
            }
        }

        if (resource.Meta?.Profile.Any() == true)
        {
            var outcome = validator.ValidateClaimedProfiles(resource);
            if (!ProfileValidator.IsValid(outcome))
            {
                throw new FhirException(422, outcome);
            }
        }
    }

    /// <summary>Reads a body resource and checks it is of the type the URL names.</summary>
    internal static void RequireBodyType(Resource resource, string resourceType)
    {
        if (resource.TypeName != resourceType)
        {
            throw FhirException.BadRequest("TYPE_MISMATCH", $"The body is a {resource.TypeName} but the URL is for {resourceType}.");
        }
    }
}
