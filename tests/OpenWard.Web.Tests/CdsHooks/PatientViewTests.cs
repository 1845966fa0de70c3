using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Clinical.Observations;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.CdsHooks;
using OpenWard.Web.Tests.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Tests.CdsHooks;

/// <summary>
/// The deterioration warnings as the CDS Hooks 2.0 <c>patient-view</c> service (issue #19), called
/// over HTTP as another system would: sets of observations posted to the FHIR API are scored by
/// OpenWard, and the service answers a critical card for a high score, a warning for a medium one,
/// nothing for a low one, a warning when the next set is overdue, a critical card for an open sepsis
/// screen, an empty list for a patient with nothing to say, and the order services' errors. Runs on both engines.
/// </summary>
public abstract class PatientViewTests(ServerFixture server)
{
    private const string Snomed = "http://snomed.info/sct";
    private const string Loinc = "http://loinc.org";
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Discovery_lists_patient_view_with_its_prefetch_templates()
    {
        using var response = await server.Anonymous.GetAsync($"{server.BaseUrl}/cds-services");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var service = Assert.Single(json.RootElement.GetProperty("services").EnumerateArray(), s => s.GetProperty("hook").GetString() == "patient-view");
        Assert.Equal("patient-view", service.GetProperty("id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("description").GetString()));
        var prefetch = service.GetProperty("prefetch");
        Assert.Equal("Patient/{{context.patientId}}", prefetch.GetProperty("patient").GetString());
        Assert.Contains("1104051000000101", prefetch.GetProperty("news2").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Task?patient={{context.patientId}}", prefetch.GetProperty("tasks").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_high_score_is_a_critical_card_with_its_sub_scores_and_escalation()
    {
        using var fhir = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(fhir, "high");
        // RR 25 (3), SpO2 94 (1), air (0), systolic 105 (1), pulse 115 (2), alert (0), 38.5 °C (1): 8.
        await SetAsync(fhir, patient, Now().AddMinutes(-2), respiration: 25, spo2: 94, systolic: 105, pulse: 115, temperature: 38.5m);

        var cards = await CardsAsync(patient);

        var card = Assert.Single(cards);
        AssertValid(card);
        Assert.Equal("critical", card.GetProperty("indicator").GetString());
        Assert.Equal("news2", Category(card));
        Assert.Equal("NEWS2 8 (high): emergency response", card.GetProperty("summary").GetString());
        var detail = card.GetProperty("detail").GetString()!;
        Assert.Contains("respiration rate score: 3", detail, StringComparison.Ordinal);
        Assert.Contains("Critical care outreach", detail, StringComparison.Ordinal);
        Assert.Contains("awaiting response", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_medium_score_is_a_warning_and_an_incomplete_set_says_so()
    {
        using var fhir = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(fhir, "medium");
        // RR 22 (2), SpO2 95 (1), air (0), systolic 105 (1), pulse 95 (1), alert (0), 37 °C (0): 5.
        await SetAsync(fhir, patient, Now().AddMinutes(-2), respiration: 22, spo2: 95, systolic: 105, pulse: 95, temperature: 37m);

        var card = Assert.Single(await CardsAsync(patient));
        Assert.Equal("warning", card.GetProperty("indicator").GetString());
        Assert.Equal("NEWS2 5 (medium): urgent response", card.GetProperty("summary").GetString());

        // A respiration rate of 26 alone: 3 in one parameter, incomplete.
        var partial = await PatientAsync(fhir, "partial");
        await PostAsync(fhir, Vital(partial, Now().AddMinutes(-2), Loinc, "9279-1", 26, "/min"));
        var red = Assert.Single(await CardsAsync(partial));
        Assert.Equal("warning", red.GetProperty("indicator").GetString());
        Assert.Contains("incomplete", red.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("not measured", red.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_low_score_gives_no_card_and_a_patient_with_nothing_gets_an_empty_list()
    {
        using var fhir = await server.ClientWithScopeAsync();
        var low = await PatientAsync(fhir, "low");
        // Pulse 95 (1), everything else 0: 1, next set due in 4 hours.
        await SetAsync(fhir, low, Now().AddMinutes(-2), respiration: 18, spo2: 97, systolic: 120, pulse: 95, temperature: 37m);
        Assert.Empty(await CardsAsync(low));

        var nothing = await PatientAsync(fhir, "nothing");
        Assert.Empty(await CardsAsync(nothing));
    }

    [Fact]
    public async Task A_set_older_than_its_interval_is_an_overdue_warning()
    {
        using var fhir = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(fhir, "overdue");
        // Low (1): due 4 hours later, so 1 h 20 min overdue now.
        await SetAsync(fhir, patient, Now().AddHours(-5).AddMinutes(-20), respiration: 18, spo2: 97, systolic: 120, pulse: 95, temperature: 37m);

        var card = Assert.Single(await CardsAsync(patient));
        AssertValid(card);
        Assert.Equal("warning", card.GetProperty("indicator").GetString());
        Assert.Equal("observations-overdue", Category(card));
        Assert.StartsWith("Observations overdue by 1 h 20 min (due ", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(" after NEWS2 1)", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_sepsis_screen_is_a_critical_card_and_a_completed_one_is_not()
    {
        using var fhir = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(fhir, "sepsis");
        await PostAsync(fhir, SepsisScreen(patient, "requested", Now().AddMinutes(30)));
        await PostAsync(fhir, SepsisScreen(patient, "completed", Now().AddMinutes(-30)));

        var card = Assert.Single(await CardsAsync(patient));
        AssertValid(card);
        Assert.Equal("critical", card.GetProperty("indicator").GetString());
        Assert.Equal("sepsis-screen", Category(card));
        Assert.StartsWith("Sepsis screen open: due ", card.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefetch_is_used_when_sent_and_a_patient_not_in_the_record_is_not_taken_for_one_with_nothing_to_say()
    {
        var unknown = $"nobody-{_run}";
        var notChecked = Assert.Single(await CardsAsync(unknown));
        Assert.Equal("info", notChecked.GetProperty("indicator").GetString());
        Assert.Equal("not-checked", Category(notChecked));
        Assert.Contains("is not in OpenWard's record", notChecked.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The same unknown id, with a high score OpenWard calculated and no Tasks sent as prefetch.
        var request = Request(unknown);
        request["prefetch"] = new JsonObject
        {
            ["news2"] = Searchset(HighScore(unknown)),
            ["tasks"] = Searchset(),
            ["patient"] = null,
        };
        var cards = await CardsAsync(request);
        var card = Assert.Single(cards);
        Assert.Equal("critical", card.GetProperty("indicator").GetString());
        Assert.Contains("No open escalation Task", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_systems_fhir_server_is_not_read_and_the_card_says_so()
    {
        using var fhir = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(fhir, "elsewhere");
        await SetAsync(fhir, patient, Now().AddMinutes(-2), respiration: 25, spo2: 94, systolic: 105, pulse: 115, temperature: 38.5m);

        var here = Request(patient);
        here["fhirServer"] = server.FhirUrl;
        here["fhirAuthorization"] = new JsonObject { ["access_token"] = "x", ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/*.read", ["subject"] = "cds" };
        Assert.Contains(await CardsAsync(here), c => c.GetProperty("indicator").GetString() == "critical");

        here["fhirServer"] = "https://ehr.elsewhere.example/fhir";
        var card = Assert.Single(await CardsAsync(here));
        Assert.Equal("info", card.GetProperty("indicator").GetString());
        Assert.Contains("ehr.elsewhere.example", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("can only read its own record", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_needs_a_token_and_a_doctor_who_may_not_see_the_patient_is_told_nothing_was_checked()
    {
        using (var anonymous = new HttpClient())
        using (var refused = await anonymous.PostAsync($"{server.BaseUrl}/cds-services/patient-view", Json(Request("p").ToJsonString())))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var fhir = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(fhir, "hidden");
        await SetAsync(fhir, patient, Now().AddMinutes(-2), respiration: 25, spo2: 94, systolic: 105, pulse: 115, temperature: 38.5m);
        var doctor = $"cds-pv-doctor-{_run}";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(doctor, "Cade Doctor", StaffRole.Doctor) { Wards = [$"cds-pv-ward-{_run}"] }, default);
        using var api = new HttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StaffTokens.Mint(server, doctor));

        var card = Assert.Single(await CardsAsync(Request(patient), api));
        Assert.Equal("info", card.GetProperty("indicator").GetString());
        Assert.Equal("not-checked", Category(card));
        Assert.DoesNotContain("NEWS2 8", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"}""")]
    [InlineData("""{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1"}}""")]
    [InlineData("""{"hook":"order-sign","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1","patientId":"p"}}""")]
    [InlineData("""{"hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1","patientId":"p"}}""")]
    [InlineData("""{"hook":"patient-view","context":{"userId":"Practitioner/1","patientId":"p"}}""")]
    [InlineData("""{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"patientId":"p"}}""")]
    [InlineData("""{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1","patientId":"../p"}}""")]
    [InlineData("""{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","fhirServer":"not a url","context":{"userId":"Practitioner/1","patientId":"p"}}""")]
    [InlineData("""{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1","patientId":"p"},"prefetch":{"news2":{"resourceType":"Bundle","type":"nonsense"}}}""")]
    public async Task A_malformed_request_is_a_400_with_the_error_shape(string body)
    {
        using var client = await CdsClientAsync();

        using var response = await client.PostAsync($"{server.BaseUrl}/cds-services/patient-view", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var json = JsonDocument.Parse(text);
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error").GetString()));
    }

    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static string Category(JsonElement card) => card.GetProperty("extension").GetProperty("openward").GetProperty("category").GetString()!;

    /// <summary>The card attributes CDS Hooks 2.0 requires.</summary>
    private static void AssertValid(JsonElement card)
    {
        Assert.True(Guid.TryParse(card.GetProperty("uuid").GetString(), out _));
        var summary = card.GetProperty("summary").GetString()!;
        Assert.InRange(summary.Length, 1, 139);
        Assert.Contains(card.GetProperty("indicator").GetString(), new[] { "info", "warning", "critical" });
        Assert.False(string.IsNullOrWhiteSpace(card.GetProperty("source").GetProperty("label").GetString()));
    }

    private async Task<HttpClient> CdsClientAsync()
    {
        var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("system/*.cruds"));
        return client;
    }

    private Task<List<JsonElement>> CardsAsync(string patient) => CardsAsync(Request(patient));

    private async Task<List<JsonElement>> CardsAsync(JsonObject request, HttpClient? client = null)
    {
        using var owned = client is null ? await CdsClientAsync() : null;
        using var response = await (client ?? owned!).PostAsync($"{server.BaseUrl}/cds-services/patient-view", Json(request.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var json = JsonDocument.Parse(text);
        return [.. json.RootElement.GetProperty("cards").EnumerateArray().Select(c => c.Clone())];
    }

    private static JsonObject Request(string patient) => new()
    {
        ["hook"] = "patient-view",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["context"] = new JsonObject { ["userId"] = "Practitioner/example", ["patientId"] = patient },
    };

    private static JsonObject Searchset(params JsonObject[] resources)
    {
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset" };
        if (resources.Length > 0)
            bundle["entry"] = new JsonArray([.. resources.Select(r => (JsonNode)new JsonObject { ["resource"] = r, ["search"] = new JsonObject { ["mode"] = "match" } })]);
        return bundle;
    }

    private static JsonObject HighScore(string patient) => JsonNode.Parse($$"""
        {"resourceType":"Observation","id":"pre-score","meta":{"tag":[{"system":"{{News2Set.TagSystem}}","code":"{{News2Set.OwnScoreTag}}"}]},
         "status":"final","code":{"coding":[{"system":"{{Snomed}}","code":"1104051000000101"}]},
         "subject":{"reference":"Patient/{{patient}}"},
         "effectiveDateTime":"{{Now().AddMinutes(-3).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}}",
         "valueQuantity":{"value":9,"unit":"ScoreOf","system":"http://unitsofmeasure.org","code":"{ScoreOf}"},
         "interpretation":[{"coding":[{"system":"{{News2Set.ResponseSystem}}","code":"high"}]}]}
        """)!.AsObject();

    private async Task<string> PatientAsync(HttpClient client, string name)
    {
        var id = $"pv-{name}-{_run}";
        using var response = await client.PutAsync($"Patient/{id}", Json($$"""{"resourceType":"Patient","id":"{{id}}","name":[{"family":"View{{_run}}"}],"birthDate":"1950-01-01"}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>A full set of seven NEWS2 inputs at one time, on room air and alert, as one transaction.</summary>
    private static async Task SetAsync(HttpClient client, string patient, DateTimeOffset at, decimal respiration, decimal spo2, decimal systolic, decimal pulse, decimal temperature)
    {
        string[] observations =
        [
            Vital(patient, at, Loinc, "9279-1", respiration, "/min"),
            Vital(patient, at, Snomed, "1097811000000106", spo2, "%"),
            Vital(patient, at, Loinc, "8480-6", systolic, "mm[Hg]"),
            Vital(patient, at, Loinc, "8867-4", pulse, "/min"),
            Vital(patient, at, Loinc, "8310-5", temperature, "Cel"),
            $$$"""
            {"resourceType":"Observation","status":"final",
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
             "code":{"coding":[{"system":"{{{Snomed}}}","code":"1104441000000107"}]},
             "subject":{"reference":"Patient/{{{patient}}}"},
             "effectiveDateTime":"{{{at.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}}}",
             "valueCodeableConcept":{"coding":[{"system":"{{{Snomed}}}","code":"248234008","display":"Mentally alert"}]}}
            """,
        ];
        var entries = observations.Select(o => $$$"""{"resource":{{{o}}},"request":{"method":"POST","url":"Observation"}}""");
        var bundle = $$$"""{"resourceType":"Bundle","type":"transaction","entry":[{{{string.Join(",", entries)}}}]}""";
        using var response = await client.PostAsync("", Json(bundle));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static string Vital(string patient, DateTimeOffset at, string system, string code, decimal value, string unit) => $$$"""
        {"resourceType":"Observation","status":"final",
         "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
         "code":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]},
         "subject":{"reference":"Patient/{{{patient}}}"},
         "effectiveDateTime":"{{{at.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}}}",
         "valueQuantity":{"value":{{{value.ToString(CultureInfo.InvariantCulture)}}},"unit":"{{{unit}}}","system":"http://unitsofmeasure.org","code":"{{{unit}}}"}}
        """;

    private static string SepsisScreen(string patient, string status, DateTimeOffset due) => $$$$"""
        {"resourceType":"Task","status":"{{{{status}}}}","intent":"order",
         "code":{"coding":[{"system":"{{{{EscalationTasks.CodeSystem}}}}","code":"{{{{EscalationTasks.SepsisScreenCode}}}}","display":"Sepsis screen"}]},
         "for":{"reference":"Patient/{{{{patient}}}}"},
         "description":"Suspected infection with NEWS2 5: screen for sepsis (NICE NG51).",
         "restriction":{"period":{"end":"{{{{due.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}}}}"}}}
        """;

    private static async Task PostAsync(HttpClient client, string json)
    {
        var type = JsonNode.Parse(json)!["resourceType"]!.GetValue<string>();
        using var response = await client.PostAsync(type, Json(json));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

[Collection(ServerCollection.Name)]
public sealed class PatientViewOnSqliteTests(ServerFixture server) : PatientViewTests(server);

[Collection(PostgresServerCollection.Name)]
public sealed class PatientViewOnPostgresTests(PostgresServerFixture server) : PatientViewTests(server);

/// <summary>The card wording, without a server: the overdue summary as issue #19 gives it, and lengths of time to the minute.</summary>
public sealed class DeteriorationCardsTests
{
    [Fact]
    public void The_overdue_summary_names_how_late_when_due_and_the_score()
    {
        var now = new DateTimeOffset(2026, 12, 8, 15, 50, 0, TimeSpan.Zero);
        var score = new Observation
        {
            Id = "s1",
            Meta = new Meta { Tag = [new Coding(News2Set.TagSystem, News2Set.OwnScoreTag)] },
            Status = ObservationStatus.Final,
            Effective = new FhirDateTime(new DateTimeOffset(2026, 12, 8, 10, 30, 0, TimeSpan.Zero)),
            Value = new Quantity(3, "{ScoreOf}"),
            Interpretation = [new CodeableConcept(News2Set.ResponseSystem, "low")],
        };

        var card = Assert.Single(DeteriorationCards.For(new PatientView("p", [score], [], [], now), TimeZoneInfo.Utc));

        Assert.Equal("Observations overdue by 1 h 20 min (due 14:30 after NEWS2 3)", card["summary"]!.GetValue<string>());
        Assert.Equal("warning", card["indicator"]!.GetValue<string>());
        Assert.Empty(DeteriorationCards.For(new PatientView("p", [score], [], [], now.AddHours(-2)), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData(30, "under 1 min")]
    [InlineData(45 * 60, "45 min")]
    [InlineData(80 * 60, "1 h 20 min")]
    [InlineData(2 * 3600, "2 h")]
    [InlineData(27 * 3600, "1 d 3 h")]
    public void Durations_are_to_the_minute(int seconds, string expected) =>
        Assert.Equal(expected, DeteriorationCards.Duration(TimeSpan.FromSeconds(seconds)));
}
