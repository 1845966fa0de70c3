using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir.Serialization;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Tests.Observations;

/// <summary>
/// NEWS2 on the FHIR API (issue #19): UK Core's NEWS2 example sent as a transaction is one set,
/// scored inside the transaction (its sender's wrong total kept and flagged), an escalation Task is
/// raised for a score that calls for one, observations sent one at a time build up one set whose
/// score says what is missing, scale 2 is used only when prescribed, and an impossible value is
/// refused on every path. Runs on both engines.
/// </summary>
public abstract class News2OverHttpTests(ServerFixture server)
{
    private const string Snomed = "http://snomed.info/sct";
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task The_UK_Core_NEWS2_example_sent_as_a_transaction_is_scored_at_once_and_the_senders_wrong_score_is_kept_and_flagged()
    {
        using var client = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(client, "example");
        var example = (Bundle)FhirSerialization.ParseXml(File.ReadAllText(Path.Combine(UkCoreExamplesDirectory(), "UKCore-Bundle-NEWS2Observations-Example.xml")));
        var transaction = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var entry in example.Entry)
        {
            var observation = (Observation)entry.Resource!;
            observation.Id = $"{observation.Id}-{_run}";
            observation.Subject = new ResourceReference($"Patient/{patient}");
            foreach (var from in observation.DerivedFrom)
                from.Reference = $"{from.Reference}-{_run}";
            transaction.Entry.Add(new Bundle.EntryComponent { Resource = observation, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Observation/{observation.Id}" } });
        }

        using (var response = await client.PostAsync("", Json(FhirSerialization.ToJson(transaction))))
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var scores = await SearchAsync(client, $"Observation?subject=Patient/{patient}&code={Snomed}|1104051000000101");
        Assert.Equal(2, scores.Count);
        var ours = Assert.Single(scores, News2Set.IsOwnScore);
        var theirs = Assert.Single(scores, s => !News2Set.IsOwnScore(s));

        // Chart 1 scores 37.5 °C as 0: the example's total of 6 gives it 1. OpenWard's total is 5.
        Assert.Equal(5m, ((Quantity)ours.Value!).Value);
        Assert.Equal(ObservationStatus.Final, ours.Status);
        Assert.Equal("medium", ours.Interpretation.Single().Coding.Single().Code);
        Assert.Equal(7, ours.DerivedFrom.Count);
        Assert.Equal(
            new Dictionary<string, decimal> { ["1104301000000104"] = 2, ["1104311000000102"] = 2, ["1104331000000105"] = 0, ["1104341000000101"] = 0, ["1104351000000103"] = 1, ["1104361000000100"] = 0, ["1104371000000107"] = 0 },
            ours.Component.ToDictionary(c => c.Code.Coding.Single().Code!, c => ((Quantity)c.Value!).Value!.Value));
        Assert.Contains(ours.Note, n => n.Text!.Contains("says 6", StringComparison.Ordinal));

        Assert.Equal(6m, ((Quantity)theirs.Value!).Value);
        Assert.Contains(theirs.Meta!.Tag, t => t.System == News2Set.TagSystem && t.Code == News2Set.DisagreesTag);

        // Medium (5-6): one Task for the patient, for an urgent response, due, about the score.
        var task = Assert.Single(await SearchAsync<Hl7.Fhir.Model.Task>(client, $"Task?patient=Patient/{patient}"));
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Requested, task.Status);
        Assert.Equal(EscalationLevel.UrgentResponse, EscalationTasks.Level(task));
        Assert.Equal($"Observation/{ours.Id}", task.Focus!.Reference);
        Assert.NotNull(EscalationTasks.Due(task));
    }

    [Fact]
    public async Task Observations_sent_one_at_a_time_build_one_set_whose_score_says_what_is_missing_and_raises_its_task_in_place()
    {
        using var client = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(client, "partial");
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);

        await PostAsync(client, Vital(patient, at, "9279-1", "Respiratory rate", 26, "/min"));
        var first = Assert.Single(await OwnScoresAsync(client, patient));
        Assert.Equal(3m, ((Quantity)first.Value!).Value);
        Assert.Equal(ObservationStatus.Preliminary, first.Status);
        Assert.Equal(6, first.Component.Count(c => c.DataAbsentReason is not null));
        Assert.Contains(first.Note, n => n.Text!.StartsWith("Incomplete: 6 of 7", StringComparison.Ordinal));
        Assert.Equal("low-medium", first.Interpretation.Single().Coding.Single().Code);
        var task = Assert.Single(await SearchAsync<Hl7.Fhir.Model.Task>(client, $"Task?patient=Patient/{patient}"));
        Assert.Equal(EscalationLevel.WardMedicalTeam, EscalationTasks.Level(task));

        await PostAsync(client, Vital(patient, at, "8867-4", "Heart rate", 135, "/min"));
        var second = Assert.Single(await OwnScoresAsync(client, patient));
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(6m, ((Quantity)second.Value!).Value);
        Assert.Equal("medium", second.Interpretation.Single().Coding.Single().Code);
        var raised = Assert.Single(await SearchAsync<Hl7.Fhir.Model.Task>(client, $"Task?patient=Patient/{patient}"));
        Assert.Equal(task.Id, raised.Id);
        Assert.Equal(EscalationLevel.UrgentResponse, EscalationTasks.Level(raised));

        // Another time is another set.
        await PostAsync(client, Vital(patient, at.AddMinutes(1), "8867-4", "Heart rate", 70, "/min"));
        Assert.Equal(2, (await OwnScoresAsync(client, patient)).Count);

        // A later set scoring higher raises its own escalation and supersedes the unanswered lower one.
        await PostAsync(client, Vital(patient, at.AddMinutes(2), "9279-1", "Respiratory rate", 30, "/min"));
        await PostAsync(client, Vital(patient, at.AddMinutes(2), "8867-4", "Heart rate", 140, "/min"));
        await PostAsync(client, Vital(patient, at.AddMinutes(2), "8310-5", "Body temperature", 39.5m, "Cel"));
        var tasks = await SearchAsync<Hl7.Fhir.Model.Task>(client, $"Task?patient=Patient/{patient}");
        Assert.Equal(2, tasks.Count);
        Assert.Equal(EscalationLevel.EmergencyResponse, EscalationTasks.Level(Assert.Single(tasks, t => t.Status == Hl7.Fhir.Model.Task.TaskStatus.Requested)));
        var superseded = Assert.Single(tasks, t => t.Status == Hl7.Fhir.Model.Task.TaskStatus.Cancelled);
        Assert.Equal(task.Id, superseded.Id);
        Assert.StartsWith("Superseded", superseded.BusinessStatus!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_2_is_used_only_when_a_clinician_has_prescribed_it()
    {
        using var client = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(client, "scale2");
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds());

        // SpO2 89% on air: 3 on scale 1, 0 on scale 2.
        await PostAsync(client, Vital(patient, at, "2708-6", "Oxygen saturation", 89, "%"));
        Assert.Equal(3m, SpO2SubScore(await ScoreAtAsync(client, patient, at), "1104311000000102"));

        // A target with nobody named as having prescribed it is not a prescription.
        await PostAsync(client, Scale2Goal(patient, expressedBy: null));
        await PostAsync(client, Vital(patient, at.AddMinutes(10), "2708-6", "Oxygen saturation", 89, "%"));
        Assert.Equal(3m, SpO2SubScore(await ScoreAtAsync(client, patient, at.AddMinutes(10)), "1104311000000102"));

        await PostAsync(client, Scale2Goal(patient, expressedBy: "Practitioner/resp-consultant"));
        await PostAsync(client, Vital(patient, at.AddMinutes(20), "2708-6", "Oxygen saturation", 89, "%"));
        Assert.Equal(0m, SpO2SubScore(await ScoreAtAsync(client, patient, at.AddMinutes(20)), "1104321000000108"));
    }

    private static async Task<Observation> ScoreAtAsync(HttpClient client, string patient, DateTimeOffset at) =>
        Assert.Single(await OwnScoresAsync(client, patient), s => News2Set.EffectiveTime(s) == at);

    private static decimal? SpO2SubScore(Observation score, string code) => ((Quantity)score.Component.Single(c => c.Code.Coding[0].Code == code).Value!).Value;

    [Fact]
    public async Task An_adult_with_suspected_infection_and_NEWS2_5_is_prompted_to_screen_for_sepsis_and_the_time_to_antibiotics_is_tracked()
    {
        using var client = await server.ClientWithScopeAsync();
        var adult = await PatientAsync(client, "sepsis-adult");
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeSeconds());
        await TransactionAsync(client, [.. SepsisSet(adult, at), SuspectedInfection(adult, at)]);

        var screen = Assert.Single(await SepsisScreensAsync(client, adult));
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Requested, screen.Status);
        Assert.Contains("moderate", screen.Description, StringComparison.Ordinal);
        var due = EscalationTasks.Due(screen)!.Value;
        Assert.InRange(due - DateTimeOffset.Parse(screen.AuthoredOn!, CultureInfo.InvariantCulture), TimeSpan.FromHours(3) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1));

        // The doctor judges sepsis likely; antibiotics are given 42 minutes later (target 3 hours at NEWS2 5-6).
        var decision = DateTimeOffset.UtcNow.AddMinutes(-50);
        screen.Status = Hl7.Fhir.Model.Task.TaskStatus.InProgress;
        screen.Output.Add(new Hl7.Fhir.Model.Task.OutputComponent { Type = SepsisScreen.Concept(SepsisScreen.OutcomeOutput), Value = new CodeableConcept(SepsisScreen.SuspectedInfectionSystem, SepsisScreen.SepsisLikely) });
        screen.Output.Add(new Hl7.Fhir.Model.Task.OutputComponent { Type = SepsisScreen.Concept(SepsisScreen.DecisionOutput), Value = new FhirDateTime(decision) });
        screen.Output.Add(new Hl7.Fhir.Model.Task.OutputComponent { Type = SepsisScreen.Concept(SepsisScreen.AntibioticsGivenOutput), Value = new FhirDateTime(decision.AddMinutes(42)) });
        using (var put = await client.PutAsync($"Task/{screen.Id}", Json(FhirSerialization.ToJson(screen))))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var tracked = Assert.Single(await SepsisScreensAsync(client, adult));
        Assert.Equal(42m, ((Quantity)tracked.Output.Single(o => o.Type.Coding[0].Code == SepsisScreen.TimeToAntibioticsOutput).Value!).Value);
        Assert.Contains("42 minutes after the decision (target 180): met", tracked.BusinessStatus!.Text, StringComparison.Ordinal);
        Assert.Equal(decision.AddHours(3).ToUnixTimeSeconds(), EscalationTasks.Due(tracked)!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task No_sepsis_screen_is_prompted_for_a_child_a_pregnant_woman_or_without_suspected_infection()
    {
        using var client = await server.ClientWithScopeAsync();
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeSeconds());

        var child = await PatientAsync(client, "sepsis-child", DateTime.UtcNow.AddYears(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await TransactionAsync(client, [.. SepsisSet(child, at), SuspectedInfection(child, at)]);
        Assert.Empty(await SepsisScreensAsync(client, child));
        Assert.Contains(Assert.Single(await OwnScoresAsync(client, child)).Note, n => n.Text!.Contains("not validated for under-16s", StringComparison.Ordinal));

        var pregnant = await PatientAsync(client, "sepsis-pregnant", "1995-04-01");
        await PostAsync(client, $$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"82810-3"}]},"subject":{"reference":"Patient/{{pregnant}}"},"effectiveDateTime":"{{at.AddDays(-7):yyyy-MM-dd}}","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"77386006"}]} }""");
        await TransactionAsync(client, [.. SepsisSet(pregnant, at), SuspectedInfection(pregnant, at)]);
        Assert.Empty(await SepsisScreensAsync(client, pregnant));

        var noInfection = await PatientAsync(client, "sepsis-none");
        await TransactionAsync(client, [.. SepsisSet(noInfection, at)]);
        Assert.Empty(await SepsisScreensAsync(client, noInfection));
        // The score still calls for an urgent response.
        Assert.Single(await SearchAsync<Hl7.Fhir.Model.Task>(client, $"Task?patient=Patient/{noInfection}&code={EscalationTasks.CodeSystem}|{EscalationTasks.EscalationCode}"));
    }

    /// <summary>Respiration 22 (2), pulse 115 (2), temperature 38.5 (1): NEWS2 5.</summary>
    private static string[] SepsisSet(string patient, DateTimeOffset at) =>
    [
        Vital(patient, at, "9279-1", "Respiratory rate", 22, "/min"),
        Vital(patient, at, "8867-4", "Heart rate", 115, "/min"),
        Vital(patient, at, "8310-5", "Body temperature", 38.5m, "Cel"),
    ];

    private static string SuspectedInfection(string patient, DateTimeOffset at) => $$"""
        {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"{{SepsisScreen.SuspectedInfectionSystem}}","code":"{{SepsisScreen.SuspectedInfectionCode}}"}],"text":"Could this be an infection?"},
         "subject":{"reference":"Patient/{{patient}}"},"effectiveDateTime":"{{at.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}}","valueBoolean":true }
        """;

    private static async Task TransactionAsync(HttpClient client, IEnumerable<string> resources)
    {
        var entries = string.Join(",", resources.Select(r => $$"""{"resource":{{r}},"request":{"method":"POST","url":"Observation"} }"""));
        using var response = await client.PostAsync("", Json($$"""{"resourceType":"Bundle","type":"transaction","entry":[{{entries}}]}"""));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static Task<List<Hl7.Fhir.Model.Task>> SepsisScreensAsync(HttpClient client, string patient) =>
        SearchAsync<Hl7.Fhir.Model.Task>(client, $"Task?patient=Patient/{patient}&code={EscalationTasks.CodeSystem}|{EscalationTasks.SepsisScreenCode}");

    [Fact]
    public async Task An_impossible_pulse_is_refused_by_post_put_and_transaction_and_nothing_is_kept()
    {
        using var client = await server.ClientWithScopeAsync();
        var patient = await PatientAsync(client, "implausible");
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var pulse = Vital(patient, at, "8867-4", "Heart rate", 700, "/min");

        await AssertImplausibleAsync(await client.PostAsync("Observation", Json(pulse)));
        var withId = JsonNode.Parse(pulse)!.AsObject();
        withId["id"] = $"pulse-{_run}";
        await AssertImplausibleAsync(await client.PutAsync($"Observation/pulse-{_run}", Json(withId.ToJsonString())));
        var bundle = $$$"""{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{{{Vital(patient, at, "9279-1", "Respiratory rate", 18, "/min")}}},"request":{"method":"POST","url":"Observation"}},{"resource":{{{pulse}}},"request":{"method":"POST","url":"Observation"}}]}""";
        await AssertImplausibleAsync(await client.PostAsync("", Json(bundle)));

        Assert.Empty(await SearchAsync(client, $"Observation?subject=Patient/{patient}"));
    }

    private static async Task AssertImplausibleAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == 422, $"expected 422, got {(int)response.StatusCode} {text}");
            Assert.Contains("VITAL_SIGN_IMPLAUSIBLE", text, StringComparison.Ordinal);
            Assert.Contains("pulse of 700", text, StringComparison.Ordinal);
        }
    }

    private async Task<string> PatientAsync(HttpClient client, string name, string born = "1950-01-01")
    {
        var id = $"news2-{name}-{_run}";
        using var response = await client.PutAsync($"Patient/{id}", Json($$"""{"resourceType":"Patient","id":"{{id}}","name":[{"family":"Score{{_run}}"}],"birthDate":"{{born}}"}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return id;
    }

    private static string Vital(string patient, DateTimeOffset at, string loinc, string display, decimal value, string unit) => $$$"""
        {"resourceType":"Observation","status":"final",
         "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
         "code":{"coding":[{"system":"http://loinc.org","code":"{{{loinc}}}","display":"{{{display}}}"}]},
         "subject":{"reference":"Patient/{{{patient}}}"},
         "effectiveDateTime":"{{{at.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}}}",
         "valueQuantity":{"value":{{{value.ToString(CultureInfo.InvariantCulture)}}},"unit":"{{{unit}}}","system":"http://unitsofmeasure.org","code":"{{{unit}}}"}}
        """;

    private static string Scale2Goal(string patient, string? expressedBy) => $$$"""
        {"resourceType":"Goal","lifecycleStatus":"active",
         "description":{"text":"Target oxygen saturation 88-92% (SpO2 scale 2): hypercapnic respiratory failure"},
         "subject":{"reference":"Patient/{{{patient}}}"},
         {{{(expressedBy is null ? "" : $"\"expressedBy\":{{\"reference\":\"{expressedBy}\"}},")}}}
         "target":[{"measure":{"coding":[{"system":"http://loinc.org","code":"59408-5"}]},
                    "detailRange":{"low":{"value":88,"unit":"%","system":"http://unitsofmeasure.org","code":"%"},"high":{"value":92,"unit":"%","system":"http://unitsofmeasure.org","code":"%"} } } ]}
        """;

    private static async Task PostAsync(HttpClient client, string json)
    {
        var type = JsonNode.Parse(json)!["resourceType"]!.GetValue<string>();
        using var response = await client.PostAsync(type, Json(json));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<Observation>> OwnScoresAsync(HttpClient client, string patient) =>
        [.. (await SearchAsync(client, $"Observation?subject=Patient/{patient}&code={Snomed}|1104051000000101")).Where(News2Set.IsOwnScore)];

    private static Task<List<Observation>> SearchAsync(HttpClient client, string query) => SearchAsync<Observation>(client, query);

    private static async Task<List<T>> SearchAsync<T>(HttpClient client, string query)
        where T : Resource
    {
        using var response = await client.GetAsync(query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var bundle = (Bundle)FhirSerialization.ParseJson(text);
        return [.. bundle.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Select(e => (T)e.Resource!)];
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/fhir+json");

    private static string UkCoreExamplesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "profiles", "ukcore-r4-2.0.0", "examples");
            if (Directory.Exists(candidate))
                return candidate;
        }

        throw new DirectoryNotFoundException("profiles/ukcore-r4-2.0.0/examples not found above " + AppContext.BaseDirectory);
    }
}

[Collection(ServerCollection.Name)]
public sealed class News2OnSqliteTests(ServerFixture server) : News2OverHttpTests(server);

[Collection(PostgresServerCollection.Name)]
public sealed class News2OnPostgresTests(PostgresServerFixture server) : News2OverHttpTests(server);
