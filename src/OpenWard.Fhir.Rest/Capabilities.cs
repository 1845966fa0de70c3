using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;
using SearchParamType = OpenWard.Fhir.Search.SearchParamType;

namespace OpenWard.Fhir.Rest;

/// <summary>
/// The CapabilityStatement (https://hl7.org/fhir/R4/capabilitystatement.html): exactly what this
/// server does, no more. Change it in the same commit as the behaviour it describes.
/// </summary>
public static class Capabilities
{
    public static CapabilityStatement Build(string baseUrl, string tokenUrl, string storageEngine, string softwareVersion)
    {
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Security = new CapabilityStatement.SecurityComponent
            {
                Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART on FHIR")],
                Description = "OAuth 2.0 bearer tokens from the token endpoint (client credentials, SMART Backend Services style) with SMART v2 system scopes such as system/*.cruds or system/Patient.rs. Only /metadata and /.well-known/smart-configuration are public.",
                Extension =
                [
                    new Extension
                    {
                        Url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                        Extension = [new Extension("token", new FhirUri(tokenUrl))],
                    },
                ],
            },
            Interaction =
            [
                new() { Code = CapabilityStatement.SystemRestfulInteraction.Transaction },
                new() { Code = CapabilityStatement.SystemRestfulInteraction.Batch },
                new() { Code = CapabilityStatement.SystemRestfulInteraction.HistorySystem },
            ],
        };

        foreach (var type in SearchParameterRegistry.SupportedResourceTypes)
        {
            var parameters = SearchParameterRegistry.Default.ForType(type);
            var references = parameters.Where(p => p.Type == SearchParamType.Reference).Select(p => $"{type}:{p.Code}").ToList();
            var component = new CapabilityStatement.ResourceComponent
            {
                Type = type,
                Versioning = CapabilityStatement.ResourceVersionPolicy.VersionedUpdate,
                ReadHistory = true,
                UpdateCreate = true,
                ConditionalCreate = true,
                ConditionalUpdate = true,
                ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
                ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.Single,
                Interaction =
                [
                    Interaction(CapabilityStatement.TypeRestfulInteraction.Read),
                    Interaction(CapabilityStatement.TypeRestfulInteraction.Vread),
                    Interaction(CapabilityStatement.TypeRestfulInteraction.Update),
                    new()
                    {
                        Code = CapabilityStatement.TypeRestfulInteraction.Patch,
                        Documentation = "JSON Patch (application/json-patch+json) or FHIRPath Patch (a Parameters resource); conditional patch with search criteria; in batch and transaction Bundles as a Binary holding the JSON Patch or as the Parameters.",
                    },
                    Interaction(CapabilityStatement.TypeRestfulInteraction.Delete),
                    Interaction(CapabilityStatement.TypeRestfulInteraction.HistoryInstance),
                    Interaction(CapabilityStatement.TypeRestfulInteraction.HistoryType),
                    Interaction(CapabilityStatement.TypeRestfulInteraction.Create),
                    Interaction(CapabilityStatement.TypeRestfulInteraction.SearchType),
                ],
                SearchInclude = references,
                SearchRevInclude = references,
                SearchParam = parameters
                    .Where(p => p.Type is not SearchParamType.Composite and not SearchParamType.Special)
                    .OrderBy(p => p.Code, StringComparer.Ordinal)
                    .Select(p => new CapabilityStatement.SearchParamComponent
                    {
                        Name = p.Code,
                        Definition = p.Url,
                        Type = Enum.Parse<Hl7.Fhir.Model.SearchParamType>(p.Type.ToString()),
                    })
                    .ToList(),
                Operation =
                [
                    new() { Name = "validate", Definition = "http://hl7.org/fhir/OperationDefinition/Resource-validate" },
                ],
            };
            if (type == "Patient")
            {
                component.Operation.Add(new() { Name = "everything", Definition = "http://hl7.org/fhir/OperationDefinition/Patient-everything" });
            }

            rest.Resource.Add(component);
        }

        return new CapabilityStatement
        {
            Url = baseUrl + "/metadata",
            Name = "OpenWard",
            Title = "OpenWard FHIR R4 server",
            Status = PublicationStatus.Active,
            Date = "2026-11-24",
            Publisher = "OpenWard",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "OpenWard", Version = softwareVersion },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = $"OpenWard on {storageEngine}", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json", "xml"],
            PatchFormat = [Fhir.Patch.ResourcePatch.JsonPatchMediaType, "application/fhir+json", "application/fhir+xml"],
            Rest = [rest],
        };
    }

    private static CapabilityStatement.ResourceInteractionComponent Interaction(CapabilityStatement.TypeRestfulInteraction code) => new() { Code = code };
}
