namespace OpenWard.Security.Policy;

/// <summary>What the policy says about one request.</summary>
public enum AccessDecision
{
    Allow,
    Deny,

    /// <summary>Not allowed now, but allowed once the user gives a break-glass reason (which is audited).</summary>
    BreakGlassRequired,
}

/// <summary>
/// The policy's answer with its grounds.
/// </summary>
/// <param name="Code">A stable machine code from <see cref="PolicyCodes"/>, for audit records, logs and tests.</param>
/// <param name="Reason">One plain-English sentence to show the user.</param>
public sealed record PolicyDecision(AccessDecision Decision, string Code, string Reason)
{
    public bool IsAllowed => Decision == AccessDecision.Allow;
}

/// <summary>The stable codes of <see cref="PolicyDecision.Code"/>. Never rename one: audit records keep them.</summary>
public static class PolicyCodes
{
    // Allow
    /// <summary>The role may do this to directory or audit data, where relationships do not apply.</summary>
    public const string RolePermitted = "ROLE_PERMITTED";

    /// <summary>The caller has a care relationship with the patient and is cleared for the record's sensitivity.</summary>
    public const string CareRelationship = "CARE_RELATIONSHIP";

    /// <summary>The caller holds an active break-glass grant for the patient.</summary>
    public const string BreakGlass = "BREAK_GLASS";

    /// <summary>Finding a patient in the patient index (demographics read or search) needs no relationship.</summary>
    public const string PatientIndex = "PATIENT_INDEX";

    /// <summary>Registering a new patient needs no relationship.</summary>
    public const string Registration = "REGISTRATION";

    /// <summary>A records manager may change any patient's details (not a restricted person's) to keep the patient index right.</summary>
    public const string RecordsManagement = "RECORDS_MANAGEMENT";

    /// <summary>A backend system; its SMART scopes are checked elsewhere.</summary>
    public const string SystemClient = "SYSTEM_CLIENT";

    /// <summary>A patient reading their own record.</summary>
    public const string OwnRecord = "OWN_RECORD";

    // Deny
    /// <summary>The role's permission table does not include this action on this category.</summary>
    public const string RoleNotPermitted = "ROLE_NOT_PERMITTED";

    /// <summary>Audit data is written by OpenWard itself and never changed.</summary>
    public const string AuditAppendOnly = "AUDIT_APPEND_ONLY";

    /// <summary>Patient data is never deleted; it is marked entered-in-error.</summary>
    public const string PatientDataNotDeleted = "PATIENT_DATA_NOT_DELETED";

    /// <summary>A staff principal without a role.</summary>
    public const string NoRole = "NO_ROLE";

    /// <summary>A patient asking for anything but reading their own record.</summary>
    public const string PatientNotPermitted = "PATIENT_NOT_PERMITTED";

    // Break glass required
    /// <summary>No care relationship with the patient.</summary>
    public const string NoRelationship = "NO_RELATIONSHIP";

    /// <summary>A care relationship, but the record carries a sensitivity the role is not cleared for.</summary>
    public const string SensitiveRecord = "SENSITIVE_RECORD";
}
