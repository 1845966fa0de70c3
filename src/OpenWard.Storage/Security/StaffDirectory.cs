using System.Data.Common;
using OpenWard.Security;
using OpenWard.Storage.Search;

namespace OpenWard.Storage.Security;

/// <summary>
/// A member of staff who can sign in: their role, the wards and teams that give them care
/// relationships, and their credentials (a password hash for a local account, or the subject at
/// the trust's identity provider). Kept beside the record, never in it: no FHIR resource carries a
/// password hash.
/// </summary>
public sealed record StaffAccount(string UserName, string DisplayName, StaffRole Role)
{
    public string? PractitionerId { get; init; }

    public IReadOnlyList<string> Wards { get; init; } = [];

    public IReadOnlyList<string> Teams { get; init; } = [];

    /// <summary>The PHC string of the password's Argon2id hash; null for an account that signs in only through the identity provider.</summary>
    public string? PasswordHash { get; init; }

    /// <summary>The <c>sub</c> claim of this person at the trust's OpenID Connect provider, if linked.</summary>
    public string? ExternalSubject { get; init; }

    public int FailedSignIns { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    public bool Disabled { get; init; }

    public Principal ToPrincipal() => new(PrincipalKind.Staff, UserName, DisplayName)
    {
        Role = Role,
        PractitionerId = PractitionerId,
        Wards = Wards,
        Teams = Teams,
    };
}

/// <summary>The staff accounts table (migration 5).</summary>
public sealed class StaffDirectory(SqlResourceStore store)
{
    private const string Columns = "user_name, display_name, role, practitioner_id, wards, teams, password_hash, external_subject, failed_sign_ins, locked_until, disabled";

    /// <summary>Creates the account or replaces every field of it.</summary>
    public async Task SaveAsync(StaffAccount account, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"INSERT INTO staff_account ({Columns}) VALUES (")
            .Append(sql.Bind(account.UserName)).Append(", ").Append(sql.Bind(account.DisplayName)).Append(", ")
            .Append(sql.Bind(account.Role.ToString())).Append(", ").Append(sql.Bind(account.PractitionerId)).Append(", ")
            .Append(sql.Bind(string.Join(' ', account.Wards))).Append(", ").Append(sql.Bind(string.Join(' ', account.Teams))).Append(", ")
            .Append(sql.Bind(account.PasswordHash)).Append(", ").Append(sql.Bind(account.ExternalSubject)).Append(", ")
            .Append(sql.Bind(account.FailedSignIns)).Append(", ").Append(sql.Bind(account.LockedUntil?.UtcTicks)).Append(", ")
            .Append(sql.Bind(account.Disabled ? 1 : 0)).Append(") ON CONFLICT (user_name) DO UPDATE SET ")
            .Append("display_name = excluded.display_name, role = excluded.role, practitioner_id = excluded.practitioner_id, wards = excluded.wards, ")
            .Append("teams = excluded.teams, password_hash = excluded.password_hash, external_subject = excluded.external_subject, ")
            .Append("failed_sign_ins = excluded.failed_sign_ins, locked_until = excluded.locked_until, disabled = excluded.disabled");
        await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);
    }

    public async Task<StaffAccount?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM staff_account WHERE user_name = ").Append(sql.Bind(userName));
        return (await SqlCommands.QueryAsync(store.Dialect, sql, Read, cancellationToken)).FirstOrDefault();
    }

    public async Task<StaffAccount?> FindByExternalSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM staff_account WHERE external_subject = ").Append(sql.Bind(subject));
        return (await SqlCommands.QueryAsync(store.Dialect, sql, Read, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync(CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"SELECT {Columns} FROM staff_account ORDER BY role, user_name");
        return await SqlCommands.QueryAsync(store.Dialect, sql, Read, cancellationToken);
    }

    /// <summary>
    /// Counts a failed sign-in atomically (two wrong passwords at once both count) and returns the
    /// new count; locks the account until <paramref name="lockUntil"/> when the count reaches
    /// <paramref name="lockAfter"/>.
    /// </summary>
    public async Task<int> RecordFailedSignInAsync(string userName, int lockAfter, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("UPDATE staff_account SET failed_sign_ins = failed_sign_ins + 1, locked_until = CASE WHEN failed_sign_ins + 1 >= ")
            .Append(sql.Bind(lockAfter)).Append(" THEN ").Append(sql.Bind(lockUntil.UtcTicks)).Append(" ELSE locked_until END WHERE user_name = ")
            .Append(sql.Bind(userName)).Append(" RETURNING failed_sign_ins");
        var counts = await SqlCommands.QueryAsync(store.Dialect, sql, r => Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        return counts.FirstOrDefault();
    }

    /// <summary>Clears the failure count and any lock after a successful sign-in.</summary>
    public async Task RecordSuccessfulSignInAsync(string userName, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append("UPDATE staff_account SET failed_sign_ins = 0, locked_until = NULL WHERE user_name = ").Append(sql.Bind(userName));
        await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);
    }

    private static StaffAccount Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), Enum.Parse<StaffRole>(r.GetString(2)))
    {
        PractitionerId = SqlCommands.NullableString(r, 3),
        Wards = r.GetString(4).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        Teams = r.GetString(5).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        PasswordHash = SqlCommands.NullableString(r, 6),
        ExternalSubject = SqlCommands.NullableString(r, 7),
        FailedSignIns = Convert.ToInt32(r.GetValue(8), System.Globalization.CultureInfo.InvariantCulture),
        LockedUntil = SqlCommands.NullableTime(r, 9),
        Disabled = Convert.ToInt32(r.GetValue(10), System.Globalization.CultureInfo.InvariantCulture) != 0,
    };
}
