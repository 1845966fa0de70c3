using OpenWard.Security;
namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// read: https://hl7.org/fhir/R4/http.html#read (410 for a deleted resource). A resource hidden
    /// from the caller is answered exactly as one that does not exist (404), deleted or not.
    /// </summary>
    public async Task<FhirResponse> ReadAsync(IFhirAccess access, string resourceType, string id, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        RequireValidId(id);
        access.Demand(resourceType, FhirAction.Read);
        var stored = await RequireSeenAsync(access, await store.ReadAsync(resourceType, id, cancellationToken), $"{resourceType}/{id}", $"{resourceType}/{id} is not known.", cancellationToken);
        if (stored.IsDeleted)
        {
            throw FhirException.Gone($"{resourceType}/{id} was deleted (version {stored.VersionId}).");
        }

        await access.DemandAsync(FhirAction.Read, stored, cancellationToken);
        return FhirResponse.Of(200, stored);
    }

    /// <summary>
    /// vread: https://hl7.org/fhir/R4/http.html#vread. An older version is shown only to a caller
    /// who may see both it and the resource as it is now (labels added since apply to every version).
    /// </summary>
    public async Task<FhirResponse> VReadAsync(IFhirAccess access, string resourceType, string id, string version, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        RequireValidId(id);
        access.Demand(resourceType, FhirAction.Read);
        if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var versionId))
        {
            throw FhirException.NotFound($"{resourceType}/{id} has no version '{version}'.");
        }

        await RequireSeenAsync(access, await store.ReadAsync(resourceType, id, cancellationToken), $"{resourceType}/{id}", $"{resourceType}/{id} has no version {versionId}.", cancellationToken);
        var stored = await store.VReadAsync(resourceType, id, versionId, cancellationToken)
            ?? throw FhirException.NotFound($"{resourceType}/{id} has no version {versionId}.");
        if (stored.IsDeleted)
        {
            throw FhirException.Gone($"Version {versionId} of {resourceType}/{id} is its deletion.");
        }

        if (!await access.MayReadAsync(stored, named: true, cancellationToken))
        {
            throw NotKnown(access, $"{resourceType}/{id}", $"{resourceType}/{id} has no version {versionId}.");
        }

        await access.DemandAsync(FhirAction.Read, stored, cancellationToken);
        return FhirResponse.Of(200, stored);
    }
}
