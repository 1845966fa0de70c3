using Hl7.Fhir.Model;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// create and conditional create (If-None-Exist): https://hl7.org/fhir/R4/http.html#create.
    /// The server assigns the id; one that the client sent is ignored, as the spec says. Only
    /// resources the caller may see count as existing.
    /// </summary>
    public async Task<FhirResponse> CreateAsync(IFhirAccess access, string resourceType, Resource resource, string? ifNoneExist, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        RequireBodyType(resource, resourceType);
        access.Demand(resourceType, FhirAction.Create);

        return await WriteAuditedAsync(access, transaction => CreateInTransactionAsync(access, transaction, resource, ifNoneExist, NewId(), cancellationToken), cancellationToken);
    }

    internal async Task<FhirResponse> CreateInTransactionAsync(IFhirAccess access, IStoreTransaction transaction, Resource resource, string? ifNoneExist, string id, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(ifNoneExist))
        {
            access.Demand(resource.TypeName, FhirAction.Search);
            var matches = await VisibleMatchesAsync(access, transaction, resource.TypeName, ifNoneExist, 2, cancellationToken);
            if (matches.Count > 1)
            {
                throw FhirException.PreconditionFailed("CONDITION_MULTIPLE", $"If-None-Exist '{ifNoneExist}' matches more than one {resource.TypeName}.");
            }

            if (matches.Count == 1)
            {
                var existing = await transaction.ReadForUpdateAsync(resource.TypeName, matches[0], cancellationToken);
                await access.DemandAsync(FhirAction.Read, existing!, cancellationToken);
                return FhirResponse.Of(200, existing!);
            }
        }

        resource.Id = id;
        var stored = await PersistAsync(access, transaction, resource, null, "POST", cancellationToken);
        return FhirResponse.Of(201, stored, withLocation: true);
    }
}
