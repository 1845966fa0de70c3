using OpenWard.Security;
namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// delete: https://hl7.org/fhir/R4/http.html#delete. Deleting writes a tombstone version;
    /// history keeps every earlier version. Deleting what is absent or already deleted is 204; for a
    /// caller who does not see everything, deleting what is absent or hidden from them is 404.
    /// </summary>
    public async Task<FhirResponse> DeleteAsync(IFhirAccess access, string resourceType, string id, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        RequireValidId(id);
        access.Demand(resourceType, FhirAction.Delete);

        return await WriteAuditedAsync(access, transaction => DeleteInTransactionAsync(access, transaction, resourceType, id, cancellationToken), cancellationToken);
    }

    /// <summary>conditional delete (single match; only matches the caller may see count): https://hl7.org/fhir/R4/http.html#3.1.0.7.1.</summary>
    public async Task<FhirResponse> ConditionalDeleteAsync(IFhirAccess access, string resourceType, string condition, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        access.Demand(resourceType, FhirAction.Delete);
        access.Demand(resourceType, FhirAction.Search);

        return await WriteAuditedAsync(access, transaction => ConditionalDeleteInTransactionAsync(access, transaction, resourceType, condition, cancellationToken), cancellationToken);
    }

    internal async Task<FhirResponse> ConditionalDeleteInTransactionAsync(IFhirAccess access, Storage.IStoreTransaction transaction, string resourceType, string condition, CancellationToken cancellationToken)
    {
        var matches = await VisibleMatchesAsync(access, transaction, resourceType, condition, 2, cancellationToken);
        return matches.Count switch
        {
            0 => new FhirResponse(204),
            1 => await DeleteInTransactionAsync(access, transaction, resourceType, matches[0], cancellationToken),
            _ => throw FhirException.PreconditionFailed("CONDITION_MULTIPLE", $"The condition '{condition}' matches more than one {resourceType}; this server deletes one at a time."),
        };
    }

    internal async Task<FhirResponse> DeleteInTransactionAsync(IFhirAccess access, Storage.IStoreTransaction transaction, string resourceType, string id, CancellationToken cancellationToken)
    {
        var current = await transaction.ReadForUpdateAsync(resourceType, id, cancellationToken);
        if (!access.SeesEverything)
        {
            // 204 for an absent resource would tell it from a hidden one: both are 404.
            current = await RequireSeenAsync(access, current, $"{resourceType}/{id}", $"{resourceType}/{id} is not known.", cancellationToken);
        }

        if (current is null || current.IsDeleted)
        {
            return new FhirResponse(204);
        }

        var tombstone = await PersistDeleteAsync(access, transaction, current, cancellationToken);
        return new FhirResponse(204) { Stored = tombstone };
    }
}
