using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines.Checks;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;

namespace OpenWard.Web.CdsHooks;

/// <summary>
/// CDS Hooks 2.0 (https://cds-hooks.hl7.org/2.0/): the medication checks of
/// <see cref="MedicationChecks"/> as the <c>order-select</c> and <c>order-sign</c> services, for
/// another system's draft MedicationRequests. Discovery is public; a call needs an OpenWard bearer
/// token (system or user), and what the service reads from the record it reads with the caller's access.
/// </summary>
public static class CdsHooksEndpoints
{
    /// <summary>The services, by id; each id is the hook it serves.</summary>
    public static readonly IReadOnlyList<string> Hooks = ["order-select", "order-sign"];

    /// <summary>Largest request accepted: a few draft orders and their prefetch.</summary>
    private const long MaxBodyBytes = 4 * 1024 * 1024;

    public static void Map(WebApplication app)
    {
        app.MapGet("/cds-services", () => Results.Json(Discovery()));
        app.MapPost("/cds-services/{id}", (HttpContext context, string id, FhirRestService fhir, MedicationChecks checks) => CallAsync(context, id, fhir, checks));
    }

    private static JsonObject Discovery() => new()
    {
        ["services"] = new JsonArray([.. Hooks.Select(hook => (JsonNode)new JsonObject
        {
            ["hook"] = hook,
            ["id"] = hook,
            ["title"] = "OpenWard medication checks",
            ["description"] = "Checks draft MedicationRequests against the patient's record: what alerted, and what could not be checked and why.",
            ["prefetch"] = new JsonObject
            {
                ["allergies"] = "AllergyIntolerance?patient={{context.patientId}}",
            },
        })]),
    };

    private static async Task<IResult> CallAsync(HttpContext context, string id, FhirRestService fhir, MedicationChecks checks)
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
            var patient = request.PrefetchedAllergies is { } prefetched
                ? new PatientContext(prefetched)
                : await PatientContextAsync(fhir, context.RequestServices.GetRequiredService<AccessGate>(), access, request.PatientId, context.RequestAborted);
            var cards = new JsonArray();
            foreach (var order in request.DraftOrders)
            {
                foreach (var card in CdsCards.For(order, checks.Run(order, patient)))
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

    /// <summary>
    /// The patient's allergies, read with the caller's access. A patient the caller may not open (or
    /// none) gives no allergies and a reason, so the allergy check says it did not run rather than pass.
    /// </summary>
    private static async Task<PatientContext> PatientContextAsync(FhirRestService fhir, AccessGate gate, RequestAccess access, string patientId, CancellationToken cancellationToken)
    {
        const string NotRead = "could not be read with your access (a care relationship or break-glass gives it), so the order was not compared with them.";
        if (!access.SeesEverything
            && (await gate.DecideForRecordAsync(access.Principal, patientId, DataCategories.Of("AllergyIntolerance"), FhirAction.Read, cancellationToken)).Policy.Decision != AccessDecision.Allow)
        {
            return new PatientContext([], $"the allergies of Patient/{patientId} {NotRead}");
        }

        try
        {
            return new PatientContext(await AllergiesAsync(fhir, access, patientId, cancellationToken));
        }
        catch (FhirException e) when (e.Status == 403)
        {
            return new PatientContext([], $"the allergies of Patient/{patientId} {NotRead} ({e.Message})");
        }
    }

    private static async Task<IReadOnlyList<AllergyIntolerance>> AllergiesAsync(FhirRestService fhir, IFhirAccess access, string patientId, CancellationToken cancellationToken)
    {
        var response = await fhir.SearchAsync(access, "AllergyIntolerance", [new("patient", patientId), new("_count", "200")], lenient: false, null, cancellationToken);
        return [.. response.Bundle!.Entries
            .Where(e => e.SearchMode == Bundle.SearchEntryMode.Match && e.Stored?.Json is not null)
            .Select(e => FhirSerialization.ParseJson(e.Stored!.Json!))
            .OfType<AllergyIntolerance>()];
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["error"] = message }, statusCode: status);
}
