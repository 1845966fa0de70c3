using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests;

/// <summary>
/// "A job committed with its change runs exactly once, whatever happens to the process": a nurse
/// breaks glass on the real <c>openward serve</c> (SQLite) whose job runner is off, so the
/// notification job is surely still pending; the process is killed (SIGKILL); restarted on the same
/// data folder with the runner on, it sends the clinicians' Communication once.
/// PostgreSQL is not covered by this test; the queue's claim and lease rules are tested on both engines in the storage conformance suite.
/// </summary>
public sealed partial class JobCrashTests : IDisposable
{
    private const string Patient = "crash-patient";
    private const string Password = "long enough password";

    private readonly string _folder = Directory.CreateTempSubdirectory("openward-job-crash-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_break_glass_notification_pending_when_the_server_is_killed_is_sent_exactly_once_after_restart()
    {
        var added = await OpenWardProcess.RunAsync(_folder, Password + "\n", "staff", "add", "--user", "nia", "--name", "Nia Evans", "--role", "Nurse", "--ward", "crash-ward-a");
        Assert.True(added.ExitCode == 0, added.Error);

        var port = ServerProcess.FreePort();
        using (var first = ServerProcess.Start(_folder, port, new Dictionary<string, string> { ["OpenWard__Jobs__Enabled"] = "false" }))
        {
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
                await ServerProcess.WaitUntilListeningAsync(http);
                await ArrangePatientAsync(http);
                await BreakGlassAsync(http.BaseAddress);
            }
            finally
            {
                first.Kill(entireProcessTree: true); // SIGKILL: no shutdown
                await first.WaitForExitAsync();
            }
        }

        long jobId;
        await using (var store = Store())
        {
            var job = Assert.Single(await store.Jobs.ListAsync(null, 10, default));
            Assert.Equal(BreakGlassNotifications.JobKind, job.Kind);
            Assert.Equal(JobState.Pending, job.State);
            Assert.Equal(0, job.Attempts);
            Assert.Contains(await new BreakGlassLedger(store).UnreviewedAsync(10, default), g => g.PatientId == Patient && g.UserName == "nia");
            Assert.Equal(0, await CommunicationsAsync(store));
            jobId = job.Id;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        port = ServerProcess.FreePort();
        using var second = ServerProcess.Start(_folder, port, new Dictionary<string, string> { ["OpenWard__Jobs__PollSeconds"] = "0.2" });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitUntilListeningAsync(http);
            await using var store = Store();
            var done = await JobWaits.UntilDoneAsync(store.Jobs, jobId);
            Assert.Equal(1, done.Attempts);
            Assert.Null(done.LastError);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        await using (var store = Store())
        {
            Assert.Equal(1, await CommunicationsAsync(store));
            Assert.Equal(JobState.Done, (await store.Jobs.FindAsync(jobId, default))!.State);
        }
    }

    private SqlResourceStore Store() => new(new SqliteDialect($"Data Source={Path.Combine(_folder, "openward.db")}"));

    private static async Task<int> CommunicationsAsync(SqlResourceStore store)
    {
        var query = new SearchQueryParser(SearchParameterRegistry.Default).Parse("Communication", [new("subject", $"Patient/{Patient}")], lenient: false);
        return (await store.SearchAsync(query, default)).Matches.Count;
    }

    /// <summary>A patient in an encounter on another ward, under a consultant who is to be told.</summary>
    private static async Task ArrangePatientAsync(HttpClient http)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ServerProcess.TokenAsync(http));
        foreach (var (path, json) in new[]
        {
            ($"fhir/Patient/{Patient}", $$"""{"resourceType":"Patient","id":"{{Patient}}","name":[{"family":"Crash","given":["Cora"]}]}"""),
            ("fhir/Encounter/crash-encounter", $$"""
                {"resourceType":"Encounter","id":"crash-encounter","status":"in-progress",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
                 "subject":{"reference":"Patient/{{Patient}}"},
                 "participant":[ {"individual":{"reference":"Practitioner/crash-consultant"} } ],
                 "location":[ {"location":{"reference":"Location/crash-ward-b"} } ]}
                """),
        })
        {
            using var put = await http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/fhir+json"));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The nurse signs in and breaks glass on the record page, as in a browser.</summary>
    private static async Task BreakGlassAsync(Uri site)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = site };
        var signIn = await browser.GetStringAsync("signin");
        using (var signedIn = await browser.PostAsync("signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "nia",
            ["Password"] = Password,
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(signIn).Groups[1].Value,
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var record = await browser.GetStringAsync($"patients/{Patient}");
        Assert.Contains("You need a reason to open this record", record, StringComparison.Ordinal);
        using var granted = await browser.PostAsync($"patients/{Patient}?handler=BreakGlass", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ReasonCode"] = "emergency-care",
            ["DurationHours"] = "1",
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(record).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
