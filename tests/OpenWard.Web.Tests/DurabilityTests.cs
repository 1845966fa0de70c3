using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenWard.Storage;

namespace OpenWard.Web.Tests;

/// <summary>
/// "Nothing acknowledged is ever lost": the real `openward serve` process is killed (SIGKILL) while
/// clients are still writing (or reading), and every create it had answered 201 must be in the
/// database after, as must the audit event of every read it had answered.
/// </summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Every_acknowledged_create_survives_the_server_process_being_killed_mid_write()
    {
        var folder = Directory.CreateTempSubdirectory("openward-crash-").FullName;
        var port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(folder, port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitUntilListeningAsync(http);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ServerProcess.TokenAsync(http));

            var acknowledged = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        using var response = await http.PostAsync("fhir/Patient", new StringContent(
                            $$"""{"resourceType":"Patient","name":[{"family":"Crash{{w}}x{{i}}"}]}""", Encoding.UTF8, "application/fhir+json"));
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(response.Headers.Location!.Segments[^3].TrimEnd('/'));
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                }
            })).ToList();

            while (acknowledged.Count < 200)
            {
                await Task.Delay(10);
            }

            server.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await server.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            await using var store = new SqlResourceStore(new SqliteDialect($"Data Source={Path.Combine(folder, "openward.db")}"));
            var missing = new List<string>();
            foreach (var id in acknowledged)
            {
                if (await store.ReadAsync("Patient", id, CancellationToken.None) is null)
                {
                    missing.Add(id);
                }
            }

            Assert.True(acknowledged.Count >= 200);
            Assert.Empty(missing);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Every_answered_read_has_its_audit_event_after_the_server_process_is_killed()
    {
        var folder = Directory.CreateTempSubdirectory("openward-crash-").FullName;
        var port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(folder, port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitUntilListeningAsync(http);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ServerProcess.TokenAsync(http));

            // 400 patients in one transaction, so that each read below is of a different patient and leaves its own trace.
            var entries = string.Join(",", Enumerable.Range(0, 400).Select(i =>
                $$$"""{"fullUrl":"urn:uuid:{{{Guid.NewGuid()}}}","resource":{"resourceType":"Patient","name":[{"family":"Reader{{{i}}}"}]},"request":{"method":"POST","url":"Patient"}}"""));
            using var created = await http.PostAsync("fhir", new StringContent(
                $$"""{"resourceType":"Bundle","type":"transaction","entry":[{{entries}}]}""", Encoding.UTF8, "application/fhir+json"));
            created.EnsureSuccessStatusCode();
            using var bundle = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            var ids = new ConcurrentQueue<string>(bundle.RootElement.GetProperty("entry").EnumerateArray()
                .Select(e => e.GetProperty("response").GetProperty("location").GetString()!.Split('/')[1]));

            var answered = new ConcurrentBag<string>();
            var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (ids.TryDequeue(out var id))
                {
                    try
                    {
                        using var response = await http.GetAsync($"fhir/Patient/{id}");
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            answered.Add(id);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                }
            })).ToList();

            while (answered.Count < 150 && !ids.IsEmpty)
            {
                await Task.Delay(5);
            }

            server.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush of the audit queue
            await server.WaitForExitAsync();
            await Task.WhenAll(readers);

            await using var store = new SqlResourceStore(new SqliteDialect($"Data Source={Path.Combine(folder, "openward.db")}"));
            var parser = new OpenWard.Fhir.Search.Query.SearchQueryParser(OpenWard.Fhir.Search.SearchParameterRegistry.Default);
            var unaudited = new List<string>();
            foreach (var id in answered)
            {
                var query = parser.Parse("AuditEvent", [new("patient", $"Patient/{id}"), new("subtype", "read")], lenient: false);
                if ((await store.SearchAsync(query, CancellationToken.None)).Matches.Count == 0)
                {
                    unaudited.Add(id);
                }
            }

            Assert.True(answered.Count >= 150, $"only {answered.Count} reads were answered before the kill");
            Assert.Empty(unaudited);
            Assert.True((await store.VerifyAuditChainAsync(CancellationToken.None)).Intact);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
