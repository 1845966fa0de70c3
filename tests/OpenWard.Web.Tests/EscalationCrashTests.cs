using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;

namespace OpenWard.Web.Tests;

/// <summary>
/// "An escalation fires within 60 s of its due time, also after a kill -9 and restart" (issue #19):
/// on the real <c>openward serve</c> (SQLite) with its job runner off and the emergency and
/// consultant response times set to 2 seconds, two patients score 7 or more; one escalation is accepted by a responder,
/// the other is not. The process is killed (SIGKILL) before either is due; restarted on the same
/// data with the runner on, the unanswered one is raised to the consultant exactly once, within 60 s
/// of its due time, and the accepted one is left alone; the consultant step's own job, at the top of
/// the ladder, changes nothing.
/// </summary>
public sealed class EscalationCrashTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-escalation-crash-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task An_unanswered_escalation_pending_when_the_server_is_killed_is_raised_once_after_restart_and_an_accepted_one_is_not()
    {
        var settings = new Dictionary<string, string>
        {
            ["OpenWard__Escalation__RespondWithin__emergency-response"] = "00:00:02",
            ["OpenWard__Escalation__RespondWithin__consultant"] = "00:00:02",
        };
        var port = ServerProcess.FreePort();
        using (var first = ServerProcess.Start(_folder, port, new Dictionary<string, string>(settings) { ["OpenWard__Jobs__Enabled"] = "false" }))
        {
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/fhir/") };
                await ServerProcess.WaitUntilListeningAsync(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ServerProcess.TokenAsync(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") }));
                await HighScoreAsync(http, "crash-unanswered");
                await HighScoreAsync(http, "crash-accepted");
                var accepted = await EscalationAsync(http, "crash-accepted");
                accepted.Status = Hl7.Fhir.Model.Task.TaskStatus.Accepted;
                using var put = await http.PutAsync($"Task/{accepted.Id}", Json(FhirSerialization.ToJson(accepted)));
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            }
            finally
            {
                first.Kill(entireProcessTree: true); // SIGKILL: no shutdown
                await first.WaitForExitAsync();
            }
        }

        await using (var store = Store())
        {
            // One due job per patient, at the emergency level: each set came in one transaction, scored once.
            var jobs = (await store.Jobs.ListAsync(null, 50, default)).Where(j => j.Kind == EscalationTasks.JobKind).ToList();
            Assert.Equal(2, jobs.Count);
            Assert.All(jobs, j => Assert.Equal(JobState.Pending, j.State));
            Assert.All(jobs, j => Assert.Equal((int)EscalationLevel.EmergencyResponse, EscalationTasks.EscalationDue.Parse(j.Payload)!.Level));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        port = ServerProcess.FreePort();
        using var second = ServerProcess.Start(_folder, port, new Dictionary<string, string>(settings) { ["OpenWard__Jobs__PollSeconds"] = "0.5" });
        try
        {
            var site = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitUntilListeningAsync(site);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/fhir/") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ServerProcess.TokenAsync(site));

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Hl7.Fhir.Model.Task raised;
            while (EscalationTasks.Level(raised = await EscalationAsync(http, "crash-unanswered")) != EscalationLevel.Consultant)
            {
                Assert.False(deadline.IsCancellationRequested, "The unanswered escalation was not raised within 60 s of restarting after its due time.");
                await Task.Delay(200);
            }

            Assert.Single(raised.Note, n => n.Text!.StartsWith("Consultant", StringComparison.Ordinal));
            Assert.Contains("had not responded", raised.BusinessStatus!.Text, StringComparison.Ordinal);
            var accepted = await EscalationAsync(http, "crash-accepted");
            Assert.Equal(EscalationLevel.EmergencyResponse, EscalationTasks.Level(accepted));
            Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Accepted, accepted.Status);

            // The consultant step's own job then comes due: at the top of the ladder it changes nothing.
            await using var store = Store();
            using var settle = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await store.Jobs.ListAsync(null, 50, default)).Any(j => j.Kind == EscalationTasks.JobKind && EscalationTasks.EscalationDue.Parse(j.Payload)!.Level >= (int)EscalationLevel.EmergencyResponse && j.State != JobState.Done))
            {
                Assert.False(settle.IsCancellationRequested, "Escalation jobs did not all finish.");
                await Task.Delay(200);
            }

            Assert.Single(await store.Jobs.ListAsync(JobState.Done, 50, default), j => j.Kind == EscalationTasks.JobKind && EscalationTasks.EscalationDue.Parse(j.Payload)!.Level == (int)EscalationLevel.Consultant);
            Assert.Single((await EscalationAsync(http, "crash-unanswered")).Note, n => n.Text!.StartsWith("Consultant", StringComparison.Ordinal));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    private SqlResourceStore Store() => new(new SqliteDialect($"Data Source={Path.Combine(_folder, "openward.db")}"));

    /// <summary>A patient with a set scoring 7 or more (respiration 26, pulse 135, systolic 88: 9), which raises an emergency response.</summary>
    private static async Task HighScoreAsync(HttpClient http, string patient)
    {
        using (var put = await http.PutAsync($"Patient/{patient}", Json($$"""{"resourceType":"Patient","id":"{{patient}}","birthDate":"1950-01-01"}""")))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        var entries = string.Join(",", new[] { ("9279-1", 26), ("8867-4", 135), ("8480-6", 88) }.Select(v => $$"""
            {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{{v.Item1}}"}]},
             "subject":{"reference":"Patient/{{patient}}"},"effectiveDateTime":"{{at}}",
             "valueQuantity":{"value":{{v.Item2}},"unit":"{{(v.Item1 == "8480-6" ? "mm[Hg]" : "/min")}}","system":"http://unitsofmeasure.org","code":"{{(v.Item1 == "8480-6" ? "mm[Hg]" : "/min")}}"} },
             "request":{"method":"POST","url":"Observation"} }
            """));
        using var posted = await http.PostAsync("", Json($$"""{"resourceType":"Bundle","type":"transaction","entry":[{{entries}}]}"""));
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
    }

    private static async Task<Hl7.Fhir.Model.Task> EscalationAsync(HttpClient http, string patient)
    {
        var text = await http.GetStringAsync($"Task?patient=Patient/{patient}&code={EscalationTasks.CodeSystem}|{EscalationTasks.EscalationCode}");
        var bundle = (Hl7.Fhir.Model.Bundle)FhirSerialization.ParseJson(text);
        return (Hl7.Fhir.Model.Task)Assert.Single(bundle.Entry).Resource!;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/fhir+json");
}
