using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OpenWard.Fhir.Rest.Audit;

namespace OpenWard.Web.Tests.Audit;

/// <summary>
/// <c>openward audit verify</c>, run as the real command (the built openward.dll, configured by
/// environment like an operator would): it proves an untouched trail intact and names the event
/// that was edited in the database file behind OpenWard's back.
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

        var intact = await RunAsync(audited.Folder, "audit", "verify");

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

        var broken = await RunAsync(audited.Folder, "audit", "verify");

        Assert.Equal(1, broken.ExitCode);
        Assert.Equal("", broken.Output.Trim());
        Assert.StartsWith($"Audit trail BROKEN at seq 4 (AuditEvent/{target}): AuditEvent/{target} (seq 4) does not match its recorded hash: it was changed after it was written.", broken.Error.Trim(), StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string dataDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "openward.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OpenWard__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openward {string.Join(' ', args)} did not finish within 2 minutes.");
        }

        return (process.ExitCode, await output, await error);
    }
}
