using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenWard.Web.Tests.CdsHooks;

/// <summary>
/// Generated input, not hand-picked: 200 random mutations of a full order (values replaced by nulls,
/// wrong types, huge, negative or empty values, members removed), each sent to CDS Hooks
/// <c>order-sign</c> and written to <c>/fhir/MedicationRequest</c>. Whatever a client sends is
/// answered with a clear status (200 or 400 from CDS Hooks; 201, 400 or 422 from the FHIR API) and a
/// JSON body, never a 500. The seed is fixed, so a failure can be replayed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OrderFuzzTests(ServerFixture server)
{
    private static readonly HashSet<string> Kept = ["resourceType"];

    private static readonly JsonNode?[] Replacements =
    [
        null, "", "x", -1, 0, 0.0000001m, 1e28m, 79228162514264337593543950335m, true, new JsonObject(), new JsonArray(), "1e999",
        new string('a', 5000), "mg/kg", "[iU]", "mL", "wk", "BID", "26643006", "-5", JsonValue.Create(int.MaxValue),
    ];

    [Fact]
    public async Task Two_hundred_mutated_orders_are_never_a_server_error_on_either_path()
    {
        var patient = $"fuzz-{Guid.NewGuid():N}"[..20];
        using var system = await server.ClientWithScopeAsync();
        await RequireAsync(system, $"Patient/{patient}", $$$"""{"resourceType":"Patient","id":"{{{patient}}}","birthDate":"2020-05-01"}""");
        await RequireAsync(system, $"Observation/{patient}-w", $$$"""{"resourceType":"Observation","id":"{{{patient}}}-w","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/{{{patient}}}"},"effectiveDateTime":"{{{DateTime.UtcNow:yyyy-MM-dd}}}","valueQuantity":{"value":18,"system":"http://unitsofmeasure.org","code":"kg"}}""");
        var active = Order(patient);
        active["id"] = $"{patient}-para";
        await RequireAsync(system, $"MedicationRequest/{patient}-para", active.ToJsonString());
        using var cds = new HttpClient();
        cds.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("system/*.cruds"));

        var random = new Random(20261208);
        var failures = new List<string>();
        for (var n = 0; n < 200; n++)
        {
            var order = Order(patient);
            for (var m = random.Next(1, 4); m > 0; m--)
                GeneratedInput.Mutate(order, random, Replacements, Kept);
            var json = order.ToJsonString();

            var request = new JsonObject
            {
                ["hook"] = "order-sign",
                ["hookInstance"] = Guid.NewGuid().ToString(),
                ["context"] = new JsonObject
                {
                    ["patientId"] = patient,
                    ["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(new JsonObject { ["resource"] = JsonNode.Parse(json) }) },
                },
            };
            using (var signed = await cds.PostAsync($"{server.BaseUrl}/cds-services/order-sign", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json")))
            {
                await GeneratedInput.ExpectAsync(signed, [HttpStatusCode.OK, HttpStatusCode.BadRequest], $"order-sign {json}", failures);
            }

            using var written = await system.PostAsync("MedicationRequest", new StringContent(json, Encoding.UTF8, "application/fhir+json"));
            await GeneratedInput.ExpectAsync(written, [HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.UnprocessableEntity], $"POST {json}", failures);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5)));
    }

    private static JsonObject Order(string patient) => JsonNode.Parse($$$"""
        {"resourceType":"MedicationRequest","status":"active","intent":"order",
         "contained":[{"resourceType":"Medication","id":"m","code":{"text":"Paracetamol 120mg/5ml oral suspension"}}],
         "medicationReference":{"reference":"#m"},
         "subject":{"reference":"Patient/{{{patient}}}"},
         "reasonCode":[{"text":"fever"}],
         "dosageInstruction":[{"route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006","display":"Oral"}]},
           "timing":{"repeat":{"frequency":4,"period":1,"periodUnit":"d"},"code":{"text":"QID"}},
           "asNeededBoolean":true,
           "maxDosePerPeriod":{"numerator":{"value":1000,"system":"http://unitsofmeasure.org","code":"mg"},"denominator":{"value":1,"system":"http://unitsofmeasure.org","code":"d"}},
           "doseAndRate":[{"doseQuantity":{"value":250,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}]}]}
        """)!.AsObject();

    private static async Task RequireAsync(HttpClient client, string url, string body)
    {
        using var response = await client.PutAsync(url, new StringContent(body, Encoding.UTF8, "application/fhir+json"));
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
