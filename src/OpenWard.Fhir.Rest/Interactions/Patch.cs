using OpenWard.Fhir.Patch;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// patch (https://hl7.org/fhir/R4/http.html#patch): the server applies the patch to its own copy
    /// of the current version, then "processes the resulting document as an Update operation; all
    /// the version and error handling etc. apply": If-Match (412 on a stale version), the NHS
    /// number check, claimed-profile validation, indexes and history all go through
    /// <see cref="PersistAsync"/>. Answers 200 with the new version. Unlike update, patch never
    /// creates: an unknown resource is 404, a deleted one 410. The policy is asked first: a resource
    /// hidden from the caller is 404 like an unknown one, whatever the patch would have found.
    /// </summary>
    public async Task<FhirResponse> PatchAsync(IFhirAccess access, string resourceType, string id, ResourcePatch patch, string? ifMatch, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        RequireValidId(id);
        access.Demand(resourceType, FhirAction.Update);

        return await WriteAuditedAsync(access, transaction => PatchInTransactionAsync(access, transaction, resourceType, id, patch, ifMatch, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// conditional patch (https://hl7.org/fhir/R4/http.html#patch): no match is 404, one match is
    /// patched, more than one is 412; only matches the caller may see count.
    /// </summary>
    public async Task<FhirResponse> ConditionalPatchAsync(IFhirAccess access, string resourceType, string condition, ResourcePatch patch, string? ifMatch, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        access.Demand(resourceType, FhirAction.Update);
        access.Demand(resourceType, FhirAction.Search);

        return await WriteAuditedAsync(access, transaction => ConditionalPatchInTransactionAsync(access, transaction, resourceType, condition, patch, ifMatch, cancellationToken), cancellationToken);
    }

    internal async Task<FhirResponse> ConditionalPatchInTransactionAsync(IFhirAccess access, IStoreTransaction transaction, string resourceType, string condition, ResourcePatch patch, string? ifMatch, CancellationToken cancellationToken)
    {
        var matches = await VisibleMatchesAsync(access, transaction, resourceType, condition, 2, cancellationToken);
        return matches.Count switch
        {
            0 => throw FhirException.NotFound($"The condition '{condition}' matches no {resourceType} to patch."),
            1 => await PatchInTransactionAsync(access, transaction, resourceType, matches[0], patch, ifMatch, cancellationToken),
            _ => throw FhirException.PreconditionFailed("CONDITION_MULTIPLE", $"The condition '{condition}' matches more than one {resourceType}."),
        };
    }

    internal async Task<FhirResponse> PatchInTransactionAsync(IFhirAccess access, IStoreTransaction transaction, string resourceType, string id, ResourcePatch patch, string? ifMatch, CancellationToken cancellationToken)
    {
        // Decided before the patch or If-Match look at the stored copy: a patch's answer could tell its content.
        var current = await RequireSeenAsync(
            access,
            await transaction.ReadForUpdateAsync(resourceType, id, cancellationToken),
            $"{resourceType}/{id}",
            $"{resourceType}/{id} is not known; a patch changes an existing resource (use PUT to create one with a chosen id).",
            cancellationToken);
        if (current.IsDeleted)
        {
            throw FhirException.Gone($"{resourceType}/{id} was deleted; there is nothing to patch.");
        }

        CheckIfMatch(resourceType, id, current, ifMatch);
        var patched = patch.Apply(current.Json!);
        var stored = await PersistAsync(access, transaction, patched, current, "PATCH", cancellationToken);
        return FhirResponse.Of(200, stored);
    }
}
