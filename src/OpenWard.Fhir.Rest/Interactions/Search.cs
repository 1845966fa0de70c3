using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Bundles;
using OpenWard.Fhir.Search;
using OpenWard.Security;

namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// search (GET or POST _search) on a type, or within a patient's compartment
    /// (<c>Patient/{id}/Observation</c>): https://hl7.org/fhir/R4/search.html. Paging links carry
    /// <c>_offset</c>; results are ordered by the <c>_sort</c> keys then by storage order, so pages are stable.
    /// </summary>
    public async Task<FhirResponse> SearchAsync(IFhirAccess access, string resourceType, IReadOnlyList<KeyValuePair<string, string>> parameters, bool lenient, string? patientCompartment, CancellationToken cancellationToken)
    {
        RequireSupportedType(resourceType);
        access.Demand(resourceType, FhirAction.Search);
        var query = ParseSearch(resourceType, parameters, lenient);
        query.PatientCompartment = patientCompartment;
        foreach (var include in query.Includes.Concat(query.RevIncludes))
        {
            access.Demand(include.SourceType, FhirAction.Read);
            if (include.TargetType is not null)
            {
                access.Demand(include.TargetType, FhirAction.Read);
            }
        }

        var result = await store.SearchAsync(query, cancellationToken);
        var matches = await access.FilterAsync(result.Matches, cancellationToken);
        var included = await access.FilterAsync(result.Included, cancellationToken);

        var path = patientCompartment is null ? resourceType : $"Patient/{patientCompartment}/{resourceType}";
        var bundle = new BundleResult
        {
            Type = Bundle.BundleType.Searchset,
            // A count would tell the caller how much they may not see.
            Total = access.SeesEverything ? result.Total : null,
            Summary = query.Summary,
            Elements = query.Elements,
        };
        var kept = parameters.Where(p => p.Key is not "_offset" and not "_format" and not "_pretty").ToList();
        bundle.Links.Add(("self", PageLink(path, kept, query.Offset)));
        // _summary=count returns no page, so there is nothing to page through.
        if (query.Count > 0 && query.Summary != SummaryMode.Count)
        {
            bundle.Links.Add(("first", PageLink(path, kept, 0)));
            if (query.Offset > 0)
            {
                bundle.Links.Add(("previous", PageLink(path, kept, Math.Max(0, query.Offset - query.Count))));
            }

            // Judged on the unfiltered page, so paging goes on past resources the caller may not see.
            var more = result.Total is { } total ? query.Offset + result.Matches.Count < total : result.Matches.Count == query.Count;
            if (more)
            {
                bundle.Links.Add(("next", PageLink(path, kept, query.Offset + query.Count)));
            }
        }

        bundle.Entries.AddRange(matches.Select(m => new BundleEntryResult { Stored = m, SearchMode = Bundle.SearchEntryMode.Match }));
        bundle.Entries.AddRange(included.Select(m => new BundleEntryResult { Stored = m, SearchMode = Bundle.SearchEntryMode.Include }));
        if (query.IgnoredParameters.Count > 0)
        {
            bundle.Entries.Add(new BundleEntryResult
            {
                Resource = FhirException.SingleIssue(
                    OperationOutcome.IssueSeverity.Warning,
                    OperationOutcome.IssueType.NotSupported,
                    "SEARCH_PARAMETER_IGNORED",
                    $"These parameters were ignored (Prefer: handling=lenient): {string.Join(", ", query.IgnoredParameters)}."),
                SearchMode = Bundle.SearchEntryMode.Outcome,
            });
        }

        return new FhirResponse(200) { Bundle = bundle };
    }

    private static string PageLink(string path, List<KeyValuePair<string, string>> parameters, int offset)
    {
        var parts = parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)).ToList();
        if (offset > 0)
        {
            parts.Add("_offset=" + offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? path : path + "?" + string.Join("&", parts);
    }
}
