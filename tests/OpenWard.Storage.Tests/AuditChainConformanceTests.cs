using System.Data.Common;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage.Search;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Storage.Tests;

/// <summary>
/// The audit log and its hash chain on every engine: appends chain in order, the projector makes
/// logged events searchable (before any AuditEvent read, after a crash, once each), verification
/// recomputes every link and compares every searchable copy with the log, and tampering with the
/// database behind the store's back is found and located. Each test gets its own fresh store,
/// because the tampering ones break the chain on purpose.
/// </summary>
public abstract class AuditChainConformanceTests<TFixture>
    where TFixture : StoreFixture, new()
{
    private static readonly Lazy<SearchIndexer> Indexer = new(() => new SearchIndexer(SearchParameterRegistry.Default));
    private static CancellationToken None => CancellationToken.None;

    private static ResourceWrite NewAuditEvent(string marker)
    {
        var recorded = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
        var auditEvent = new AuditEvent
        {
            Id = Guid.NewGuid().ToString(),
            Meta = new Meta { VersionId = "1", LastUpdated = recorded },
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest"),
            Action = AuditEvent.AuditEventAction.R,
            Recorded = recorded,
            Outcome = AuditEvent.AuditEventOutcome.N0,
            OutcomeDesc = marker,
            Agent = [new AuditEvent.AgentComponent { Who = new ResourceReference { Display = "test" }, Requestor = true }],
            Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = "OpenWard" } },
            Entity = [new AuditEvent.EntityComponent { What = new ResourceReference("Patient/p1") }],
        };
        return new ResourceWrite("AuditEvent", auditEvent.Id, 1, recorded, FhirSerialization.ToJson(auditEvent), Indexer.Value.Extract(auditEvent), "POST");
    }

    private static async Task<TFixture> FreshAsync()
    {
        var fixture = new TFixture();
        await fixture.InitializeAsync();
        return fixture;
    }

    private static async Task<List<ResourceWrite>> AppendAsync(IResourceStore store, params string[] markers)
    {
        var events = markers.Select(NewAuditEvent).ToList();
        await store.WriteAsync(async tx => { await tx.AppendAuditEventsAsync(events, None); return 0; }, None);
        return events;
    }

    /// <summary>Appends, then projects at once (the background projector would, a moment later), so the tampering below has rows to edit.</summary>
    private static async Task<List<ResourceWrite>> AppendAndProjectAsync(IResourceStore store, params string[] markers)
    {
        var events = await AppendAsync(store, markers);
        await ((SqlResourceStore)store).AuditProjector.CatchUpAsync(None);
        return events;
    }

    private static SearchQuery AuditEventQuery(string query) =>
        new SearchQueryParser(SearchParameterRegistry.Default).Parse("AuditEvent", QueryString.Parse(query), lenient: false);

    private static async Task<long> ScalarAsync(IResourceStore store, string sql)
    {
        await using var connection = await ((SqlResourceStore)store).Dialect.OpenAsync(None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(None), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteRawAsync(IResourceStore store, string sql, string? json = null, bool expectRows = true)
    {
        var dialect = ((SqlResourceStore)store).Dialect;
        await using var connection = await dialect.OpenAsync(None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (json is not null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@json";
            dialect.BindJson(parameter, json);
            command.Parameters.Add(parameter);
        }

        var changed = await command.ExecuteNonQueryAsync(None);
        if (expectRows)
        {
            Assert.Equal(1, changed);
        }
    }

    private static async Task<string> RawContentAsync(IResourceStore store, string id)
    {
        var dialect = ((SqlResourceStore)store).Dialect;
        await using var connection = await dialect.OpenAsync(None);
        var sql = new SqlBuilder();
        sql.Append("SELECT content FROM resource WHERE resource_type = 'AuditEvent' AND id = ").Append(sql.Bind(id));
        await using DbCommand command = connection.CreateCommand();
        sql.ApplyTo(command);
        return (string)(await command.ExecuteScalarAsync(None))!;
    }

    [Fact]
    public async Task An_empty_audit_trail_is_intact()
    {
        var fixture = await FreshAsync();
        try
        {
            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.Equal(new AuditChainReport(true, 0, null, null, null), report);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Appended_events_are_stored_as_version_1_and_verify_as_an_intact_chain()
    {
        var fixture = await FreshAsync();
        try
        {
            var first = await AppendAsync(fixture.Store, "a", "b", "c");
            var second = await AppendAsync(fixture.Store, "d", "e");

            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.True(report.Intact, report.Problem);
            Assert.Equal(5, report.EventsChecked);
            foreach (var write in first.Concat(second))
            {
                var stored = await fixture.Store.ReadAsync("AuditEvent", write.Id, None);
                Assert.NotNull(stored);
                Assert.Equal(1, stored.VersionId);
                Assert.Equal(write.Id, ((AuditEvent)FhirSerialization.ParseJson(stored.Json!)).Id);
            }
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_link_hashes_the_previous_hash_and_the_logged_json()
    {
        var fixture = await FreshAsync();
        try
        {
            var events = await AppendAsync(fixture.Store, "a", "b");
            var dialect = ((SqlResourceStore)fixture.Store).Dialect;
            await using var connection = await dialect.OpenAsync(None);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, audit_event_id, prev_hash, hash, content FROM audit_chain ORDER BY seq";
            var rows = new List<(long Seq, string Id, string Prev, string Hash, string Json)>();
            await using (var reader = await command.ExecuteReaderAsync(None))
            {
                while (await reader.ReadAsync(None))
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
                }
            }

            Assert.Equal([1L, 2L], rows.Select(r => r.Seq));
            Assert.Equal(events.Select(e => e.Json), rows.Select(r => r.Json)); // the log keeps the JSON exactly as written, on both engines
            Assert.Equal(events.Select(e => e.Id), rows.Select(r => r.Id));
            Assert.Equal(new string('0', 64), rows[0].Prev);
            Assert.Equal(rows[0].Hash, rows[1].Prev);
            var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(new string('0', 64) + "\n" + events[0].Json)));
            Assert.Equal(expected, rows[0].Hash);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Verify_names_the_event_whose_json_was_changed_in_the_database()
    {
        var fixture = await FreshAsync();
        try
        {
            var events = await AppendAndProjectAsync(fixture.Store, "first-event", "second-event", "third-event");
            var target = events[1];
            var tampered = (await RawContentAsync(fixture.Store, target.Id)).Replace("second-event", "nothing-happened", StringComparison.Ordinal);
            await ExecuteRawAsync(fixture.Store, $"UPDATE resource SET content = @json WHERE resource_type = 'AuditEvent' AND id = '{target.Id}'", tampered);

            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.False(report.Intact);
            Assert.Equal(2, report.FirstBrokenSeq);
            Assert.Equal(target.Id, report.FirstBrokenEventId);
            Assert.Equal(1, report.EventsChecked);
            Assert.Equal($"AuditEvent/{target.Id} (seq 2) does not match its recorded hash: it was changed after it was written.", report.Problem);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Verify_finds_a_deleted_chain_row()
    {
        var fixture = await FreshAsync();
        try
        {
            var events = await AppendAsync(fixture.Store, "a", "b", "c", "d");
            await ExecuteRawAsync(fixture.Store, "DELETE FROM audit_chain WHERE seq = 2");

            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.False(report.Intact);
            Assert.Equal(3, report.FirstBrokenSeq);
            Assert.Equal(events[2].Id, report.FirstBrokenEventId);
            Assert.Contains("deleted", report.Problem, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Verify_finds_the_newest_chain_row_deleted_by_its_head()
    {
        var fixture = await FreshAsync();
        try
        {
            await AppendAsync(fixture.Store, "a", "b", "c");
            await ExecuteRawAsync(fixture.Store, "DELETE FROM audit_chain WHERE seq = 3");

            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.False(report.Intact);
            Assert.Equal(3, report.FirstBrokenSeq);
            Assert.Equal("The chain ends at seq 2 but its head records seq 3: the newest links were removed.", report.Problem);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    /// <summary>What someone with the database but not the anchor key can do: remove the newest events everywhere and reset the head and watermark to match.</summary>
    private static async Task CutOffAfterAsync(IResourceStore store, long seq, IEnumerable<ResourceWrite> removed)
    {
        var ids = string.Join(", ", removed.Select(e => $"'{e.Id}'"));
        await ExecuteRawAsync(store, $"DELETE FROM resource_history WHERE resource_type = 'AuditEvent' AND id IN ({ids})", expectRows: false);
        await ExecuteRawAsync(store, $"DELETE FROM resource WHERE resource_type = 'AuditEvent' AND id IN ({ids})", expectRows: false);
        await ExecuteRawAsync(store, $"DELETE FROM audit_chain WHERE seq > {seq}", expectRows: false);
        await ExecuteRawAsync(store, $"UPDATE audit_head SET seq = {seq}, hash = (SELECT hash FROM audit_chain WHERE seq = {seq}) WHERE id = 1");
        await ExecuteRawAsync(store, $"UPDATE audit_projection SET seq = {seq} WHERE id = 1");
    }

    [Fact]
    public async Task Verify_with_anchors_passes_on_an_untouched_chain_that_grew_since()
    {
        var fixture = await FreshAsync();
        try
        {
            var empty = await fixture.Store.ReadAuditHeadAsync(None);
            await AppendAndProjectAsync(fixture.Store, "a", "b");
            var anchor = await fixture.Store.ReadAuditHeadAsync(None);
            await AppendAndProjectAsync(fixture.Store, "c");

            var report = await fixture.Store.VerifyAuditChainAsync([empty, anchor], None);

            Assert.Equal(new AuditChainHead(0, AuditChain.GenesisHash), empty);
            Assert.Equal(2, anchor.Seq);
            Assert.True(report.Intact, report.Problem);
            Assert.Equal(3, report.EventsChecked);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Verify_with_anchors_finds_the_newest_events_cut_off_with_the_head_reset_to_match()
    {
        var fixture = await FreshAsync();
        try
        {
            var events = await AppendAndProjectAsync(fixture.Store, "a", "b", "c", "d");
            var anchor = await fixture.Store.ReadAuditHeadAsync(None);
            await CutOffAfterAsync(fixture.Store, 2, events.Skip(2));

            var unanchored = await fixture.Store.VerifyAuditChainAsync(None);
            var report = await fixture.Store.VerifyAuditChainAsync([anchor], None);

            Assert.True(unanchored.Intact, "Without an anchor the cut is invisible: " + unanchored.Problem);
            Assert.False(report.Intact);
            Assert.Equal(3, report.FirstBrokenSeq);
            Assert.Equal("The chain ends at seq 2 but an anchor outside the database records seq 4: the newest events were cut off.", report.Problem);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Verify_with_anchors_finds_the_newest_event_replaced_by_another_at_its_position()
    {
        var fixture = await FreshAsync();
        try
        {
            var events = await AppendAndProjectAsync(fixture.Store, "a", "b", "c");
            var anchor = await fixture.Store.ReadAuditHeadAsync(None);
            await CutOffAfterAsync(fixture.Store, 2, events.Skip(2));
            var forged = await AppendAndProjectAsync(fixture.Store, "innocent");

            var report = await fixture.Store.VerifyAuditChainAsync([anchor], None);

            Assert.False(report.Intact);
            Assert.Equal(3, report.FirstBrokenSeq);
            Assert.Equal(forged[0].Id, report.FirstBrokenEventId);
            Assert.Contains("is not the event anchored at that position outside the database", report.Problem, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public void Anchor_lines_are_signed_and_a_changed_or_forged_line_is_refused()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var anchor = new AuditAnchor(new AuditChainHead(42, new string('a', 64)), new DateTimeOffset(2026, 12, 7, 20, 0, 0, TimeSpan.Zero));
        var line = anchor.ToLine(key);

        Assert.True(AuditAnchor.TryParse(line, key, out var read, out _));
        Assert.Equal(anchor, read);
        Assert.False(AuditAnchor.TryParse(line.Replace(" 42 ", " 43 ", StringComparison.Ordinal), key, out _, out var changed));
        Assert.Contains("signature does not match", changed, StringComparison.Ordinal);
        Assert.False(AuditAnchor.TryParse(line, [.. key.Select(b => (byte)(b + 1))], out _, out _));
        Assert.False(AuditAnchor.TryParse("openward-audit-anchor/1 42", key, out _, out var malformed));
        Assert.Contains("not an anchor line", malformed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_finds_an_audit_event_deleted_from_the_resource_table()
    {
        var fixture = await FreshAsync();
        try
        {
            var events = await AppendAndProjectAsync(fixture.Store, "a", "b");
            await ExecuteRawAsync(fixture.Store, $"DELETE FROM resource WHERE resource_type = 'AuditEvent' AND id = '{events[0].Id}'");

            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.False(report.Intact);
            Assert.Equal(1, report.FirstBrokenSeq);
            Assert.Equal(events[0].Id, report.FirstBrokenEventId);
            Assert.Equal($"AuditEvent/{events[0].Id} (seq 1) is no longer in the record store: it was deleted after it was written.", report.Problem);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Verify_finds_an_audit_event_that_is_not_in_the_chain()
    {
        var fixture = await FreshAsync();
        try
        {
            await AppendAsync(fixture.Store, "a");
            var stray = NewAuditEvent("forged");
            await ExecuteRawAsync(
                fixture.Store,
                $"INSERT INTO resource (resource_type, id, version_id, last_updated, is_deleted, patient_id, content) VALUES ('AuditEvent', '{stray.Id}', 1, 0, 0, NULL, @json)",
                stray.Json);

            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.False(report.Intact);
            Assert.Equal(1, report.EventsChecked);
            Assert.Null(report.FirstBrokenSeq);
            Assert.Equal(stray.Id, report.FirstBrokenEventId);
            Assert.StartsWith($"AuditEvent/{stray.Id} is not in the audit chain (1 of 2 AuditEvents are not)", report.Problem, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Verify_names_the_event_whose_json_was_changed_in_the_audit_log()
    {
        var fixture = await FreshAsync();
        try
        {
            var events = await AppendAsync(fixture.Store, "first-event", "second-event", "third-event");
            var target = events[2];
            var tampered = target.Json!.Replace("third-event", "nothing-happened", StringComparison.Ordinal);
            await ExecuteRawAsync(fixture.Store, $"UPDATE audit_chain SET content = '{tampered.Replace("'", "''", StringComparison.Ordinal)}' WHERE audit_event_id = '{target.Id}'");

            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.False(report.Intact);
            Assert.Equal((3L, target.Id, 2L), (report.FirstBrokenSeq, report.FirstBrokenEventId, report.EventsChecked));
            Assert.Equal($"AuditEvent/{target.Id} (seq 3) does not match its recorded hash: it was changed after it was written.", report.Problem);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Logged_events_are_found_by_a_search_made_right_after_the_commit()
    {
        var fixture = await FreshAsync();
        try
        {
            var events = await AppendAsync(fixture.Store, "searched-at-once", "read-at-once");

            var found = await fixture.Store.SearchAsync(AuditEventQuery("patient=Patient/p1&action=R"), None);
            var read = await fixture.Store.ReadAsync("AuditEvent", events[1].Id, None);

            Assert.Equal(events.Select(e => e.Id).Order(), found.Matches.Select(m => m.Id).Order());
            Assert.Equal(1, read?.VersionId);
            Assert.Equal(2L, await ScalarAsync(fixture.Store, "SELECT seq FROM audit_projection WHERE id = 1"));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Projection_resumes_after_a_crash_that_left_events_logged_but_not_projected()
    {
        var fixture = await FreshAsync();
        try
        {
            var events = await AppendAndProjectAsync(fixture.Store, "a", "b", "c", "d");

            // The state a crash before the projection's commit leaves behind: events 3 and 4 are
            // logged, their rows were never written, and the watermark still says 2.
            foreach (var id in events.Skip(2).Select(e => e.Id))
            {
                var key = await ScalarAsync(fixture.Store, $"SELECT resource_key FROM resource WHERE resource_type = 'AuditEvent' AND id = '{id}'");
                foreach (var table in Schema.IndexTables)
                {
                    await ExecuteRawAsync(fixture.Store, $"DELETE FROM {table} WHERE resource_key = {key}", expectRows: false);
                }

                await ExecuteRawAsync(fixture.Store, $"DELETE FROM resource_history WHERE resource_type = 'AuditEvent' AND id = '{id}'");
                await ExecuteRawAsync(fixture.Store, $"DELETE FROM resource WHERE resource_key = {key}");
            }

            await ExecuteRawAsync(fixture.Store, "UPDATE audit_projection SET seq = 2 WHERE id = 1");

            var found = await fixture.Store.SearchAsync(AuditEventQuery("patient=Patient/p1"), None);
            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.Equal(events.Select(e => e.Id).Order(), found.Matches.Select(m => m.Id).Order());
            Assert.True(report.Intact, report.Problem);
            Assert.Equal(4, report.EventsChecked);
            Assert.Equal(4L, await ScalarAsync(fixture.Store, "SELECT COUNT(*) FROM resource_history WHERE resource_type = 'AuditEvent'"));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_appends_and_searches_each_see_their_own_event_and_project_each_once()
    {
        var fixture = await FreshAsync();
        try
        {
            var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                var unseen = new List<string>();
                for (var i = 0; i < 15; i++)
                {
                    var events = await AppendAsync(fixture.Store, $"worker-{worker}-event-{i}");
                    var found = await fixture.Store.SearchAsync(AuditEventQuery($"_id={events[0].Id}"), None);
                    if (found.Matches.Count != 1)
                    {
                        unseen.Add(events[0].Id);
                    }
                }

                return unseen;
            }));
            var unseen = (await Task.WhenAll(workers)).SelectMany(u => u).ToList();

            Assert.Empty(unseen);
            var report = await fixture.Store.VerifyAuditChainAsync(None);
            Assert.True(report.Intact, report.Problem);
            Assert.Equal(120, report.EventsChecked);
            Assert.Equal(120L, await ScalarAsync(fixture.Store, "SELECT COUNT(*) FROM resource WHERE resource_type = 'AuditEvent'"));
            Assert.Equal(120L, await ScalarAsync(fixture.Store, "SELECT COUNT(*) FROM resource_history WHERE resource_type = 'AuditEvent'"));
            Assert.Equal(120L, await ScalarAsync(fixture.Store, "SELECT COUNT(*) FROM idx_token WHERE resource_type = 'AuditEvent' AND param = '_id'"));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_ordinary_write_of_an_audit_event_is_refused()
    {
        var fixture = await FreshAsync();
        try
        {
            var auditEvent = NewAuditEvent("a");

            await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Store.WriteAsync(async tx => { await tx.WriteAsync(auditEvent, None); return 0; }, None));
            await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Store.WriteAsync(async tx => { await tx.WriteManyAsync([auditEvent], None); return 0; }, None));
            var update = auditEvent with { VersionId = 2 };
            await AppendAsync(fixture.Store, "b");
            await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Store.WriteAsync(async tx => { await tx.WriteAsync(update, None); return 0; }, None));

            Assert.Null(await fixture.Store.ReadAsync("AuditEvent", auditEvent.Id, None));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Appending_refuses_anything_but_a_new_audit_event()
    {
        var fixture = await FreshAsync();
        try
        {
            var notAnEvent = NewAuditEvent("a") with { ResourceType = "Observation" };
            var secondVersion = NewAuditEvent("b") with { VersionId = 2 };

            await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.WriteAsync(async tx => { await tx.AppendAuditEventsAsync([notAnEvent], None); return 0; }, None));
            await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.WriteAsync(async tx => { await tx.AppendAuditEventsAsync([secondVersion], None); return 0; }, None));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_append_rolled_back_with_its_transaction_leaves_the_chain_intact()
    {
        var fixture = await FreshAsync();
        try
        {
            await AppendAsync(fixture.Store, "a");
            var rolledBack = NewAuditEvent("rolled back");
            await Assert.ThrowsAsync<TimeoutException>(() => fixture.Store.WriteAsync<int>(
                async tx =>
                {
                    await tx.AppendAuditEventsAsync([rolledBack], None);
                    throw new TimeoutException("the interaction failed after auditing");
                },
                None));
            await AppendAsync(fixture.Store, "b");

            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.True(report.Intact, report.Problem);
            Assert.Equal(2, report.EventsChecked);
            Assert.Null(await fixture.Store.ReadAsync("AuditEvent", rolledBack.Id, None));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_appends_from_many_transactions_keep_one_unforked_chain()
    {
        var fixture = await FreshAsync();
        try
        {
            var appenders = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; i < 20; i++)
                {
                    await using var transaction = await fixture.Store.BeginAsync(None);
                    await transaction.AppendAuditEventsAsync([NewAuditEvent($"worker {worker} event {i}")], None);
                    await transaction.CommitAsync(None);
                }
            }));
            await Task.WhenAll(appenders);

            var report = await fixture.Store.VerifyAuditChainAsync(None);

            Assert.True(report.Intact, report.Problem);
            Assert.Equal(160, report.EventsChecked);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}

public sealed class SqliteAuditChainConformanceTests : AuditChainConformanceTests<SqliteStoreFixture>;

public sealed class PostgresAuditChainConformanceTests : AuditChainConformanceTests<PostgresStoreFixture>;
