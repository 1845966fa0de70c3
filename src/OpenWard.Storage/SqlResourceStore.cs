using System.Data.Common;
using System.Runtime.CompilerServices;
using OpenWard.Fhir.Search;
using OpenWard.Storage.Search;

namespace OpenWard.Storage;

/// <summary>
/// The record store on a relational engine. Tables, indexes and search SQL are shared by SQLite
/// and PostgreSQL; <see cref="SqlDialect"/> holds what differs.
/// </summary>
public sealed class SqlResourceStore : IResourceStore
{
    private readonly SqlDialect _dialect;
    private readonly GroupCommitter? _groupCommitter;

    public SqlResourceStore(SqlDialect dialect)
    {
        _dialect = dialect;
        _groupCommitter = dialect.GroupsCommits ? new GroupCommitter(this) : null;
        AuditProjector = new AuditProjector(this);
        Jobs = new SqlJobQueue(this);
        ChangeFeed = new SqlChangeFeed(this);
    }

    private const string AuditEventType = "AuditEvent";

    private const string Columns = "resource_type, id, version_id, last_updated, is_deleted, content, patient_id";

    /// <summary>How many rounds of <c>:iterate</c> includes are followed at most (guards against cycles).</summary>
    private const int MaxIncludeRounds = 4;

    public string Engine => _dialect.Engine;

    internal SqlDialect Dialect => _dialect;

    /// <summary>Makes logged AuditEvents searchable; every read that may return AuditEvents calls its <see cref="AuditProjector.CatchUpAsync"/> first.</summary>
    internal AuditProjector AuditProjector { get; }

    /// <summary>The durable job queue in this database.</summary>
    public SqlJobQueue Jobs { get; }

    /// <summary>The change notices in this database.</summary>
    public SqlChangeFeed ChangeFeed { get; }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        await _dialect.LockMigrationsAsync(connection, transaction, cancellationToken);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)", cancellationToken);

        await using var current = connection.CreateCommand();
        current.Transaction = transaction;
        current.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var version = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

        var applied = 0;
        foreach (var migration in Schema.Migrations.Where(m => m.Version > version))
        {
            await ExecuteAsync(connection, transaction, migration.Sql(_dialect), cancellationToken);
            var record = new SqlBuilder();
            record.Append("INSERT INTO schema_version (version, description, applied_at) VALUES (")
                .Append(record.Bind(migration.Version)).Append(", ").Append(record.Bind(migration.Description)).Append(", ")
                .Append(record.Bind(DateTimeOffset.UtcNow.UtcTicks)).Append(')');
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            record.ApplyTo(insert);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            applied++;
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    public async Task<StoredResource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken)
    {
        await CatchUpIfAsync(resourceType == AuditEventType, cancellationToken);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await ReadCurrentAsync(connection, null, resourceType, id, forUpdate: false, cancellationToken);
    }

    public async Task<StoredResource?> VReadAsync(string resourceType, string id, int versionId, CancellationToken cancellationToken)
    {
        await CatchUpIfAsync(resourceType == AuditEventType, cancellationToken);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns}, method FROM resource_history WHERE resource_type = ").Append(sql.Bind(resourceType))
            .Append(" AND id = ").Append(sql.Bind(id)).Append(" AND version_id = ").Append(sql.Bind(versionId));
        await using var command = connection.CreateCommand();
        sql.ApplyTo(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader, method: reader.GetString(7)) : null;
    }

    public async Task<T> WriteAsync<T>(Func<IStoreTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_groupCommitter is not null)
        {
            return await _groupCommitter.RunAsync(work, cancellationToken);
        }

        await using var transaction = await BeginAsync(cancellationToken);
        var result = await work(transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken);
        try
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
            return new SqlStoreTransaction(this, connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        await CatchUpIfAsync(MayTouchAuditEvents(query), cancellationToken);
        await using var connection = await _dialect.OpenAsync(cancellationToken);

        var driver = await ChooseDriverAsync(connection, query, cancellationToken);
        var matches = new List<(long Key, StoredResource Resource)>();
        if (query.Count > 0 && query.Summary != SummaryMode.Count)
        {
            var page = new SqlBuilder();
            page.Append("SELECT r.resource_key, r.resource_type, r.id, r.version_id, r.last_updated, r.is_deleted, r.content, r.patient_id ");
            SearchSql.AppendFromWhere(page, query, driver);
            SearchSql.AppendOrderBy(page, query);
            page.Append(" LIMIT ").Append(page.Bind(query.Count)).Append(" OFFSET ").Append(page.Bind(query.Offset));
            matches = await ReadKeyedAsync(connection, page, cancellationToken);
        }

        int? total = null;
        var wantsTotal = query.Total != TotalMode.None || query.Count == 0 || query.Summary == SummaryMode.Count;
        var pageWasRead = query.Count > 0 && query.Summary != SummaryMode.Count;
        if (wantsTotal && pageWasRead && matches.Count < query.Count && (matches.Count > 0 || query.Offset == 0))
        {
            total = query.Offset + matches.Count; // a part-filled (or empty first) page is the last one: no need to count
        }
        else if (wantsTotal)
        {
            var count = new SqlBuilder();
            count.Append("SELECT COUNT(*) ");
            SearchSql.AppendFromWhere(count, query, driver);
            total = Convert.ToInt32(await ScalarAsync(connection, count, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        var (included, truncated) = await IncludeAsync(connection, query, matches, null, cancellationToken);
        return new SearchResult(matches.Select(m => m.Resource).ToList(), included, total, truncated);
    }

    public async Task<FilteredSearchResult> SearchFilteredAsync(SearchQuery query, MatchFilter keep, MatchFilter keepIncluded, SearchWork work, CancellationToken cancellationToken)
    {
        if (query.Count == 0 || query.Summary == SummaryMode.Count)
        {
            return new FilteredSearchResult([], [], false, false, false);
        }

        await CatchUpIfAsync(MayTouchAuditEvents(query), cancellationToken);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var driver = await ChooseDriverAsync(connection, query, cancellationToken);

        // Kept matches from the first, up to the page's end plus one.
        var wanted = (long)query.Offset + query.Count + 1;
        var kept = new List<(long Key, StoredResource Resource)>();
        var batch = (int)Math.Min(wanted, SearchQuery.MaxCount);
        var cursor = 0L;
        var exhausted = false;
        while (kept.Count < wanted && !exhausted && !work.Spent)
        {
            var size = Math.Min(batch, work.Left);
            var sql = new SqlBuilder();
            sql.Append("SELECT r.resource_key, r.resource_type, r.id, r.version_id, r.last_updated, r.is_deleted, r.content, r.patient_id ");
            SearchSql.AppendFromWhere(sql, query, driver);
            SearchSql.AppendOrderBy(sql, query);
            sql.Append(" LIMIT ").Append(sql.Bind(size)).Append(" OFFSET ").Append(sql.Bind(cursor));
            var rows = await ReadKeyedAsync(connection, sql, cancellationToken);
            work.Spend(rows.Count);
            cursor += rows.Count;
            exhausted = rows.Count < size;

            var visible = (await keep([.. rows.Select(r => r.Resource)], cancellationToken)).Select(v => v.Reference).ToHashSet(StringComparer.Ordinal);
            kept.AddRange(rows.Where(r => visible.Contains(r.Resource.Reference)).Take((int)(wanted - kept.Count)));
            batch = Math.Min(batch * 2, SearchQuery.MaxCount);
        }

        var page = kept.Skip(query.Offset).Take(query.Count).ToList();
        var hasMore = kept.Count == wanted;
        var (included, includedTruncated) = await IncludeAsync(connection, query, page, (keepIncluded, work), cancellationToken);
        return new FilteredSearchResult([.. page.Select(p => p.Resource)], included, hasMore, !hasMore && work.Spent, includedTruncated);
    }

    /// <summary>
    /// When several criteria could drive the search, counts (up to a cut-off) the rows each would
    /// walk and picks the smallest; null leaves the choice to <see cref="SearchSql"/>'s guess.
    /// </summary>
    private async Task<int?> ChooseDriverAsync(DbConnection connection, SearchQuery query, CancellationToken cancellationToken)
    {
        var candidates = SearchSql.DriverCandidates(query);
        if (candidates.Count < 2)
        {
            return null;
        }

        var estimates = new long[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var estimate = new SqlBuilder();
            SearchSql.AppendDriverEstimate(estimate, query, candidates[i], DriverEstimateLimit);
            estimates[i] = Convert.ToInt64(await ScalarAsync(connection, estimate, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        return SearchSql.PickDriver(candidates, estimates);
    }

    /// <summary>Past this many rows a driver is "many": counting further costs more than it tells.</summary>
    private const int DriverEstimateLimit = 1000;

    /// <summary>
    /// The resources the query's includes reach from <paramref name="matches"/>, at most
    /// <see cref="SearchResult.MaxIncluded"/> (true when more were to come). Sources and targets go
    /// to the database in chunks, so no statement has more parameters than the engines allow.
    /// With <paramref name="filter"/> (a caller who does not see everything) only the resources it
    /// keeps are included and followed by the next <c>:iterate</c> round, and count toward the cap;
    /// the rows read are bounded by its work limit instead.
    /// </summary>
    private async Task<(List<StoredResource> Included, bool Truncated)> IncludeAsync(DbConnection connection, SearchQuery query, List<(long Key, StoredResource Resource)> matches, (MatchFilter Keep, SearchWork Work)? filter, CancellationToken cancellationToken)
    {
        if (matches.Count == 0 || (query.Includes.Count == 0 && query.RevIncludes.Count == 0))
        {
            return ([], false);
        }

        var seen = new HashSet<string>(matches.Select(m => m.Resource.Reference), StringComparer.Ordinal);
        var included = new List<StoredResource>();
        var frontier = matches;
        for (var round = 0; round < MaxIncludeRounds && frontier.Count > 0; round++)
        {
            var found = new List<(long Key, StoredResource Resource)>();
            foreach (var include in query.Includes.Where(i => round == 0 ? i.SourceType == query.ResourceType || i.Iterate : i.Iterate))
            {
                var sources = frontier.Where(f => f.Resource.ResourceType == include.SourceType).Select(f => f.Key).ToList();
                foreach (var chunk in sources.Chunk(IncludeChunk))
                {
                    // Walk the few source rows' references by key (idx_reference_key). "resource_type || ''"
                    // keeps SQLite, which has no statistics, off idx_reference_target: given the plain
                    // equality it walked every reference of that type and parameter (all 100,000
                    // patients' encounters) to keep the thirty asked for.
                    var sql = new SqlBuilder();
                    sql.Append("SELECT t.resource_key, t.resource_type, t.id, t.version_id, t.last_updated, t.is_deleted, t.content, t.patient_id FROM idx_reference ref JOIN resource t ON t.resource_type = ref.target_type AND t.id = ref.target_id WHERE t.is_deleted = 0 AND ref.param = ")
                        .Append(sql.Bind(include.Reference.Code)).Append(" AND ref.resource_type || '' = ").Append(sql.Bind(include.SourceType));
                    if (include.TargetType is not null)
                    {
                        sql.Append(" AND ref.target_type = ").Append(sql.Bind(include.TargetType));
                    }

                    sql.Append(" AND ref.resource_key IN (").Append(string.Join(", ", chunk.Select(k => sql.Bind(k)))).Append(')');
                    if (!await ReadIncludedAsync(connection, sql, found, seen, included.Count, filter, cancellationToken))
                    {
                        return ([.. included, .. found.Select(f => f.Resource)], true);
                    }
                }
            }

            foreach (var include in query.RevIncludes.Where(i => round == 0 || i.Iterate))
            {
                var targets = frontier.Where(f => include.TargetType is null || f.Resource.ResourceType == include.TargetType).ToList();
                foreach (var chunk in targets.Chunk(IncludeChunk))
                {
                    var sql = new SqlBuilder();
                    sql.Append("SELECT s.resource_key, s.resource_type, s.id, s.version_id, s.last_updated, s.is_deleted, s.content, s.patient_id FROM idx_reference ref JOIN resource s ON s.resource_key = ref.resource_key WHERE s.is_deleted = 0 AND ref.resource_type = ")
                        .Append(sql.Bind(include.SourceType)).Append(" AND ref.param = ").Append(sql.Bind(include.Reference.Code)).Append(" AND (");
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        sql.Append(i == 0 ? "" : " OR ")
                            .Append("(ref.target_type = ").Append(sql.Bind(chunk[i].Resource.ResourceType))
                            .Append(" AND ref.target_id = ").Append(sql.Bind(chunk[i].Resource.Id)).Append(')');
                    }

                    sql.Append(')');
                    if (!await ReadIncludedAsync(connection, sql, found, seen, included.Count, filter, cancellationToken))
                    {
                        return ([.. included, .. found.Select(f => f.Resource)], true);
                    }
                }
            }

            frontier = found;
            included.AddRange(frontier.Select(f => f.Resource));
        }

        return (included, false);
    }

    /// <summary>Sources or targets per include statement: two parameters each, well under SQLite's and PostgreSQL's limits.</summary>
    private const int IncludeChunk = 200;

    /// <summary>
    /// Adds one include statement's rows that are new (not in <paramref name="seen"/>) to
    /// <paramref name="found"/>, reading no further than the page may still include; false when that
    /// cap was reached with rows left over.
    /// </summary>
    private static async Task<bool> ReadIncludedAsync(DbConnection connection, SqlBuilder sql, List<(long Key, StoredResource Resource)> found, HashSet<string> seen, int alreadyIncluded, (MatchFilter Keep, SearchWork Work)? filter, CancellationToken cancellationToken)
    {
        var rows = new List<(long Key, StoredResource Resource)>();
        await using (var command = connection.CreateCommand())
        {
            sql.ApplyTo(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = (Key: reader.GetInt64(0), Resource: ReadRow(reader, null, offset: 1));
                if (!seen.Add(row.Resource.Reference))
                {
                    continue;
                }

                rows.Add(row);
                filter?.Work.Spend(1);
                // Unfiltered, every row counts toward the cap, so one past it is enough to know; filtered,
                // only kept rows may count (a count of hidden ones would tell), so the work limit bounds the read.
                if (filter is { Work.Spent: true } || (filter is null && alreadyIncluded + found.Count + rows.Count > SearchResult.MaxIncluded))
                {
                    break;
                }
            }
        }

        var kept = rows;
        if (filter is { } f && rows.Count > 0)
        {
            var visible = (await f.Keep([.. rows.Select(r => r.Resource)], cancellationToken)).Select(v => v.Reference).ToHashSet(StringComparer.Ordinal);
            kept = [.. rows.Where(r => visible.Contains(r.Resource.Reference))];
        }

        foreach (var row in kept)
        {
            if (alreadyIncluded + found.Count >= SearchResult.MaxIncluded)
            {
                return false;
            }

            found.Add(row);
        }

        return filter is not { Work.Spent: true };
    }

    public async Task<HistoryPage> PatientCompartmentAsync(string patientId, int count, int offset, CancellationToken cancellationToken)
    {
        await CatchUpIfAsync(true, cancellationToken); // AuditEvent is in the Patient compartment
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var countSql = new SqlBuilder();
        countSql.Append("SELECT COUNT(*) FROM resource WHERE patient_id = ").Append(countSql.Bind(patientId)).Append(" AND is_deleted = 0");
        var total = Convert.ToInt32(await ScalarAsync(connection, countSql, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

        var page = new SqlBuilder();
        page.Append($"SELECT {Columns} FROM resource WHERE patient_id = ").Append(page.Bind(patientId))
            .Append(" AND is_deleted = 0 ORDER BY CASE WHEN resource_type = 'Patient' THEN 0 ELSE 1 END, resource_key LIMIT ")
            .Append(page.Bind(count)).Append(" OFFSET ").Append(page.Bind(offset));
        await using var command = connection.CreateCommand();
        page.ApplyTo(command);
        var entries = new List<StoredResource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadRow(reader, null));
        }

        return new HistoryPage(entries, total);
    }

    public async Task<HistoryPage> HistoryAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        await CatchUpIfAsync(query.ResourceType is null or AuditEventType, cancellationToken);
        await using var connection = await _dialect.OpenAsync(cancellationToken);

        void Where(SqlBuilder sql)
        {
            sql.Append(" FROM resource_history WHERE 1 = 1");
            if (query.ResourceType is not null)
            {
                sql.Append(" AND resource_type = ").Append(sql.Bind(query.ResourceType));
            }

            if (query.Id is not null)
            {
                sql.Append(" AND id = ").Append(sql.Bind(query.Id));
            }

            if (query.Since is { } since)
            {
                sql.Append(" AND last_updated >= ").Append(sql.Bind(since.UtcTicks));
            }
        }

        var count = new SqlBuilder();
        count.Append("SELECT COUNT(*)");
        Where(count);
        var total = Convert.ToInt32(await ScalarAsync(connection, count, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

        var page = new SqlBuilder();
        page.Append($"SELECT {Columns}, method");
        Where(page);
        page.Append(" ORDER BY last_updated DESC, history_key DESC LIMIT ").Append(page.Bind(query.Count)).Append(" OFFSET ").Append(page.Bind(query.Offset));
        await using var command = connection.CreateCommand();
        page.ApplyTo(command);
        var entries = new List<StoredResource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadRow(reader, reader.GetString(7)));
        }

        return new HistoryPage(entries, total);
    }

    public async IAsyncEnumerable<StoredResource> ExportAsync(string resourceType, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await CatchUpIfAsync(resourceType == AuditEventType, cancellationToken);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM resource WHERE resource_type = ").Append(sql.Bind(resourceType)).Append(" AND is_deleted = 0");
        if (since is { } s)
        {
            sql.Append(" AND last_updated >= ").Append(sql.Bind(s.UtcTicks));
        }

        sql.Append(" ORDER BY resource_key");
        await using var command = connection.CreateCommand();
        sql.ApplyTo(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadRow(reader, "PUT");
        }
    }

    public Task<AuditChainReport> VerifyAuditChainAsync(CancellationToken cancellationToken) =>
        VerifyAuditChainAsync([], cancellationToken);

    public async Task<AuditChainReport> VerifyAuditChainAsync(IReadOnlyCollection<AuditChainHead> anchors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anchors);

        // Project first, so that every logged event's searchable copy exists to be compared.
        await AuditProjector.CatchUpAsync(cancellationToken);
        return await AuditChainVerifier.VerifyAsync(_dialect, anchors, cancellationToken);
    }

    public async Task<AuditChainHead> ReadAuditHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, hash FROM audit_head WHERE id = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AuditChainHead(reader.GetInt64(0), reader.GetString(1))
            : throw new InvalidOperationException("The audit chain's head row is missing: the database was changed outside OpenWard.");
    }

    public async ValueTask DisposeAsync()
    {
        await AuditProjector.DisposeAsync(); // before the group committer, which its projections go through
        if (_groupCommitter is not null)
        {
            await _groupCommitter.DisposeAsync();
        }

        if (_dialect is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        Jobs.Dispose();
    }

    private Task CatchUpIfAsync(bool auditEventsMayBeRead, CancellationToken cancellationToken) =>
        auditEventsMayBeRead ? AuditProjector.CatchUpAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Whether the search may match, include or filter by AuditEvents (then it must see every logged one).</summary>
    private static bool MayTouchAuditEvents(SearchQuery query) =>
        query.ResourceType == AuditEventType
        || query.Includes.Any(i => i.SourceType == AuditEventType || i.TargetType is null or AuditEventType)
        || query.RevIncludes.Any(i => i.SourceType == AuditEventType)
        || query.Criteria.Any(MentionsAuditEvents);

    private static bool MentionsAuditEvents(SearchCriterion criterion) => criterion switch
    {
        ChainCriterion chain => chain.TargetType == AuditEventType || MentionsAuditEvents(chain.Inner),
        HasCriterion has => has.SourceType == AuditEventType || MentionsAuditEvents(has.Inner),
        _ => false,
    };

    internal async Task<StoredResource?> ReadCurrentAsync(DbConnection connection, DbTransaction? transaction, string resourceType, string id, bool forUpdate, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM resource WHERE resource_type = ").Append(sql.Bind(resourceType))
            .Append(" AND id = ").Append(sql.Bind(id));
        if (forUpdate)
        {
            sql.Append(_dialect.ForUpdate);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        sql.ApplyTo(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader, null) : null;
    }

    /// <summary>Reads the columns of <see cref="Columns"/> starting at <paramref name="offset"/>.</summary>
    internal static StoredResource ReadRow(DbDataReader reader, string? method, int offset = 0)
    {
        var deleted = Convert.ToInt32(reader.GetValue(offset + 4), System.Globalization.CultureInfo.InvariantCulture) != 0;
        return new StoredResource(
            reader.GetString(offset),
            reader.GetString(offset + 1),
            Convert.ToInt32(reader.GetValue(offset + 2), System.Globalization.CultureInfo.InvariantCulture),
            new DateTimeOffset(reader.GetInt64(offset + 3), TimeSpan.Zero),
            deleted,
            reader.IsDBNull(offset + 5) ? null : reader.GetString(offset + 5),
            method ?? (deleted ? "DELETE" : "PUT"))
        {
            PatientId = reader.IsDBNull(offset + 6) ? null : reader.GetString(offset + 6),
        };
    }

    private static async Task<List<(long Key, StoredResource Resource)>> ReadKeyedAsync(DbConnection connection, SqlBuilder sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        sql.ApplyTo(command);
        var rows = new List<(long, StoredResource)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt64(0), ReadRow(reader, null, offset: 1)));
        }

        return rows;
    }

    internal static async Task<object?> ScalarAsync(DbConnection connection, SqlBuilder sql, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        sql.ApplyTo(command);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
