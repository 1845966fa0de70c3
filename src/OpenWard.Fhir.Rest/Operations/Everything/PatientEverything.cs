using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Bundles;
using OpenWard.Security;
using OpenWard.Storage;

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
        if (patient is null || (!patient.IsDeleted && (await access.FilterAsync([patient], cancellationToken)).Count == 0))
        {
            // A patient the caller may not see is answered as one that does not exist.
            throw FhirException.NotFound($"Patient/{patientId} is not known, or is in a record you may not open: a care relationship or break-glass gives access.");
        }

        if (patient.IsDeleted)
        {
            throw FhirException.Gone($"Patient/{patientId} was deleted.");
        }

        var (entries, total, more, workSpent) = access.SeesEverything
            ? await WholeCompartmentPageAsync(access, patientId, count, offset, cancellationToken)
            : await VisibleCompartmentPageAsync(access, patientId, count, offset, cancellationToken);
        var bundle = new BundleResult { Type = Bundle.BundleType.Searchset, Total = total };
        var path = $"Patient/{patientId}/$everything";
        var kept = parameters.Where(p => p.Key is not "_offset" and not "_format" and not "_pretty").ToList();
        bundle.Links.Add(("self", PageLink(path, kept, offset)));
        if (more)
        {
            bundle.Links.Add(("next", PageLink(path, kept, offset + count)));
        }

        bundle.Entries.AddRange(entries.Select(e => new BundleEntryResult { Stored = e, SearchMode = Bundle.SearchEntryMode.Match }));
        if (workSpent)
        {
            bundle.Entries.Add(SearchWarning(
                "EVERYTHING_TRUNCATED",
                "This page looked through as many records as one request may before it was full, so it may be short and has no next link."));
        }

        return new FhirResponse(200) { Bundle = bundle };
    }

    private async Task<(IReadOnlyList<StoredResource> Entries, int? Total, bool More, bool WorkSpent)> WholeCompartmentPageAsync(IFhirAccess access, string patientId, int count, int offset, CancellationToken cancellationToken)
    {
        var page = await store.PatientCompartmentAsync(patientId, count, offset, cancellationToken);
        return (await access.FilterAsync(page.Entries, cancellationToken), page.Total, offset + page.Entries.Count < page.Total, false);
    }

    /// <summary>
    /// The page of the compartment's resources the caller may see, counted among those only (as a
    /// filtered search pages): walked from the first, within one request's work.
    /// </summary>
    private async Task<(IReadOnlyList<StoredResource> Entries, int? Total, bool More, bool WorkSpent)> VisibleCompartmentPageAsync(IFhirAccess access, string patientId, int count, int offset, CancellationToken cancellationToken)
    {
        var work = new SearchWork(SearchWork.DefaultRows);
        var wanted = (long)offset + count + 1;
        var visible = new List<StoredResource>();
        var batch = (int)Math.Min(wanted, Search.SearchQuery.MaxCount);
        var cursor = 0;
        var exhausted = false;
        while (visible.Count < wanted && !exhausted && !work.Spent)
        {
            var size = Math.Min(batch, work.Left);
            var rows = (await store.PatientCompartmentAsync(patientId, size, cursor, cancellationToken)).Entries;
            work.Spend(rows.Count);
            cursor += rows.Count;
            exhausted = rows.Count < size;
            visible.AddRange((await access.FilterAsync(rows, cancellationToken)).Take((int)(wanted - visible.Count)));
            batch = Math.Min(batch * 2, Search.SearchQuery.MaxCount);
        }

        var more = visible.Count == wanted;
        return ([.. visible.Skip(offset).Take(count)], null, more, !more && work.Spent);
    }
}
