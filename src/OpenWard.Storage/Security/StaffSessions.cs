using System.Security.Cryptography;
using System.Text;
using OpenWard.Storage.Search;

namespace OpenWard.Storage.Security;

/// <summary>
/// Server-side staff sessions (migration 8): the session cookie carries a random id, and a session
/// is valid only while its row exists, so signing out or disabling the account ends it on every
/// instance, and a copied cookie is worthless afterwards. Only a hash of each id is stored.
/// </summary>
public sealed class StaffSessions(SqlResourceStore store)
{
    /// <summary>Starts a session and returns its id; sessions older than <paramref name="maxLength"/> are swept.</summary>
    public async Task<string> StartAsync(string userName, DateTimeOffset now, TimeSpan maxLength, CancellationToken cancellationToken)
    {
        var sessionId = Base64Url(RandomNumberGenerator.GetBytes(32));
        var sql = new SqlBuilder();
        sql.Append("INSERT INTO staff_session (session_hash, user_name, started_at) VALUES (")
            .Append(sql.Bind(Hash(sessionId))).Append(", ").Append(sql.Bind(userName)).Append(", ").Append(sql.Bind(now.UtcTicks)).Append(")");
        await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);

        var sweep = new SqlBuilder();
        sweep.Append("DELETE FROM staff_session WHERE started_at < ").Append(sweep.Bind((now - maxLength).UtcTicks));
        await SqlCommands.ExecuteAsync(store.Dialect, sweep, cancellationToken);
        return sessionId;
    }

    /// <summary>True while the session has not been ended (the caller checks its age).</summary>
    public async Task<bool> IsActiveAsync(string sessionId, string userName, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("SELECT 1 FROM staff_session WHERE session_hash = ").Append(sql.Bind(Hash(sessionId)))
            .Append(" AND user_name = ").Append(sql.Bind(userName));
        return (await SqlCommands.QueryAsync(store.Dialect, sql, _ => true, cancellationToken)).Count > 0;
    }

    public async Task EndAsync(string sessionId, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("DELETE FROM staff_session WHERE session_hash = ").Append(sql.Bind(Hash(sessionId)));
        await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);
    }

    /// <summary>Ends every session of the account (it was disabled).</summary>
    public async Task EndAllAsync(string userName, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("DELETE FROM staff_session WHERE user_name = ").Append(sql.Bind(userName));
        await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);
    }

    private static string Hash(string sessionId) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
