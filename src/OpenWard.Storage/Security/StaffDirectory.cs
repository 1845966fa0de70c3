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

    public bool Disabled { get; init; }

    /// <summary>Made by demo mode (published password): usable only while the server runs with <c>--demo</c>.</summary>
    public bool Demo { get; init; }

    public Principal ToPrincipal() => new(PrincipalKind.Staff, UserName, DisplayName)
    {
        Role = Role,
        PractitionerId = PractitionerId,
        Wards = Wards,
        Teams = Teams,
    };
}

/// <summary>The staff accounts table (migration 5; demo flag since migration 8).</summary>
public sealed class StaffDirectory(SqlResourceStore store)
{
    private const string Columns = "user_name, display_name, role, practitioner_id, wards, teams, password_hash, external_subject, disabled, demo";

    /// <summary>Creates the account or replaces every field of it; disabling it ends its sessions everywhere.</summary>
    public async Task SaveAsync(StaffAccount account, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        sql.Append($"INSERT INTO staff_account ({Columns}) VALUES (")
            .Append(sql.Bind(account.UserName)).Append(", ").Append(sql.Bind(account.DisplayName)).Append(", ")
            .Append(sql.Bind(account.Role.ToString())).Append(", ").Append(sql.Bind(account.PractitionerId)).Append(", ")
            .Append(sql.Bind(string.Join(' ', account.Wards))).Append(", ").Append(sql.Bind(string.Join(' ', account.Teams))).Append(", ")
            .Append(sql.Bind(account.PasswordHash)).Append(", ").Append(sql.Bind(account.ExternalSubject)).Append(", ")
            .Append(sql.Bind(account.Disabled ? 1 : 0)).Append(", ").Append(sql.Bind(account.Demo ? 1 : 0)).Append(") ON CONFLICT (user_name) DO UPDATE SET ")
            .Append("display_name = excluded.display_name, role = excluded.role, practitioner_id = excluded.practitioner_id, wards = excluded.wards, ")
            .Append("teams = excluded.teams, password_hash = excluded.password_hash, external_subject = excluded.external_subject, ")
            .Append("disabled = excluded.disabled, demo = excluded.demo");
        await SqlCommands.ExecuteAsync(store.Dialect, sql, cancellationToken);
        if (account.Disabled)
        {
            await new StaffSessions(store).EndAllAsync(account.UserName, cancellationToken);
        }
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
    /// Disables every demo account (and ends its sessions): run at each start without demo mode, so
    /// the published demo password never opens a store served for real. Returns how many were active.
    /// </summary>
    public async Task<int> DisableDemoAccountsAsync(CancellationToken cancellationToken)
    {
        var demo = (await ListAsync(cancellationToken)).Where(a => a.Demo && !a.Disabled).ToList();
        foreach (var account in demo)
        {
            await SaveAsync(account with { Disabled = true }, cancellationToken);
        }

        return demo.Count;
    }

    private static StaffAccount Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), Enum.Parse<StaffRole>(r.GetString(2)))
    {
        PractitionerId = SqlCommands.NullableString(r, 3),
        Wards = r.GetString(4).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        Teams = r.GetString(5).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        PasswordHash = SqlCommands.NullableString(r, 6),
        ExternalSubject = SqlCommands.NullableString(r, 7),
        Disabled = Convert.ToInt32(r.GetValue(8), System.Globalization.CultureInfo.InvariantCulture) != 0,
        Demo = Convert.ToInt32(r.GetValue(9), System.Globalization.CultureInfo.InvariantCulture) != 0,
    };
}
