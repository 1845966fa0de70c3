using System.Text.Json.Nodes;
using OpenWard.Clinical.Medicines.Checks;
using OpenWard.Fhir;
using OpenWard.Web.Medicines;
using OpenWard.Web.Security;

namespace OpenWard.Web.CdsHooks;

/// <summary>
/// CDS Hooks 2.0 (https://cds-hooks.hl7.org/2.0/): the medication checks of
/// <see cref="MedicationChecks"/> as the <c>order-select</c> and <c>order-sign</c> services, for
/// another system's draft MedicationRequests, and the deterioration warnings as <c>patient-view</c>. Discovery is public; a call needs an OpenWard bearer
/// token (system or user), and what the service reads from the record it reads with the caller's access.
/// </summary>
public static class CdsHooksEndpoints
{
    /// <summary>The services, by id; each id is the hook it serves.</summary>
    public static readonly IReadOnlyList<string> Hooks = ["order-select", "order-sign", PatientView];

    /// <summary>The deterioration warnings (issue #19): <see cref="DeteriorationCards"/>.</summary>
    public const string PatientView = "patient-view";

    /// <summary>Largest request accepted: a few draft orders and their prefetch.</summary>
    private const long MaxBodyBytes = 4 * 1024 * 1024;

    public static void Map(WebApplication app)
    {
        app.MapGet("/cds-services", () => Results.Json(Discovery()));
        app.MapPost("/cds-services/{id}", (HttpContext context, string id, MedicationRecord record, MedicationChecks checks, PatientViewRecord view) => CallAsync(context, id, record, checks, view));
    }

    private static JsonObject Discovery() => new()
    {
        ["services"] = new JsonArray([.. Hooks.Select(hook => (JsonNode)(hook == PatientView ? new JsonObject
        {
            ["hook"] = hook,
            ["id"] = hook,
            ["title"] = "OpenWard deterioration warnings",
            ["description"] = "The patient's deterioration warnings from OpenWard's record: a raised NEWS2 score (with its escalation), observations overdue, an open sepsis screen; and what could not be read.",
            ["prefetch"] = new JsonObject([.. PatientViewRecord.PrefetchTemplates.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)k.Template))]),
        }
        : new JsonObject
        {
            ["hook"] = hook,
            ["id"] = hook,
            ["title"] = "OpenWard medication checks",
            ["description"] = "Checks draft MedicationRequests against the patient's record: what alerted, and what could not be checked and why.",
            ["prefetch"] = new JsonObject([.. MedicationRecord.PrefetchKeys.Values.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)k.Template))]),
        }))]),
    };

    private static async Task<IResult> CallAsync(HttpContext context, string id, MedicationRecord record, MedicationChecks checks, PatientViewRecord view)
    {
        if (!Hooks.Contains(id))
        {
            return Error(404, $"No CDS service '{id}' here; GET /cds-services lists them.");
        }

        CdsRequest request;
        try
        {
            request = await CdsRequest.ReadAsync(context.Request, id, MaxBodyBytes, context.RequestAborted);
        }
        catch (CdsRequestException e)
        {
            return Error(400, e.Message);
        }

        var description = new RequestDescription("operation", 'E', AccessFactory.Address(context), null, $"cds-{id}");
        RequestAccess access;
        try
        {
            access = await context.RequestServices.GetRequiredService<AccessFactory>().ForApiAsync(context, description);
        }
        catch (FhirException e)
        {
            return Error(e.Status, e.Message);
        }

        try
        {
            if (id == PatientView)
            {
                var seen = IsElsewhere(request.FhirServer, context.Request)
                    ? view.Elsewhere(request.FhirServer!, request.PatientId, request.Prefetch)
                    : await view.ReadAsync(access, request.PatientId, request.Prefetch, context.RequestAborted);
                var time = context.RequestServices.GetRequiredService<TimeProvider>();
                await access.RecordSuccessAsync(context.RequestAborted);
                return Results.Json(new JsonObject { ["cards"] = new JsonArray([.. DeteriorationCards.For(seen, time.LocalTimeZone)]) });
            }

            var patient = IsElsewhere(request.FhirServer, context.Request)
                ? record.Elsewhere(request.FhirServer!, request.Prefetch)
                : await record.ReadAsync(access, request.PatientId, request.Prefetch, context.RequestAborted);
            var cards = new JsonArray();
            foreach (var order in request.DraftOrders)
            {
                foreach (var card in CdsCards.For(order, checks.Run(order, patient, request.AllDraftOrders)))
                {
                    cards.Add(card);
                }
            }

            await access.RecordSuccessAsync(context.RequestAborted);
            return Results.Json(new JsonObject { ["cards"] = cards });
        }
        catch (FhirException e)
        {
            await access.RecordFailureAsync(e.Status, e.Message, CancellationToken.None);
            return Error(e.Status, e.Message);
        }
    }

    /// <summary>Whether the caller's fhirServer is another system than this OpenWard (whose FHIR base is /fhir on the host called).</summary>
    private static bool IsElsewhere(Uri? fhirServer, HttpRequest request) =>
        fhirServer is not null
        && !(string.Equals(fhirServer.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase) && fhirServer.AbsolutePath.TrimEnd('/') == $"{request.PathBase}/fhir");

    private static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["error"] = message }, statusCode: status);
}
