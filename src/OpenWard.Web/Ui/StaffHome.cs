using OpenWard.Security;

namespace OpenWard.Web.Ui;

/// <summary>Where a member of staff starts after signing in: their patients, for those who care for patients.</summary>
public static class StaffHome
{
    public const string MyPatients = "/patients";

    public static bool CaresForPatients(StaffRole? role) =>
        role is StaffRole.Doctor or StaffRole.Nurse or StaffRole.Pharmacist or StaffRole.AlliedHealthProfessional or StaffRole.WardClerk;

    public const string FindAPatient = "/patients/search";

    /// <summary>"/patients" for clinical staff and ward clerks, Find a patient for records managers; the landing page for everyone else.</summary>
    public static string For(StaffRole? role) => CaresForPatients(role) ? MyPatients : role == StaffRole.RecordsManager ? FindAPatient : "/";

    /// <summary>The role in a signed-in session ("role" claim), if any.</summary>
    public static StaffRole? RoleOf(System.Security.Claims.ClaimsPrincipal user) =>
        Enum.TryParse<StaffRole>(user.FindFirst("role")?.Value, out var role) ? role : null;
}
