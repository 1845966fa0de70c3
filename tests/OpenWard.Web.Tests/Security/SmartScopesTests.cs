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
    [InlineData("user/*.cruds", "Patient", FhirAction.Read, false)]
    [InlineData("system/Spaceship.cruds", "Spaceship", FhirAction.Read, false)]
    [InlineData("", "Patient", FhirAction.Read, false)]
    public void Scopes_grant_exactly_the_interactions_they_name(string scope, string type, FhirAction action, bool allowed)
    {
        Assert.Equal(allowed, new SmartScopes(scope, SmartScopes.System).Allows(type, action));
    }

    [Theory]
    [InlineData("user/Observation.rs patient/Patient.r", "Observation", FhirAction.Read, true)]
    [InlineData("user/Observation.rs patient/Patient.r", "Patient", FhirAction.Read, true)]
    [InlineData("user/Observation.rs patient/Patient.r", "Patient", FhirAction.Update, false)]
    [InlineData("system/*.cruds", "Patient", FhirAction.Read, false)]
    [InlineData("user/*.cu", "Condition", FhirAction.Update, true)]
    [InlineData("user/*.cu", "Condition", FhirAction.Read, false)]
    public void A_person_s_token_counts_only_user_and_patient_scopes(string scope, string type, FhirAction action, bool allowed)
    {
        Assert.Equal(allowed, new SmartScopes(scope, SmartScopes.User, SmartScopes.Patient).Allows(type, action));
    }

    [Theory]
    [InlineData("patient/*.rs", true)]
    [InlineData("patient/*.rs user/Observation.r", true)]
    [InlineData("user/*.rs", false)]
    [InlineData("launch/patient openid", false)]
    public void Any_patient_scope_confines_a_token_to_the_launch_patient(string scope, bool confined)
    {
        Assert.Equal(confined, new SmartScopes(scope, SmartScopes.User, SmartScopes.Patient).HasPatientContext);
    }

    [Fact]
    public void A_refusal_is_a_403_that_names_the_scope_needed()
    {
        var error = Assert.Throws<FhirException>(() => new SmartScopes("system/Patient.r", SmartScopes.System).Demand("Patient", FhirAction.Delete));

        Assert.Equal(403, error.Status);
        Assert.Contains("system/Patient.d", error.Message, StringComparison.Ordinal);
    }
}
