using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Web.CdsHooks;

/// <summary>A CDS Hooks request as the medication services need it: the patient, the draft orders and any prefetched allergies.</summary>
public sealed record CdsRequest(string PatientId, IReadOnlyList<MedicationRequest> DraftOrders, IReadOnlyList<AllergyIntolerance>? PrefetchedAllergies)
{
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
            if (!context.TryGetProperty("draftOrders", out var draftOrders) || draftOrders.ValueKind != JsonValueKind.Object)
            {
                throw new CdsRequestException("context.draftOrders is required: a Bundle of the draft orders.");
            }

            var bundle = Parse<Bundle>(draftOrders, "context.draftOrders");
            var orders = bundle.Entry.Select(e => e.Resource).OfType<MedicationRequest>().ToList();
            var selections = hook == "order-select" && context.TryGetProperty("selections", out var selected) && selected.ValueKind == JsonValueKind.Array
                ? selected.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
                : null;
            if (selections is { Count: > 0 })
            {
                // order-select: check the orders just chosen (CDS Hooks order-select "selections").
                orders = [.. orders.Where(o => selections.Contains($"MedicationRequest/{o.Id}"))];
            }

            IReadOnlyList<AllergyIntolerance>? allergies = null;
            if (root.TryGetProperty("prefetch", out var prefetch) && prefetch.ValueKind == JsonValueKind.Object
                && prefetch.TryGetProperty("allergies", out var prefetched) && prefetched.ValueKind == JsonValueKind.Object)
            {
                var found = Parse<Resource>(prefetched, "prefetch.allergies");
                allergies = found switch
                {
                    Bundle searchset => [.. searchset.Entry.Select(e => e.Resource).OfType<AllergyIntolerance>()],
                    AllergyIntolerance single => [single],
                    _ => throw new CdsRequestException("prefetch.allergies must be a Bundle of AllergyIntolerances."),
                };
            }

            return new CdsRequest(patientId, orders, allergies);
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
