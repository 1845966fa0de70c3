using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenWard.LoadTool;

/// <summary>
/// CDS Hooks <c>order-sign</c> (issue #18's target: p99 ≤ 20 ms for a patient on 30 active
/// medicines, 8 clients, ≥ 500 checked orders a second): one patient with a weight, renal and
/// laboratory results, an allergy and 30 active orders is written once; each operation asks the
/// service to check one draft order with no prefetch, so it reads the record as a caller would.
/// </summary>
public sealed class CdsScenarios(HttpClient http)
{
    /// <summary>Thirty regular medicines (name, mg, doses a day, route), at ordinary adult doses so writing them raises no hard stop.</summary>
    private static readonly (string Name, decimal Dose, int PerDay, string Route)[] ActiveOrders =
    [
        ("Amlodipine", 5, 1, "oral"), ("Ramipril", 5, 1, "oral"), ("Bisoprolol", 2.5m, 1, "oral"), ("Simvastatin", 40, 1, "oral"),
        ("Metformin", 500, 2, "oral"), ("Gliclazide", 80, 1, "oral"), ("Levothyroxine", 0.1m, 1, "oral"), ("Omeprazole", 20, 1, "oral"),
        ("Furosemide", 40, 1, "oral"), ("Clopidogrel", 75, 1, "oral"), ("Allopurinol", 100, 1, "oral"), ("Sertraline", 50, 1, "oral"),
        ("Amitriptyline", 10, 1, "oral"), ("Senna", 15, 1, "oral"), ("Lactulose", 10, 2, "oral"), ("Paracetamol", 1000, 4, "oral"),
        ("Morphine", 5, 6, "oral"), ("Cyclizine", 50, 3, "oral"), ("Salbutamol", 2.5m, 4, "inhalation"), ("Ipratropium", 0.5m, 4, "inhalation"),
        ("Prednisolone", 30, 1, "oral"), ("Doxycycline", 100, 1, "oral"), ("Enoxaparin", 40, 1, "subcutaneous"), ("Folic acid", 5, 1, "oral"),
        ("Thiamine", 100, 3, "oral"), ("Tamsulosin", 0.4m, 1, "oral"), ("Finasteride", 5, 1, "oral"), ("Donepezil", 5, 1, "oral"),
        ("Mirtazapine", 15, 1, "oral"), ("Lansoprazole", 30, 1, "oral"),
    ];

    /// <summary>The draft orders checked, in turn: ordinary, duplicated, over the limit, allergic.</summary>
    private static readonly (string Name, decimal Dose, int PerDay, string Route)[] Drafts =
    [
        ("Amoxicillin", 500, 3, "oral"), ("Ibuprofen", 400, 3, "oral"), ("Paracetamol", 1000, 4, "oral"), ("Gentamicin", 400, 1, "intravenous"),
        ("Enoxaparin", 80, 2, "subcutaneous"), ("Warfarin", 5, 1, "oral"), ("Clarithromycin", 500, 2, "oral"), ("Digoxin", 0.125m, 1, "oral"),
    ];

    private string _patient = "";

    /// <summary>Writes the patient and their record through the FHIR API (so every order passes the write-path checks).</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _patient = $"cds-load-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await PutAsync($"Patient/{_patient}", new JsonObject { ["resourceType"] = "Patient", ["id"] = _patient, ["birthDate"] = "1948-03-02", ["name"] = new JsonArray(new JsonObject { ["family"] = "Loadtest" }) }, cancellationToken);
        foreach (var (id, loinc, value, unit) in new[] { ("weight", "29463-7", 72m, "kg"), ("egfr", "62238-1", 48m, "mL/min/{1.73_m2}"), ("k", "2823-3", 4.6m, "mmol/L"), ("inr", "6301-6", 1.1m, "{INR}"), ("plt", "777-3", 210m, "10*9/L") })
        {
            await PutAsync($"Observation/{_patient}-{id}", new JsonObject
            {
                ["resourceType"] = "Observation",
                ["id"] = $"{_patient}-{id}",
                ["status"] = "final",
                ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = loinc }) },
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{_patient}" },
                ["effectiveDateTime"] = now,
                ["valueQuantity"] = new JsonObject { ["value"] = value, ["unit"] = unit, ["system"] = "http://unitsofmeasure.org", ["code"] = unit },
            }, cancellationToken);
        }

        await PutAsync($"AllergyIntolerance/{_patient}-pen", new JsonObject { ["resourceType"] = "AllergyIntolerance", ["id"] = $"{_patient}-pen", ["code"] = new JsonObject { ["text"] = "Penicillin" }, ["patient"] = new JsonObject { ["reference"] = $"Patient/{_patient}" } }, cancellationToken);
        for (var n = 0; n < ActiveOrders.Length; n++)
        {
            await PutAsync($"MedicationRequest/{_patient}-{n}", Order($"{_patient}-{n}", "active", ActiveOrders[n]), cancellationToken);
        }
    }

    /// <summary>One order-sign call for one draft order; throws unless it answers 200 with cards.</summary>
    public async Task<int> OrderSignAsync(int client, CancellationToken cancellationToken)
    {
        var draft = Drafts[Random.Shared.Next(Drafts.Length)];
        var request = new JsonObject
        {
            ["hook"] = "order-sign",
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["context"] = new JsonObject
            {
                ["userId"] = "Practitioner/load",
                ["patientId"] = _patient,
                ["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(new JsonObject { ["resource"] = Order("draft", "draft", draft) }) },
            },
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(http.BaseAddress!, "../cds-services/order-sign"), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains("\"cards\"", StringComparison.Ordinal))
            throw new HttpRequestException($"{(int)response.StatusCode} from order-sign: {body[..Math.Min(body.Length, 300)]}");
        return 1;
    }

    private JsonObject Order(string id, string status, (string Name, decimal Dose, int PerDay, string Route) order) => new()
    {
        ["resourceType"] = "MedicationRequest",
        ["id"] = id,
        ["status"] = status,
        ["intent"] = "order",
        ["medicationCodeableConcept"] = new JsonObject { ["text"] = order.Name },
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{_patient}" },
        ["dosageInstruction"] = new JsonArray(new JsonObject
        {
            ["route"] = new JsonObject { ["text"] = order.Route },
            ["timing"] = new JsonObject { ["repeat"] = new JsonObject { ["frequency"] = order.PerDay, ["period"] = 1, ["periodUnit"] = "d" } },
            ["doseAndRate"] = new JsonArray(new JsonObject { ["doseQuantity"] = new JsonObject { ["value"] = order.Dose, ["unit"] = "mg", ["system"] = "http://unitsofmeasure.org", ["code"] = "mg" } }),
        }),
    };

    private async Task PutAsync(string path, JsonObject resource, CancellationToken cancellationToken)
    {
        using var content = new StringContent(resource.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(HttpScenarios.FhirJson);
        using var response = await http.PutAsync(path, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Preparing the order-sign patient: {(int)response.StatusCode} from PUT {path}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }
}
