using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenWard.Web.Tests.Observations;

/// <summary>
/// Generated input, not hand-picked: 200 random mutations of a full set of observations sent as a
/// transaction (a sender's NEWS2 total and "suspected infection" included; values, units, codes,
/// times and references replaced by nulls, wrong types, huge, negative, empty or odd values, members
/// removed), then CDS Hooks <c>patient-view</c> for the patient. Whatever a client sends is answered
/// with a clear status (200, 400 or 422 for the transaction; 200 or 400 from CDS Hooks) and a JSON
/// body, never a 500. The seed is fixed, so a failure can be replayed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ObservationSetFuzzTests(ServerFixture server)
{
    private static readonly HashSet<string> Kept = ["resourceType", "type", "request", "entry", "resource"];

    private static readonly JsonNode?[] Replacements =
    [
        null, "", "x", -1, 0, 0.0000001m, 1e28m, 79228162514264337593543950335m, true, new JsonObject(), new JsonArray(), "1e999",
        new string('a', 5000), "/min", "Cel", "[degF]", "%", "mm[Hg]", "2026-13-45T25:61:00Z", "2026", "2026-12-08", "2026-12-08T10:00:00+14:00",
        "1104051000000101", "722742002", "371825009", "130987000", "http://snomed.info/sct", "http://loinc.org", "Patient/nobody", "entered-in-error",
        JsonValue.Create(int.MaxValue), 700, 39.1m, 91, 220,
    ];

    [Fact]
    public async Task Two_hundred_mutated_sets_are_never_a_server_error_in_a_transaction_or_in_cds_patient_view()
    {
        var patient = $"fuzz-obs-{Guid.NewGuid():N}"[..24];
        using var system = await server.ClientWithScopeAsync();
        using (var put = await system.PutAsync($"Patient/{patient}", new StringContent($$"""{"resourceType":"Patient","id":"{{patient}}","birthDate":"1960-02-02"}""", Encoding.UTF8, "application/fhir+json")))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        using var cds = new HttpClient();
        cds.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("system/*.cruds"));

        var random = new Random(20261208);
        var failures = new List<string>();
        var statuses = new Dictionary<HttpStatusCode, int>();
        var start = DateTimeOffset.UtcNow.AddHours(-10);
        for (var n = 0; n < 200; n++)
        {
            var bundle = Set(patient, start.AddMinutes(n));
            for (var m = n == 0 ? 0 : random.Next(1, 4); m > 0; m--)
                GeneratedInput.Mutate(bundle, random, Replacements, Kept);
            var json = bundle.ToJsonString();
            using (var written = await system.PostAsync("", new StringContent(json, Encoding.UTF8, "application/fhir+json")))
            {
                if (n == 0)
                    Assert.True(written.StatusCode == HttpStatusCode.OK, "the set before any mutation: " + await written.Content.ReadAsStringAsync());
                statuses[written.StatusCode] = statuses.GetValueOrDefault(written.StatusCode) + 1;
                await GeneratedInput.ExpectAsync(written, [HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.UnprocessableEntity], $"transaction {json}", failures);
            }

            var request = new JsonObject
            {
                ["hook"] = "patient-view",
                ["hookInstance"] = Guid.NewGuid().ToString(),
                ["context"] = new JsonObject { ["userId"] = "Practitioner/fuzz", ["patientId"] = patient },
            };
            using var viewed = await cds.PostAsync($"{server.BaseUrl}/cds-services/patient-view", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
            await GeneratedInput.ExpectAsync(viewed, [HttpStatusCode.OK], $"patient-view after {json}", failures);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5)));
        // The space was exercised: sets stored and scored, and sets refused.
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) >= 20, string.Join(", ", statuses));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) + statuses.GetValueOrDefault(HttpStatusCode.UnprocessableEntity) >= 20, string.Join(", ", statuses));
        using var scores = await system.GetAsync($"Observation?subject=Patient/{patient}&code=http://snomed.info/sct|1104051000000101&_tag=https://fhir.openward.example/CodeSystem/news2|openward-score&_summary=count");
        var total = JsonNode.Parse(await scores.Content.ReadAsStringAsync())!["total"]!.GetValue<int>();
        Assert.True(total >= 20, $"only {total} scores for {statuses.GetValueOrDefault(HttpStatusCode.OK)} sets stored");
    }

    private static JsonObject Set(string patient, DateTimeOffset at)
    {
        var when = at.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        JsonObject Observation(string system, string code, JsonObject? value, string valueName = "valueQuantity") => new()
        {
            ["resourceType"] = "Observation",
            ["status"] = "final",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
            ["effectiveDateTime"] = when,
            [valueName] = value,
        };
        JsonObject Quantity(decimal value, string unit) => new() { ["value"] = value, ["unit"] = unit, ["system"] = "http://unitsofmeasure.org", ["code"] = unit };

        var bloodPressure = Observation("http://loinc.org", "85354-9", null);
        bloodPressure.Remove("valueQuantity");
        bloodPressure["component"] = new JsonArray(
            new JsonObject { ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "8480-6" }) }, ["valueQuantity"] = Quantity(95, "mm[Hg]") },
            new JsonObject { ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "8462-4" }) }, ["valueQuantity"] = Quantity(60, "mm[Hg]") });
        var air = Observation("http://snomed.info/sct", "371825009", null);
        air.Remove("valueQuantity");
        air["component"] = new JsonArray(new JsonObject { ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "3151-8" }) }, ["valueQuantity"] = Quantity(2, "L/min") });
        var acvpu = Observation("http://snomed.info/sct", "1104441000000107", new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://snomed.info/sct", ["code"] = "300202002" }) }, "valueCodeableConcept");
        var infection = Observation("https://fhir.openward.example/CodeSystem/sepsis", "suspected-infection", null);
        infection.Remove("valueQuantity");
        infection["valueBoolean"] = true;
        var senderScore = Observation("http://snomed.info/sct", "1104051000000101", Quantity(9, "{ScoreOf}"));
        senderScore["component"] = new JsonArray(new JsonObject { ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://snomed.info/sct", ["code"] = "1104301000000104" }) }, ["valueQuantity"] = Quantity(2, "{ScoreOf}") });

        var resources = new[]
        {
            senderScore,
            Observation("http://loinc.org", "9279-1", Quantity(24, "/min")),
            Observation("http://loinc.org", "2708-6", Quantity(93, "%")),
            air,
            bloodPressure,
            Observation("http://loinc.org", "8867-4", Quantity(118, "/min")),
            acvpu,
            Observation("http://loinc.org", "8310-5", Quantity(38.6m, "Cel")),
            infection,
        };
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray([.. resources.Select(r => (JsonNode)new JsonObject { ["resource"] = r, ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Observation" } })]),
        };
    }

}
