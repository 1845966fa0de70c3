using Hl7.Fhir.Model;
using OpenWard.Fhir.Patch;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Rest.Bundles;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// batch and transaction Bundles: https://hl7.org/fhir/R4/http.html#transaction. A transaction
    /// is one database transaction: <c>urn:uuid:</c> and conditional references are resolved, the
    /// entries run in the spec's order (DELETE, POST, PUT, PATCH, GET), and any failure rolls back all.
    /// A PATCH entry carries a FHIRPath Patch Parameters or a Binary holding a JSON Patch document.
    /// </summary>
    public async Task<FhirResponse> ProcessBundleAsync(IFhirAccess access, Resource body, CancellationToken cancellationToken)
    {
        if (body is not Bundle bundle)
        {
            throw FhirException.BadRequest("BUNDLE_EXPECTED", $"POST to the base URL takes a batch or transaction Bundle, not a {body.TypeName}.");
        }

        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Request?.Method is null || string.IsNullOrWhiteSpace(bundle.Entry[i].Request!.Url))
            {
                throw FhirException.BadRequest("BUNDLE_ENTRY_REQUEST", $"Entry {i} has no request method and url.", $"Bundle.entry[{i}].request");
            }
        }

        return bundle.Type switch
        {
            Bundle.BundleType.Transaction => await TransactionAsync(access, bundle, cancellationToken),
            Bundle.BundleType.Batch => await BatchAsync(access, bundle, cancellationToken),
            _ => throw FhirException.BadRequest("BUNDLE_TYPE", $"Only batch and transaction Bundles can be posted to the base URL, not '{bundle.Type}'."),
        };
    }

    private async Task<FhirResponse> BatchAsync(IFhirAccess access, Bundle bundle, CancellationToken cancellationToken)
    {
        var result = new BundleResult { Type = Bundle.BundleType.BatchResponse };
        var fullUrls = bundle.Entry.Select(e => e.FullUrl).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (var index = 0; index < bundle.Entry.Count; index++)
        {
            var entry = bundle.Entry[index];
            access.BeginEntry(BundleEntryAudit.Of(entry, index, transaction: false));
            try
            {
                // Batch entries are independent (https://hl7.org/fhir/R4/http.html#brules): a reference to
                // another entry would be stored unresolved, so it is refused, pointing to transactions.
                if (entry.Resource is { } resource && ReferenceWalker.All(resource).FirstOrDefault(r => r.Reference is { } value && fullUrls.Contains(value)) is { } inner)
                {
                    throw FhirException.Unprocessable("BATCH_INTERNAL_REFERENCE", $"The reference {inner.Reference} names another entry of this batch; entries of a batch cannot refer to each other: send a transaction instead.");
                }

                var response = await ExecuteEntryAsync(access, entry, cancellationToken);
                result.Entries.Add(ToResponseEntry(response));
                await access.EndEntryAsync(response.Status, null, cancellationToken);
            }
            catch (FhirException e)
            {
                result.Entries.Add(new BundleEntryResult { ResponseStatus = StatusLine(e.Status), ResponseOutcome = e.Outcome });
                await access.EndEntryAsync(e.Status, e.Message, cancellationToken);
            }
        }

        return new FhirResponse(200) { Bundle = result };
    }

    private async Task<FhirResponse> ExecuteEntryAsync(IFhirAccess access, Bundle.EntryComponent entry, CancellationToken cancellationToken)
    {
        var request = entry.Request!;
        var (path, query) = SplitUrl(request.Url!);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var type = segments.Length > 0 ? segments[0] : "";
        switch (request.Method)
        {
            case Bundle.HTTPVerb.GET when segments.Length == 1:
                return await SearchAsync(access, type, QueryString.Parse(query ?? ""), lenient: false, null, cancellationToken);
            case Bundle.HTTPVerb.GET when segments.Length == 2:
                return await ReadAsync(access, type, segments[1], cancellationToken);
            case Bundle.HTTPVerb.GET when segments.Length == 4 && segments[2] == "_history":
                return await VReadAsync(access, type, segments[1], segments[3], cancellationToken);
            case Bundle.HTTPVerb.POST when segments.Length == 1:
                return await CreateAsync(access, type, RequireEntryResource(entry), request.IfNoneExist, cancellationToken);
            case Bundle.HTTPVerb.PUT when segments.Length == 2:
                return await UpdateAsync(access, type, segments[1], RequireEntryResource(entry), request.IfMatch, cancellationToken);
            case Bundle.HTTPVerb.PUT when segments.Length == 1 && query is not null:
                return await ConditionalUpdateAsync(access, type, query, RequireEntryResource(entry), request.IfMatch, cancellationToken);
            case Bundle.HTTPVerb.PATCH when segments.Length == 2:
                return await PatchAsync(access, type, segments[1], ResourcePatch.FromResource(RequireEntryResource(entry)), request.IfMatch, cancellationToken);
            case Bundle.HTTPVerb.PATCH when segments.Length == 1 && query is not null:
                return await ConditionalPatchAsync(access, type, query, ResourcePatch.FromResource(RequireEntryResource(entry)), request.IfMatch, cancellationToken);
            case Bundle.HTTPVerb.DELETE when segments.Length == 2:
                return await DeleteAsync(access, type, segments[1], cancellationToken);
            case Bundle.HTTPVerb.DELETE when segments.Length == 1 && query is not null:
                return await ConditionalDeleteAsync(access, type, query, cancellationToken);
            default:
                throw FhirException.BadRequest("BUNDLE_ENTRY_UNSUPPORTED", $"{request.Method} {request.Url} is not supported in a Bundle entry.");
        }
    }

    private async Task<FhirResponse> TransactionAsync(IFhirAccess access, Bundle bundle, CancellationToken cancellationToken)
    {
        var responses = new FhirResponse?[bundle.Entry.Count];
        await WriteAuditedAsync(access, async transaction =>
        {
            // 1. Decide every new identity first, so references between entries can be rewritten.
            var identities = new Dictionary<string, string>(StringComparer.Ordinal);
            var assignedIds = new string?[bundle.Entry.Count];
            var idChosenByServer = new bool[bundle.Entry.Count];
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                var entry = bundle.Entry[i];
                var (path, query) = SplitUrl(entry.Request!.Url!);
                var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
                string? reference = null;
                if (entry.Request!.Method == Bundle.HTTPVerb.POST && segments.Length == 1)
                {
                    assignedIds[i] = NewId();
                    reference = $"{segments[0]}/{assignedIds[i]}";
                }
                else if (entry.Request.Method == Bundle.HTTPVerb.PUT && segments.Length == 2)
                {
                    reference = $"{segments[0]}/{segments[1]}";
                }
                else if (entry.Request.Method == Bundle.HTTPVerb.PUT && segments.Length == 1 && query is not null)
                {
                    var matches = await WithEntryContext(i, () => VisibleMatchesAsync(access, transaction, segments[0], query, 2, cancellationToken));
                    idChosenByServer[i] = matches.Count != 1 && string.IsNullOrEmpty(entry.Resource?.Id);
                    assignedIds[i] = matches.Count == 1 ? matches[0] : idChosenByServer[i] ? NewId() : entry.Resource!.Id;
                    reference = $"{segments[0]}/{assignedIds[i]}";
                }

                if (reference is not null && entry.FullUrl is { Length: > 0 } fullUrl)
                {
                    if (!identities.TryAdd(fullUrl, reference))
                    {
                        throw FhirException.BadRequest("BUNDLE_DUPLICATE_FULLURL", $"Entry {i}: fullUrl {fullUrl} appears twice.", $"Bundle.entry[{i}].fullUrl");
                    }
                }
            }

            // 2. Rewrite urn:uuid: and conditional references in every resource.
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                if (bundle.Entry[i].Resource is { } resource)
                {
                    foreach (var reference in ReferenceWalker.All(resource))
                    {
                        await WithEntryContext(i, () => ResolveReferenceAsync(access, transaction, reference, identities, cancellationToken));
                    }
                }
            }

            // 3. Run the entries in the order the spec sets.
            foreach (var verb in new[] { Bundle.HTTPVerb.DELETE, Bundle.HTTPVerb.POST, Bundle.HTTPVerb.PUT, Bundle.HTTPVerb.PATCH, Bundle.HTTPVerb.GET, Bundle.HTTPVerb.HEAD })
            {
                for (var i = 0; i < bundle.Entry.Count; i++)
                {
                    if (bundle.Entry[i].Request!.Method == verb)
                    {
                        var index = i;
                        access.BeginEntry(BundleEntryAudit.Of(bundle.Entry[i], i, transaction: true));
                        responses[i] = await WithEntryContext(i, () => ExecuteTransactionEntryAsync(access, transaction, bundle.Entry[index], assignedIds[index], idChosenByServer[index], cancellationToken));
                        await access.EndEntryAsync(responses[i]!.Status, null, cancellationToken);
                    }
                }
            }

            return true;
        }, cancellationToken);

        var result = new BundleResult { Type = Bundle.BundleType.TransactionResponse };
        result.Entries.AddRange(responses.Select(r => ToResponseEntry(r!)));
        return new FhirResponse(200) { Bundle = result };
    }

    private async Task<FhirResponse> ExecuteTransactionEntryAsync(IFhirAccess access, IStoreTransaction transaction, Bundle.EntryComponent entry, string? assignedId, bool idChosenByServer, CancellationToken cancellationToken)
    {
        var request = entry.Request!;
        var (path, query) = SplitUrl(request.Url!);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            throw FhirException.BadRequest("BUNDLE_ENTRY_UNSUPPORTED", $"{request.Method} {request.Url} names no resource type; a transaction entry's url starts with one (Patient, Patient/1, Patient?identifier=...).");
        }

        var type = segments[0];
        RequireSupportedType(type);
        switch (request.Method)
        {
            case Bundle.HTTPVerb.POST when segments.Length == 1:
                {
                    var resource = RequireEntryResource(entry);
                    RequireBodyType(resource, type);
                    access.Demand(type, FhirAction.Create);
                    return await CreateInTransactionAsync(access, transaction, resource, request.IfNoneExist, assignedId!, cancellationToken);
                }

            case Bundle.HTTPVerb.PUT when segments.Length == 2:
                {
                    var resource = RequireEntryResource(entry);
                    RequireBodyType(resource, type);
                    RequireValidId(segments[1]);
                    access.Demand(type, FhirAction.Update);
                    return await UpdateInTransactionAsync(access, transaction, segments[1], resource, request.IfMatch, cancellationToken);
                }

            case Bundle.HTTPVerb.PUT when segments.Length == 1 && query is not null:
                {
                    var resource = RequireEntryResource(entry);
                    RequireBodyType(resource, type);
                    access.Demand(type, FhirAction.Update);
                    resource.Id = assignedId;
                    return await UpdateInTransactionAsync(access, transaction, assignedId!, resource, request.IfMatch, cancellationToken, idChosenByServer);
                }

            case Bundle.HTTPVerb.PATCH when segments.Length == 2:
                RequireValidId(segments[1]);
                access.Demand(type, FhirAction.Update);
                return await PatchInTransactionAsync(access, transaction, type, segments[1], ResourcePatch.FromResource(RequireEntryResource(entry)), request.IfMatch, cancellationToken);
            case Bundle.HTTPVerb.PATCH when segments.Length == 1 && query is not null:
                access.Demand(type, FhirAction.Update);
                access.Demand(type, FhirAction.Search);
                return await ConditionalPatchInTransactionAsync(access, transaction, type, query, ResourcePatch.FromResource(RequireEntryResource(entry)), request.IfMatch, cancellationToken);
            case Bundle.HTTPVerb.DELETE when segments.Length == 2:
                RequireValidId(segments[1]);
                access.Demand(type, FhirAction.Delete);
                return await DeleteInTransactionAsync(access, transaction, type, segments[1], cancellationToken);
            case Bundle.HTTPVerb.DELETE when segments.Length == 1 && query is not null:
                access.Demand(type, FhirAction.Delete);
                return await ConditionalDeleteInTransactionAsync(access, transaction, type, query, cancellationToken);
            case Bundle.HTTPVerb.GET when segments.Length == 2:
                {
                    RequireValidId(segments[1]);
                    access.Demand(type, FhirAction.Read);
                    var stored = await RequireSeenAsync(access, await transaction.ReadForUpdateAsync(type, segments[1], cancellationToken), $"{type}/{segments[1]}", $"{type}/{segments[1]} is not known.", cancellationToken);
                    if (stored.IsDeleted)
                    {
                        throw FhirException.Gone($"{type}/{segments[1]} was deleted.");
                    }

                    await access.DemandAsync(FhirAction.Read, stored, cancellationToken);
                    return FhirResponse.Of(200, stored);
                }

            default:
                throw FhirException.BadRequest("BUNDLE_ENTRY_UNSUPPORTED", $"{request.Method} {request.Url} is not supported in a transaction.");
        }
    }

    private async System.Threading.Tasks.Task ResolveReferenceAsync(IFhirAccess access, IStoreTransaction transaction, ResourceReference reference, Dictionary<string, string> identities, CancellationToken cancellationToken)
    {
        var value = reference.Reference;
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (identities.TryGetValue(value, out var local))
        {
            reference.Reference = local;
            return;
        }

        if (value.StartsWith("urn:uuid:", StringComparison.Ordinal) || value.StartsWith("urn:oid:", StringComparison.Ordinal))
        {
            throw FhirException.BadRequest("BUNDLE_UNRESOLVED_REFERENCE", $"The reference {value} names no entry of this transaction.");
        }

        var question = value.IndexOf('?', StringComparison.Ordinal);
        if (question > 0 && !value.Contains("://", StringComparison.Ordinal))
        {
            // A conditional reference, Patient?identifier=...: exactly one match the caller may see, or the transaction fails.
            var type = value[..question];
            RequireSupportedType(type);
            access.Demand(type, FhirAction.Search);
            var matches = await VisibleMatchesAsync(access, transaction, type, value[(question + 1)..], 2, cancellationToken);
            reference.Reference = matches.Count switch
            {
                1 => $"{type}/{matches[0]}",
                0 => throw FhirException.PreconditionFailed("REFERENCE_NO_MATCH", $"The conditional reference {value} matches no {type}."),
                _ => throw FhirException.PreconditionFailed("REFERENCE_MULTIPLE", $"The conditional reference {value} matches more than one {type}."),
            };
        }
    }

    private static async Task<T> WithEntryContext<T>(int index, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (FhirException e)
        {
            foreach (var issue in e.Outcome.Issue)
            {
                issue.Diagnostics = $"Entry {index}: {issue.Diagnostics}";
                issue.Expression = issue.Expression.Any() ? issue.Expression : [$"Bundle.entry[{index}]"];
            }

            throw;
        }
    }

    private static System.Threading.Tasks.Task WithEntryContext(int index, Func<System.Threading.Tasks.Task> action) =>
        WithEntryContext(index, async () =>
        {
            await action();
            return true;
        });

    private static Resource RequireEntryResource(Bundle.EntryComponent entry) =>
        entry.Resource ?? throw FhirException.BadRequest("BUNDLE_ENTRY_RESOURCE", $"{entry.Request!.Method} {entry.Request.Url} needs a resource in the entry.");

    private static (string Path, string? Query) SplitUrl(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (url.Trim('/'), null) : (url[..question].Trim('/'), url[(question + 1)..]);
    }

    private static BundleEntryResult ToResponseEntry(FhirResponse response) => new()
    {
        Stored = response.Stored is { IsDeleted: false } ? response.Stored : null,
        Resource = response.Resource,
        Bundle = response.Bundle,
        ResponseStatus = StatusLine(response.Status),
        ResponseLocation = response.Location,
        ResponseEtag = response.Stored is { } s ? $"W/\"{s.VersionId}\"" : null,
        ResponseLastModified = response.Stored?.LastUpdated,
    };

    private static string StatusLine(int status) => status switch
    {
        200 => "200 OK",
        201 => "201 Created",
        204 => "204 No Content",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
