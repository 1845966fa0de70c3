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

    /// <summary>Keeps the patient index right: corrects patient details, merges duplicate records and undoes merges.</summary>
    RecordsManager,
}
