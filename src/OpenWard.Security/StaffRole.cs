namespace OpenWard.Security;

/// <summary>The staff roles OpenWard knows; each has one permission set in the access policy.</summary>
public enum StaffRole
{
    Doctor,
    Nurse,
    Pharmacist,
    AlliedHealthProfessional,
    WardClerk,
    PrivacyOfficer,
    SystemAdministrator,
}
