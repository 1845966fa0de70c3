using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Bundles;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// history of an instance, a type or the system, newest first, with <c>_since</c>,
    /// <c>_count</c> and paging: https://hl7.org/fhir/R4/http.html#history.
    /// </summary>
    public async Task<FhirResponse> HistoryAsync(IFhirAccess access, string? resourceType, string? id, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        if (resourceType is null)
        {
            foreach (var type in Search.SearchParameterRegistry.SupportedResourceTypes)
            {
                access.Demand(type, FhirAction.Read);
            }
        }
        else
        {
            RequireSupportedType(resourceType);
            access.Demand(resourceType, FhirAction.Read);
        }

        if (id is not null)
        {
            RequireValidId(id);
        }

        DateTimeOffset? since = null;
        var count = 50;
        var offset = 0;
        foreach (var (key, value) in parameters)
        {
            switch (key)
            {
                case "_since":
                    if (!Search.FhirDateRange.TryParse(value, out var low, out _))
                    {
                        throw FhirException.BadRequest("HISTORY_BAD_SINCE", $"_since '{value}' is not a FHIR instant.", "_since");
                    }

                    since = low;
                    break;
                case "_count":
                    count = ParseNonNegative(key, value, Search.SearchQuery.MaxCount);
                    break;
                case "_offset":
                    offset = ParseNonNegative(key, value, int.MaxValue);
                    break;
                case "_format" or "_pretty":
                    break;
                default:
                    throw FhirException.BadRequest("HISTORY_UNKNOWN_PARAMETER", $"History does not support the parameter '{key}' (supported: _since, _count).", key);
            }
        }

        if (id is not null)
        {
            // Hidden and absent alike are 404; the current version's labels cover every older one.
            await RequireSeenAsync(access, await store.ReadAsync(resourceType!, id, cancellationToken), $"{resourceType}/{id}", $"{resourceType}/{id} is not known.", cancellationToken);
        }

        var path = resourceType is null ? "_history" : id is null ? $"{resourceType}/_history" : $"{resourceType}/{id}/_history";
        var kept = parameters.Where(p => p.Key is not "_offset" and not "_format" and not "_pretty").ToList();
        var (entries, more, total, truncated) = access.SeesEverything
            ? await AllHistoryAsync(new HistoryQuery(resourceType, id, since, count, offset), cancellationToken)
            : await VisibleHistoryAsync(access, new HistoryQuery(resourceType, id, since, count, offset), cancellationToken);
        var bundle = new BundleResult { Type = Bundle.BundleType.History, Total = total };
        bundle.Links.Add(("self", PageLink(path, kept, offset)));
        if (more)
        {
            bundle.Links.Add(("next", PageLink(path, kept, offset + count)));
        }

        if (offset > 0)
        {
            bundle.Links.Add(("previous", PageLink(path, kept, Math.Max(0, offset - count))));
        }

        foreach (var version in await access.FilterAsync(entries, cancellationToken))
        {
            bundle.Entries.Add(new BundleEntryResult
            {
                Stored = version,
                RequestMethod = version.Method,
                RequestUrl = version.Method == "POST" ? version.ResourceType : version.Reference,
                ResponseStatus = version.Method switch { "POST" => "201 Created", "DELETE" => "204 No Content", _ => "200 OK" },
                ResponseEtag = $"W/\"{version.VersionId}\"",
                ResponseLastModified = version.LastUpdated,
            });
        }

        if (truncated)
        {
            bundle.Entries.Add(new BundleEntryResult
            {
                Resource = FhirException.SingleIssue(
                    OperationOutcome.IssueSeverity.Warning,
                    OperationOutcome.IssueType.TooCostly,
                    "HISTORY_TRUNCATED",
                    $"This page stops after {MaxHistoryVersionsExamined} versions were looked at; ask for a narrower history (_since, or one type or resource).",
                    null),
            });
        }

        return new FhirResponse(200) { Bundle = bundle };
    }

    /// <summary>How many versions one history page for a filtered caller looks at, at most.</summary>
    internal const int MaxHistoryVersionsExamined = 5000;

    private const int HistoryBatch = 200;

    private async Task<(IReadOnlyList<StoredResource> Entries, bool More, int? Total, bool Truncated)> AllHistoryAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        var page = await store.HistoryAsync(query, cancellationToken);
        return (page.Entries, query.Offset + page.Entries.Count < page.Total, page.Total, false);
    }

    /// <summary>
    /// A page of the versions the caller may see, for a caller who does not see everything: the
    /// offset counts visible versions and the next link is judged on them, so neither tells how
    /// many hidden versions there are. No total. A version is visible if the caller may read it and
    /// the resource as it is now (see <see cref="MaySeeAsync"/>).
    /// </summary>
    private async Task<(IReadOnlyList<StoredResource> Entries, bool More, int? Total, bool Truncated)> VisibleHistoryAsync(IFhirAccess access, HistoryQuery query, CancellationToken cancellationToken)
    {
        var visible = new List<StoredResource>(query.Count + 1);
        var resourceSeen = new Dictionary<string, bool>(StringComparer.Ordinal);
        var skipped = 0;
        for (var examined = 0; examined < MaxHistoryVersionsExamined;)
        {
            var batch = await store.HistoryAsync(query with { Count = HistoryBatch, Offset = examined }, cancellationToken);
            foreach (var version in batch.Entries)
            {
                examined++;
                if (!await MaySeeVersionAsync(access, version, resourceSeen, cancellationToken))
                {
                    continue;
                }

                if (skipped < query.Offset)
                {
                    skipped++;
                    continue;
                }

                if (visible.Count == query.Count)
                {
                    return (visible, true, null, false);
                }

                visible.Add(version);
            }

            if (batch.Entries.Count < HistoryBatch)
            {
                return (visible, false, null, false);
            }
        }

        return (visible, false, null, true);
    }

    private async Task<bool> MaySeeVersionAsync(IFhirAccess access, StoredResource version, Dictionary<string, bool> resourceSeen, CancellationToken cancellationToken)
    {
        if (!resourceSeen.TryGetValue(version.Reference, out var seen))
        {
            var current = await store.ReadAsync(version.ResourceType, version.Id, cancellationToken);
            seen = current is not null && await MaySeeAsync(access, current, named: false, cancellationToken);
            resourceSeen[version.Reference] = seen;
        }

        return seen && await access.MayReadAsync(version, named: false, cancellationToken);
    }

    private static int ParseNonNegative(string key, string value, int max)
    {
        if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            throw FhirException.BadRequest("PARAMETER_NOT_A_NUMBER", $"{key} must be a whole number of zero or more, not '{value}'.", key);
        }

        return Math.Min(number, max);
    }
}
