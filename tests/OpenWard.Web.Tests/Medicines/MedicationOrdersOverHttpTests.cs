using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Tests.Security;

namespace OpenWard.Web.Tests.Medicines;

/// <summary>
/// The medication checks on every path an order can take (issue #18): a ten-fold weight-based
/// anticoagulant dose for a child is refused by POST, PUT, PATCH and a transaction entry, by a
/// system and by a doctor, and reported as a critical card by CDS Hooks order-sign reading the
/// record; an order with a warning is stored with its alerts as DetectedIssues linked both ways; a
/// documented override lets a hard stop through and is kept in the ledger. Runs on both engines.
/// </summary>
public abstract class MedicationOrdersOverHttpTests(ServerFixture server)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    public static TheoryData<string> Writers() => ["system", "doctor"];

    /// <summary>A four-year-old of 16 kg (weighed yesterday), in hospital, with a penicillin allergy, and a client for the writer.</summary>
    private async Task<(HttpClient Client, string Patient)> ArrangeChildAsync(string writer, string name)
    {
        var id = $"{name}-{_run}";
        var ward = $"ward-{id}";
        var born = DateTime.UtcNow.AddYears(-4).AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var weighed = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using var system = await server.ClientWithScopeAsync();
        await RequireAsync(system, HttpMethod.Put, $"Location/{ward}", $$$"""{"resourceType":"Location","id":"{{{ward}}}","name":"Ward {{{id}}}"}""");
        await RequireAsync(system, HttpMethod.Put, $"Patient/{id}", $$$"""{"resourceType":"Patient","id":"{{{id}}}","birthDate":"{{{born}}}","name":[{"family":"Meds{{{_run}}}"}]}""");
        await RequireAsync(system, HttpMethod.Put, $"Encounter/{id}-stay", $$$"""{"resourceType":"Encounter","id":"{{{id}}}-stay","status":"in-progress","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},"subject":{"reference":"Patient/{{{id}}}"},"location":[{"location":{"reference":"Location/{{{ward}}}"},"status":"active"}]}""");
        await RequireAsync(system, HttpMethod.Put, $"Observation/{id}-weight", $$$"""{"resourceType":"Observation","id":"{{{id}}}-weight","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7","display":"Body weight"}]},"subject":{"reference":"Patient/{{{id}}}"},"effectiveDateTime":"{{{weighed}}}","valueQuantity":{"value":16,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}""");
        await RequireAsync(system, HttpMethod.Put, $"AllergyIntolerance/{id}-allergy", $$$"""{"resourceType":"AllergyIntolerance","id":"{{{id}}}-allergy","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},"code":{"text":"Penicillin"},"patient":{"reference":"Patient/{{{id}}}"}}""");
        if (writer == "system")
            return (await server.ClientWithScopeAsync(), id);
        var doctor = $"meds-doctor-{id}";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(doctor, "Medi Doctor", StaffRole.Doctor) { Wards = [ward] }, default);
        return (StaffTokens.Client(server, doctor), id);
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_ten_fold_child_anticoagulant_dose_is_refused_on_every_write_path(string writer)
    {
        var (client, patient) = await ArrangeChildAsync(writer, "tenfold");
        using (client)
        {
            // 320 mg is 20 mg/kg for 16 kg, where 1 mg/kg every 12 hours is the child's treatment dose.
            var tenFold = Order(null, patient, "Enoxaparin", 320);
            await AssertHardStopAsync(client, HttpMethod.Post, "MedicationRequest", tenFold);
            await AssertHardStopAsync(client, HttpMethod.Post, "", $$$"""{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:{{{Guid.NewGuid()}}}","resource":{{{tenFold}}},"request":{"method":"POST","url":"MedicationRequest"}}]}""");

            using var created = await client.PostAsync("MedicationRequest", Body(Order(null, patient, "Enoxaparin", 16)));
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            var right = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            await AssertHardStopAsync(client, HttpMethod.Put, $"MedicationRequest/{right}", Order(right, patient, "Enoxaparin", 320));
            await AssertHardStopAsync(client, HttpMethod.Patch, $"MedicationRequest/{right}", """[{"op":"replace","path":"/dosageInstruction/0/doseAndRate/0/doseQuantity/value","value":320}]""", "application/json-patch+json");

            using var search = await client.GetAsync($"MedicationRequest?patient={patient}");
            var orders = await search.Content.ReadAsStringAsync();
            Assert.Equal(1, Matches(orders));
            var dose = JsonNode.Parse(orders)!["entry"]![0]!["resource"]!["dosageInstruction"]![0]!["doseAndRate"]![0]!["doseQuantity"]!["value"]!.GetValue<decimal>();
            Assert.Equal(16m, dose);
        }
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task An_order_with_a_warning_is_stored_with_its_alerts_as_detected_issues_linked_both_ways(string writer)
    {
        var (client, patient) = await ArrangeChildAsync(writer, "ledger");
        using (client)
        {
            using var created = await client.PostAsync("MedicationRequest", Body(Order(null, patient, "Amoxicillin", 250, route: "oral", perDay: 3)));
            var text = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.Created, text);
            var order = JsonNode.Parse(text)!;
            var linked = order["detectedIssue"]!.AsArray().Select(r => r!["reference"]!.GetValue<string>()).ToList();
            Assert.NotEmpty(linked);

            using var ledger = await client.GetAsync($"DetectedIssue?patient={patient}");
            var issues = JsonNode.Parse(await ledger.Content.ReadAsStringAsync())!["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
            Assert.Equal(linked.Order(StringComparer.Ordinal), issues.Select(i => $"DetectedIssue/{i["id"]}").Order(StringComparer.Ordinal));
            var allergy = Assert.Single(issues, i => i["code"]!["coding"]![0]!["code"]!.GetValue<string>() == "allergy");
            Assert.Equal("moderate", allergy["severity"]!.GetValue<string>());
            var implicated = allergy["implicated"]!.AsArray().Select(r => r!["reference"]!.GetValue<string>()).ToList();
            Assert.Contains($"MedicationRequest/{order["id"]}", implicated);
            Assert.Contains($"AllergyIntolerance/{patient}-allergy", implicated);
            Assert.Contains(issues, i => i["code"]!["coding"]![0]!["code"]!.GetValue<string>() == "not-checked" && i["detail"]!.GetValue<string>().Contains("illustrative", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_documented_override_lets_a_hard_stop_through_and_the_ledger_keeps_who_and_why()
    {
        var (client, patient) = await ArrangeChildAsync("system", "override");
        using (client)
        {
            // An override of the single dose alone leaves the daily dose's hard stop standing.
            await AssertHardStopAsync(client, HttpMethod.Post, "MedicationRequest", Overridden(patient, ""","code":{"coding":[{"system":"https://fhir.openward.example/CodeSystem/medication-check-category","code":"single-dose"}]}"""));

            using var created = await client.PostAsync("MedicationRequest", Body(Overridden(patient, "")));
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

            using var ledger = await client.GetAsync($"DetectedIssue?patient={patient}");
            var issues = JsonNode.Parse(await ledger.Content.ReadAsStringAsync())!["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
            var stops = issues.Where(i => i["severity"]!.GetValue<string>() == "high").ToList();
            Assert.Equal(2, stops.Count); // the single and the daily dose
            Assert.All(stops, stop => Assert.Equal("Practitioner/consultant-1", stop["mitigation"]![0]!["author"]!["reference"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Recording_an_allergy_or_a_result_rechecks_active_orders_and_keeps_what_it_raised()
    {
        var (client, patient) = await ArrangeChildAsync("system", "both-ways");
        using (client)
        {
            await RequireAsync(client, HttpMethod.Put, $"MedicationRequest/{patient}-cef", Order($"{patient}-cef", patient, "Cefalexin", 200, route: "oral", perDay: 3));
            await RequireAsync(client, HttpMethod.Put, $"AllergyIntolerance/{patient}-ceph", $$$"""{"resourceType":"AllergyIntolerance","id":"{{{patient}}}-ceph","code":{"text":"Cefalexin"},"patient":{"reference":"Patient/{{{patient}}}"}}""");

            using var ledger = await client.GetAsync($"DetectedIssue?patient={patient}");
            var issues = JsonNode.Parse(await ledger.Content.ReadAsStringAsync())!["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
            var raised = Assert.Single(issues, i => i["implicated"]!.AsArray().Any(r => r!["reference"]!.GetValue<string>() == $"AllergyIntolerance/{patient}-ceph"));
            Assert.Contains(raised["implicated"]!.AsArray(), r => r!["reference"]!.GetValue<string>() == $"MedicationRequest/{patient}-cef");
            Assert.Equal("allergy", raised["code"]!["coding"]![0]!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_order_for_no_patient_is_still_checked()
    {
        using var system = await server.ClientWithScopeAsync();
        var insulinInMillilitres = JsonNode.Parse(Order(null, "x", "Insulin", 10))!.AsObject();
        insulinInMillilitres["subject"] = new JsonObject { ["reference"] = $"Group/ward-stock-{_run}" };
        insulinInMillilitres["dosageInstruction"]![0]!["doseAndRate"]![0]!["doseQuantity"] = new JsonObject { ["value"] = 10, ["unit"] = "mL", ["system"] = "http://unitsofmeasure.org", ["code"] = "mL" };

        using var response = await system.PostAsync("MedicationRequest", Body(insulinInMillilitres.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == 422, text);
        Assert.Contains("MEDICATION_HARD_STOP", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cds_order_sign_reads_weight_and_age_from_the_record_and_hard_stops_the_ten_fold_dose()
    {
        var (client, patient) = await ArrangeChildAsync("system", "cds");
        client.Dispose();
        using var cds = new HttpClient();
        cds.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("system/*.cruds"));

        var tenFold = await CardsAsync(cds, patient, Order("draft-1", patient, "Enoxaparin", 320, status: "draft"));
        var critical = tenFold.Where(c => c.GetProperty("indicator").GetString() == "critical").Select(c => c.GetProperty("extension").GetProperty("openward")).ToList();
        Assert.Contains(critical, c => c.GetProperty("category").GetString() == "single-dose" && c.GetProperty("severity").GetString() == "hard-stop");

        var right = await CardsAsync(cds, patient, Order("draft-1", patient, "Enoxaparin", 16, status: "draft"));
        Assert.DoesNotContain(right, c => c.GetProperty("indicator").GetString() is "critical" or "warning");
    }

    /// <summary>The ten-fold order with a contained DetectedIssue documenting an override (reason and who), for the categories <paramref name="code"/> names (all when empty).</summary>
    private static string Overridden(string patient, string code)
    {
        var order = JsonNode.Parse(Order(null, patient, "Enoxaparin", 320))!.AsObject();
        order["contained"] = new JsonArray(JsonNode.Parse($$$"""{"resourceType":"DetectedIssue","id":"ovr","status":"final"{{{code}}},"patient":{"reference":"Patient/{{{patient}}}"},"mitigation":[{"action":{"text":"Dose confirmed with the haematology consultant"},"author":{"reference":"Practitioner/consultant-1"}}]}"""));
        order["detectedIssue"] = new JsonArray(new JsonObject { ["reference"] = "#ovr" });
        return order.ToJsonString();
    }

    private static string Order(string? id, string patient, string medicine, decimal mg, string route = "subcutaneous", int perDay = 2, string status = "active") =>
        new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = id,
            ["status"] = status,
            ["intent"] = "order",
            ["medicationCodeableConcept"] = new JsonObject { ["text"] = medicine },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
            ["dosageInstruction"] = new JsonArray(new JsonObject
            {
                ["route"] = new JsonObject { ["text"] = route },
                ["timing"] = new JsonObject { ["repeat"] = new JsonObject { ["frequency"] = perDay, ["period"] = 1, ["periodUnit"] = "d" } },
                ["doseAndRate"] = new JsonArray(new JsonObject { ["doseQuantity"] = new JsonObject { ["value"] = mg, ["unit"] = "mg", ["system"] = "http://unitsofmeasure.org", ["code"] = "mg" } }),
            }),
        }.ToJsonString().Replace("\"id\":null,", "", StringComparison.Ordinal);

    private async Task<List<JsonElement>> CardsAsync(HttpClient client, string patient, string order)
    {
        var request = new JsonObject
        {
            ["hook"] = "order-sign",
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["context"] = new JsonObject
            {
                ["userId"] = "Practitioner/x",
                ["patientId"] = patient,
                ["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(new JsonObject { ["resource"] = JsonNode.Parse(order) }) },
            },
        };
        using var response = await client.PostAsync($"{server.BaseUrl}/cds-services/order-sign", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var json = JsonDocument.Parse(text);
        return [.. json.RootElement.GetProperty("cards").EnumerateArray().Select(c => c.Clone())];
    }

    private static async Task AssertHardStopAsync(HttpClient client, HttpMethod method, string url, string body, string type = "application/fhir+json")
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = Body(body, type) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 422, $"{method} {url}: expected 422, got {(int)response.StatusCode} {text}");
        Assert.Contains("MEDICATION_HARD_STOP", text, StringComparison.Ordinal);
        Assert.Contains("single-dose", text, StringComparison.Ordinal);
    }

    private static StringContent Body(string json, string type = "application/fhir+json") => new(json, Encoding.UTF8, type);

    private static async Task RequireAsync(HttpClient client, HttpMethod method, string url, string body)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = Body(body) });
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static int Matches(string searchset)
    {
        using var json = JsonDocument.Parse(searchset);
        return json.RootElement.TryGetProperty("entry", out var entries) ? entries.EnumerateArray().Count(e => e.GetProperty("search").GetProperty("mode").GetString() == "match") : 0;
    }
}

[Collection(ServerCollection.Name)]
public sealed class MedicationOrdersOnSqliteTests(ServerFixture server) : MedicationOrdersOverHttpTests(server);

[Collection(PostgresServerCollection.Name)]
public sealed class MedicationOrdersOnPostgresTests(PostgresServerFixture server) : MedicationOrdersOverHttpTests(server);
