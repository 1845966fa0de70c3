using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Bundles;
using OpenWard.Security;

namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// Patient/{id}/$everything: https://hl7.org/fhir/R4/patient-operation-everything.html. Returns
    /// the patient and every resource in its compartment, paged with <c>_count</c>/<c>_offset</c>.
    /// Not yet supported: <c>start</c>, <c>end</c>, <c>_since</c>, <c>_type</c>; they are refused.
    /// </summary>
    public async Task<FhirResponse> PatientEverythingAsync(IFhirAccess access, string patientId, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        RequireValidId(patientId);
        foreach (var type in Search.SearchParameterRegistry.SupportedResourceTypes)
        {
            access.Demand(type, FhirAction.Read);
        }

        var count = 100;
        var offset = 0;
        foreach (var (key, value) in parameters)
        {
            switch (key)
            {
                case "_count":
                    count = Math.Max(1, ParseNonNegative(key, value, Search.SearchQuery.MaxCount));
                    break;
                case "_offset":
                    offset = ParseNonNegative(key, value, int.MaxValue);
                    break;
                case "_format" or "_pretty":
                    break;
                default:
                    throw FhirException.NotSupported("EVERYTHING_PARAMETER", $"$everything does not support '{key}' yet (supported: _count).");
            }
        }

        var patient = await store.ReadAsync("Patient", patientId, cancellationToken);
        if (patient is null)
        {
            throw FhirException.NotFound($"Patient/{patientId} is not known.");
        }

        if (patient.IsDeleted)
        {
            throw FhirException.Gone($"Patient/{patientId} was deleted.");
        }

        var page = await store.PatientCompartmentAsync(patientId, count, offset, cancellationToken);
        var bundle = new BundleResult { Type = Bundle.BundleType.Searchset, Total = access.SeesEverything ? page.Total : null };
        var path = $"Patient/{patientId}/$everything";
        var kept = parameters.Where(p => p.Key is not "_offset" and not "_format" and not "_pretty").ToList();
        bundle.Links.Add(("self", PageLink(path, kept, offset)));
        if (offset + page.Entries.Count < page.Total)
        {
            bundle.Links.Add(("next", PageLink(path, kept, offset + count)));
        }

        bundle.Entries.AddRange((await access.FilterAsync(page.Entries, cancellationToken)).Select(e => new BundleEntryResult { Stored = e, SearchMode = Bundle.SearchEntryMode.Match }));
        return new FhirResponse(200) { Bundle = bundle };
    }
}
