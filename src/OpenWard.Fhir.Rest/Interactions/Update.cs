using Hl7.Fhir.Model;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// update (https://hl7.org/fhir/R4/http.html#update), update-as-create with a client id, and
    /// optimistic locking: a stale <c>If-Match</c> version is refused with 412, so no update is lost.
    /// For a caller who does not see everything, a resource hidden from them and one that does not
    /// exist are both 404, so update as create is only for callers who see everything.
    /// </summary>
    public async Task<FhirResponse> UpdateAsync(IFhirAccess access, string resourceType, string id, Resource resource, string? ifMatch, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        RequireValidId(id);
        RequireBodyType(resource, resourceType);
        access.Demand(resourceType, FhirAction.Update);

        return await WriteAuditedAsync(access, transaction => UpdateInTransactionAsync(access, transaction, id, resource, ifMatch, cancellationToken), cancellationToken);
    }

    /// <summary>conditional update: https://hl7.org/fhir/R4/http.html#cond-update.</summary>
    public async Task<FhirResponse> ConditionalUpdateAsync(IFhirAccess access, string resourceType, string condition, Resource resource, string? ifMatch, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        RequireBodyType(resource, resourceType);
        access.Demand(resourceType, FhirAction.Update);
        access.Demand(resourceType, FhirAction.Search);

        return await WriteAuditedAsync(access, transaction => ConditionalUpdateInTransactionAsync(access, transaction, condition, resource, ifMatch, cancellationToken), cancellationToken);
    }

    internal async Task<FhirResponse> ConditionalUpdateInTransactionAsync(IFhirAccess access, IStoreTransaction transaction, string condition, Resource resource, string? ifMatch, CancellationToken cancellationToken)
    {
        var matches = await VisibleMatchesAsync(access, transaction, resource.TypeName, condition, 2, cancellationToken);
        if (matches.Count > 1)
        {
            throw FhirException.PreconditionFailed("CONDITION_MULTIPLE", $"The condition '{condition}' matches more than one {resource.TypeName}.");
        }

        if (matches.Count == 1)
        {
            if (!string.IsNullOrEmpty(resource.Id) && resource.Id != matches[0])
            {
                throw FhirException.BadRequest("ID_MISMATCH", $"The body's id '{resource.Id}' is not the id '{matches[0]}' of the {resource.TypeName} that the condition matches.");
            }

            resource.Id = matches[0];
            return await UpdateInTransactionAsync(access, transaction, matches[0], resource, ifMatch, cancellationToken);
        }

        // No match: a create, with the body's id (an update as create) or a new one.
        var idChosenByServer = string.IsNullOrEmpty(resource.Id);
        var id = idChosenByServer ? NewId() : resource.Id!;
        RequireValidId(id);
        resource.Id = id;
        return await UpdateInTransactionAsync(access, transaction, id, resource, ifMatch, cancellationToken, idChosenByServer);
    }

    /// <param name="idChosenByServer">True when the server chose the id (a conditional update that matched
    /// nothing): then creating is not an update as create with a client's id.</param>
    internal async Task<FhirResponse> UpdateInTransactionAsync(IFhirAccess access, IStoreTransaction transaction, string id, Resource resource, string? ifMatch, CancellationToken cancellationToken, bool idChosenByServer = false)
    {
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw FhirException.BadRequest("ID_MISSING", "An update must carry the resource's id in the body.");
        }

        if (resource.Id != id)
        {
            throw FhirException.BadRequest("ID_MISMATCH", $"The body's id '{resource.Id}' is not the id '{id}' in the URL.");
        }

        var current = await transaction.ReadForUpdateAsync(resource.TypeName, id, cancellationToken);
        if (!idChosenByServer && !access.SeesEverything)
        {
            // Decided before If-Match and validation look at it. An update as create with a client's
            // id is refused too: its answer would tell a free id from one hidden from the caller.
            await RequireSeenAsync(access, current, $"{resource.TypeName}/{id}", $"{resource.TypeName}/{id} is not known.", cancellationToken);
        }

        CheckIfMatch(resource.TypeName, id, current, ifMatch);
        var creating = current is null || current.IsDeleted;
        var stored = await PersistAsync(access, transaction, resource, current, "PUT", cancellationToken);
        return FhirResponse.Of(creating ? 201 : 200, stored, withLocation: creating);
    }

    /// <summary>If-Match: <c>W/"3"</c> (https://hl7.org/fhir/R4/http.html#concurrency).</summary>
    internal static void CheckIfMatch(string resourceType, string id, StoredResource? current, string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return;
        }

        var expected = ifMatch.Trim();
        if (expected.StartsWith("W/", StringComparison.Ordinal))
        {
            expected = expected[2..];
        }

        expected = expected.Trim('"');
        if (current is null || current.IsDeleted || expected != current.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            var actual = current is null ? "it does not exist" : current.IsDeleted ? "it is deleted" : $"the current version is {current.VersionId}";
            throw FhirException.PreconditionFailed("VERSION_MISMATCH", $"If-Match asked for version {expected} of {resourceType}/{id}, but {actual}. Read it again and reapply your change.");
        }
    }
}
