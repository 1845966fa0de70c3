using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Web.CdsHooks;

/// <summary>
/// A CDS Hooks request as the services need it: the patient, the draft orders to check (none for patient-view),
/// every draft order of the request (those signed together count as current for each other), and the
/// resources of each prefetch key (a key sent as null is absent: the service reads that itself).
/// </summary>
public sealed record CdsRequest(string PatientId, IReadOnlyList<MedicationRequest> DraftOrders, IReadOnlyList<MedicationRequest> AllDraftOrders, IReadOnlyDictionary<string, IReadOnlyList<Resource>> Prefetch)
{
    /// <summary>The caller's FHIR server (CDS Hooks <c>fhirServer</c>), when it sent one.</summary>
    public Uri? FhirServer { get; init; }

    /// <summary>Reads and checks the body; anything a client could get wrong is a <see cref="CdsRequestException"/>.</summary>
    public static async Task<CdsRequest> ReadAsync(HttpRequest request, string hook, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new CdsRequestException($"The request is larger than {maxBytes} bytes.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new CdsRequestException($"The body is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CdsRequestException("The body must be a JSON object (a CDS Hooks request).");
            }

            if (String(root, "hook") is { } named && named != hook)
            {
                throw new CdsRequestException($"This service is for the '{hook}' hook, but the request is for '{named}'.");
            }

            if (!root.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
            {
                throw new CdsRequestException("The request has no 'context' object.");
            }

            var patientId = String(context, "patientId") ?? throw new CdsRequestException("context.patientId is required.");
            if (hook == "patient-view")
            {
                // A service added after the order services keeps to CDS Hooks 2.0's required fields.
                if (String(root, "hook") is null)
                    throw new CdsRequestException("'hook' is required: \"patient-view\".");
                if (String(root, "hookInstance") is not { Length: > 0 })
                    throw new CdsRequestException("'hookInstance' is required: a UUID for this call.");
                if (!System.Text.RegularExpressions.Regex.IsMatch(patientId, "^[A-Za-z0-9\\-\\.]{1,64}$"))
                    throw new CdsRequestException($"context.patientId '{patientId}' is not a FHIR id (the patient's logical id, without 'Patient/').");
                if (String(context, "userId") is not { Length: > 0 })
                    throw new CdsRequestException("context.userId is required (for example \"Practitioner/123\").");
                if (root.TryGetProperty("fhirAuthorization", out var authorization) && authorization.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                    throw new CdsRequestException("fhirAuthorization must be an object.");
            }

            List<MedicationRequest> all = [];
            if (hook is "order-select" or "order-sign")
            {
                if (!context.TryGetProperty("draftOrders", out var draftOrders) || draftOrders.ValueKind != JsonValueKind.Object)
                {
                    throw new CdsRequestException("context.draftOrders is required: a Bundle of the draft orders.");
                }

                all = [.. Parse<Bundle>(draftOrders, "context.draftOrders").Entry.Select(e => e.Resource).OfType<MedicationRequest>()];
            }

            var orders = all;
            var selections = hook == "order-select" && context.TryGetProperty("selections", out var selected) && selected.ValueKind == JsonValueKind.Array
                ? selected.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
                : null;
            if (selections is { Count: > 0 })
            {
                // order-select: check the orders just chosen (CDS Hooks order-select "selections").
                orders = [.. all.Where(o => selections.Contains($"MedicationRequest/{o.Id}"))];
            }

            var prefetched = new Dictionary<string, IReadOnlyList<Resource>>(StringComparer.Ordinal);
            if (root.TryGetProperty("prefetch", out var prefetch) && prefetch.ValueKind == JsonValueKind.Object)
            {
                foreach (var item in prefetch.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object))
                {
                    prefetched[item.Name] = Parse<Resource>(item.Value, $"prefetch.{item.Name}") switch
                    {
                        Bundle found => [.. found.Entry.Select(e => e.Resource).OfType<Resource>().Where(r => r is not OperationOutcome)],
                        var single => [single],
                    };
                }
            }

            Uri? fhirServer = null;
            if (String(root, "fhirServer") is { } server && !Uri.TryCreate(server, UriKind.Absolute, out fhirServer))
            {
                throw new CdsRequestException($"fhirServer '{server}' is not an absolute URL.");
            }

            return new CdsRequest(patientId, orders, all, prefetched) { FhirServer = fhirServer };
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static T Parse<T>(JsonElement element, string where)
        where T : Resource
    {
        try
        {
            return FhirSerialization.ParseJson(element.GetRawText()) as T
                ?? throw new CdsRequestException($"{where} is not a {typeof(T).Name}.");
        }
        catch (FhirException e)
        {
            throw new CdsRequestException($"{where} is not valid FHIR R4: {e.Message}");
        }
    }
}

/// <summary>A CDS Hooks request a client got wrong: answered 400 with the message.</summary>
public sealed class CdsRequestException(string message) : Exception(message);
