using Hl7.Fhir.Model;
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
    TimeProvider time)
{
    public IResourceStore Store => store;

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

    /// <summary>
    /// The one write path: <see cref="PrepareWrite"/> then the write inside <paramref name="transaction"/>.
    /// </summary>
    internal async Task<StoredResource> PersistAsync(IFhirAccess access, IStoreTransaction transaction, Resource resource, StoredResource? current, string method, CancellationToken cancellationToken)
    {
        var (write, stored) = PrepareWrite(resource, current, method);
        var live = current is { IsDeleted: false } ? current : null;
        await access.DemandWriteAsync(live is null ? FhirAction.Create : FhirAction.Update, live, stored, cancellationToken);
        try
        {
            await transaction.WriteAsync(write, cancellationToken);
        }
        catch (VersionConflictException e)
        {
            throw ConcurrentChange(e);
        }

        return stored;
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

    /// <summary>Runs write work in one store transaction; the caller's audit event for the writes commits with them.</summary>
    private Task<T> WriteAuditedAsync<T>(IFhirAccess access, Func<IStoreTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async transaction =>
            {
                var result = await work(transaction);
                await access.RecordWritesAsync(transaction, cancellationToken);
                return result;
            },
            cancellationToken);

    internal static FhirException ConcurrentChange(VersionConflictException e) =>
        FhirException.Conflict("VERSION_CONFLICT", $"{e.Reference} was changed by another request at the same time; read it again and retry.");

    internal async Task<StoredResource> PersistDeleteAsync(IFhirAccess access, IStoreTransaction transaction, StoredResource current, CancellationToken cancellationToken)
    {
        var versionId = current.VersionId + 1;
        var lastUpdated = Now();
        var tombstone = new StoredResource(current.ResourceType, current.Id, versionId, lastUpdated, true, null, "DELETE") { PatientId = current.PatientId };
        await access.DemandWriteAsync(FhirAction.Delete, current, tombstone, cancellationToken);
        try
        {
            await transaction.WriteAsync(new ResourceWrite(current.ResourceType, current.Id, versionId, lastUpdated, null, null, "DELETE"), cancellationToken);
        }
        catch (VersionConflictException e)
        {
            throw ConcurrentChange(e);
        }

        return tombstone;
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
