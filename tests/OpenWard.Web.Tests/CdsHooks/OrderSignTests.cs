using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Tests.Security;

namespace OpenWard.Web.Tests.CdsHooks;

/// <summary>
/// The medication checks as CDS Hooks 2.0 services, called over HTTP as another system would: the
/// discovery document, cards with their indicator and <c>extension.openward</c>, the list of checks
/// not performed, the patient's allergies from prefetch or read from the record with the caller's
/// access, and clear errors for what a client can get wrong.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OrderSignTests(ServerFixture server)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Discovery_lists_order_select_and_order_sign_without_a_token()
    {
        using var response = await server.Anonymous.GetAsync($"{server.BaseUrl}/cds-services");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var services = json.RootElement.GetProperty("services").EnumerateArray().ToList();
        Assert.Equal(["order-select", "order-sign", "patient-view"], services.Select(s => s.GetProperty("hook").GetString()).Order(StringComparer.Ordinal));
        Assert.All(services, s => Assert.Equal(s.GetProperty("hook").GetString(), s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task An_order_for_a_penicillin_given_a_penicillin_allergy_in_prefetch_is_a_warning_card_with_override_reasons()
    {
        using var client = await CdsClientAsync();
        var request = Request("order-sign", $"patient-{_run}", "Amoxicillin 500mg capsules", prefetchAllergy: "Penicillin");

        var cards = await CardsAsync(client, "order-sign", request);

        var warning = Assert.Single(cards, c => c.GetProperty("indicator").GetString() == "warning");
        Assert.Equal("allergy", warning.GetProperty("extension").GetProperty("openward").GetProperty("category").GetString());
        Assert.Equal("warning", warning.GetProperty("extension").GetProperty("openward").GetProperty("severity").GetString());
        Assert.NotEmpty(warning.GetProperty("overrideReasons").EnumerateArray());
        Assert.True(warning.GetProperty("summary").GetString()!.Length <= 140);
        Assert.DoesNotContain(cards, c => c.GetProperty("indicator").GetString() == "critical");
    }

    [Fact]
    public async Task Without_prefetch_the_service_reads_the_allergies_from_the_record()
    {
        var patient = $"cds-{_run}";
        using var system = await server.ClientWithScopeAsync();
        await PutAsync(system, $"Patient/{patient}", $$$"""{"resourceType":"Patient","id":"{{{patient}}}"}""");
        await PutAsync(system, $"AllergyIntolerance/{patient}-a", $$$"""{"resourceType":"AllergyIntolerance","id":"{{{patient}}}-a","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},"code":{"text":"Penicillin"},"patient":{"reference":"Patient/{{{patient}}}"}}""");
        using var client = await CdsClientAsync();

        var cards = await CardsAsync(client, "order-select", Request("order-select", patient, "Co-amoxiclav 625mg tablets", prefetchAllergy: null));

        var warning = Assert.Single(cards, c => c.GetProperty("indicator").GetString() == "warning");
        Assert.Contains("amoxicillin", warning.GetProperty("summary").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_fhir_server_naming_this_openward_is_read_and_another_systems_is_not()
    {
        var patient = $"cds-server-{_run}";
        using var system = await server.ClientWithScopeAsync();
        await PutAsync(system, $"Patient/{patient}", $$$"""{"resourceType":"Patient","id":"{{{patient}}}"}""");
        await PutAsync(system, $"AllergyIntolerance/{patient}-a", $$$"""{"resourceType":"AllergyIntolerance","id":"{{{patient}}}-a","code":{"text":"Penicillin"},"patient":{"reference":"Patient/{{{patient}}}"}}""");
        using var client = await CdsClientAsync();

        var here = JsonNode.Parse(Request("order-sign", patient, "Amoxicillin 500mg capsules", prefetchAllergy: null))!.AsObject();
        here["fhirServer"] = $"{server.BaseUrl}/fhir";
        Assert.Contains(await CardsAsync(client, "order-sign", here.ToJsonString()), c => c.GetProperty("indicator").GetString() == "warning");

        here["fhirServer"] = "https://ehr.elsewhere.example/fhir";
        var elsewhere = await CardsAsync(client, "order-sign", here.ToJsonString());
        Assert.DoesNotContain(elsewhere, c => c.GetProperty("indicator").GetString() == "warning");
        var notChecked = Assert.Single(elsewhere, c => c.GetProperty("extension").GetProperty("openward").GetProperty("category").GetString() == "not-checked");
        Assert.Contains("ehr.elsewhere.example", notChecked.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patient_not_in_the_record_is_not_taken_for_one_with_no_allergies()
    {
        using var client = await CdsClientAsync();

        var cards = await CardsAsync(client, "order-sign", Request("order-sign", $"nobody-{_run}", "Amoxicillin 500mg capsules", prefetchAllergy: null));

        var notChecked = Assert.Single(cards, c => c.GetProperty("extension").GetProperty("openward").GetProperty("category").GetString() == "not-checked");
        Assert.Contains("Allergies not checked", notChecked.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("is not in OpenWard's record", notChecked.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("allergy: no", notChecked.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_appropriate_order_raises_no_interruptive_card_but_says_plainly_what_was_not_checked()
    {
        using var client = await CdsClientAsync();

        var cards = await CardsAsync(client, "order-sign", Request("order-sign", $"patient-{_run}", "Paracetamol 500mg tablets", prefetchAllergy: "Penicillin"));

        Assert.DoesNotContain(cards, c => c.GetProperty("indicator").GetString() is "warning" or "critical");
        var notChecked = Assert.Single(cards, c => c.GetProperty("extension").GetProperty("openward").GetProperty("category").GetString() == "not-checked");
        Assert.Equal("info", notChecked.GetProperty("indicator").GetString());
        Assert.Contains("dose", notChecked.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_medicine_not_in_the_formulary_is_a_not_checked_card_not_silence()
    {
        using var client = await CdsClientAsync();

        var cards = await CardsAsync(client, "order-sign", Request("order-sign", $"patient-{_run}", "Unobtainium 5mg tablets", prefetchAllergy: "Penicillin"));

        var card = Assert.Single(cards);
        Assert.Equal("not-checked", card.GetProperty("extension").GetProperty("openward").GetProperty("category").GetString());
        Assert.Contains("Nothing was checked", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_needs_a_token_and_a_doctor_reads_only_records_they_may_see()
    {
        using var anonymous = new HttpClient();
        using var refused = await anonymous.PostAsync($"{server.BaseUrl}/cds-services/order-sign", Json(Request("order-sign", "p", "Amoxicillin", null)));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // A doctor with no care relationship to the patient: the allergy is not read (nothing leaks), and the card says the allergy check did not run.
        var patient = $"cds-hidden-{_run}";
        using var system = await server.ClientWithScopeAsync();
        await PutAsync(system, $"Patient/{patient}", $$$"""{"resourceType":"Patient","id":"{{{patient}}}"}""");
        await PutAsync(system, $"AllergyIntolerance/{patient}-a", $$$"""{"resourceType":"AllergyIntolerance","id":"{{{patient}}}-a","code":{"text":"Penicillin"},"patient":{"reference":"Patient/{{{patient}}}"}}""");
        var doctor = $"cds-doctor-{_run}";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(doctor, "Cade Doctor", StaffRole.Doctor) { Wards = [$"cds-ward-{_run}"] }, default);
        using var api = new HttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StaffTokens.Mint(server, doctor));

        var cards = await CardsAsync(api, "order-sign", Request("order-sign", patient, "Amoxicillin 500mg capsules", prefetchAllergy: null));

        Assert.DoesNotContain(cards, c => c.GetProperty("indicator").GetString() == "warning");
        var notChecked = Assert.Single(cards, c => c.GetProperty("extension").GetProperty("openward").GetProperty("category").GetString() == "not-checked");
        Assert.Contains("Allergies not checked", notChecked.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("order-sign", "not json", 400)]
    [InlineData("order-sign", "[]", 400)]
    [InlineData("order-sign", """{"hook":"order-sign","context":{}}""", 400)]
    [InlineData("order-sign", """{"hook":"order-select","context":{"patientId":"p","draftOrders":{"resourceType":"Bundle","type":"collection"}}}""", 400)]
    [InlineData("order-sign", """{"hook":"order-sign","context":{"patientId":"p","draftOrders":{"resourceType":"Bundle","type":"nonsense"}}}""", 400)]
    [InlineData("order-select", """{"hook":"order-select","context":{"patientId":"p","selections":[1,{}],"draftOrders":{"resourceType":"Bundle","type":"collection"}},"prefetch":{"allergies":{"resourceType":"Bundle","type":"searchset"}}}""", 200)]
    [InlineData("no-such-service", """{"hook":"order-sign"}""", 404)]
    public async Task A_request_a_client_got_wrong_is_a_clear_error_not_a_500_and_odd_but_valid_input_is_answered(string service, string body, int status)
    {
        using var client = await CdsClientAsync();

        using var response = await client.PostAsync($"{server.BaseUrl}/cds-services/{service}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (status == 200)
        {
            Assert.Empty(json.RootElement.GetProperty("cards").EnumerateArray());
            return;
        }

        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error").GetString()));
    }

    private async Task<HttpClient> CdsClientAsync()
    {
        var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("system/*.cruds"));
        return client;
    }

    private async Task<List<JsonElement>> CardsAsync(HttpClient client, string service, string request)
    {
        using var response = await client.PostAsync($"{server.BaseUrl}/cds-services/{service}", Json(request));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var json = JsonDocument.Parse(text);
        return [.. json.RootElement.GetProperty("cards").EnumerateArray().Select(c => c.Clone())];
    }

    private static string Request(string hook, string patient, string medicine, string? prefetchAllergy)
    {
        var order = new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = "draft-1",
            ["status"] = "draft",
            ["intent"] = "order",
            ["medicationCodeableConcept"] = new JsonObject { ["text"] = medicine },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
        };
        var context = new JsonObject
        {
            ["userId"] = "Practitioner/x",
            ["patientId"] = patient,
            ["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(new JsonObject { ["resource"] = order }) },
        };
        if (hook == "order-select")
        {
            context["selections"] = new JsonArray("MedicationRequest/draft-1");
        }

        var request = new JsonObject { ["hook"] = hook, ["hookInstance"] = Guid.NewGuid().ToString(), ["context"] = context };
        if (prefetchAllergy is not null)
        {
            var allergy = new JsonObject
            {
                ["resourceType"] = "AllergyIntolerance",
                ["id"] = "pre-1",
                ["code"] = new JsonObject { ["text"] = prefetchAllergy },
                ["patient"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
            };
            request["prefetch"] = new JsonObject
            {
                ["allergies"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["entry"] = new JsonArray(new JsonObject { ["resource"] = allergy }) },
            };
        }

        return request.ToJsonString();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task PutAsync(HttpClient client, string url, string body)
    {
        using var response = await client.PutAsync(url, new StringContent(body, Encoding.UTF8, "application/fhir+json"));
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
