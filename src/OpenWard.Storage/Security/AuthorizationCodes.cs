using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using OpenWard.Storage.Search;

namespace OpenWard.Storage.Security;

/// <summary>What an authorization code stands for: who approved which app, for what, and the PKCE challenge it must be redeemed with.</summary>
public sealed record AuthorizationGrant(
    string ClientId,
    string RedirectUri,
    string UserName,
    string Scope,
    string? PatientId,
    string CodeChallenge,
    string? Nonce,
    DateTimeOffset ExpiresAt);

/// <summary>
/// OAuth 2.0 authorization codes (RFC 6749 §4.1.2; migration 6). The code itself is returned to the
/// caller once and only its SHA-256 is stored. Redeeming is atomic and one-time: of two concurrent
/// redemptions of the same code, one gets the grant and the other null.
/// </summary>
public sealed class AuthorizationCodes(SqlResourceStore store)
{
    /// <summary>Stores the grant under a new random code and returns the code.</summary>
    public async Task<string> IssueAsync(AuthorizationGrant grant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var code = Base64Url(RandomNumberGenerator.GetBytes(32));
        var sql = new SqlBuilder();
        sql.Append("INSERT INTO authorization_code (code_hash, client_id, redirect_uri, user_name, scope, patient_id, code_challenge, nonce, expires_at, redeemed_at) VALUES (")
            .Append(sql.Bind(Hash(code))).Append(", ").Append(sql.Bind(grant.ClientId)).Append(", ").Append(sql.Bind(grant.RedirectUri)).Append(", ")
            .Append(sql.Bind(grant.UserName)).Append(", ").Append(sql.Bind(grant.Scope)).Append(", ").Append(sql.Bind(grant.PatientId)).Append(", ")
            .Append(sql.Bind(grant.CodeChallenge)).Append(", ").Append(sql.Bind(grant.Nonce)).Append(", ").Append(sql.Bind(grant.ExpiresAt.UtcTicks)).Append(", NULL)");
        await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);

        // Codes live a minute; anything expired an hour ago is of no further use, even for spotting reuse.
        var purge = new SqlBuilder();
        purge.Append("DELETE FROM authorization_code WHERE expires_at < ").Append(purge.Bind((now - TimeSpan.FromHours(1)).UtcTicks));
        await SqlCommands.ExecuteAsync(store.Dialect, purge, cancellationToken);
        return code;
    }

    /// <summary>The grant behind <paramref name="code"/>, marking it used; null if unknown, already used or expired.</summary>
    public async Task<AuthorizationGrant?> RedeemAsync(string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("UPDATE authorization_code SET redeemed_at = ").Append(sql.Bind(now.UtcTicks))
            .Append(" WHERE code_hash = ").Append(sql.Bind(Hash(code))).Append(" AND redeemed_at IS NULL")
            .Append(" RETURNING client_id, redirect_uri, user_name, scope, patient_id, code_challenge, nonce, expires_at");
        var grants = await SqlCommands.QueryAsync(store.Dialect, sql, Read, cancellationToken);
        return grants.FirstOrDefault() is { } grant && grant.ExpiresAt > now ? grant : null;
    }

    private static AuthorizationGrant Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), SqlCommands.NullableString(r, 4), r.GetString(5), SqlCommands.NullableString(r, 6), SqlCommands.Time(r, 7));

    private static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
