using System.Data.Common;
using OpenWard.Storage.Search;

namespace OpenWard.Storage.Security;

/// <summary>
/// Time-limited access to one patient's record that a member of staff claimed with a stated
/// reason, and the privacy officer's review of it.
/// </summary>
public sealed record BreakGlassGrant(
    string GrantId,
    string UserName,
    string PatientId,
    string ReasonCode,
    string? ReasonText,
    DateTimeOffset GrantedAt,
    DateTimeOffset ExpiresAt)
{
    public string? ReviewedBy { get; init; }

    public DateTimeOffset? ReviewedAt { get; init; }

    /// <summary>The reviewer's conclusion: <c>appropriate</c> or <c>refer</c> (for investigation).</summary>
    public string? ReviewOutcome { get; init; }

    public string? ReviewNote { get; init; }

    public bool IsActiveAt(DateTimeOffset now) => GrantedAt <= now && now < ExpiresAt;
}

/// <summary>The break-glass table (migration 5): grants, the active-grant lookup and the review queue.</summary>
public sealed class BreakGlassLedger(SqlResourceStore store)
{
    private const string Columns = "grant_id, user_name, patient_id, reason_code, reason_text, granted_at, expires_at, reviewed_by, reviewed_at, review_outcome, review_note";

    /// <summary>Records a grant in a transaction of its own.</summary>
    public Task AddAsync(BreakGlassGrant grant, CancellationToken cancellationToken) =>
        store.WriteAsync(transaction => AddAsync(transaction, grant, cancellationToken), cancellationToken);

    /// <summary>
    /// Records a grant in <paramref name="transaction"/> (a transaction of this store), so that what
    /// must happen because of it (its notification job, its audit event) commits with it or not at all.
    /// </summary>
    public async Task<bool> AddAsync(IStoreTransaction transaction, BreakGlassGrant grant, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"INSERT INTO break_glass ({Columns}) VALUES (")
            .Append(sql.Bind(grant.GrantId)).Append(", ").Append(sql.Bind(grant.UserName)).Append(", ").Append(sql.Bind(grant.PatientId)).Append(", ")
            .Append(sql.Bind(grant.ReasonCode)).Append(", ").Append(sql.Bind(grant.ReasonText)).Append(", ")
            .Append(sql.Bind(grant.GrantedAt.UtcTicks)).Append(", ").Append(sql.Bind(grant.ExpiresAt.UtcTicks)).Append(", NULL, NULL, NULL, NULL)");
        return await ((SqlStoreTransaction)transaction).ExecuteAsync(sql, cancellationToken) == 1;
    }

    /// <summary>The grant that lasts longest among those <paramref name="userName"/> holds for the patient at <paramref name="now"/>, or null.</summary>
    public async Task<BreakGlassGrant?> ActiveAsync(string userName, string patientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM break_glass WHERE user_name = ").Append(sql.Bind(userName))
            .Append(" AND patient_id = ").Append(sql.Bind(patientId))
            .Append(" AND granted_at <= ").Append(sql.Bind(now.UtcTicks)).Append(" AND expires_at > ").Append(sql.Bind(now.UtcTicks))
            .Append(" ORDER BY expires_at DESC LIMIT 1");
        return (await SqlCommands.QueryAsync(store.Dialect, sql, Read, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Grants not yet reviewed, oldest first: the privacy officer's queue.</summary>
    public async Task<IReadOnlyList<BreakGlassGrant>> UnreviewedAsync(int limit, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM break_glass WHERE reviewed_at IS NULL ORDER BY granted_at LIMIT ").Append(sql.Bind(limit));
        return await SqlCommands.QueryAsync(store.Dialect, sql, Read, cancellationToken);
    }

    public async Task<BreakGlassGrant?> FindAsync(string grantId, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM break_glass WHERE grant_id = ").Append(sql.Bind(grantId));
        return (await SqlCommands.QueryAsync(store.Dialect, sql, Read, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Records the review once; false if the grant is unknown or was already reviewed (a review is never overwritten).</summary>
    public async Task<bool> ReviewAsync(string grantId, string reviewer, string outcome, string? note, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("UPDATE break_glass SET reviewed_by = ").Append(sql.Bind(reviewer))
            .Append(", reviewed_at = ").Append(sql.Bind(at.UtcTicks))
            .Append(", review_outcome = ").Append(sql.Bind(outcome))
            .Append(", review_note = ").Append(sql.Bind(note))
            .Append(" WHERE grant_id = ").Append(sql.Bind(grantId)).Append(" AND reviewed_at IS NULL");
        return await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken) == 1;
    }

    private static BreakGlassGrant Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), SqlCommands.NullableString(r, 4), SqlCommands.Time(r, 5), SqlCommands.Time(r, 6))
    {
        ReviewedBy = SqlCommands.NullableString(r, 7),
        ReviewedAt = SqlCommands.NullableTime(r, 8),
        ReviewOutcome = SqlCommands.NullableString(r, 9),
        ReviewNote = SqlCommands.NullableString(r, 10),
    };
}
