using Hl7.Fhir.Model;

namespace OpenWard.Fhir;

/// <summary>The entries of a FHIR transaction Bundle (https://hl7.org/fhir/R4/http.html#transaction) that the app's own multi-resource writes use.</summary>
public static class TransactionEntries
{
    /// <summary>A create (POST), with a fresh urn:uuid full URL so other entries can refer to it.</summary>
    public static void AddCreate(this Bundle bundle, Resource resource) => bundle.Entry.Add(new Bundle.EntryComponent
    {
        FullUrl = $"urn:uuid:{Guid.NewGuid()}",
        Resource = resource,
        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = resource.TypeName },
    });

    /// <summary>An update (PUT) that fails the whole transaction with 412 unless the stored version is still <paramref name="versionId"/>.</summary>
    public static void AddUpdate(this Bundle bundle, Resource resource, string versionId) => bundle.Entry.Add(new Bundle.EntryComponent
    {
        Resource = resource,
        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{resource.TypeName}/{resource.Id}", IfMatch = $"W/\"{versionId}\"" },
    });
}
