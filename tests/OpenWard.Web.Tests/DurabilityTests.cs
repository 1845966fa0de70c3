using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OpenWard.Storage;

namespace OpenWard.Web.Tests;

/// <summary>
/// "Nothing acknowledged is ever lost": the real `openward serve` process is killed (SIGKILL) while
/// clients are still writing, and every create it had answered 201 must be in the database after.
/// </summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Every_acknowledged_create_survives_the_server_process_being_killed_mid_write()
    {
        var folder = Directory.CreateTempSubdirectory("openward-crash-").FullName;
        var port = FreePort();
        using var server = StartServer(folder, port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await WaitUntilListeningAsync(http);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http));

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

    private static Process StartServer(string folder, int port)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "openward.dll"), "serve", "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OpenWard__DataDirectory"] = folder;
        start.Environment["OpenWard__Bootstrap__ClientId"] = "crash";
        start.Environment["OpenWard__Bootstrap__ClientSecret"] = "crash-secret";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilListeningAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await http.GetAsync("fhir/metadata");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("openward serve did not start listening within 30 s.");
    }

    private static async Task<string> TokenAsync(HttpClient http)
    {
        using var response = await http.PostAsync("auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "crash",
            ["client_secret"] = "crash-secret",
        }));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
