using Hl7.Fhir.Model;
using OpenWard.Fhir.Validation;

namespace OpenWard.Fhir.Tests.Validation;

/// <summary>One validator for the class: building it indexes the specification (seconds).</summary>
public sealed class ValidatorFixture
{
    public ProfileValidator Validator { get; } = new(ProfileValidator.DefaultProfilesDirectory);
}

public sealed class ProfileValidatorTests(ValidatorFixture fixture) : IClassFixture<ValidatorFixture>
{
    private const string UkCorePatient = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";

    [Fact]
    public void UK_Core_profiles_are_loaded_from_the_shipped_folder()
    {
        Assert.True(fixture.Validator.IsKnownProfile(UkCorePatient));
        Assert.False(fixture.Validator.IsKnownProfile("https://example.org/StructureDefinition/Nothing"));
    }

    [Fact]
    public void A_conformant_UK_Core_patient_is_valid()
    {
        var patient = new Patient
        {
            Meta = new Meta { Profile = [UkCorePatient] },
            Identifier = [new Identifier("https://fhir.nhs.uk/Id/nhs-number", "9434765919")],
            Name = [new HumanName { Family = "Smith", Given = ["Richard"] }],
            Gender = AdministrativeGender.Male,
            BirthDate = "1970-01-01",
        };

        var outcome = fixture.Validator.ValidateClaimedProfiles(patient);

        Assert.True(ProfileValidator.IsValid(outcome), string.Join("; ", outcome.Issue.Select(i => $"{i.Severity} {i.Details?.Text} at {string.Join(",", i.Expression)}")));
    }

    [Fact]
    public void A_patient_breaking_a_UK_Core_constraint_is_invalid_with_an_error_naming_the_element()
    {
        // UK Core binds Patient.identifier[nhsNumber] and requires a value: an NHS number identifier with no value fails.
        var patient = new Patient
        {
            Meta = new Meta { Profile = [UkCorePatient] },
            Identifier = [new Identifier { System = "https://fhir.nhs.uk/Id/nhs-number" }],
            Contact = [new Patient.ContactComponent()],
        };

        var outcome = fixture.Validator.ValidateClaimedProfiles(patient);

        Assert.False(ProfileValidator.IsValid(outcome));
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && (i.Expression.Any() || i.Location.Any()));
    }

    [Fact]
    public void An_unknown_claimed_profile_is_a_warning_not_an_error()
    {
        var patient = new Patient { Meta = new Meta { Profile = ["https://example.org/StructureDefinition/Nothing"] } };

        var outcome = fixture.Validator.ValidateClaimedProfiles(patient);

        Assert.True(ProfileValidator.IsValid(outcome));
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Warning);
    }
}
