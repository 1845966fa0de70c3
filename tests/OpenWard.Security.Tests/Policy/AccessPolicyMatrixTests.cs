using OpenWard.Security.Policy;
using OpenWard.Tests.Shared;

namespace OpenWard.Security.Tests.Policy;

/// <summary>The pure access policy checked against every row of <see cref="PolicyMatrix"/>.</summary>
public class AccessPolicyMatrixTests
{
    // Enums and strings, so that xunit lists every row as its own test case.
    public static TheoryData<StaffRole, Relationship, Sensitivity, DataCategory, FhirAction, AccessDecision, string> Rows
    {
        get
        {
            var rows = new TheoryData<StaffRole, Relationship, Sensitivity, DataCategory, FhirAction, AccessDecision, string>();
            foreach (var c in PolicyMatrix.Cases)
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
        Assert.True(PolicyMatrix.Cases.Count >= 250, $"{PolicyMatrix.Cases.Count} rows");
        var distinct = PolicyMatrix.Cases.Select(c => (c.Role, c.Relationship, c.Sensitivity, c.Category, c.Action)).Distinct().Count();
        Assert.Equal(PolicyMatrix.Cases.Count, distinct);
    }

    [Fact]
    public void The_table_covers_every_role_relationship_category_action_and_decision()
    {
        Assert.Equal(Enum.GetValues<StaffRole>().ToHashSet(), PolicyMatrix.Cases.Select(c => c.Role).ToHashSet());
        Assert.Equal(Enum.GetValues<Relationship>().ToHashSet(), PolicyMatrix.Cases.Select(c => c.Relationship).ToHashSet());
        Assert.Equal(Enum.GetValues<DataCategory>().ToHashSet(), PolicyMatrix.Cases.Select(c => c.Category).ToHashSet());
        Assert.Equal(Enum.GetValues<FhirAction>().ToHashSet(), PolicyMatrix.Cases.Select(c => c.Action).ToHashSet());
        Assert.Equal(Enum.GetValues<AccessDecision>().ToHashSet(), PolicyMatrix.Cases.Select(c => c.Decision).ToHashSet());
        foreach (var flag in new[] { Sensitivity.SexualHealth, Sensitivity.MentalHealth, Sensitivity.Safeguarding, Sensitivity.RestrictedPerson })
            Assert.Contains(PolicyMatrix.Cases, c => c.Sensitivity == flag);
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
                    Assert.Contains(PolicyMatrix.Cases, c => c.Category == DataCategory.Clinical && c.Role == role
                        && c.Relationship == relationship && c.Sensitivity == sensitivity && c.Action == FhirAction.Read);
    }
}
