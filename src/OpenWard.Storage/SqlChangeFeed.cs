using OpenWard.Storage.Search;
using OpenWard.Storage.Security;

namespace OpenWard.Storage;

/// <summary>The <c>change_notices</c> table (migration 10), read by each instance's poller.</summary>
public sealed class SqlChangeFeed(SqlResourceStore store) : IChangeFeed
{
    public async Task<long> LatestSeqAsync(CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("SELECT COALESCE(MAX(seq), 0) FROM change_notices");
        return (await SqlCommands.QueryAsync(store.Dialect, sql, r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), cancellationToken))[0];
    }

    public async Task<IReadOnlyList<ChangeNotice>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("SELECT seq, topic, notice_key, created_at FROM change_notices WHERE seq > ").Append(sql.Bind(afterSeq))
            .Append(" ORDER BY seq LIMIT ").Append(sql.Bind(limit));
        return await SqlCommands.QueryAsync(store.Dialect, sql, r => new ChangeNotice(r.GetInt64(0), r.GetString(1), r.GetString(2), SqlCommands.Time(r, 3)), cancellationToken);
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        // The newest row stays: SQLite numbers a new row one above the highest left, so an empty table would start again below pollers' positions.
        var sql = new SqlBuilder();
        sql.Append("DELETE FROM change_notices WHERE created_at < ").Append(sql.Bind(before.UtcTicks))
            .Append(" AND seq < (SELECT MAX(seq) FROM change_notices)");
        return await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);
    }
}
