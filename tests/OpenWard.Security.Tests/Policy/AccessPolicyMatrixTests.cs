using OpenWard.Security.Policy;

namespace OpenWard.Security.Tests.Policy;

/// <summary>
/// The access policy checked against an expected-outcome table written out row by row from the policy as
/// specified (role table, relationship, sensitivity clearance), not computed by the code under test.
/// </summary>
public class AccessPolicyMatrixTests
{
    // Role | Relationship | Sensitivity (flags, comma-separated) | Category | Action | Decision | Code
    private const string ExpectedDecisions = """
        # Clinical data: every role, relationship and sensitivity, reading and changing
        Doctor                   | None             | None                      | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | None                      | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | SexualHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | SexualHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | MentalHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | MentalHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | Safeguarding              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | Safeguarding              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | SexualHealth              | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | SexualHealth              | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | MentalHealth              | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | MentalHealth              | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | Safeguarding              | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | Safeguarding              | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | RestrictedPerson          | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | RestrictedPerson          | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | SexualHealth,MentalHealth | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | SexualHealth,MentalHealth | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | BreakGlass       | None                      | Clinical       | Read   | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | None                      | Clinical       | Update | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | SexualHealth              | Clinical       | Read   | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | SexualHealth              | Clinical       | Update | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | MentalHealth              | Clinical       | Read   | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | MentalHealth              | Clinical       | Update | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | Safeguarding              | Clinical       | Read   | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | Safeguarding              | Clinical       | Update | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | RestrictedPerson          | Clinical       | Read   | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | RestrictedPerson          | Clinical       | Update | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Read   | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Update | Allow              | BREAK_GLASS
        Doctor                   | Self             | None                      | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | None                      | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | SexualHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | SexualHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | MentalHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | MentalHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | Safeguarding              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | Safeguarding              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | Self             | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | None                      | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | None                      | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | SexualHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | SexualHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | MentalHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | MentalHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | Safeguarding              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | Safeguarding              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | SexualHealth              | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        Nurse                    | CareRelationship | SexualHealth              | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        Nurse                    | CareRelationship | MentalHealth              | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | MentalHealth              | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | Safeguarding              | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | Safeguarding              | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | RestrictedPerson          | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | RestrictedPerson          | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        Nurse                    | CareRelationship | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        Nurse                    | BreakGlass       | None                      | Clinical       | Read   | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | None                      | Clinical       | Update | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | SexualHealth              | Clinical       | Read   | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | SexualHealth              | Clinical       | Update | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | MentalHealth              | Clinical       | Read   | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | MentalHealth              | Clinical       | Update | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | Safeguarding              | Clinical       | Read   | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | Safeguarding              | Clinical       | Update | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | RestrictedPerson          | Clinical       | Read   | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | RestrictedPerson          | Clinical       | Update | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Read   | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Update | Allow              | BREAK_GLASS
        Nurse                    | Self             | None                      | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | None                      | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | SexualHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | SexualHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | MentalHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | MentalHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | Safeguarding              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | Safeguarding              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | Self             | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | None                      | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | None                      | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | SexualHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | SexualHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | MentalHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | MentalHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | Safeguarding              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | Safeguarding              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | CareRelationship | None                      | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        Pharmacist               | CareRelationship | None                      | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        Pharmacist               | CareRelationship | SexualHealth              | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | SexualHealth              | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | MentalHealth              | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | MentalHealth              | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | Safeguarding              | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | Safeguarding              | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | BreakGlass       | None                      | Clinical       | Read   | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | None                      | Clinical       | Update | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | SexualHealth              | Clinical       | Read   | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | SexualHealth              | Clinical       | Update | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | MentalHealth              | Clinical       | Read   | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | MentalHealth              | Clinical       | Update | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | Safeguarding              | Clinical       | Read   | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | Safeguarding              | Clinical       | Update | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | RestrictedPerson          | Clinical       | Read   | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | RestrictedPerson          | Clinical       | Update | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Read   | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Update | Allow              | BREAK_GLASS
        Pharmacist               | Self             | None                      | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | None                      | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | SexualHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | SexualHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | MentalHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | MentalHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | Safeguarding              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | Safeguarding              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | Self             | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | None                      | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | None                      | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | SexualHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | SexualHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | MentalHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | MentalHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | Safeguarding              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | Safeguarding              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | CareRelationship | None                      | Clinical       | Read   | Allow              | CARE_RELATIONSHIP
        AlliedHealthProfessional | CareRelationship | None                      | Clinical       | Update | Allow              | CARE_RELATIONSHIP
        AlliedHealthProfessional | CareRelationship | SexualHealth              | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | SexualHealth              | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | MentalHealth              | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | MentalHealth              | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | Safeguarding              | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | Safeguarding              | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | BreakGlass       | None                      | Clinical       | Read   | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | None                      | Clinical       | Update | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | SexualHealth              | Clinical       | Read   | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | SexualHealth              | Clinical       | Update | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | MentalHealth              | Clinical       | Read   | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | MentalHealth              | Clinical       | Update | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | Safeguarding              | Clinical       | Read   | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | Safeguarding              | Clinical       | Update | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | RestrictedPerson          | Clinical       | Read   | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | RestrictedPerson          | Clinical       | Update | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Read   | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Update | Allow              | BREAK_GLASS
        AlliedHealthProfessional | Self             | None                      | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | None                      | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | SexualHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | SexualHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | MentalHealth              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | MentalHealth              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | Safeguarding              | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | Safeguarding              | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | RestrictedPerson          | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | RestrictedPerson          | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | SexualHealth,MentalHealth | Clinical       | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | Self             | SexualHealth,MentalHealth | Clinical       | Update | BreakGlassRequired | NO_RELATIONSHIP
        WardClerk                | None             | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | Self             | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | Self             | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | None                      | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | None                      | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | SexualHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | SexualHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | MentalHealth              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | MentalHealth              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | Safeguarding              | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | Safeguarding              | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | RestrictedPerson          | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | RestrictedPerson          | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | SexualHealth,MentalHealth | Clinical       | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | Self             | SexualHealth,MentalHealth | Clinical       | Update | Deny               | ROLE_NOT_PERMITTED

        # Clinical data: creating, searching, deleting
        Doctor                   | None             | None                      | Clinical       | Create | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | None                      | Clinical       | Search | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        Doctor                   | CareRelationship | None                      | Clinical       | Create | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Clinical       | Search | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        Nurse                    | None             | None                      | Clinical       | Create | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | None                      | Clinical       | Search | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        Nurse                    | CareRelationship | None                      | Clinical       | Create | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Clinical       | Search | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        Pharmacist               | None             | None                      | Clinical       | Create | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | None                      | Clinical       | Search | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        Pharmacist               | CareRelationship | None                      | Clinical       | Create | Allow              | CARE_RELATIONSHIP
        Pharmacist               | CareRelationship | None                      | Clinical       | Search | Allow              | CARE_RELATIONSHIP
        Pharmacist               | CareRelationship | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        AlliedHealthProfessional | None             | None                      | Clinical       | Create | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | None                      | Clinical       | Search | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        AlliedHealthProfessional | CareRelationship | None                      | Clinical       | Create | Allow              | CARE_RELATIONSHIP
        AlliedHealthProfessional | CareRelationship | None                      | Clinical       | Search | Allow              | CARE_RELATIONSHIP
        AlliedHealthProfessional | CareRelationship | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        WardClerk                | None             | None                      | Clinical       | Create | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Clinical       | Search | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        WardClerk                | CareRelationship | None                      | Clinical       | Create | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | None                      | Clinical       | Search | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        PrivacyOfficer           | None             | None                      | Clinical       | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Clinical       | Search | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        PrivacyOfficer           | CareRelationship | None                      | Clinical       | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Clinical       | Search | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        SystemAdministrator      | None             | None                      | Clinical       | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Clinical       | Search | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED
        SystemAdministrator      | CareRelationship | None                      | Clinical       | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Clinical       | Search | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Clinical       | Delete | Deny               | PATIENT_DATA_NOT_DELETED

        # Demographics: the patient index, registration, restricted persons
        Doctor                   | None             | None                      | Demographics   | Read   | Allow              | PATIENT_INDEX
        Doctor                   | None             | None                      | Demographics   | Create | Allow              | REGISTRATION
        Doctor                   | None             | None                      | Demographics   | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | RestrictedPerson          | Demographics   | Create | Allow              | REGISTRATION
        Doctor                   | None             | RestrictedPerson          | Demographics   | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Demographics   | Read   | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Demographics   | Create | Allow              | REGISTRATION
        Doctor                   | CareRelationship | None                      | Demographics   | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | RestrictedPerson          | Demographics   | Read   | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | RestrictedPerson          | Demographics   | Create | Allow              | REGISTRATION
        Doctor                   | CareRelationship | RestrictedPerson          | Demographics   | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | BreakGlass       | None                      | Demographics   | Read   | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | None                      | Demographics   | Create | Allow              | REGISTRATION
        Doctor                   | BreakGlass       | None                      | Demographics   | Update | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | RestrictedPerson          | Demographics   | Read   | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | RestrictedPerson          | Demographics   | Create | Allow              | REGISTRATION
        Doctor                   | BreakGlass       | RestrictedPerson          | Demographics   | Update | Allow              | BREAK_GLASS
        Nurse                    | None             | None                      | Demographics   | Read   | Allow              | PATIENT_INDEX
        Nurse                    | None             | None                      | Demographics   | Create | Allow              | REGISTRATION
        Nurse                    | None             | None                      | Demographics   | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | None             | RestrictedPerson          | Demographics   | Create | Allow              | REGISTRATION
        Nurse                    | None             | RestrictedPerson          | Demographics   | Update | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Demographics   | Read   | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Demographics   | Create | Allow              | REGISTRATION
        Nurse                    | CareRelationship | None                      | Demographics   | Update | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | RestrictedPerson          | Demographics   | Read   | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | RestrictedPerson          | Demographics   | Create | Allow              | REGISTRATION
        Nurse                    | CareRelationship | RestrictedPerson          | Demographics   | Update | Allow              | CARE_RELATIONSHIP
        Nurse                    | BreakGlass       | None                      | Demographics   | Read   | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | None                      | Demographics   | Create | Allow              | REGISTRATION
        Nurse                    | BreakGlass       | None                      | Demographics   | Update | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | RestrictedPerson          | Demographics   | Read   | Allow              | BREAK_GLASS
        Nurse                    | BreakGlass       | RestrictedPerson          | Demographics   | Create | Allow              | REGISTRATION
        Nurse                    | BreakGlass       | RestrictedPerson          | Demographics   | Update | Allow              | BREAK_GLASS
        Pharmacist               | None             | None                      | Demographics   | Read   | Allow              | PATIENT_INDEX
        Pharmacist               | None             | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | None             | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | None             | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | None             | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | CareRelationship | None                      | Demographics   | Read   | Allow              | CARE_RELATIONSHIP
        Pharmacist               | CareRelationship | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | CareRelationship | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | CareRelationship | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | CareRelationship | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | BreakGlass       | None                      | Demographics   | Read   | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | BreakGlass       | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | BreakGlass       | RestrictedPerson          | Demographics   | Read   | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | BreakGlass       | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | None                      | Demographics   | Read   | Allow              | PATIENT_INDEX
        AlliedHealthProfessional | None             | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | None             | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | CareRelationship | None                      | Demographics   | Read   | Allow              | CARE_RELATIONSHIP
        AlliedHealthProfessional | CareRelationship | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | CareRelationship | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | CareRelationship | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | SENSITIVE_RECORD
        AlliedHealthProfessional | CareRelationship | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | CareRelationship | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | BreakGlass       | None                      | Demographics   | Read   | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | BreakGlass       | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | BreakGlass       | RestrictedPerson          | Demographics   | Read   | Allow              | BREAK_GLASS
        AlliedHealthProfessional | BreakGlass       | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | BreakGlass       | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Demographics   | Read   | Allow              | PATIENT_INDEX
        WardClerk                | None             | None                      | Demographics   | Create | Allow              | REGISTRATION
        WardClerk                | None             | None                      | Demographics   | Update | BreakGlassRequired | NO_RELATIONSHIP
        WardClerk                | None             | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | NO_RELATIONSHIP
        WardClerk                | None             | RestrictedPerson          | Demographics   | Create | Allow              | REGISTRATION
        WardClerk                | None             | RestrictedPerson          | Demographics   | Update | BreakGlassRequired | NO_RELATIONSHIP
        WardClerk                | CareRelationship | None                      | Demographics   | Read   | Allow              | CARE_RELATIONSHIP
        WardClerk                | CareRelationship | None                      | Demographics   | Create | Allow              | REGISTRATION
        WardClerk                | CareRelationship | None                      | Demographics   | Update | Allow              | CARE_RELATIONSHIP
        WardClerk                | CareRelationship | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | SENSITIVE_RECORD
        WardClerk                | CareRelationship | RestrictedPerson          | Demographics   | Create | Allow              | REGISTRATION
        WardClerk                | CareRelationship | RestrictedPerson          | Demographics   | Update | BreakGlassRequired | SENSITIVE_RECORD
        WardClerk                | BreakGlass       | None                      | Demographics   | Read   | Allow              | BREAK_GLASS
        WardClerk                | BreakGlass       | None                      | Demographics   | Create | Allow              | REGISTRATION
        WardClerk                | BreakGlass       | None                      | Demographics   | Update | Allow              | BREAK_GLASS
        WardClerk                | BreakGlass       | RestrictedPerson          | Demographics   | Read   | Allow              | BREAK_GLASS
        WardClerk                | BreakGlass       | RestrictedPerson          | Demographics   | Create | Allow              | REGISTRATION
        WardClerk                | BreakGlass       | RestrictedPerson          | Demographics   | Update | Allow              | BREAK_GLASS
        PrivacyOfficer           | None             | None                      | Demographics   | Read   | Allow              | PATIENT_INDEX
        PrivacyOfficer           | None             | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | NO_RELATIONSHIP
        PrivacyOfficer           | None             | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Demographics   | Read   | Allow              | CARE_RELATIONSHIP
        PrivacyOfficer           | CareRelationship | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | RestrictedPerson          | Demographics   | Read   | BreakGlassRequired | SENSITIVE_RECORD
        PrivacyOfficer           | CareRelationship | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | None                      | Demographics   | Read   | Allow              | BREAK_GLASS
        PrivacyOfficer           | BreakGlass       | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | RestrictedPerson          | Demographics   | Read   | Allow              | BREAK_GLASS
        PrivacyOfficer           | BreakGlass       | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Demographics   | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | RestrictedPerson          | Demographics   | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Demographics   | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | RestrictedPerson          | Demographics   | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | None                      | Demographics   | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | None                      | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | None                      | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | RestrictedPerson          | Demographics   | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | RestrictedPerson          | Demographics   | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | RestrictedPerson          | Demographics   | Update | Deny               | ROLE_NOT_PERMITTED

        # Demographics: other sensitivities do not hide a patient from the index; Self counts as None for staff
        Nurse                    | None             | SexualHealth              | Demographics   | Search | Allow              | PATIENT_INDEX
        Nurse                    | CareRelationship | SexualHealth              | Demographics   | Search | Allow              | PATIENT_INDEX
        WardClerk                | None             | SexualHealth              | Demographics   | Search | Allow              | PATIENT_INDEX
        WardClerk                | CareRelationship | SexualHealth              | Demographics   | Search | Allow              | PATIENT_INDEX
        Pharmacist               | None             | SexualHealth              | Demographics   | Search | Allow              | PATIENT_INDEX
        Pharmacist               | CareRelationship | SexualHealth              | Demographics   | Search | Allow              | PATIENT_INDEX
        Doctor                   | Self             | None                      | Demographics   | Update | BreakGlassRequired | NO_RELATIONSHIP
        WardClerk                | Self             | RestrictedPerson          | Demographics   | Search | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Demographics   | Delete | Deny               | PATIENT_DATA_NOT_DELETED

        # Prescribing: only doctors prescribe; pharmacists check (update); break-glass adds no permission
        Doctor                   | None             | None                      | Prescribing    | Create | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | None                      | Prescribing    | Update | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | None             | None                      | Prescribing    | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Prescribing    | Create | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Prescribing    | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Prescribing    | Read   | Allow              | CARE_RELATIONSHIP
        Doctor                   | BreakGlass       | None                      | Prescribing    | Create | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | None                      | Prescribing    | Update | Allow              | BREAK_GLASS
        Doctor                   | BreakGlass       | None                      | Prescribing    | Read   | Allow              | BREAK_GLASS
        Nurse                    | None             | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | None             | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | None             | None                      | Prescribing    | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | CareRelationship | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | CareRelationship | None                      | Prescribing    | Read   | Allow              | CARE_RELATIONSHIP
        Nurse                    | BreakGlass       | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | BreakGlass       | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | BreakGlass       | None                      | Prescribing    | Read   | Allow              | BREAK_GLASS
        Pharmacist               | None             | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | None             | None                      | Prescribing    | Update | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | None             | None                      | Prescribing    | Read   | BreakGlassRequired | NO_RELATIONSHIP
        Pharmacist               | CareRelationship | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | CareRelationship | None                      | Prescribing    | Update | Allow              | CARE_RELATIONSHIP
        Pharmacist               | CareRelationship | None                      | Prescribing    | Read   | Allow              | CARE_RELATIONSHIP
        Pharmacist               | BreakGlass       | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | BreakGlass       | None                      | Prescribing    | Update | Allow              | BREAK_GLASS
        Pharmacist               | BreakGlass       | None                      | Prescribing    | Read   | Allow              | BREAK_GLASS
        AlliedHealthProfessional | None             | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | None                      | Prescribing    | Read   | BreakGlassRequired | NO_RELATIONSHIP
        AlliedHealthProfessional | CareRelationship | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | CareRelationship | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | CareRelationship | None                      | Prescribing    | Read   | Allow              | CARE_RELATIONSHIP
        AlliedHealthProfessional | BreakGlass       | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | BreakGlass       | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | BreakGlass       | None                      | Prescribing    | Read   | Allow              | BREAK_GLASS
        WardClerk                | None             | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Prescribing    | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | CareRelationship | None                      | Prescribing    | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | BreakGlass       | None                      | Prescribing    | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Prescribing    | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Prescribing    | Read   | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | BreakGlass       | None                      | Prescribing    | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Prescribing    | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Prescribing    | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | None                      | Prescribing    | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | None                      | Prescribing    | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | BreakGlass       | None                      | Prescribing    | Read   | Deny               | ROLE_NOT_PERMITTED

        # Prescribing: sensitivity applies as to clinical data
        Doctor                   | CareRelationship | SexualHealth              | Prescribing    | Search | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | MentalHealth              | Prescribing    | Search | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | SexualHealth              | Prescribing    | Search | BreakGlassRequired | SENSITIVE_RECORD
        Nurse                    | CareRelationship | MentalHealth              | Prescribing    | Search | Allow              | CARE_RELATIONSHIP
        Pharmacist               | CareRelationship | SexualHealth              | Prescribing    | Search | BreakGlassRequired | SENSITIVE_RECORD
        Pharmacist               | CareRelationship | MentalHealth              | Prescribing    | Search | BreakGlassRequired | SENSITIVE_RECORD

        # Administrative data
        Doctor                   | CareRelationship | None                      | Administrative | Create | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Administrative | Update | Allow              | CARE_RELATIONSHIP
        Doctor                   | CareRelationship | None                      | Administrative | Search | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Administrative | Create | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Administrative | Update | Allow              | CARE_RELATIONSHIP
        Nurse                    | CareRelationship | None                      | Administrative | Search | Allow              | CARE_RELATIONSHIP
        Pharmacist               | CareRelationship | None                      | Administrative | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | CareRelationship | None                      | Administrative | Update | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | CareRelationship | None                      | Administrative | Search | Allow              | CARE_RELATIONSHIP
        AlliedHealthProfessional | CareRelationship | None                      | Administrative | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | CareRelationship | None                      | Administrative | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | CareRelationship | None                      | Administrative | Search | Allow              | CARE_RELATIONSHIP
        WardClerk                | CareRelationship | None                      | Administrative | Create | Allow              | CARE_RELATIONSHIP
        WardClerk                | CareRelationship | None                      | Administrative | Update | Allow              | CARE_RELATIONSHIP
        WardClerk                | CareRelationship | None                      | Administrative | Search | Allow              | CARE_RELATIONSHIP
        PrivacyOfficer           | CareRelationship | None                      | Administrative | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Administrative | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | CareRelationship | None                      | Administrative | Search | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Administrative | Create | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Administrative | Update | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | CareRelationship | None                      | Administrative | Search | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Administrative | Create | BreakGlassRequired | NO_RELATIONSHIP
        WardClerk                | CareRelationship | Safeguarding              | Administrative | Read   | BreakGlassRequired | SENSITIVE_RECORD
        WardClerk                | BreakGlass       | RestrictedPerson          | Administrative | Update | Allow              | BREAK_GLASS
        Nurse                    | None             | None                      | Administrative | Create | BreakGlassRequired | NO_RELATIONSHIP
        Nurse                    | CareRelationship | Safeguarding              | Administrative | Read   | Allow              | CARE_RELATIONSHIP
        Nurse                    | BreakGlass       | RestrictedPerson          | Administrative | Update | Allow              | BREAK_GLASS

        # Audit: append-only; only privacy officers read it; relationship and sensitivity ignored
        Doctor                   | None             | None                      | Audit          | Read   | Deny               | ROLE_NOT_PERMITTED
        Doctor                   | None             | None                      | Audit          | Search | Deny               | ROLE_NOT_PERMITTED
        Doctor                   | None             | None                      | Audit          | Create | Deny               | AUDIT_APPEND_ONLY
        Doctor                   | None             | None                      | Audit          | Update | Deny               | AUDIT_APPEND_ONLY
        Doctor                   | None             | None                      | Audit          | Delete | Deny               | AUDIT_APPEND_ONLY
        Nurse                    | None             | None                      | Audit          | Read   | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | None             | None                      | Audit          | Search | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | None             | None                      | Audit          | Create | Deny               | AUDIT_APPEND_ONLY
        Nurse                    | None             | None                      | Audit          | Update | Deny               | AUDIT_APPEND_ONLY
        Nurse                    | None             | None                      | Audit          | Delete | Deny               | AUDIT_APPEND_ONLY
        Pharmacist               | None             | None                      | Audit          | Read   | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | None             | None                      | Audit          | Search | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | None             | None                      | Audit          | Create | Deny               | AUDIT_APPEND_ONLY
        Pharmacist               | None             | None                      | Audit          | Update | Deny               | AUDIT_APPEND_ONLY
        Pharmacist               | None             | None                      | Audit          | Delete | Deny               | AUDIT_APPEND_ONLY
        AlliedHealthProfessional | None             | None                      | Audit          | Read   | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | None                      | Audit          | Search | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | None                      | Audit          | Create | Deny               | AUDIT_APPEND_ONLY
        AlliedHealthProfessional | None             | None                      | Audit          | Update | Deny               | AUDIT_APPEND_ONLY
        AlliedHealthProfessional | None             | None                      | Audit          | Delete | Deny               | AUDIT_APPEND_ONLY
        WardClerk                | None             | None                      | Audit          | Read   | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Audit          | Search | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Audit          | Create | Deny               | AUDIT_APPEND_ONLY
        WardClerk                | None             | None                      | Audit          | Update | Deny               | AUDIT_APPEND_ONLY
        WardClerk                | None             | None                      | Audit          | Delete | Deny               | AUDIT_APPEND_ONLY
        PrivacyOfficer           | None             | None                      | Audit          | Read   | Allow              | ROLE_PERMITTED
        PrivacyOfficer           | None             | None                      | Audit          | Search | Allow              | ROLE_PERMITTED
        PrivacyOfficer           | None             | None                      | Audit          | Create | Deny               | AUDIT_APPEND_ONLY
        PrivacyOfficer           | None             | None                      | Audit          | Update | Deny               | AUDIT_APPEND_ONLY
        PrivacyOfficer           | None             | None                      | Audit          | Delete | Deny               | AUDIT_APPEND_ONLY
        SystemAdministrator      | None             | None                      | Audit          | Read   | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Audit          | Search | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Audit          | Create | Deny               | AUDIT_APPEND_ONLY
        SystemAdministrator      | None             | None                      | Audit          | Update | Deny               | AUDIT_APPEND_ONLY
        SystemAdministrator      | None             | None                      | Audit          | Delete | Deny               | AUDIT_APPEND_ONLY
        PrivacyOfficer           | CareRelationship | SexualHealth              | Audit          | Read   | Allow              | ROLE_PERMITTED
        PrivacyOfficer           | BreakGlass       | RestrictedPerson          | Audit          | Update | Deny               | AUDIT_APPEND_ONLY

        # Directory: everyone reads it, system administrators maintain it; relationship and sensitivity ignored
        Doctor                   | None             | None                      | Directory      | Read   | Allow              | ROLE_PERMITTED
        Doctor                   | None             | None                      | Directory      | Search | Allow              | ROLE_PERMITTED
        Doctor                   | None             | None                      | Directory      | Create | Deny               | ROLE_NOT_PERMITTED
        Doctor                   | None             | None                      | Directory      | Update | Deny               | ROLE_NOT_PERMITTED
        Doctor                   | None             | None                      | Directory      | Delete | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | None             | None                      | Directory      | Read   | Allow              | ROLE_PERMITTED
        Nurse                    | None             | None                      | Directory      | Search | Allow              | ROLE_PERMITTED
        Nurse                    | None             | None                      | Directory      | Create | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | None             | None                      | Directory      | Update | Deny               | ROLE_NOT_PERMITTED
        Nurse                    | None             | None                      | Directory      | Delete | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | None             | None                      | Directory      | Read   | Allow              | ROLE_PERMITTED
        Pharmacist               | None             | None                      | Directory      | Search | Allow              | ROLE_PERMITTED
        Pharmacist               | None             | None                      | Directory      | Create | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | None             | None                      | Directory      | Update | Deny               | ROLE_NOT_PERMITTED
        Pharmacist               | None             | None                      | Directory      | Delete | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | None                      | Directory      | Read   | Allow              | ROLE_PERMITTED
        AlliedHealthProfessional | None             | None                      | Directory      | Search | Allow              | ROLE_PERMITTED
        AlliedHealthProfessional | None             | None                      | Directory      | Create | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | None                      | Directory      | Update | Deny               | ROLE_NOT_PERMITTED
        AlliedHealthProfessional | None             | None                      | Directory      | Delete | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Directory      | Read   | Allow              | ROLE_PERMITTED
        WardClerk                | None             | None                      | Directory      | Search | Allow              | ROLE_PERMITTED
        WardClerk                | None             | None                      | Directory      | Create | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Directory      | Update | Deny               | ROLE_NOT_PERMITTED
        WardClerk                | None             | None                      | Directory      | Delete | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Directory      | Read   | Allow              | ROLE_PERMITTED
        PrivacyOfficer           | None             | None                      | Directory      | Search | Allow              | ROLE_PERMITTED
        PrivacyOfficer           | None             | None                      | Directory      | Create | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Directory      | Update | Deny               | ROLE_NOT_PERMITTED
        PrivacyOfficer           | None             | None                      | Directory      | Delete | Deny               | ROLE_NOT_PERMITTED
        SystemAdministrator      | None             | None                      | Directory      | Read   | Allow              | ROLE_PERMITTED
        SystemAdministrator      | None             | None                      | Directory      | Search | Allow              | ROLE_PERMITTED
        SystemAdministrator      | None             | None                      | Directory      | Create | Allow              | ROLE_PERMITTED
        SystemAdministrator      | None             | None                      | Directory      | Update | Allow              | ROLE_PERMITTED
        SystemAdministrator      | None             | None                      | Directory      | Delete | Allow              | ROLE_PERMITTED
        Doctor                   | None             | RestrictedPerson          | Directory      | Read   | Allow              | ROLE_PERMITTED
        SystemAdministrator      | BreakGlass       | None                      | Directory      | Delete | Allow              | ROLE_PERMITTED
        """;

    public sealed record Case(
        StaffRole Role, Relationship Relationship, Sensitivity Sensitivity, DataCategory Category, FhirAction Action,
        AccessDecision Decision, string Code);

    public static IReadOnlyList<Case> Cases { get; } = Parse(ExpectedDecisions);

    // Enums and strings, so that xunit lists every row as its own test case.
    public static TheoryData<StaffRole, Relationship, Sensitivity, DataCategory, FhirAction, AccessDecision, string> Rows
    {
        get
        {
            var rows = new TheoryData<StaffRole, Relationship, Sensitivity, DataCategory, FhirAction, AccessDecision, string>();
            foreach (var c in Cases)
                rows.Add(c.Role, c.Relationship, c.Sensitivity, c.Category, c.Action, c.Decision, c.Code);
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decision_matches_the_expected_table(
        StaffRole role, Relationship relationship, Sensitivity sensitivity, DataCategory category, FhirAction action,
        AccessDecision expected, string expectedCode)
    {
        var decision = AccessPolicy.Decide(role, relationship, sensitivity, category, action);

        Assert.Equal(expected, decision.Decision);
        Assert.Equal(expectedCode, decision.Code);
        Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
    }

    [Fact]
    public void The_table_has_at_least_250_distinct_cases()
    {
        Assert.True(Cases.Count >= 250, $"{Cases.Count} rows");
        var distinct = Cases.Select(c => (c.Role, c.Relationship, c.Sensitivity, c.Category, c.Action)).Distinct().Count();
        Assert.Equal(Cases.Count, distinct);
    }

    [Fact]
    public void The_table_covers_every_role_relationship_category_action_and_decision()
    {
        Assert.Equal(Enum.GetValues<StaffRole>().ToHashSet(), Cases.Select(c => c.Role).ToHashSet());
        Assert.Equal(Enum.GetValues<Relationship>().ToHashSet(), Cases.Select(c => c.Relationship).ToHashSet());
        Assert.Equal(Enum.GetValues<DataCategory>().ToHashSet(), Cases.Select(c => c.Category).ToHashSet());
        Assert.Equal(Enum.GetValues<FhirAction>().ToHashSet(), Cases.Select(c => c.Action).ToHashSet());
        Assert.Equal(Enum.GetValues<AccessDecision>().ToHashSet(), Cases.Select(c => c.Decision).ToHashSet());
        foreach (var flag in new[] { Sensitivity.SexualHealth, Sensitivity.MentalHealth, Sensitivity.Safeguarding, Sensitivity.RestrictedPerson })
            Assert.Contains(Cases, c => c.Sensitivity == flag);
    }

    [Fact]
    public void Clinical_data_is_covered_for_every_role_relationship_and_single_sensitivity()
    {
        var sensitivities = new[]
        {
            Sensitivity.None, Sensitivity.SexualHealth, Sensitivity.MentalHealth, Sensitivity.Safeguarding,
            Sensitivity.RestrictedPerson,
        };
        foreach (var role in Enum.GetValues<StaffRole>())
            foreach (var relationship in Enum.GetValues<Relationship>())
                foreach (var sensitivity in sensitivities)
                    Assert.Contains(Cases, c => c.Category == DataCategory.Clinical && c.Role == role
                        && c.Relationship == relationship && c.Sensitivity == sensitivity && c.Action == FhirAction.Read);
    }

    private static List<Case> Parse(string table)
    {
        var cases = new List<Case>();
        foreach (var line in table.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                continue;
            var cells = trimmed.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length != 7)
                throw new FormatException($"Expected 7 cells: {line}");
            cases.Add(new Case(
                Enum.Parse<StaffRole>(cells[0]),
                Enum.Parse<Relationship>(cells[1]),
                Enum.Parse<Sensitivity>(cells[2]),
                Enum.Parse<DataCategory>(cells[3]),
                Enum.Parse<FhirAction>(cells[4]),
                Enum.Parse<AccessDecision>(cells[5]),
                cells[6]));
        }
        return cases;
    }
}
