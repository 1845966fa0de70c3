using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using OpenWard.Security;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Security.Passwords;

namespace OpenWard.Web.Tests.Cli;

/// <summary>
/// The operator's commands, run as the real <c>openward</c>: staff accounts for a standalone install
/// (password from standard input, rules enforced), and bulk export written to the audit trail.
/// </summary>
public sealed class OperatorCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-cli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SqlResourceStore Store() => new(new SqliteDialect($"Data Source={Path.Combine(_folder, "openward.db")}"));

    [Fact]
    public async Task Staff_add_stores_a_hashed_password_read_from_standard_input_and_disable_stops_the_account()
    {
        var added = await OpenWardProcess.RunAsync(_folder, "long enough password\n", "staff", "add", "--user", "ada", "--name", "Ada Okafor", "--role", "Nurse", "--ward", "loc-ward-03");
        Assert.True(added.ExitCode == 0, added.Error);

        await using (var store = Store())
        {
            var account = await new StaffDirectory(store).FindAsync("ada", default);
            Assert.NotNull(account);
            Assert.Equal(StaffRole.Nurse, account.Role);
            Assert.Equal(["loc-ward-03"], account.Wards);
            Assert.Equal(PasswordCheck.Valid, new PasswordHasher().Verify("long enough password", account.PasswordHash!));
            Assert.DoesNotContain("long enough password", account.PasswordHash!, StringComparison.Ordinal);
        }

        var disabled = await OpenWardProcess.RunAsync(_folder, "", "staff", "disable", "--user", "ada");
        Assert.True(disabled.ExitCode == 0, disabled.Error);
        await using (var store = Store())
        {
            Assert.True((await new StaffDirectory(store).FindAsync("ada", default))!.Disabled);
        }

        var listed = await OpenWardProcess.RunAsync(_folder, "", "staff", "list");
        Assert.Contains("ada\tNurse\tAda Okafor", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("argon2", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_password_is_refused_and_no_account_is_made()
    {
        var refused = await OpenWardProcess.RunAsync(_folder, "short\n", "staff", "add", "--user", "bob", "--name", "Bob", "--role", "Doctor");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("12", refused.Error, StringComparison.Ordinal);
        await using var store = Store();
        await store.MigrateAsync(default);
        Assert.Null(await new StaffDirectory(store).FindAsync("bob", default));
    }

    [Fact]
    public async Task An_export_from_the_command_line_is_in_the_audit_trail()
    {
        var output = Path.Combine(_folder, "out");
        var exported = await OpenWardProcess.RunAsync(_folder, "", "export", "--output", output);
        Assert.True(exported.ExitCode == 0, exported.Error);

        await using var store = Store();
        var query = new SearchQueryParser(SearchParameterRegistry.Default).Parse("AuditEvent", [new("subtype", "export")], lenient: false);
        var found = (await store.SearchAsync(query, default)).Matches;
        var json = Assert.Single(found).Json!;
        Assert.Contains($"cli:{Environment.UserName}", json, StringComparison.Ordinal);
        Assert.Contains(output, json, StringComparison.Ordinal);
        Assert.True((await store.VerifyAuditChainAsync(default)).Intact);
    }

    [Fact]
    public async Task Serve_with_demo_on_a_store_holding_a_real_patient_stops_with_a_clear_message()
    {
        var file = Path.Combine(_folder, "patients.ndjson");
        await File.WriteAllTextAsync(file, """{"resourceType":"Patient","id":"real-1","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]}""" + "\n");
        var imported = await OpenWardProcess.RunAsync(_folder, "", "import", file);
        Assert.True(imported.ExitCode == 0, imported.Error);

        var served = await OpenWardProcess.RunAsync(_folder, "", "serve", "--demo", "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, served.ExitCode);
        Assert.Contains("Demo mode (--demo, OpenWard__DemoData) is refused: this store holds patients that are not demo data", served.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", served.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_applies_every_write_rule_unless_one_is_relaxed_by_name_and_the_audit_event_says_so()
    {
        // Two current inpatient stays for one patient: the old system's data broke ONE_CURRENT_INPATIENT_STAY.
        var file = Path.Combine(_folder, "stays.ndjson");
        await File.WriteAllLinesAsync(file,
        [
            """{"resourceType":"Patient","id":"hist-1"}""",
            """{"resourceType":"Encounter","id":"hist-stay-1","status":"in-progress","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},"subject":{"reference":"Patient/hist-1"}}""",
            """{"resourceType":"Encounter","id":"hist-stay-2","status":"in-progress","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},"subject":{"reference":"Patient/hist-1"}}""",
        ]);

        var strict = await OpenWardProcess.RunAsync(_folder, "", "import", file);
        Assert.Contains("ONE_CURRENT_INPATIENT_STAY", strict.Output + strict.Error, StringComparison.Ordinal);
        await using (var store = Store())
        {
            Assert.Null(await store.ReadAsync("Encounter", "hist-stay-2", default));
        }

        var unknown = await OpenWardProcess.RunAsync(_folder, "", "import", file, "--relax-rule", "ONE_STAY_PLEASE");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No write rule has the id ONE_STAY_PLEASE", unknown.Error, StringComparison.Ordinal);

        var relaxed = await OpenWardProcess.RunAsync(_folder, "", "import", file, "--relax-rule", "ONE_CURRENT_INPATIENT_STAY");
        Assert.True(relaxed.ExitCode == 0, relaxed.Error);
        await using (var store = Store())
        {
            Assert.NotNull(await store.ReadAsync("Encounter", "hist-stay-2", default));
            var query = new SearchQueryParser(SearchParameterRegistry.Default).Parse("AuditEvent", [new("subtype", "batch")], lenient: false);
            Assert.Contains((await store.SearchAsync(query, default)).Matches, e => e.Json!.Contains("Write rules relaxed: ONE_CURRENT_INPATIENT_STAY", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_imported_encounter_tells_running_servers_its_patients_care_relationships_changed()
    {
        var file = Path.Combine(_folder, "admission.ndjson");
        await File.WriteAllLinesAsync(file,
        [
            """{"resourceType":"Patient","id":"imp-1"}""",
            """{"resourceType":"Observation","id":"imp-obs-1","status":"final","code":{"text":"Pulse"},"subject":{"reference":"Patient/imp-1"}}""",
            """{"resourceType":"Encounter","id":"imp-stay-1","status":"in-progress","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},"subject":{"reference":"Patient/imp-1"}}""",
        ]);

        var imported = await OpenWardProcess.RunAsync(_folder, "", "import", file);

        Assert.True(imported.ExitCode == 0, imported.Error);
        await using var store = Store();
        var notices = await store.ChangeFeed.ReadAfterAsync(0, 100, default);
        var notice = Assert.Single(notices);
        Assert.Equal("care-relationships", notice.Topic);
        Assert.Equal("imp-1", notice.Key);
    }
}
