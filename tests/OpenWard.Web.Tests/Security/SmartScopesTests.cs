using OpenWard.Fhir;
using OpenWard.Security;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

public sealed class SmartScopesTests
{
    [Theory]
    [InlineData("system/*.cruds", "Observation", FhirAction.Delete, true)]
    [InlineData("system/Patient.rs", "Patient", FhirAction.Read, true)]
    [InlineData("system/Patient.rs", "Patient", FhirAction.Search, true)]
    [InlineData("system/Patient.rs", "Patient", FhirAction.Create, false)]
    [InlineData("system/Patient.rs", "Observation", FhirAction.Read, false)]
    [InlineData("system/*.read", "Condition", FhirAction.Search, true)]
    [InlineData("system/*.read", "Condition", FhirAction.Update, false)]
    [InlineData("system/*.write", "Condition", FhirAction.Update, true)]
    [InlineData("system/Patient.sr", "Patient", FhirAction.Read, false)]
    [InlineData("patient/*.cruds", "Patient", FhirAction.Read, false)]
    [InlineData("system/Spaceship.cruds", "Spaceship", FhirAction.Read, false)]
    [InlineData("", "Patient", FhirAction.Read, false)]
    public void Scopes_grant_exactly_the_interactions_they_name(string scope, string type, FhirAction action, bool allowed)
    {
        Assert.Equal(allowed, new SmartScopes(scope).Allows(type, action));
    }

    [Fact]
    public void A_refusal_is_a_403_that_names_the_scope_needed()
    {
        var error = Assert.Throws<FhirException>(() => new SmartScopes("system/Patient.r").Demand("Patient", FhirAction.Delete));

        Assert.Equal(403, error.Status);
        Assert.Contains("system/Patient.d", error.Message, StringComparison.Ordinal);
    }
}
