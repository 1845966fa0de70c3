using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Tests.Audit;

/// <summary>A migrated SQLite store in a temporary folder with an <see cref="AuditTrail"/> over it.</summary>
internal sealed class AuditedStore : IAsyncDisposable
{
    public static readonly Lazy<SearchIndexer> Indexer = new(() => new SearchIndexer(SearchParameterRegistry.Default));

    private AuditedStore(string folder, IResourceStore store, bool migrated)
    {
        Folder = folder;
        Store = store;
        Trail = new AuditTrail(store, Indexer.Value, TimeProvider.System);
        Migrated = migrated;
    }

    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, "openward.db");
    public IResourceStore Store { get; }
    public AuditTrail Trail { get; }
    public bool Migrated { get; }

    public static async Task<AuditedStore> CreateAsync(bool migrate = true)
    {
        var folder = Directory.CreateTempSubdirectory("openward-audit-").FullName;
        var store = new SqlResourceStore(new SqliteDialect($"Data Source={Path.Combine(folder, "openward.db")}"));
        if (migrate)
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        return new AuditedStore(folder, store, migrate);
    }

    public async ValueTask DisposeAsync()
    {
        await Trail.DisposeAsync();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}

public sealed class AuditTrailTests
{
    private static CancellationToken None => CancellationToken.None;

    private static AuditRecord ReadOf(string patientId) =>
        new(DateTimeOffset.UtcNow, AuditEventFactoryTests.Doctor, AuditInteraction.Read, AuditAction.Read, AuditOutcome.Success)
        {
            Address = "127.0.0.1",
            PatientIds = [patientId],
            Entities = [$"Patient/{patientId}"],
        };

    private static async Task<List<StoredResource>> SearchAsync(IResourceStore store, string query)
    {
        var parsed = new SearchQueryParser(SearchParameterRegistry.Default).Parse("AuditEvent", QueryString.Parse(query), lenient: false);
        return (await store.SearchAsync(parsed, None)).Matches.ToList();
    }

    [Fact]
    public async Task Many_concurrent_reads_are_all_recorded_in_one_intact_chain()
    {
        await using var audited = await AuditedStore.CreateAsync();

        var ids = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => audited.Trail.RecordAsync(ReadOf($"p{i}"), None))));

        Assert.Equal(400, ids.Distinct().Count());
        var report = await audited.Store.VerifyAuditChainAsync(None);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(400, report.EventsChecked);
        foreach (var id in ids)
        {
            Assert.NotNull(await audited.Store.ReadAsync("AuditEvent", id, None));
        }
    }

    [Fact]
    public async Task Each_event_is_readable_from_the_store_as_soon_as_its_task_completes()
    {
        await using var audited = await AuditedStore.CreateAsync();

        var missing = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            var id = await audited.Trail.RecordAsync(ReadOf($"visible{i}"), None);
            return await audited.Store.ReadAsync("AuditEvent", id, None) is null ? id : null;
        })));

        Assert.All(missing, Assert.Null);
    }

    [Fact]
    public async Task A_recorded_read_is_found_by_patient_agent_action_subtype_and_date()
    {
        await using var audited = await AuditedStore.CreateAsync();
        var before = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var id = await audited.Trail.RecordAsync(ReadOf("pat-searched"), None);
        await audited.Trail.RecordAsync(ReadOf("someone-else"), None);

        foreach (var query in new[]
        {
            "patient=Patient/pat-searched",
            "patient=pat-searched",
            "patient=Patient/pat-searched&agent=Practitioner/prac-1",
            "patient=Patient/pat-searched&action=R",
            "patient=Patient/pat-searched&subtype=http://hl7.org/fhir/restful-interaction|read",
            $"patient=Patient/pat-searched&date=ge{Uri.EscapeDataString(before)}",
            "patient=Patient/pat-searched&address=127.0.0.1",
        })
        {
            var found = await SearchAsync(audited.Store, query);
            Assert.True(found.Count == 1 && found[0].Id == id, $"{query} found {found.Count}");
        }

        Assert.Empty(await SearchAsync(audited.Store, "patient=Patient/pat-searched&action=U"));
        var stored = (AuditEvent)FhirSerialization.ParseJson((await audited.Store.ReadAsync("AuditEvent", id, None))!.Json!);
        Assert.Equal(("1", id), (stored.Meta?.VersionId, stored.Id));
    }

    [Fact]
    public async Task An_event_recorded_in_a_write_transaction_commits_or_rolls_back_with_it()
    {
        await using var audited = await AuditedStore.CreateAsync();
        var update = new AuditRecord(DateTimeOffset.UtcNow, AuditEventFactoryTests.Doctor, AuditInteraction.Update, AuditAction.Update, AuditOutcome.Success) { PatientIds = ["written"] };
        var failed = update with { PatientIds = ["rolled-back"] };

        await audited.Store.WriteAsync(async tx => { await audited.Trail.RecordInTransactionAsync(tx, update, None); return 0; }, None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => audited.Store.WriteAsync<int>(
            async tx =>
            {
                await audited.Trail.RecordInTransactionAsync(tx, [failed, failed], None);
                throw new InvalidOperationException("the write failed after auditing");
            },
            None));

        Assert.Single(await SearchAsync(audited.Store, "patient=written"));
        Assert.Empty(await SearchAsync(audited.Store, "patient=rolled-back"));
        var report = await audited.Store.VerifyAuditChainAsync(None);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(1, report.EventsChecked);
    }

    [Fact]
    public async Task A_failed_commit_faults_every_waiting_caller()
    {
        await using var audited = await AuditedStore.CreateAsync(migrate: false); // no tables: every commit fails

        var waits = Enumerable.Range(0, 20).Select(i => audited.Trail.RecordAsync(ReadOf($"lost{i}"), None)).ToList();

        foreach (var wait in waits)
        {
            var failure = await Assert.ThrowsAsync<AuditTrailException>(() => wait);
            Assert.NotNull(failure.InnerException);
        }
    }

    [Fact]
    public async Task Disposing_the_trail_writes_everything_still_queued()
    {
        var audited = await AuditedStore.CreateAsync();
        List<Task<string>> waits;
        try
        {
            waits = Enumerable.Range(0, 300).Select(i => audited.Trail.RecordAsync(ReadOf($"drain{i}"), None)).ToList();
            await audited.Trail.DisposeAsync();

            Assert.All(waits, w => Assert.True(w.IsCompletedSuccessfully));
            var report = await audited.Store.VerifyAuditChainAsync(None);
            Assert.Equal(300, report.EventsChecked);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => audited.Trail.RecordAsync(ReadOf("late"), None));
        }
        finally
        {
            await audited.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_trail_writes_each_event_with_version_1_and_the_time_it_was_prepared()
    {
        var time = new FixedTime(new DateTimeOffset(2025, 6, 1, 12, 0, 0, 123, TimeSpan.Zero).AddTicks(4567));
        await using var audited = await AuditedStore.CreateAsync();
        var trail = new AuditTrail(audited.Store, AuditedStore.Indexer.Value, time);
        await using (trail)
        {
            var write = trail.Prepare(ReadOf("p"));

            Assert.Equal(("AuditEvent", 1, "POST"), (write.ResourceType, write.VersionId, write.Method));
            Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 0, 0, 123, TimeSpan.Zero), write.LastUpdated);
            var parsed = (AuditEvent)FhirSerialization.ParseJson(write.Json!);
            Assert.Equal(("1", write.LastUpdated, write.Id), (parsed.Meta?.VersionId, parsed.Meta?.LastUpdated, parsed.Id));
            Assert.Null(write.Indexes); // the store indexes the event when it projects it, off the request's path
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
