using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Bundles;
using OpenWard.Fhir.Search;
using OpenWard.Security;
using OpenWard.Storage;

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

        // A chain or _has looks into another type: a caller who may not search that type at all is refused before any data.
        foreach (var linked in query.Criteria.Select(LinkedType).OfType<string>())
        {
            access.Demand(linked, FhirAction.Search);
        }

        var page = access.SeesEverything ? await WholePageAsync(access, query, cancellationToken) : await VisiblePageAsync(access, query, cancellationToken);
        var path = patientCompartment is null ? resourceType : $"Patient/{patientCompartment}/{resourceType}";
        var bundle = new BundleResult
        {
            Type = Bundle.BundleType.Searchset,
            Total = page.Total,
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

            if (page.HasMore)
            {
                bundle.Links.Add(("next", PageLink(path, kept, query.Offset + query.Count)));
            }
        }

        bundle.Entries.AddRange(page.Matches.Select(m => new BundleEntryResult { Stored = m, SearchMode = Bundle.SearchEntryMode.Match }));
        bundle.Entries.AddRange(page.Included.Select(m => new BundleEntryResult { Stored = m, SearchMode = Bundle.SearchEntryMode.Include }));
        if (page.IncludedTruncated)
        {
            bundle.Entries.Add(SearchWarning(
                "SEARCH_INCLUDES_TRUNCATED",
                $"More resources were to be included than one page may carry ({SearchResult.MaxIncluded}); only the first are here. Ask for fewer matches per page (_count) or fewer includes."));
        }

        if (page.WorkSpent)
        {
            bundle.Entries.Add(SearchWarning(
                "SEARCH_TRUNCATED",
                "This search looked through as many records as one request may before filling the page, so the page may be short and has no next link; narrow the search (for example by patient, status or date)."));
        }

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

    private static BundleEntryResult SearchWarning(string code, string message) => new()
    {
        Resource = FhirException.SingleIssue(OperationOutcome.IssueSeverity.Warning, OperationOutcome.IssueType.TooCostly, code, message),
        SearchMode = Bundle.SearchEntryMode.Outcome,
    };

    /// <summary>A page for a caller who sees whole types: the store's page as it is, with its total.</summary>
    private async Task<SearchPage> WholePageAsync(IFhirAccess access, SearchQuery query, CancellationToken cancellationToken)
    {
        var result = await store.SearchAsync(query, cancellationToken);
        var more = result.Total is { } total ? query.Offset + result.Matches.Count < total : result.Matches.Count == query.Count;
        return new SearchPage(
            await access.FilterAsync(result.Matches, cancellationToken),
            await access.FilterAsync(result.Included, cancellationToken),
            result.Total,
            more,
            WorkSpent: false,
            result.IncludedTruncated);
    }

    /// <summary>
    /// A page for a caller whose results are filtered per resource: only matches they may see count,
    /// for the page, the offset and the next link, and a chain or _has holds only through resources
    /// they may see; so nothing in the answer depends on what they may not see. No total.
    /// </summary>
    private async Task<SearchPage> VisiblePageAsync(IFhirAccess access, SearchQuery query, CancellationToken cancellationToken)
    {
        var work = new SearchWork(SearchWork.DefaultRows);
        var linked = query.Criteria.Where(c => LinkedType(c) is not null).ToList();
        MatchFilter keep = linked.Count == 0
            ? access.FilterAsync
            : async (candidates, ct) =>
            {
                var kept = new List<StoredResource>();
                foreach (var match in await access.FilterAsync(candidates, ct))
                {
                    if (await HoldsVisiblyAsync(access, linked, match, work, ct))
                    {
                        kept.Add(match);
                    }
                }

                return kept;
            };
        var result = await store.SearchFilteredAsync(query, keep, access.FilterAsync, work, cancellationToken);
        return new SearchPage(
            result.Matches,
            result.Included,
            Total: null,
            result.HasMore,
            result.WorkSpent,
            result.IncludedTruncated);
    }

    /// <summary>The type a chain or _has criterion looks into, or null for a criterion on the resource itself.</summary>
    private static string? LinkedType(SearchCriterion criterion) => criterion switch
    {
        ChainCriterion chain => chain.TargetType,
        HasCriterion has => has.SourceType,
        _ => null,
    };

    /// <summary>
    /// Whether each chain and _has criterion holds for <paramref name="match"/> through a resource the
    /// caller may see (the store's SQL already found that it holds through some resource).
    /// </summary>
    private async Task<bool> HoldsVisiblyAsync(IFhirAccess access, List<SearchCriterion> linked, StoredResource match, SearchWork work, CancellationToken cancellationToken)
    {
        foreach (var criterion in linked)
        {
            if (work.Spent || LinkedQuery(criterion, match) is not { } inner)
            {
                return false;
            }

            var found = await store.SearchFilteredAsync(inner, access.FilterAsync, access.FilterAsync, work, cancellationToken);
            if (found.Matches.Count == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The search for the resources through which <paramref name="criterion"/> holds for
    /// <paramref name="match"/>: for <c>_has:Condition:patient:code=X</c> on Patient/1, Conditions with
    /// code X whose patient is Patient/1; for <c>subject:Patient.name=Y</c>, the Patients named Y that the
    /// match refers to. Null when the match refers to none.
    /// </summary>
    private SearchQuery? LinkedQuery(SearchCriterion criterion, StoredResource match)
    {
        SearchQuery inner;
        switch (criterion)
        {
            case HasCriterion has:
                inner = new SearchQuery { ResourceType = has.SourceType, Count = 1 };
                inner.Criteria.Add(has.Inner);
                inner.Criteria.Add(new ParameterCriterion(has.Reference, SearchModifier.None, [new SearchValue { Raw = match.Reference, ReferenceType = match.ResourceType, ReferenceId = match.Id }]));
                return inner;
            case ChainCriterion chain:
                var targets = indexer.Extract(Serialization.FhirSerialization.ParseJson(match.Json!)).References
                    .Where(r => r.Param == chain.Reference.Code && r.TargetType == chain.TargetType && r.TargetId is not null)
                    .Select(r => r.TargetId!)
                    .Distinct(StringComparer.Ordinal)
                    .Take(SearchQuery.MaxValuesPerCriterion)
                    .Select(id => new SearchValue { Raw = id, Code = id })
                    .ToList();
                if (targets.Count == 0)
                {
                    return null;
                }

                SearchParameterRegistry.Default.TryGet(chain.TargetType, "_id", out var id);
                inner = new SearchQuery { ResourceType = chain.TargetType, Count = 1 };
                inner.Criteria.Add(chain.Inner);
                inner.Criteria.Add(new ParameterCriterion(id, SearchModifier.None, targets));
                return inner;
            default:
                return null;
        }
    }

    private sealed record SearchPage(
        IReadOnlyList<StoredResource> Matches,
        IReadOnlyList<StoredResource> Included,
        int? Total,
        bool HasMore,
        bool WorkSpent,
        bool IncludedTruncated);

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
