using OpenWard.Storage.Search;

namespace OpenWard.Storage.Security;

/// <summary>
/// Wrong passwords counted per (user name, client address) (migration 8), so that guesses from one
/// address slow down only that address's attempts on that account: nobody can lock a clinician out
/// from elsewhere. Unknown user names are counted like known ones, so the answers do not differ.
/// </summary>
public sealed class SignInThrottle(SqlResourceStore store)
{
    /// <summary>Until when attempts on the account from the address are refused, or null.</summary>
    public async Task<DateTimeOffset?> BlockedUntilAsync(string userName, string address, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("SELECT blocked_until FROM sign_in_failure WHERE user_name = ").Append(sql.Bind(userName))
            .Append(" AND address = ").Append(sql.Bind(address));
        return (await SqlCommands.QueryAsync(store.Dialect, sql, r => SqlCommands.NullableTime(r, 0), cancellationToken)).FirstOrDefault();
    }

    /// <summary>
    /// Counts a failure atomically and returns the count; a count whose last failure is older than
    /// <paramref name="forgetBefore"/> starts again at one (and old rows are swept).
    /// </summary>
    public async Task<int> RecordFailureAsync(string userName, string address, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken)
    {
        var sweep = new SqlBuilder();
        sweep.Append("DELETE FROM sign_in_failure WHERE last_failure_at < ").Append(sweep.Bind(forgetBefore.UtcTicks))
            .Append(" AND (blocked_until IS NULL OR blocked_until < ").Append(sweep.Bind(now.UtcTicks)).Append(")");
        await SqlCommands.ExecuteAsync(store.Dialect, sweep, cancellationToken);

        var sql = new SqlBuilder();
        sql.Append("INSERT INTO sign_in_failure (user_name, address, failures, last_failure_at, blocked_until) VALUES (")
            .Append(sql.Bind(userName)).Append(", ").Append(sql.Bind(address)).Append(", 1, ").Append(sql.Bind(now.UtcTicks))
            .Append(", NULL) ON CONFLICT (user_name, address) DO UPDATE SET failures = sign_in_failure.failures + 1, last_failure_at = excluded.last_failure_at RETURNING failures");
        var counts = await SqlCommands.QueryAsync(store.Dialect, sql, r => Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        return counts.FirstOrDefault();
    }

    public async Task BlockAsync(string userName, string address, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("UPDATE sign_in_failure SET blocked_until = ").Append(sql.Bind(until.UtcTicks))
            .Append(" WHERE user_name = ").Append(sql.Bind(userName)).Append(" AND address = ").Append(sql.Bind(address));
        await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);
    }

    /// <summary>Forgets the failures of the account from the address (a successful sign-in), or from everywhere (a new password).</summary>
    public async Task ClearAsync(string userName, string? address, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("DELETE FROM sign_in_failure WHERE user_name = ").Append(sql.Bind(userName));
        if (address is not null)
        {
            sql.Append(" AND address = ").Append(sql.Bind(address));
        }

        await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);
    }
}
