namespace OpenWard.Security.Policy;

/// <summary>
/// Who may do what to which data: one pure function over the facts the caller has already worked out
/// (role, relationship to the patient, the record's sensitivity, the data category and the action).
/// </summary>
/// <remarks>
/// This is OpenWard's default policy, a starting point for each trust's Caldicott Guardian to review and
/// adapt; it is a design choice, not a statement of law or of NHS guidance. The rules, in order:
/// <list type="number">
/// <item>Audit data is append-only: nobody creates, updates or deletes it (OpenWard writes it itself).</item>
/// <item>Patient data is never deleted (it is marked entered-in-error).</item>
/// <item>The role must have the permission in <see cref="PermissionTable"/>; nothing, not even break-glass, adds one.</item>
/// <item>Directory and audit data ignore relationship and sensitivity.</item>
/// <item>Registering a patient (demographics create) needs no relationship.</item>
/// <item>A break-glass grant opens the patient's record, whatever its sensitivity.</item>
/// <item>A care relationship opens it if the role is cleared for every sensitivity flag (<see cref="SensitivityClearance"/>).</item>
/// <item>Finding a patient (demographics read or search) needs no relationship unless the patient is a restricted person.</item>
/// <item>A patient-index maintainer (<see cref="PatientIndexMaintainers"/>) may change any patient's demographics, unless the patient is a restricted person.</item>
/// <item>Otherwise the user must break glass: SENSITIVE_RECORD with a care relationship, NO_RELATIONSHIP without.</item>
/// </list>
/// </remarks>
public static class AccessPolicy
{
    private const string PatientWrites = "crus";
    private const string ReadAndSearch = "rs";

    /// <summary>The role permission table: each role's permitted actions per category. Absent rows permit nothing.</summary>
    public static IReadOnlyList<RolePermission> PermissionTable { get; } =
    [
        new(StaffRole.Doctor, DataCategory.Demographics, PatientWrites),
        new(StaffRole.Doctor, DataCategory.Administrative, PatientWrites),
        new(StaffRole.Doctor, DataCategory.Clinical, PatientWrites),
        new(StaffRole.Doctor, DataCategory.Prescribing, PatientWrites),
        new(StaffRole.Doctor, DataCategory.Directory, ReadAndSearch),

        new(StaffRole.Nurse, DataCategory.Demographics, PatientWrites),
        new(StaffRole.Nurse, DataCategory.Administrative, PatientWrites),
        new(StaffRole.Nurse, DataCategory.Clinical, PatientWrites),
        new(StaffRole.Nurse, DataCategory.Prescribing, ReadAndSearch),
        new(StaffRole.Nurse, DataCategory.Directory, ReadAndSearch),

        new(StaffRole.Pharmacist, DataCategory.Demographics, ReadAndSearch),
        new(StaffRole.Pharmacist, DataCategory.Administrative, ReadAndSearch),
        new(StaffRole.Pharmacist, DataCategory.Clinical, PatientWrites),
        // Update without create: the pharmacist's clinical check of a doctor's prescription.
        new(StaffRole.Pharmacist, DataCategory.Prescribing, "rus"),
        new(StaffRole.Pharmacist, DataCategory.Directory, ReadAndSearch),

        new(StaffRole.AlliedHealthProfessional, DataCategory.Demographics, ReadAndSearch),
        new(StaffRole.AlliedHealthProfessional, DataCategory.Administrative, ReadAndSearch),
        new(StaffRole.AlliedHealthProfessional, DataCategory.Clinical, PatientWrites),
        new(StaffRole.AlliedHealthProfessional, DataCategory.Prescribing, ReadAndSearch),
        new(StaffRole.AlliedHealthProfessional, DataCategory.Directory, ReadAndSearch),

        new(StaffRole.WardClerk, DataCategory.Demographics, PatientWrites),
        new(StaffRole.WardClerk, DataCategory.Administrative, PatientWrites),
        new(StaffRole.WardClerk, DataCategory.Directory, ReadAndSearch),

        // Demographics only to identify the patients whose access is under review.
        new(StaffRole.PrivacyOfficer, DataCategory.Demographics, ReadAndSearch),
        new(StaffRole.PrivacyOfficer, DataCategory.Audit, ReadAndSearch),
        new(StaffRole.PrivacyOfficer, DataCategory.Directory, ReadAndSearch),

        new(StaffRole.SystemAdministrator, DataCategory.Directory, "cruds"),

        // Patient details to correct and merge them; admissions only where they have a relationship (read, to tell two records apart).
        new(StaffRole.RecordsManager, DataCategory.Demographics, PatientWrites),
        new(StaffRole.RecordsManager, DataCategory.Administrative, ReadAndSearch),
        new(StaffRole.RecordsManager, DataCategory.Directory, ReadAndSearch),
    ];

    /// <summary>
    /// The roles that keep the patient index right: they change any patient's details without a care
    /// relationship, and only they may merge two records or undo a merge (<see cref="DecideMerge"/>).
    /// </summary>
    public static IReadOnlySet<StaffRole> PatientIndexMaintainers { get; } = new HashSet<StaffRole> { StaffRole.RecordsManager };

    /// <summary>The roles cleared to see each sensitivity with a care relationship (without breaking glass).</summary>
    public static IReadOnlyDictionary<Sensitivity, IReadOnlySet<StaffRole>> SensitivityClearance { get; } =
        new Dictionary<Sensitivity, IReadOnlySet<StaffRole>>
        {
            [Sensitivity.SexualHealth] = new HashSet<StaffRole> { StaffRole.Doctor },
            [Sensitivity.MentalHealth] = new HashSet<StaffRole> { StaffRole.Doctor, StaffRole.Nurse },
            [Sensitivity.Safeguarding] = new HashSet<StaffRole> { StaffRole.Doctor, StaffRole.Nurse },
            [Sensitivity.RestrictedPerson] = new HashSet<StaffRole> { StaffRole.Doctor, StaffRole.Nurse },
        };

    private static readonly Dictionary<(StaffRole, DataCategory), RolePermission> PermissionByRoleAndCategory =
        PermissionTable.ToDictionary(row => (row.Role, row.Category));

    /// <summary>Whether the role's permission table row allows the action on the category.</summary>
    public static bool IsPermitted(StaffRole role, DataCategory category, FhirAction action) =>
        PermissionByRoleAndCategory.TryGetValue((role, category), out var row) && row.Permits(action);

    /// <summary>The decision for a member of staff with this role.</summary>
    public static PolicyDecision Decide(
        StaffRole role, Relationship relationship, Sensitivity sensitivity, DataCategory category, FhirAction action)
    {
        if (category == DataCategory.Audit && action is not (FhirAction.Read or FhirAction.Search))
            return AuditAppendOnly();
        var patientData = DataCategories.IsPatientData(category);
        if (patientData && action == FhirAction.Delete)
            return Deny(PolicyCodes.PatientDataNotDeleted,
                "Patient records are never deleted; mark the entry as entered in error instead.");
        if (!IsPermitted(role, category, action))
            return Deny(PolicyCodes.RoleNotPermitted, RoleNotPermittedReason(role, category, action));
        if (!patientData)
            return Allow(PolicyCodes.RolePermitted, $"{Capitalised(Plural(role))} may {Verb(action)} {Noun(category)}.");

        if (category == DataCategory.Demographics && action == FhirAction.Create)
            return Allow(PolicyCodes.Registration, "You may register a new patient.");
        if (relationship == Relationship.BreakGlass)
            return Allow(PolicyCodes.BreakGlass, "You have broken glass for this patient; your access is recorded.");

        var uncleared = SensitivityLabels.Flags(sensitivity)
            .Where(flag => !SensitivityClearance[flag].Contains(role))
            .ToList();
        var cared = relationship == Relationship.CareRelationship;
        if (cared && uncleared.Count == 0)
            return Allow(PolicyCodes.CareRelationship, "You are caring for this patient.");
        var findingPatient = category == DataCategory.Demographics && action is (FhirAction.Read or FhirAction.Search);
        if (findingPatient && !sensitivity.HasFlag(Sensitivity.RestrictedPerson))
            return Allow(PolicyCodes.PatientIndex, "You may find any patient in the patient index.");
        if (category == DataCategory.Demographics && PatientIndexMaintainers.Contains(role) && !sensitivity.HasFlag(Sensitivity.RestrictedPerson))
            return Allow(PolicyCodes.RecordsManagement, "You may correct any patient's details to keep the patient index right.");
        if (cared)
            return BreakGlassRequired(PolicyCodes.SensitiveRecord,
                $"This record holds {string.Join(" and ", uncleared.Select(Describe))}, which {Plural(role)} see only " +
                "after breaking glass; to open it, give a break-glass reason.");
        if (sensitivity.HasFlag(Sensitivity.RestrictedPerson))
            return BreakGlassRequired(PolicyCodes.NoRelationship,
                "This patient's record is restricted and they are not on your ward, clinic list or team referrals; " +
                "to open their record, give a break-glass reason.");
        return BreakGlassRequired(PolicyCodes.NoRelationship,
            "This patient is not on your ward, clinic list or team referrals; to open their record, give a break-glass reason.");
    }

    /// <summary>
    /// The decision for any principal. Staff get <see cref="Decide"/> with their role (no role: Deny). Systems
    /// may do anything but write audit data; their SMART scopes are checked elsewhere. Patients may read and
    /// search their own record (<see cref="Relationship.Self"/>), including who accessed it, and nothing else.
    /// </summary>
    public static PolicyDecision DecideFor(
        Principal principal, Relationship relationship, Sensitivity sensitivity, DataCategory category, FhirAction action)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var reading = action is FhirAction.Read or FhirAction.Search;
        switch (principal.Kind)
        {
            case PrincipalKind.Staff:
                return principal.Role is { } role
                    ? Decide(role, relationship, sensitivity, category, action)
                    : Deny(PolicyCodes.NoRole, "Your account has no staff role yet; ask your system administrator to give you one.");
            case PrincipalKind.System:
                return category == DataCategory.Audit && !reading
                    ? AuditAppendOnly()
                    : Allow(PolicyCodes.SystemClient, "Backend systems are limited by their SMART scopes.");
            case PrincipalKind.Patient:
                if (category == DataCategory.Audit && !reading)
                    return AuditAppendOnly();
                var ownRecord = relationship == Relationship.Self
                    && (DataCategories.IsPatientData(category) || category == DataCategory.Audit);
                return ownRecord && reading
                    ? Allow(PolicyCodes.OwnRecord, "You may see your own record.")
                    : Deny(PolicyCodes.PatientNotPermitted, "Patients may see their own record but not change it or see anyone else's.");
            default:
                throw new ArgumentOutOfRangeException(nameof(principal), principal.Kind, "Unknown principal kind.");
        }
    }

    /// <summary>
    /// Whether a member of staff may merge two patient records or undo a merge, before the
    /// demographics decision on each of the two patients (which still applies). Only patient-index
    /// maintainers may: a merge moves every part of a record, so it is not a clinician's everyday action.
    /// </summary>
    public static PolicyDecision DecideMerge(StaffRole? role) => role is { } staff && PatientIndexMaintainers.Contains(staff)
        ? Allow(PolicyCodes.RecordsManagement, "You may merge duplicate records and undo merges.")
        : Deny(PolicyCodes.RoleNotPermitted, $"Merging patient records needs {JoinOr(PatientIndexMaintainers.Select(r => $"{Article(r)} {Singular(r)}"))}.");

    private static PolicyDecision AuditAppendOnly() => Deny(PolicyCodes.AuditAppendOnly,
        "The audit trail cannot be changed: OpenWard writes it itself and it is kept as written.");

    private static string RoleNotPermittedReason(StaffRole role, DataCategory category, FhirAction action)
    {
        var permittedRoles = Enum.GetValues<StaffRole>().Where(other => IsPermitted(other, category, action)).ToList();
        var who = permittedRoles.Count == 0
            ? "no role may do this"
            : $"this needs {Article(permittedRoles[0])} {JoinOr(permittedRoles.Select(Singular))}";
        return $"{Capitalised(Plural(role))} cannot {Verb(action)} {Noun(category)}: {who}.";
    }

    private static PolicyDecision Allow(string code, string reason) => new(AccessDecision.Allow, code, reason);

    private static PolicyDecision Deny(string code, string reason) => new(AccessDecision.Deny, code, reason);

    private static PolicyDecision BreakGlassRequired(string code, string reason) =>
        new(AccessDecision.BreakGlassRequired, code, reason);

    private static string Singular(StaffRole role) => role switch
    {
        StaffRole.Doctor => "doctor",
        StaffRole.Nurse => "nurse",
        StaffRole.Pharmacist => "pharmacist",
        StaffRole.AlliedHealthProfessional => "allied health professional",
        StaffRole.WardClerk => "ward clerk",
        StaffRole.PrivacyOfficer => "privacy officer",
        StaffRole.SystemAdministrator => "system administrator",
        StaffRole.RecordsManager => "records manager",
        _ => role.ToString(),
    };

    private static string Plural(StaffRole role) => Singular(role) + "s";

    private static string Article(StaffRole role) => Singular(role)[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string JoinOr(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 1 ? list[0] : $"{string.Join(", ", list[..^1])} or {list[^1]}";
    }

    private static string Verb(FhirAction action) => action switch
    {
        FhirAction.Create => "create",
        FhirAction.Read => "open",
        FhirAction.Update => "change",
        FhirAction.Delete => "delete",
        FhirAction.Search => "search",
        _ => action.ToString(),
    };

    private static string Noun(DataCategory category) => category switch
    {
        DataCategory.Demographics => "patient details",
        DataCategory.Administrative => "admissions, appointments and other administrative records",
        DataCategory.Clinical => "clinical records",
        DataCategory.Prescribing => "prescriptions",
        DataCategory.Audit => "the audit trail",
        DataCategory.Directory => "staff, ward and organisation directory entries",
        _ => category.ToString(),
    };

    private static string Describe(Sensitivity flag) => flag switch
    {
        Sensitivity.SexualHealth => "sexual health information",
        Sensitivity.MentalHealth => "mental health information",
        Sensitivity.Safeguarding => "safeguarding information",
        Sensitivity.RestrictedPerson => "a restricted patient's details",
        _ => flag.ToString(),
    };
}
