using System.Data.Common;

namespace OpenWard.Storage;

/// <summary>
/// What differs between the engines: connections, column types, the write lock and how JSON is
/// bound. Everything else (tables, indexes, search SQL) is shared (Medplum's habit).
/// </summary>
public abstract class SqlDialect
{
    public abstract string Engine { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A read-only transaction whose statements all see one snapshot, without blocking writers.</summary>
    public virtual async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    /// <summary>The column type and key of the auto-numbered primary key.</summary>
    public abstract string AutoKey { get; }

    /// <summary>The column type and key of a primary key the store numbers itself (64-bit).</summary>
    public virtual string SequenceKey => "BIGINT PRIMARY KEY";

    /// <summary>
    /// Whether concurrent writes are queued and committed together: right for an engine that
    /// allows one writer at a time anyway (SQLite), wrong for one that runs writers in parallel.
    /// </summary>
    public virtual bool GroupsCommits => false;

    /// <summary>Rows per cached multi-row INSERT of index and history rows (measured, see docs/performance.md).</summary>
    public virtual int RowsPerInsert => 32;

    /// <summary>Column type of the resource JSON.</summary>
    public abstract string JsonType { get; }

    /// <summary>Column type of text columns that are compared by prefix (byte order, so ranges are prefixes).</summary>
    public abstract string OrderedText { get; }

    /// <summary>Appended to a SELECT that reads a row the transaction will update.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Appended to a SELECT of rows to claim: skips rows another transaction holds, so concurrent claimers never wait for or get the same row.</summary>
    public virtual string ForUpdateSkipLocked => ForUpdate;

    /// <summary>
    /// SQL that is 1 when the <see cref="JsonType"/> column <paramref name="json"/> holds the JSON text
    /// <paramref name="text"/>, else 0: the same text where the column keeps text as written, the same
    /// JSON value where the engine normalises it (jsonb).
    /// </summary>
    public virtual string SameJson(string json, string text) => $"CASE WHEN {json} = {text} THEN 1 ELSE 0 END";

    /// <summary>Binds JSON text to a parameter of <see cref="JsonType"/>.</summary>
    public abstract void BindJson(DbParameter parameter, string? json);

    /// <summary>Serialises concurrent migrations from several instances (within the migration transaction).</summary>
    public virtual Task LockMigrationsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>
    /// Holds a lock named by <paramref name="key"/> until the write transaction ends (see
    /// <see cref="IStoreTransaction.LockAsync"/>). Nothing to do for an engine with one writer at a time.
    /// </summary>
    public virtual Task LockUntilCommitAsync(DbConnection connection, DbTransaction transaction, string key, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>True when the error is a deadlock the engine broke by failing this transaction.</summary>
    public virtual bool IsDeadlock(DbException exception) => false;

    /// <summary>True when the error is a unique-key violation (a concurrent insert of the same id).</summary>
    public abstract bool IsUniqueViolation(DbException exception);
}
