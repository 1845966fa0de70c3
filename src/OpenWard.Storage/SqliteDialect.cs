using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OpenWard.Storage;

/// <summary>
/// SQLite, the embedded default: one file, WAL journal so readers never wait for the writer, and
/// <c>synchronous=FULL</c> so an acknowledged commit has been fsync'd (https://sqlite.org/pragma.html#pragma_synchronous).
/// </summary>
public sealed class SqliteDialect : SqlDialect
{
    private readonly string _connectionString;
    private volatile bool _walEnsured;

    public SqliteDialect(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            DefaultTimeout = 30,
        };
        var dataSource = builder.DataSource;
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        _connectionString = builder.ToString();
    }

    public override string Engine => "Sqlite";

    public override bool GroupsCommits => true;

    public override string AutoKey => "INTEGER PRIMARY KEY";

    // INTEGER PRIMARY KEY is the 64-bit rowid itself: no second index.
    public override string SequenceKey => "INTEGER PRIMARY KEY";

    public override string JsonType => "TEXT";

    // SQLite compares TEXT by bytes (BINARY collation) already.
    public override string OrderedText => "TEXT";

    public override string ForUpdate => ""; // BEGIN IMMEDIATE already holds the single write lock.

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        // journal_mode is stored in the file: set once per process and database. synchronous is per connection.
        pragma.CommandText = _walEnsured ? "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        _walEnsured = true;
        return connection;
    }

    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // deferred: false => BEGIN IMMEDIATE: take the write lock now, so two writers never
        // deadlock upgrading read locks.
        DbTransaction transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        return Task.FromResult(transaction);
    }

    // A deferred BEGIN takes no write lock; in WAL mode its first read fixes the snapshot.
    public override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: true));

    public override void BindJson(DbParameter parameter, string? json) => parameter.Value = (object?)json ?? DBNull.Value;

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 }; // SQLITE_CONSTRAINT
}
