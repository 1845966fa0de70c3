using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines;
using OpenWard.Clinical.Medicines.Checks;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
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
        app.MapPost("/cds-services/{id}", (HttpContext context, string id, FhirRestService fhir, MedicationChecks checks, ParsedResources parsed) => CallAsync(context, id, fhir, checks, parsed));
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
                ["patient"] = "Patient/{{context.patientId}}",
                ["allergies"] = "AllergyIntolerance?patient={{context.patientId}}",
                ["conditions"] = "Condition?patient={{context.patientId}}",
                ["observations"] = "Observation?patient={{context.patientId}}&_sort=-date&_count=500",
                ["medications"] = "MedicationRequest?patient={{context.patientId}}&status=active,on-hold",
            },
        })]),
    };

    private static async Task<IResult> CallAsync(HttpContext context, string id, FhirRestService fhir, MedicationChecks checks, ParsedResources parsed)
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
            var patient = IsElsewhere(request.FhirServer, context.Request)
                ? RecordElsewhere(request, checks.Formulary, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow())
                : await PatientContextAsync(fhir, parsed, context.RequestServices.GetRequiredService<AccessGate>(), access, request, checks.Formulary, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), context.RequestAborted);
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

    /// <summary>
    /// The patient is in another system's record: its ids mean nothing here, so OpenWard's own record
    /// is not read. What the prefetch holds is used; everything else is reported as not read.
    /// </summary>
    private static PatientContext RecordElsewhere(CdsRequest request, Formulary formulary, DateTimeOffset now)
    {
        var prefetched = request.Prefetch.Values.SelectMany(r => r).ToList();
        var notRead = new Dictionary<PatientData, string>();
        foreach (var (data, (key, resourceType)) in PrefetchKeys)
        {
            if (!request.Prefetch.ContainsKey(key) && prefetched.All(r => r.TypeName != resourceType))
                notRead[data] = $"{resourceType} records are in {request.FhirServer}, which OpenWard does not read (fhirServer is not fetched yet): send them as prefetch '{key}'";
        }

        return PatientRecordQueries.Context(prefetched.OfType<Patient>().FirstOrDefault(), prefetched.Where(r => r is not Patient), notRead, now);
    }

    /// <summary>The prefetch keys the services declare, by the kind of record each holds.</summary>
    private static readonly Dictionary<PatientData, (string Key, string ResourceType)> PrefetchKeys = new()
    {
        [PatientData.Demographics] = ("patient", "Patient"),
        [PatientData.Allergies] = ("allergies", "AllergyIntolerance"),
        [PatientData.Conditions] = ("conditions", "Condition"),
        [PatientData.Observations] = ("observations", "Observation"),
        [PatientData.Medications] = ("medications", "MedicationRequest"),
    };

    /// <summary>
    /// What the checks need about the patient: from the prefetch where the client sent it (by the
    /// declared key, or any key holding that resource type), otherwise read from the record with the
    /// caller's access. What the caller may not read gives a reason instead, so the checks that need
    /// it say they did not run rather than pass.
    /// </summary>
    private static async Task<PatientContext> PatientContextAsync(FhirRestService fhir, ParsedResources parsed, AccessGate gate, RequestAccess access, CdsRequest request, Formulary formulary, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resources = new List<Resource>();
        var notRead = new Dictionary<PatientData, string>();
        var prefetched = request.Prefetch.Values.SelectMany(r => r).ToList();
        var patientId = request.PatientId;
        const string NoAccess = "could not be read with your access (a care relationship or break-glass gives it)";

        async Task<bool> MayReadAsync(PatientData data, string resourceType)
        {
            if (access.SeesEverything
                || (await gate.DecideForRecordAsync(access.Principal, patientId, DataCategories.Of(resourceType), FhirAction.Read, cancellationToken)).Policy.Decision == AccessDecision.Allow)
            {
                return true;
            }

            notRead[data] = $"the {resourceType} records of Patient/{patientId} {NoAccess}";
            return false;
        }

        var patient = prefetched.OfType<Patient>().FirstOrDefault();
        if (patient is null && !request.Prefetch.ContainsKey(PrefetchKeys[PatientData.Demographics].Key) && await MayReadAsync(PatientData.Demographics, "Patient"))
        {
            try
            {
                var read = await fhir.ReadAsync(access, "Patient", patientId, cancellationToken);
                patient = read.Stored is { Json: not null } stored ? parsed.Get(stored) as Patient : null;
            }
            catch (FhirException e) when (e.Status is 403 or 404 or 410)
            {
                notRead[PatientData.Demographics] = $"Patient/{patientId} could not be read ({e.Message})";
            }
        }

        foreach (var (data, resourceType, criteria) in PatientRecordQueries.For(patientId, formulary, now))
        {
            if (request.Prefetch.ContainsKey(PrefetchKeys[data].Key) || prefetched.Any(r => r.TypeName == resourceType))
            {
                resources.AddRange(prefetched.Where(r => r.TypeName == resourceType));
                continue;
            }

            if (!await MayReadAsync(data, resourceType))
                continue;
            try
            {
                var response = await fhir.SearchAsync(access, resourceType, [.. criteria, new("_count", PatientRecordQueries.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("_total", "none"), .. resourceType == "Observation" ? [new KeyValuePair<string, string>("_sort", "-date")] : Array.Empty<KeyValuePair<string, string>>()], lenient: false, null, cancellationToken);
                resources.AddRange(response.Bundle!.Entries
                    .Where(e => e.SearchMode == Bundle.SearchEntryMode.Match && e.Stored?.Json is not null)
                    .Select(e => parsed.Get(e.Stored!)));
            }
            catch (FhirException e) when (e.Status == 403)
            {
                notRead[data] = $"the {resourceType} records of Patient/{patientId} {NoAccess} ({e.Message})";
            }
        }

        return PatientRecordQueries.Context(patient, resources, notRead, now);
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["error"] = message }, statusCode: status);
}
