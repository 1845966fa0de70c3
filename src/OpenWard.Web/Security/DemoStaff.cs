using OpenWard.DemoData;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Security.Passwords;

namespace OpenWard.Web.Security;

/// <summary>
/// Demo-mode staff accounts, one per role, with a published password: seeded only with
/// <c>--demo</c>, so that a newcomer can try each role in a minute. Never valid outside demo mode.
/// </summary>
public static class DemoStaff
{
    public const string Password = "openward-demo";

    /// <summary>The ward the demo nurse, doctor, physiotherapist and clerk work on.</summary>
    public static readonly string Ward = HospitalSite.WardId(0);

    /// <summary>The demo outpatient doctor's Practitioner: today's clinic (<see cref="Hosting.DemoClinic"/>) is theirs.</summary>
    public static readonly string ClinicPractitionerId = HospitalSite.PractitionerId(1);

    public static IReadOnlyList<StaffAccount> Accounts { get; } =
    [
        new("nurse", "Nia Evans (demo nurse)", StaffRole.Nurse) { Wards = [Ward] },
        new("doctor", "Dr Sam Patel (demo doctor)", StaffRole.Doctor) { Wards = [Ward], PractitionerId = HospitalSite.PractitionerId(0) },
        new("clinic", "Dr Rhea Kapoor (demo outpatient doctor)", StaffRole.Doctor) { PractitionerId = ClinicPractitionerId, Teams = [Hosting.DemoClinic.TeamId] },
        new("pharmacist", "Priya Shah (demo pharmacist)", StaffRole.Pharmacist) { Wards = [Ward] },
        new("physio", "Tom Hughes (demo physiotherapist)", StaffRole.AlliedHealthProfessional) { Wards = [Ward] },
        new("clerk", "Jo Brown (demo ward clerk)", StaffRole.WardClerk) { Wards = [Ward] },
        new("privacy", "Alex Morgan (demo privacy officer)", StaffRole.PrivacyOfficer),
        new("admin", "Chris Lee (demo system administrator)", StaffRole.SystemAdministrator),
        new("records", "Morgan Reid (demo records manager)", StaffRole.RecordsManager),
    ];

    /// <summary>
    /// Creates the demo accounts that do not exist yet, marked as demo accounts, and enables those
    /// that a start without demo mode disabled. An account of the same name that is not a demo
    /// account is left as it is.
    /// </summary>
    public static async Task SeedAsync(StaffDirectory directory, PasswordHasher hasher, CancellationToken cancellationToken)
    {
        var hash = hasher.Hash(Password);
        foreach (var account in Accounts)
        {
            var existing = await directory.FindAsync(account.UserName, cancellationToken);
            if (existing is null)
            {
                await directory.SaveAsync(account with { PasswordHash = hash, Demo = true }, cancellationToken);
            }
            else if (IsDemo(existing, hasher) && (!existing.Demo || existing.Disabled))
            {
                await directory.SaveAsync(existing with { Demo = true, Disabled = false }, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Outside demo mode: disables every demo account (ending its sessions), including those seeded
    /// before accounts were marked, recognised by name and the published password. Returns how many
    /// were still active.
    /// </summary>
    public static async Task<int> DisableAsync(StaffDirectory directory, PasswordHasher hasher, CancellationToken cancellationToken)
    {
        await MarkUnmarkedAsync(directory, hasher, cancellationToken);
        return await directory.DisableDemoAccountsAsync(cancellationToken);
    }

    /// <summary>True when demo mode seeded this store's staff accounts (so the store is a demo store).</summary>
    public static async Task<bool> WereSeededAsync(StaffDirectory directory, PasswordHasher hasher, CancellationToken cancellationToken)
    {
        await MarkUnmarkedAsync(directory, hasher, cancellationToken);
        return (await directory.ListAsync(cancellationToken)).Any(a => a.Demo);
    }

    // Stores seeded before migration 8 hold demo accounts without the mark.
    private static async Task MarkUnmarkedAsync(StaffDirectory directory, PasswordHasher hasher, CancellationToken cancellationToken)
    {
        foreach (var account in Accounts)
        {
            if (await directory.FindAsync(account.UserName, cancellationToken) is { Demo: false } existing && IsDemo(existing, hasher))
            {
                await directory.SaveAsync(existing with { Demo = true }, cancellationToken);
            }
        }
    }

    private static bool IsDemo(StaffAccount account, PasswordHasher hasher) =>
        account.Demo || (account.PasswordHash is { } hash && hasher.Verify(Password, hash) != PasswordCheck.Invalid);
}
