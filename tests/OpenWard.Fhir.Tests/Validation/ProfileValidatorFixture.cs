using OpenWard.Fhir.Validation;

namespace OpenWard.Fhir.Tests.Validation;

/// <summary>One validator for every test that needs one: its first validations cost seconds.</summary>
public sealed class ProfileValidatorFixture
{
    public ProfileValidator Validator { get; } = new(ProfileValidator.DefaultProfilesDirectory);
}

[CollectionDefinition(Name)]
public sealed class ProfileValidatorCollection : ICollectionFixture<ProfileValidatorFixture>
{
    public const string Name = "Profile validator";
}
