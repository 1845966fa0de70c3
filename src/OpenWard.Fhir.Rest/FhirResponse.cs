using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Bundles;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

/// <summary>
/// The outcome of one interaction, independent of HTTP: a status and exactly one body — a stored
/// version (served as its stored JSON without re-parsing), a bundle result, or a resource
/// (OperationOutcome, CapabilityStatement...).
/// </summary>
public sealed record FhirResponse(int Status)
{
    public StoredResource? Stored { get; init; }
    public BundleResult? Bundle { get; init; }
    public Resource? Resource { get; init; }

    /// <summary>Relative location (<c>Patient/1/_history/2</c>) for 201 Created.</summary>
    public string? Location { get; init; }

    public static FhirResponse Of(int status, StoredResource stored, bool withLocation = false) => new(status)
    {
        Stored = stored,
        Location = withLocation ? $"{stored.ResourceType}/{stored.Id}/_history/{stored.VersionId}" : null,
    };
}
