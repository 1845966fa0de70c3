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
}
