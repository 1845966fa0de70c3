using System.Data.Common;
using OpenWard.Fhir.Search;
using OpenWard.Storage.Search;

namespace OpenWard.Storage;

/// <summary>
/// One database transaction: writes the resource row, its history row and its index rows
/// together. Disposing without <see cref="CommitAsync"/> rolls everything back.
/// </summary>
internal sealed class SqlStoreTransaction(SqlResourceStore store, DbConnection connection, DbTransaction transaction) : IStoreTransaction
{
    // Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters per statement.
    private const int RowsPerInsert = 200;

    public Task<StoredResource?> ReadForUpdateAsync(string resourceType, string id, CancellationToken cancellationToken) =>
        store.ReadCurrentAsync(connection, transaction, resourceType, id, forUpdate: true, cancellationToken);

    public async Task<IReadOnlyList<string>> SearchIdsAsync(SearchQuery query, int limit, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("SELECT r.id ");
        SearchSql.AppendFromWhere(sql, query);
        sql.Append(" ORDER BY r.resource_key LIMIT ").Append(sql.Bind(limit));
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        sql.ApplyTo(command);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task WriteAsync(ResourceWrite write, CancellationToken cancellationToken)
    {
        var patient = write.Indexes?.PatientCompartment;
        var key = write.VersionId == 1
            ? await InsertAsync(write, patient, cancellationToken)
            : await UpdateAsync(write, patient, cancellationToken);

        if (write.VersionId > 1)
        {
            await DeleteIndexesAsync(key, cancellationToken); // a new resource has no index rows yet
        }

        if (write.Indexes is { } indexes)
        {
            await InsertIndexesAsync(key, write.ResourceType, indexes, cancellationToken);
        }

        await using var history = connection.CreateCommand();
        history.Transaction = transaction;
        var sql = new SqlBuilder();
        sql.Append("INSERT INTO resource_history (resource_type, id, version_id, last_updated, is_deleted, method, patient_id, content) VALUES (")
            .Append(sql.Bind(write.ResourceType)).Append(", ").Append(sql.Bind(write.Id)).Append(", ").Append(sql.Bind(write.VersionId)).Append(", ")
            .Append(sql.Bind(write.LastUpdated.UtcTicks)).Append(", ").Append(sql.Bind(write.IsDelete ? 1 : 0)).Append(", ")
            .Append(sql.Bind(write.Method)).Append(", ").Append(sql.Bind(patient)).Append(", @content)");
        sql.ApplyTo(history);
        BindContent(history, write.Json);
        await ExecuteMappingConflictsAsync(history, write, cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private async Task<long> InsertAsync(ResourceWrite write, string? patient, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new SqlBuilder();
        sql.Append("INSERT INTO resource (resource_type, id, version_id, last_updated, is_deleted, patient_id, content) VALUES (")
            .Append(sql.Bind(write.ResourceType)).Append(", ").Append(sql.Bind(write.Id)).Append(", 1, ")
            .Append(sql.Bind(write.LastUpdated.UtcTicks)).Append(", ").Append(sql.Bind(write.IsDelete ? 1 : 0)).Append(", ")
            .Append(sql.Bind(patient)).Append(", @content) RETURNING resource_key");
        sql.ApplyTo(command);
        BindContent(command, write.Json);
        return Convert.ToInt64(await ScalarMappingConflictsAsync(command, write, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<long> UpdateAsync(ResourceWrite write, string? patient, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new SqlBuilder();
        sql.Append("UPDATE resource SET version_id = ").Append(sql.Bind(write.VersionId))
            .Append(", last_updated = ").Append(sql.Bind(write.LastUpdated.UtcTicks))
            .Append(", is_deleted = ").Append(sql.Bind(write.IsDelete ? 1 : 0))
            .Append(", patient_id = ").Append(sql.Bind(patient))
            .Append(", content = @content WHERE resource_type = ").Append(sql.Bind(write.ResourceType))
            .Append(" AND id = ").Append(sql.Bind(write.Id))
            .Append(" AND version_id = ").Append(sql.Bind(write.VersionId - 1))
            .Append(" RETURNING resource_key");
        sql.ApplyTo(command);
        BindContent(command, write.Json);
        var key = await command.ExecuteScalarAsync(cancellationToken);
        return key is null or DBNull
            ? throw new VersionConflictException($"{write.ResourceType}/{write.Id}")
            : Convert.ToInt64(key, System.Globalization.CultureInfo.InvariantCulture);
    }

    private void BindContent(DbCommand command, string? json)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@content";
        store.Dialect.BindJson(parameter, json);
        command.Parameters.Add(parameter);
    }

    private async Task<object?> ScalarMappingConflictsAsync(DbCommand command, ResourceWrite write, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (DbException e) when (store.Dialect.IsUniqueViolation(e))
        {
            throw new VersionConflictException($"{write.ResourceType}/{write.Id}");
        }
    }

    private async Task ExecuteMappingConflictsAsync(DbCommand command, ResourceWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException e) when (store.Dialect.IsUniqueViolation(e))
        {
            throw new VersionConflictException($"{write.ResourceType}/{write.Id}");
        }
    }

    private async Task DeleteIndexesAsync(long key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new SqlBuilder();
        var bound = sql.Bind(key);
        foreach (var table in Schema.IndexTables)
        {
            sql.Append($"DELETE FROM {table} WHERE resource_key = {bound};");
        }

        sql.ApplyTo(command);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InsertIndexesAsync(long key, string type, ResourceIndexes indexes, CancellationToken cancellationToken)
    {
        var patient = indexes.PatientCompartment;
        await InsertRowsAsync("idx_token (resource_key, resource_type, param, system, code, text, type_system, type_code, patient_id)", indexes.Tokens,
            (s, t) => [key, type, t.Param, t.System, t.Code, t.Text, t.TypeSystem, t.TypeCode, patient], cancellationToken);
        await InsertRowsAsync("idx_string (resource_key, resource_type, param, value_normalized, value_exact, patient_id)", indexes.Strings,
            (s, t) => [key, type, t.Param, t.Normalized, t.Exact, patient], cancellationToken);
        await InsertRowsAsync("idx_date (resource_key, resource_type, param, low, high, patient_id)", indexes.Dates,
            (s, t) => [key, type, t.Param, t.Low.UtcTicks, t.High.UtcTicks, patient], cancellationToken);
        await InsertRowsAsync("idx_reference (resource_key, resource_type, param, target_type, target_id, url, patient_id)", indexes.References,
            (s, t) => [key, type, t.Param, t.TargetType, t.TargetId, t.Url, patient], cancellationToken);
        await InsertRowsAsync("idx_quantity (resource_key, resource_type, param, value, system, code, patient_id)", indexes.Quantities,
            (s, t) => [key, type, t.Param, (double)t.Value, t.System, t.Code, patient], cancellationToken);
        await InsertRowsAsync("idx_number (resource_key, resource_type, param, value, patient_id)", indexes.Numbers,
            (s, t) => [key, type, t.Param, (double)t.Value, patient], cancellationToken);
        await InsertRowsAsync("idx_uri (resource_key, resource_type, param, value, patient_id)", indexes.Uris,
            (s, t) => [key, type, t.Param, t.Value, patient], cancellationToken);
    }

    private async Task InsertRowsAsync<T>(string tableAndColumns, List<T> rows, Func<SqlBuilder, T, object?[]> values, CancellationToken cancellationToken)
    {
        for (var start = 0; start < rows.Count; start += RowsPerInsert)
        {
            var sql = new SqlBuilder();
            sql.Append("INSERT INTO ").Append(tableAndColumns).Append(" VALUES ");
            var end = Math.Min(rows.Count, start + RowsPerInsert);
            for (var i = start; i < end; i++)
            {
                sql.Append(i == start ? "(" : ", (");
                var row = values(sql, rows[i]);
                for (var c = 0; c < row.Length; c++)
                {
                    sql.Append(c == 0 ? "" : ", ").Append(sql.Bind(row[c]));
                }

                sql.Append(")");
            }

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            sql.ApplyTo(command);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
