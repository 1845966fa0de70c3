using System.Data.Common;
using OpenWard.Fhir.Search;
using OpenWard.Storage.Search;

namespace OpenWard.Storage;

/// <summary>
/// One database transaction: writes resource rows, history rows and index rows together, with
/// multi-row statements so that a batch of N resources costs a handful of statements, not N dozen.
/// Disposing without <see cref="CommitAsync"/> rolls everything back.
/// </summary>
internal sealed class SqlStoreTransaction(SqlResourceStore store, DbConnection connection, DbTransaction transaction) : IStoreTransaction
{
    // Bound parameters per ad-hoc statement (resource rows, id lists): named-parameter binding grows with the square of the count.
    private const int MaxParametersPerStatement = 1_000;

    private const string AuditEventType = "AuditEvent";

    private readonly Dictionary<(string Table, int Rows), DbCommand> _inserts = [];

    private bool _appendedAuditEvents;
    private bool _enqueuedJobs;

    public Task<StoredResource?> ReadForUpdateAsync(string resourceType, string id, CancellationToken cancellationToken) =>
        store.ReadCurrentAsync(connection, transaction, resourceType, id, forUpdate: true, cancellationToken);

    public async Task<IReadOnlyDictionary<string, StoredResource>> ReadManyForUpdateAsync(string resourceType, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredResource>(StringComparer.Ordinal);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(MaxParametersPerStatement / 2))
        {
            var sql = new SqlBuilder();
            sql.Append("SELECT resource_type, id, version_id, last_updated, is_deleted, content, patient_id FROM resource WHERE resource_type = ")
                .Append(sql.Bind(resourceType)).Append(" AND id IN (")
                .Append(string.Join(", ", chunk.Select(id => sql.Bind(id)))).Append(')').Append(store.Dialect.ForUpdate);
            await using var command = Command(sql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = SqlResourceStore.ReadRow(reader, null);
                found[row.Id] = row;
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<string>> SearchIdsAsync(SearchQuery query, int limit, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("SELECT r.id ");
        SearchSql.AppendFromWhere(sql, query);
        // Newest first: a rule that reads at most a few (the latest results) wants the latest.
        sql.Append(" ORDER BY r.resource_key DESC LIMIT ").Append(sql.Bind(limit));
        await using var command = Command(sql);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public Task WriteAsync(ResourceWrite write, CancellationToken cancellationToken) => WriteManyAsync([write], cancellationToken);

    public async Task WriteManyAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        foreach (var write in writes)
        {
            if (write.ResourceType == AuditEventType)
            {
                throw new InvalidOperationException($"AuditEvent/{write.Id} cannot be written, updated or deleted like other resources: audit events enter the store only through AppendAuditEventsAsync, which chains them.");
            }
        }

        if (writes.Count > 0)
        {
            await WriteRowsAsync(writes, cancellationToken);
        }
    }

    public async Task AppendAuditEventsAsync(IReadOnlyList<ResourceWrite> auditEvents, CancellationToken cancellationToken)
    {
        foreach (var write in auditEvents)
        {
            if (write is not { ResourceType: AuditEventType, VersionId: 1, Json: not null })
            {
                throw new ArgumentException($"{write.ResourceType}/{write.Id} version {write.VersionId} is not a new AuditEvent: only those can be appended to the audit trail.", nameof(auditEvents));
            }
        }

        if (auditEvents.Count == 0)
        {
            return;
        }

        // The head row's lock (PostgreSQL) serialises every audited commit from here until this
        // transaction commits. SQLite's single writer already holds its lock.
        var head = new SqlBuilder();
        head.Append("SELECT seq, hash FROM audit_head WHERE id = 1").Append(store.Dialect.ForUpdate);
        long seq;
        string hash;
        await using (var command = Command(head))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException("The audit chain's head row is missing: the database was changed outside OpenWard.");
            }

            seq = reader.GetInt64(0);
            hash = reader.GetString(1);
        }

        // The log row is the durable record: one small row per event. The TEXT column returns the
        // text written on both engines, so the hash covers exactly what is stored.
        var links = new List<object?[]>(auditEvents.Count);
        foreach (var auditEvent in auditEvents)
        {
            var next = AuditChain.Link(hash, auditEvent.Json!);
            links.Add([++seq, auditEvent.Id, hash, next, auditEvent.Json]);
            hash = next;
        }

        try
        {
            await InsertRowsAsync("audit_chain (seq, audit_event_id, prev_hash, hash, content)", links, link => link, cancellationToken);
        }
        catch (DbException e) when (store.Dialect.IsUniqueViolation(e))
        {
            throw new VersionConflictException(auditEvents.Count == 1 ? $"AuditEvent/{auditEvents[0].Id}" : "An AuditEvent in this batch");
        }

        var advance = new SqlBuilder();
        advance.Append("UPDATE audit_head SET seq = ").Append(advance.Bind(seq)).Append(", hash = ").Append(advance.Bind(hash)).Append(" WHERE id = 1");
        await using var update = Command(advance);
        await update.ExecuteNonQueryAsync(cancellationToken);
        _appendedAuditEvents = true;
    }

    /// <summary>
    /// Copies up to <paramref name="limit"/> logged AuditEvents past the projection watermark, in
    /// <c>seq</c> order, into resource, history and index rows, and moves the watermark, all in this
    /// transaction: a crash leaves both as they were, so no event is projected twice or skipped.
    /// Stops early at a gap in <c>seq</c> (an event not yet visible, or a deleted log row that
    /// verification reports). Returns how many it projected.
    /// </summary>
    internal async Task<int> ProjectAuditEventsAsync(int limit, CancellationToken cancellationToken)
    {
        var mark = new SqlBuilder();
        mark.Append("SELECT seq FROM audit_projection WHERE id = 1").Append(store.Dialect.ForUpdate);
        await using var markCommand = Command(mark);
        var watermark = Convert.ToInt64(
            await markCommand.ExecuteScalarAsync(cancellationToken) ?? throw new InvalidOperationException("The audit projection's watermark row is missing: the database was changed outside OpenWard."),
            System.Globalization.CultureInfo.InvariantCulture);

        var pending = new SqlBuilder();
        pending.Append("SELECT seq, audit_event_id, content FROM audit_chain WHERE seq > ").Append(pending.Bind(watermark))
            .Append(" ORDER BY seq LIMIT ").Append(pending.Bind(limit));
        var writes = new List<ResourceWrite>(limit);
        var last = watermark;
        await using (var command = Command(pending))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) == last + 1 && !reader.IsDBNull(2))
            {
                last++;
                writes.Add(AuditProjection.ToWrite(reader.GetString(1), reader.GetString(2)));
            }
        }

        if (writes.Count == 0)
        {
            return 0;
        }

        await WriteRowsAsync(writes, cancellationToken);
        var advance = new SqlBuilder();
        advance.Append("UPDATE audit_projection SET seq = ").Append(advance.Bind(last)).Append(" WHERE id = 1");
        await using var update = Command(advance);
        await update.ExecuteNonQueryAsync(cancellationToken);
        return writes.Count;
    }

    /// <summary>Resource, index and history rows of <paramref name="writes"/>; returns each one's resource_key.</summary>
    private async Task<long[]> WriteRowsAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        var keys = new long[writes.Count];
        var inserts = Enumerable.Range(0, writes.Count).Where(i => writes[i].VersionId == 1).ToList();
        await InsertResourcesAsync(writes, inserts, keys, cancellationToken);
        for (var i = 0; i < writes.Count; i++)
        {
            if (writes[i].VersionId > 1)
            {
                keys[i] = await UpdateResourceAsync(writes[i], cancellationToken);
            }
        }

        var replaced = Enumerable.Range(0, writes.Count).Where(i => writes[i].VersionId > 1).Select(i => keys[i]).ToList();
        if (replaced.Count > 0)
        {
            await DeleteIndexesAsync(replaced, cancellationToken); // a new resource has no index rows yet
        }

        await InsertIndexesAsync(writes, keys, cancellationToken);
        await InsertRowsAsync(
            "resource_history (resource_type, id, version_id, last_updated, is_deleted, method, patient_id, content)",
            writes,
            w => [w.ResourceType, w.Id, w.VersionId, w.LastUpdated.UtcTicks, w.IsDelete ? 1 : 0, w.Method, w.Indexes?.PatientCompartment, new JsonText(w.Json)],
            cancellationToken);
        return keys;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken);
        if (_appendedAuditEvents)
        {
            store.AuditProjector.Nudge(); // committed log rows are now visible to the projector
        }

        if (_enqueuedJobs)
        {
            store.Jobs.Nudge(); // this process's runner can start them without waiting for its next poll
        }
    }

    public async Task<long> EnqueueJobAsync(JobRequest job, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job.Kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(job.MaxAttempts, 1);
        var sql = new SqlBuilder();
        sql.Append("INSERT INTO jobs (kind, payload, state, due_at, attempts, max_attempts, created_at, updated_at) VALUES (")
            .Append(sql.Bind(job.Kind)).Append(", ").Append(sql.Bind(job.Payload)).Append(", ").Append(sql.Bind(SqlJobQueue.StateName(JobState.Pending))).Append(", ")
            .Append(sql.Bind((job.DueAt ?? job.EnqueuedAt).UtcTicks)).Append(", 0, ").Append(sql.Bind(job.MaxAttempts)).Append(", ")
            .Append(sql.Bind(job.EnqueuedAt.UtcTicks)).Append(", ").Append(sql.Bind(job.EnqueuedAt.UtcTicks)).Append(") RETURNING id");
        await using var command = Command(sql);
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        _enqueuedJobs = true;
        return id;
    }

    public async Task PublishChangeAsync(string topic, string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        var sql = new SqlBuilder();
        sql.Append("INSERT INTO change_notices (topic, notice_key, created_at) VALUES (")
            .Append(sql.Bind(topic)).Append(", ").Append(sql.Bind(key)).Append(", ").Append(sql.Bind(DateTimeOffset.UtcNow.UtcTicks)).Append(')');
        await ExecuteAsync(sql, cancellationToken);
    }

    /// <summary>One statement of the store's side tables (jobs, break-glass grants) in this transaction; returns the rows changed.</summary>
    internal async Task<int> ExecuteAsync(SqlBuilder sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The rows a statement returns, read in this transaction.</summary>
    internal async Task<List<T>> QueryAsync<T>(SqlBuilder sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    internal Task SaveAsync(string savepoint) => transaction.SaveAsync(savepoint);

    internal Task RollbackToAsync(string savepoint) => transaction.RollbackAsync(savepoint);

    internal Task ReleaseAsync(string savepoint) => transaction.ReleaseAsync(savepoint);

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _inserts.Values)
        {
            await command.DisposeAsync();
        }

        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private async Task InsertResourcesAsync(IReadOnlyList<ResourceWrite> writes, List<int> indexes, long[] keys, CancellationToken cancellationToken)
    {
        const int Columns = 7;
        foreach (var chunk in indexes.Chunk(MaxParametersPerStatement / Columns))
        {
            var sql = new SqlBuilder();
            sql.Append("INSERT INTO resource (resource_type, id, version_id, last_updated, is_deleted, patient_id, content) VALUES ");
            var jsonParameters = new List<(string Name, string? Json)>();
            for (var n = 0; n < chunk.Length; n++)
            {
                var w = writes[chunk[n]];
                var json = "@json" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                jsonParameters.Add((json, w.Json));
                sql.Append(n == 0 ? "(" : ", (")
                    .Append(sql.Bind(w.ResourceType)).Append(", ").Append(sql.Bind(w.Id)).Append(", 1, ")
                    .Append(sql.Bind(w.LastUpdated.UtcTicks)).Append(", ").Append(sql.Bind(w.IsDelete ? 1 : 0)).Append(", ")
                    .Append(sql.Bind(w.Indexes?.PatientCompartment)).Append(", ").Append(json).Append(')');
            }

            // RETURNING names the row: the engines do not promise to return rows in VALUES order.
            sql.Append(" RETURNING resource_key, resource_type, id");
            await using var command = Command(sql);
            foreach (var (name, json) in jsonParameters)
            {
                BindJson(command, name, json);
            }

            var byReference = chunk.ToDictionary(i => (writes[i].ResourceType, writes[i].Id));
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    keys[byReference[(reader.GetString(1), reader.GetString(2))]] = reader.GetInt64(0);
                }
            }
            catch (DbException e) when (store.Dialect.IsUniqueViolation(e))
            {
                throw new VersionConflictException(chunk.Length == 1 ? $"{writes[chunk[0]].ResourceType}/{writes[chunk[0]].Id}" : "A resource in this batch");
            }
        }
    }

    private async Task<long> UpdateResourceAsync(ResourceWrite write, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("UPDATE resource SET version_id = ").Append(sql.Bind(write.VersionId))
            .Append(", last_updated = ").Append(sql.Bind(write.LastUpdated.UtcTicks))
            .Append(", is_deleted = ").Append(sql.Bind(write.IsDelete ? 1 : 0))
            .Append(", patient_id = ").Append(sql.Bind(write.Indexes?.PatientCompartment))
            .Append(", content = @json WHERE resource_type = ").Append(sql.Bind(write.ResourceType))
            .Append(" AND id = ").Append(sql.Bind(write.Id))
            .Append(" AND version_id = ").Append(sql.Bind(write.VersionId - 1))
            .Append(" RETURNING resource_key");
        await using var command = Command(sql);
        BindJson(command, "@json", write.Json);
        var key = await command.ExecuteScalarAsync(cancellationToken);
        return key is null or DBNull
            ? throw new VersionConflictException($"{write.ResourceType}/{write.Id}")
            : Convert.ToInt64(key, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task DeleteIndexesAsync(List<long> keys, CancellationToken cancellationToken)
    {
        foreach (var chunk in keys.Chunk(MaxParametersPerStatement))
        {
            var sql = new SqlBuilder();
            var list = string.Join(", ", chunk.Select(k => sql.Bind(k)));
            foreach (var table in Schema.IndexTables)
            {
                sql.Append($"DELETE FROM {table} WHERE resource_key IN ({list});");
            }

            await using var command = Command(sql);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task InsertIndexesAsync(IReadOnlyList<ResourceWrite> writes, long[] keys, CancellationToken cancellationToken)
    {
        IEnumerable<(long Key, string Type, string? Patient, T Entry)> Rows<T>(Func<ResourceIndexes, List<T>> select) =>
            writes.SelectMany((w, i) => w.Indexes is { } x ? select(x).Select(e => (keys[i], w.ResourceType, x.PatientCompartment, e)) : []);

        await InsertRowsAsync("idx_token (resource_key, resource_type, param, system, code, text, type_system, type_code, patient_id)", Rows(x => x.Tokens),
            r => [r.Key, r.Type, r.Entry.Param, r.Entry.System, r.Entry.Code, r.Entry.Text, r.Entry.TypeSystem, r.Entry.TypeCode, r.Patient], cancellationToken);
        await InsertRowsAsync("idx_string (resource_key, resource_type, param, value_normalized, value_exact, patient_id)", Rows(x => x.Strings),
            r => [r.Key, r.Type, r.Entry.Param, r.Entry.Normalized, r.Entry.Exact, r.Patient], cancellationToken);
        await InsertRowsAsync("idx_date (resource_key, resource_type, param, low, high, patient_id)", Rows(x => x.Dates),
            r => [r.Key, r.Type, r.Entry.Param, r.Entry.Low.UtcTicks, r.Entry.High.UtcTicks, r.Patient], cancellationToken);
        await InsertRowsAsync("idx_reference (resource_key, resource_type, param, target_type, target_id, url, patient_id)", Rows(x => x.References),
            r => [r.Key, r.Type, r.Entry.Param, r.Entry.TargetType, r.Entry.TargetId, r.Entry.Url, r.Patient], cancellationToken);
        await InsertRowsAsync("idx_quantity (resource_key, resource_type, param, value, system, code, patient_id)", Rows(x => x.Quantities),
            r => [r.Key, r.Type, r.Entry.Param, (double)r.Entry.Value, r.Entry.System, r.Entry.Code, r.Patient], cancellationToken);
        await InsertRowsAsync("idx_number (resource_key, resource_type, param, value, patient_id)", Rows(x => x.Numbers),
            r => [r.Key, r.Type, r.Entry.Param, (double)r.Entry.Value, r.Patient], cancellationToken);
        await InsertRowsAsync("idx_uri (resource_key, resource_type, param, value, patient_id)", Rows(x => x.Uris),
            r => [r.Key, r.Type, r.Entry.Param, r.Entry.Value, r.Patient], cancellationToken);
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> with cached, prepared multi-row statements of
    /// <see cref="SqlDialect.RowsPerInsert"/> rows: the statement is parsed once per transaction and
    /// only values change, because binding thousands of named parameters anew is what made large
    /// single statements slow (the providers look parameters up by name).
    /// </summary>
    private async Task InsertRowsAsync<T>(string tableAndColumns, IEnumerable<T> rows, Func<T, object?[]> values, CancellationToken cancellationToken)
    {
        var rowsPerStatement = store.Dialect.RowsPerInsert;
        var buffer = new List<object?[]>(rowsPerStatement);
        foreach (var row in rows)
        {
            buffer.Add(values(row));
            if (buffer.Count == rowsPerStatement)
            {
                await ExecuteRowsAsync(tableAndColumns, buffer, cancellationToken);
                buffer.Clear();
            }
        }

        if (buffer.Count > 0)
        {
            await ExecuteRowsAsync(tableAndColumns, buffer, cancellationToken);
        }
    }

    private async Task ExecuteRowsAsync(string tableAndColumns, List<object?[]> rows, CancellationToken cancellationToken)
    {
        var columns = rows[0].Length;
        if (!_inserts.TryGetValue((tableAndColumns, rows.Count), out var command))
        {
            var sql = new System.Text.StringBuilder("INSERT INTO ").Append(tableAndColumns).Append(" VALUES ");
            command = connection.CreateCommand();
            command.Transaction = transaction;
            for (var r = 0; r < rows.Count; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns; c++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@v" + (r * columns + c).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    command.Parameters.Add(parameter);
                    sql.Append(c == 0 ? "" : ", ").Append(parameter.ParameterName);
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            _inserts[(tableAndColumns, rows.Count)] = command;
        }

        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var parameter = command.Parameters[r * columns + c];
                if (rows[r][c] is JsonText json)
                {
                    store.Dialect.BindJson(parameter, json.Value);
                }
                else
                {
                    parameter.Value = rows[r][c] ?? DBNull.Value;
                }
            }
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task LockAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await store.Dialect.LockUntilCommitAsync(connection, transaction, key, cancellationToken);
        }
        catch (DbException e) when (store.Dialect.IsDeadlock(e))
        {
            throw new VersionConflictException(key);
        }
    }

    private DbCommand Command(SqlBuilder sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        sql.ApplyTo(command);
        return command;
    }

    private void BindJson(DbCommand command, string name, string? json)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        store.Dialect.BindJson(parameter, json);
        command.Parameters.Add(parameter);
    }

    /// <summary>Marks a column value as resource JSON, which each engine binds its own way.</summary>
    private sealed record JsonText(string? Value);
}
