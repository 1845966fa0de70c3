using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Tests.Audit;

/// <summary>
/// <c>openward audit verify</c>, run as the real command (the built openward.dll, configured by
/// environment like an operator would): it proves an untouched trail intact and names the event
/// that was edited in the database file behind OpenWard's back; with the anchor file a real server
/// wrote (<c>--anchor</c>), it also finds the newest events cut off with the chain's head reset to
/// match, which the database alone cannot show, and refuses a forged anchor line.
/// </summary>
public sealed class AuditVerifyCommandTests
{
    [Fact]
    public async Task Verify_passes_on_an_untouched_trail_and_names_the_event_edited_in_the_database()
    {
        await using var audited = await AuditedStore.CreateAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await audited.Trail.RecordAsync(
                new AuditRecord(DateTimeOffset.UtcNow, AuditEventFactoryTests.Doctor, AuditInteraction.Read, AuditAction.Read, AuditOutcome.Success) { PatientIds = [$"p{i}"] },
                CancellationToken.None));
        }

        var intact = await OpenWardProcess.RunAsync(audited.Folder, "", "audit", "verify");

        Assert.True(intact.ExitCode == 0, intact.Error);
        Assert.Equal("Audit trail intact: 5 events checked.", intact.Output.Trim());

        var target = ids[3];
        await using (var connection = new SqliteConnection($"Data Source={audited.DatabasePath};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE resource SET content = replace(content, '\"Patient/p3\"', '\"Patient/p9\"') WHERE resource_type = 'AuditEvent' AND id = $id";
            edit.Parameters.AddWithValue("$id", target);
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }

        var broken = await OpenWardProcess.RunAsync(audited.Folder, "", "audit", "verify");

        Assert.Equal(1, broken.ExitCode);
        Assert.Equal("", broken.Output.Trim());
        Assert.StartsWith($"Audit trail BROKEN at seq 4 (AuditEvent/{target}): AuditEvent/{target} (seq 4) does not match its recorded hash: it was changed after it was written.", broken.Error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_with_the_server_s_anchor_file_passes_on_an_untouched_trail_and_refuses_a_forged_anchor_line()
    {
        var folder = Directory.CreateTempSubdirectory("openward-anchor-").FullName;
        try
        {
            await ServeAuditedRequestsAsync(folder, 3);
            var anchorFile = Path.Combine(folder, "audit-anchor.log");

            var intact = await OpenWardProcess.RunAsync(folder, "", "audit", "verify", "--anchor", anchorFile);

            Assert.True(intact.ExitCode == 0, intact.Error);
            var lines = File.ReadAllLines(anchorFile);
            Assert.Contains($"Anchors hold: {lines.Length} in {anchorFile} checked", intact.Output, StringComparison.Ordinal);

            // Someone who cannot sign vouches for a longer chain, to make the real one look cut short.
            var last = lines[^1].Split(' ');
            last[1] = (long.Parse(last[1], System.Globalization.CultureInfo.InvariantCulture) + 5).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await File.AppendAllTextAsync(anchorFile, string.Join(' ', last) + "\n");

            var forged = await OpenWardProcess.RunAsync(folder, "", "audit", "verify", "--anchor", anchorFile);

            Assert.Equal(1, forged.ExitCode);
            Assert.StartsWith($"Audit anchors BROKEN: line {lines.Length + 1} of {anchorFile}: its signature does not match", forged.Error.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Verify_with_the_server_s_anchor_file_finds_the_newest_events_cut_off_although_the_head_was_reset_to_match()
    {
        var folder = Directory.CreateTempSubdirectory("openward-anchor-").FullName;
        try
        {
            await ServeAuditedRequestsAsync(folder, 3);
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "openward.db")};Pooling=false"))
            {
                await connection.OpenAsync();
                await using var cut = connection.CreateCommand();
                cut.CommandText = """
                    CREATE TEMP TABLE keep AS SELECT seq - 2 AS seq FROM audit_head;
                    DELETE FROM resource_history WHERE resource_type = 'AuditEvent' AND id IN (SELECT audit_event_id FROM audit_chain WHERE seq > (SELECT seq FROM keep));
                    DELETE FROM resource WHERE resource_type = 'AuditEvent' AND id IN (SELECT audit_event_id FROM audit_chain WHERE seq > (SELECT seq FROM keep));
                    DELETE FROM audit_chain WHERE seq > (SELECT seq FROM keep);
                    UPDATE audit_head SET seq = (SELECT seq FROM keep), hash = (SELECT hash FROM audit_chain WHERE seq = (SELECT seq FROM keep));
                    UPDATE audit_projection SET seq = MIN(seq, (SELECT seq FROM keep));
                    """;
                await cut.ExecuteNonQueryAsync();
            }

            var unanchored = await OpenWardProcess.RunAsync(folder, "", "audit", "verify");
            var anchored = await OpenWardProcess.RunAsync(folder, "", "audit", "verify", "--anchor", Path.Combine(folder, "audit-anchor.log"));

            Assert.True(unanchored.ExitCode == 0, "The database alone cannot show the cut: " + unanchored.Error);
            Assert.Equal(1, anchored.ExitCode);
            Assert.Contains("but an anchor outside the database records seq", anchored.Error, StringComparison.Ordinal);
            Assert.Contains("the newest events were cut off", anchored.Error, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_server_with_a_malformed_anchor_key_refuses_to_start_and_names_the_setting(string key)
    {
        var folder = Directory.CreateTempSubdirectory("openward-anchor-").FullName;
        try
        {
            var refused = Assert.Throws<InvalidOperationException>(() => OpenWardHost.Build([$"--OpenWard:DataDirectory={folder}", $"--OpenWard:Audit:AnchorKey={key}"]));

            Assert.Equal("OpenWard:Audit:AnchorKey must be at least 32 bytes, base64-encoded.", refused.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A real server on <paramref name="folder"/> (its anchor key generated there) answers
    /// <paramref name="searches"/> audited searches, then shuts down: it anchored the chain when it
    /// started and again at shutdown.
    /// </summary>
    private static async Task ServeAuditedRequestsAsync(string folder, int searches)
    {
        var app = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={folder}",
            $"--OpenWard:Bootstrap:ClientId={ServerFixture.ClientId}",
            $"--OpenWard:Bootstrap:ClientSecret={ServerFixture.ClientSecret}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await using (app)
        {
            await app.StartAsync();
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            using var client = new HttpClient();
            using (var token = await client.PostAsync(baseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = ServerFixture.ClientId,
                ["client_secret"] = ServerFixture.ClientSecret,
                ["scope"] = "system/*.cruds",
            })))
            {
                token.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
            }

            for (var i = 0; i < searches; i++)
            {
                using var search = await client.GetAsync(baseUrl + "/fhir/Patient?_count=1");
                search.EnsureSuccessStatusCode();
            }

            await app.StopAsync();
        }
    }
}
