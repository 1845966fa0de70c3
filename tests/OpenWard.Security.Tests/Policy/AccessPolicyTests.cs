using OpenWard.Security.Policy;

namespace OpenWard.Security.Tests.Policy;

public class AccessPolicyTests
{
    private static readonly Principal PatientPrincipal = new(PrincipalKind.Patient, "patient-1", "Test Patient");
    private static readonly Principal SystemPrincipal = Principal.SystemClient("lab-interface");

    [Fact]
    public void The_permission_table_has_one_row_per_role_and_category()
    {
        var keys = AccessPolicy.PermissionTable.Select(row => (row.Role, row.Category)).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(Enum.GetValues<StaffRole>().ToHashSet(), AccessPolicy.PermissionTable.Select(row => row.Role).ToHashSet());
    }

    [Fact]
    public void No_role_may_delete_patient_data_or_write_audit_data()
    {
        var offending = AccessPolicy.PermissionTable.Where(row =>
            (DataCategories.IsPatientData(row.Category) && row.Actions.Contains('d', StringComparison.Ordinal))
            || (row.Category == DataCategory.Audit && row.Actions.IndexOfAny(['c', 'u', 'd']) >= 0));

        Assert.Empty(offending);
    }

    [Fact]
    public void Permission_rows_print_as_role_category_and_smart_letters()
    {
        var row = AccessPolicy.PermissionTable.Single(r => r.Role == StaffRole.Pharmacist && r.Category == DataCategory.Prescribing);

        Assert.Equal("Pharmacist | Prescribing | rus", row.ToString());
    }

    [Fact]
    public void A_nurse_creating_a_prescription_is_told_a_doctor_is_needed()
    {
        var decision = AccessPolicy.Decide(StaffRole.Nurse, Relationship.CareRelationship, Sensitivity.None,
            DataCategory.Prescribing, FhirAction.Create);

        Assert.Equal(AccessDecision.Deny, decision.Decision);
        Assert.Equal("Nurses cannot create prescriptions: this needs a doctor.", decision.Reason);
    }

    [Fact]
    public void A_ward_clerk_opening_clinical_records_is_told_which_roles_may()
    {
        var decision = AccessPolicy.Decide(StaffRole.WardClerk, Relationship.CareRelationship, Sensitivity.None,
            DataCategory.Clinical, FhirAction.Read);

        Assert.Equal(
            "Ward clerks cannot open clinical records: this needs a doctor, nurse, pharmacist or allied health professional.",
            decision.Reason);
    }

    [Fact]
    public void Without_a_relationship_the_reason_asks_for_a_break_glass_reason()
    {
        var decision = AccessPolicy.Decide(StaffRole.Nurse, Relationship.None, Sensitivity.None,
            DataCategory.Clinical, FhirAction.Read);

        Assert.Equal(
            "This patient is not on your ward, clinic list or team referrals; to open their record, give a break-glass reason.",
            decision.Reason);
    }

    [Fact]
    public void A_sensitive_record_names_only_the_sensitivities_the_role_is_not_cleared_for()
    {
        var decision = AccessPolicy.Decide(StaffRole.Nurse, Relationship.CareRelationship,
            Sensitivity.SexualHealth | Sensitivity.MentalHealth, DataCategory.Clinical, FhirAction.Read);

        Assert.Equal(AccessDecision.BreakGlassRequired, decision.Decision);
        Assert.Contains("sexual health", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("mental health", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_decision_has_a_code_and_a_sentence()
    {
        foreach (var role in Enum.GetValues<StaffRole>())
            foreach (var relationship in Enum.GetValues<Relationship>())
                foreach (var category in Enum.GetValues<DataCategory>())
                    foreach (var action in Enum.GetValues<FhirAction>())
                        foreach (var sensitivity in new[] { Sensitivity.None, (Sensitivity)15 })
                        {
                            var decision = AccessPolicy.Decide(role, relationship, sensitivity, category, action);
                            Assert.Matches("^[A-Z_]+$", decision.Code);
                            Assert.Matches(@"^[A-Z].*\.$", decision.Reason);
                        }
    }

    [Fact]
    public void A_staff_principal_is_judged_by_its_role()
    {
        var doctor = new Principal(PrincipalKind.Staff, "dr.jones", "Dr Jones") { Role = StaffRole.Doctor };

        var decision = AccessPolicy.DecideFor(doctor, Relationship.CareRelationship, Sensitivity.SexualHealth,
            DataCategory.Clinical, FhirAction.Update);

        Assert.Equal(AccessPolicy.Decide(StaffRole.Doctor, Relationship.CareRelationship, Sensitivity.SexualHealth,
            DataCategory.Clinical, FhirAction.Update), decision);
    }

    [Fact]
    public void A_staff_principal_without_a_role_is_denied_everything()
    {
        var noRole = new Principal(PrincipalKind.Staff, "new.starter", "New Starter");

        foreach (var category in Enum.GetValues<DataCategory>())
        {
            var decision = AccessPolicy.DecideFor(noRole, Relationship.CareRelationship, Sensitivity.None, category, FhirAction.Read);
            Assert.Equal(AccessDecision.Deny, decision.Decision);
            Assert.Equal(PolicyCodes.NoRole, decision.Code);
        }
    }

    [Theory]
    [InlineData(DataCategory.Clinical, FhirAction.Delete)]
    [InlineData(DataCategory.Prescribing, FhirAction.Create)]
    [InlineData(DataCategory.Demographics, FhirAction.Update)]
    [InlineData(DataCategory.Directory, FhirAction.Create)]
    [InlineData(DataCategory.Audit, FhirAction.Read)]
    [InlineData(DataCategory.Audit, FhirAction.Search)]
    public void A_system_may_do_anything_but_write_audit_data(DataCategory category, FhirAction action)
    {
        var decision = AccessPolicy.DecideFor(SystemPrincipal, Relationship.None, Sensitivity.RestrictedPerson, category, action);

        Assert.Equal(AccessDecision.Allow, decision.Decision);
        Assert.Equal(PolicyCodes.SystemClient, decision.Code);
    }

    [Theory]
    [InlineData(FhirAction.Create)]
    [InlineData(FhirAction.Update)]
    [InlineData(FhirAction.Delete)]
    public void A_system_may_not_write_audit_data(FhirAction action)
    {
        var decision = AccessPolicy.DecideFor(SystemPrincipal, Relationship.None, Sensitivity.None, DataCategory.Audit, action);

        Assert.Equal(AccessDecision.Deny, decision.Decision);
        Assert.Equal(PolicyCodes.AuditAppendOnly, decision.Code);
    }

    [Theory]
    [InlineData(DataCategory.Demographics, FhirAction.Read)]
    [InlineData(DataCategory.Administrative, FhirAction.Search)]
    [InlineData(DataCategory.Clinical, FhirAction.Read)]
    [InlineData(DataCategory.Prescribing, FhirAction.Search)]
    [InlineData(DataCategory.Audit, FhirAction.Search)]
    public void A_patient_may_read_their_own_record_and_who_accessed_it(DataCategory category, FhirAction action)
    {
        var decision = AccessPolicy.DecideFor(PatientPrincipal, Relationship.Self, Sensitivity.MentalHealth, category, action);

        Assert.Equal(AccessDecision.Allow, decision.Decision);
        Assert.Equal(PolicyCodes.OwnRecord, decision.Code);
    }

    [Theory]
    [InlineData(Relationship.Self, DataCategory.Clinical, FhirAction.Create)]
    [InlineData(Relationship.Self, DataCategory.Demographics, FhirAction.Update)]
    [InlineData(Relationship.Self, DataCategory.Clinical, FhirAction.Delete)]
    [InlineData(Relationship.Self, DataCategory.Directory, FhirAction.Read)]
    [InlineData(Relationship.None, DataCategory.Demographics, FhirAction.Read)]
    [InlineData(Relationship.CareRelationship, DataCategory.Clinical, FhirAction.Read)]
    [InlineData(Relationship.BreakGlass, DataCategory.Clinical, FhirAction.Read)]
    public void A_patient_may_not_change_records_or_see_anyone_elses(
        Relationship relationship, DataCategory category, FhirAction action)
    {
        var decision = AccessPolicy.DecideFor(PatientPrincipal, relationship, Sensitivity.None, category, action);

        Assert.Equal(AccessDecision.Deny, decision.Decision);
        Assert.Equal(PolicyCodes.PatientNotPermitted, decision.Code);
    }

    [Fact]
    public void A_patient_may_not_write_their_audit_trail()
    {
        var decision = AccessPolicy.DecideFor(PatientPrincipal, Relationship.Self, Sensitivity.None, DataCategory.Audit, FhirAction.Create);

        Assert.Equal(AccessDecision.Deny, decision.Decision);
        Assert.Equal(PolicyCodes.AuditAppendOnly, decision.Code);
    }

    [Fact]
    public void Only_a_records_manager_may_merge_records()
    {
        Assert.Equal(AccessDecision.Allow, AccessPolicy.DecideMerge(StaffRole.RecordsManager).Decision);
        foreach (var role in Enum.GetValues<StaffRole>().Where(r => r != StaffRole.RecordsManager))
        {
            var refused = AccessPolicy.DecideMerge(role);
            Assert.Equal(AccessDecision.Deny, refused.Decision);
            Assert.Equal(PolicyCodes.RoleNotPermitted, refused.Code);
            Assert.Equal("Merging patient records needs a records manager.", refused.Reason);
        }

        Assert.Equal(AccessDecision.Deny, AccessPolicy.DecideMerge(null).Decision);
    }
}
