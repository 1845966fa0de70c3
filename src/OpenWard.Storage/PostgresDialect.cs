using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace OpenWard.Storage;

/// <summary>PostgreSQL: jsonb content, row locks for updates, a pooled data source.</summary>
public sealed class PostgresDialect(string connectionString) : SqlDialect, IAsyncDisposable
{
    // The store sets no session state, so a pooled connection needs no DISCARD ALL on each reuse.
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true });

    public override string Engine => "Postgres";

    public override string AutoKey => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public override string JsonType => "JSONB";

    // "C" collation compares bytes, so `col >= prefix AND col < next(prefix)` is exactly starts-with and can use the index.
    public override string OrderedText => "TEXT COLLATE \"C\"";

    public override string ForUpdate => " FOR UPDATE";

    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);

    // jsonb reorders keys and drops spacing: compare JSON values, not text.
    public override string SameJson(string json, string text) => $"CASE WHEN {json} = CAST({text} AS jsonb) THEN 1 ELSE 0 END";

    public override void BindJson(DbParameter parameter, string? json)
    {
        var npgsql = (NpgsqlParameter)parameter;
        npgsql.NpgsqlDbType = NpgsqlDbType.Jsonb;
        npgsql.Value = (object?)json ?? DBNull.Value;
    }

    public override async Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(7263548001)"; // an arbitrary constant that names "OpenWard migrations"
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task LockUntilCommitAsync(DbConnection connection, DbTransaction transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // hashtextextended: PostgreSQL's own 64-bit hash of the text; a collision only serialises two unrelated checks.
        command.CommandText = "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override bool IsDeadlock(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected };

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
