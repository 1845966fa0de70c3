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

        var page = await store.HistoryAsync(new HistoryQuery(resourceType, id, since, count, offset), cancellationToken);
        if (id is not null && page.Total == 0)
        {
            throw FhirException.NotFound($"{resourceType}/{id} is not known.");
        }

        var path = resourceType is null ? "_history" : id is null ? $"{resourceType}/_history" : $"{resourceType}/{id}/_history";
        var bundle = new BundleResult { Type = Bundle.BundleType.History, Total = access.SeesEverything ? page.Total : null };
        var kept = parameters.Where(p => p.Key is not "_offset" and not "_format" and not "_pretty").ToList();
        bundle.Links.Add(("self", PageLink(path, kept, offset)));
        if (offset + page.Entries.Count < page.Total)
        {
            bundle.Links.Add(("next", PageLink(path, kept, offset + count)));
        }

        if (offset > 0)
        {
            bundle.Links.Add(("previous", PageLink(path, kept, Math.Max(0, offset - count))));
        }

        foreach (var version in await access.FilterAsync(page.Entries, cancellationToken))
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

        return new FhirResponse(200) { Bundle = bundle };
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
