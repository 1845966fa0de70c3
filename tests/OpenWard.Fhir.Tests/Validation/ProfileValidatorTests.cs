using Hl7.Fhir.Model;
using OpenWard.Fhir.Validation;
using static Hl7.Fhir.Model.OperationOutcome;

namespace OpenWard.Fhir.Tests.Validation;

[Collection(ProfileValidatorCollection.Name)]
public sealed class ProfileValidatorTests(ProfileValidatorFixture fixture)
{
    private const string UkCorePatient = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";
    private const string UnknownProfile = "https://example.org/fhir/StructureDefinition/NotPublished";

    // NHS number system and the NHS number verification status extension and code system, as UK Core
    // 2.0.0 defines them (profiles/ukcore-r4-2.0.0: UKCore-Patient, Extension-UKCore-NHSNumberVerificationStatus,
    // CodeSystem-UKCore-NHSNumberVerificationStatusEngland). The NHS number 9000000009 is illustrative.
    private const string VerificationStatusExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
    private const string VerificationStatusSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";

    private ProfileValidator Validator => fixture.Validator;

    [Fact]
    public void A_Patient_claiming_UK_Core_with_two_verification_statuses_on_its_NHS_number_fails_at_that_identifier()
    {
        // UK Core Patient allows at most one verification status on the NHS number; R4 alone does not care.
        var patient = PatientWithNhsNumber(VerificationStatus("01"), VerificationStatus("02"));
        patient.Meta = new Meta { Profile = [UkCorePatient] };

        var outcome = Validator.ValidateClaimedProfiles(patient);

        Assert.False(ProfileValidator.IsValid(outcome));
        var error = Assert.Single(Errors(outcome));
        Assert.Equal("Patient.identifier[0]", Assert.Single(error.Expression));
        Assert.Contains("cardinality of 0..1", Text(error), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_Patient_without_the_claim_is_valid_against_R4()
    {
        var patient = PatientWithNhsNumber(VerificationStatus("01"), VerificationStatus("02"));

        Assert.True(ProfileValidator.IsValid(Validator.ValidateClaimedProfiles(patient)));
    }

    [Fact]
    public void A_verification_status_code_outside_its_required_value_set_is_an_error_naming_its_path()
    {
        var patient = PatientWithNhsNumber(VerificationStatus("99"));

        var outcome = Validator.Validate(patient, UkCorePatient);

        // Firely repeats the issue once per slice the extension is checked against.
        var errors = Errors(outcome).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, error =>
        {
            Assert.Contains("Code '99'", Text(error), StringComparison.Ordinal);
            Assert.Equal("Patient.identifier[0].extension[0].value[0]", Assert.Single(error.Expression));
        });
    }

    [Fact]
    public void A_UK_Core_Patient_with_a_valid_NHS_number_identifier_is_valid()
    {
        var patient = PatientWithNhsNumber(VerificationStatus("01"));
        patient.Meta = new Meta { Profile = [UkCorePatient] };

        var outcome = Validator.ValidateClaimedProfiles(patient);

        Assert.Empty(Errors(outcome));
    }

    [Fact]
    public void An_unknown_claimed_profile_gives_one_warning_and_no_error()
    {
        var patient = new Patient { Meta = new Meta { Profile = [UnknownProfile] } };

        var outcome = Validator.ValidateClaimedProfiles(patient);

        Assert.True(ProfileValidator.IsValid(outcome));
        var warning = Assert.Single(outcome.Issue);
        Assert.Equal(IssueSeverity.Warning, warning.Severity);
        Assert.Equal("Patient.meta.profile[0]", Assert.Single(warning.Expression));
        Assert.Contains(UnknownProfile, Text(warning), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_profile_claimed_inside_a_Bundle_is_a_warning_at_its_entry()
    {
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Entry =
            [
                new Bundle.EntryComponent
                {
                    FullUrl = "urn:uuid:0b4e1c4e-8a8c-4b3b-9d8a-6c3f1f2d9a11",
                    Resource = new Patient { Meta = new Meta { Profile = [UnknownProfile] } },
                },
            ],
        };

        var outcome = Validator.ValidateClaimedProfiles(bundle);

        Assert.True(ProfileValidator.IsValid(outcome));
        var warning = Assert.Single(outcome.Issue);
        Assert.Equal("Bundle.entry[0].resource.meta.profile[0]", Assert.Single(warning.Expression));
    }

    [Fact]
    public void A_resource_without_meta_profile_validates_clean()
    {
        var patient = new Patient { Gender = AdministrativeGender.Female, BirthDate = "1980-02-29" };

        var outcome = Validator.ValidateClaimedProfiles(patient);

        Assert.Empty(outcome.Issue);
    }

    [Fact]
    public void Validating_against_an_unknown_profile_is_an_error()
    {
        var outcome = Validator.Validate(new Patient(), UnknownProfile);

        var error = Assert.Single(outcome.Issue);
        Assert.Equal(IssueSeverity.Error, error.Severity);
        Assert.Contains(UnknownProfile, Text(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UkCorePatient, true)]
    [InlineData("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation-VitalSigns-BMI", true)]
    [InlineData("http://hl7.org/fhir/StructureDefinition/Patient", true)]
    [InlineData("http://hl7.org/fhir/StructureDefinition/vitalsigns", true)]
    [InlineData(VerificationStatusExtension, false)]
    [InlineData("http://hl7.org/fhir/StructureDefinition/HumanName", false)]
    [InlineData(UnknownProfile, false)]
    [InlineData("", false)]
    public void Known_profiles_are_UK_Core_and_core_R4_definitions_of_resources(string canonicalUrl, bool known) =>
        Assert.Equal(known, Validator.IsKnownProfile(canonicalUrl));

    [Fact]
    public void A_required_binding_to_an_external_code_system_gives_a_warning_not_an_error()
    {
        // R4 binds Patient.communication.language (required) to all-languages, i.e. BCP-47, which has
        // no local expansion: the code cannot be checked, and the outcome says so.
        var patient = new Patient
        {
            Meta = new Meta { Profile = [UkCorePatient] },
            Communication = [new Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", "zz-not-a-language") }],
        };

        var outcome = Validator.ValidateClaimedProfiles(patient);

        Assert.True(ProfileValidator.IsValid(outcome));
        var warning = Assert.Single(outcome.Issue);
        Assert.Equal(IssueSeverity.Warning, warning.Severity);
        Assert.Equal("Patient.communication[0].language[0]", Assert.Single(warning.Expression));
    }

    [Fact]
    public void An_extensible_binding_is_not_checked()
    {
        // Documents the validator's behaviour that the class remarks rely on: UK Core binds SNOMED CT,
        // dm+d and LOINC value sets extensibly, and such bindings give no issue at all.
        var patient = new Patient
        {
            Meta = new Meta { Profile = [UkCorePatient] },
            MaritalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", "not-a-status"),
        };

        Assert.Empty(Validator.ValidateClaimedProfiles(patient).Issue);
    }

    [Fact]
    public void Concurrent_first_validations_of_different_profiles_give_the_expected_outcomes()
    {
        // A fresh validator, so that snapshot generation and schema compilation run concurrently.
        var validator = new ProfileValidator(ProfileValidator.DefaultProfilesDirectory);
        var subject = new ResourceReference("Patient/1");
        var cases = new (Resource Resource, bool Valid)[]
        {
            (Claiming(UkCorePatient, PatientWithNhsNumber(VerificationStatus("01"))), true),
            (Claiming(UkCorePatient, PatientWithNhsNumber(VerificationStatus("99"))), false),
            (Claiming("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Condition", new Condition { Subject = subject, Code = new CodeableConcept("http://snomed.info/sct", "22298006") }), true),
            (Claiming("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter", new Encounter { Status = Encounter.EncounterStatus.Finished, Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP") }), true),
            (Claiming("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization", new Organization { Name = "Illustrative Hospital" }), true),
            (Claiming("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation", new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://snomed.info/sct", "364075005"), Subject = subject }), true),
            (Claiming("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation", new Observation { Code = new CodeableConcept("http://snomed.info/sct", "364075005") }), false),
            (Claiming("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Practitioner", new Practitioner { Name = [new HumanName { Family = "Illustrative" }] }), true),
        };

        var outcomes = new OperationOutcome[cases.Length];
        Parallel.For(0, cases.Length, i => outcomes[i] = validator.ValidateClaimedProfiles(cases[i].Resource));

        for (var i = 0; i < cases.Length; i++)
        {
            Assert.True(cases[i].Valid == ProfileValidator.IsValid(outcomes[i]), $"case {i} ({cases[i].Resource.TypeName}): {string.Join("; ", Errors(outcomes[i]).Select(Text))}");
        }
    }

    [Fact]
    public void A_local_reference_to_a_missing_contained_resource_fails_ref_1()
    {
        var patient = new Patient { GeneralPractitioner = [new ResourceReference("#not-contained")] };

        var outcome = Validator.Validate(patient, UkCorePatient);

        Assert.Contains(Errors(outcome), issue => Text(issue).Contains("ref-1", StringComparison.Ordinal));
    }

    [Fact]
    public void An_identifier_only_reference_passes_whatever_was_validated_before_it()
    {
        // A fresh validator, so that the CarePlan's profile is compiled before PractitionerRole's: that
        // order used to copy R4's unguarded ref-1 into UK Core PractitionerRole (see Ref1CorrectingSource).
        var validator = new ProfileValidator(ProfileValidator.DefaultProfilesDirectory);
        var carePlan = new CarePlan
        {
            Meta = new Meta { Profile = ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-CarePlan"] },
            Status = RequestStatus.Active,
            Intent = CarePlan.CarePlanIntent.Plan,
            Subject = new ResourceReference("Patient/1"),
            BasedOn = [new ResourceReference { Display = "Management of type 2 diabetes" }],
        };
        var practitionerRole = new PractitionerRole
        {
            Meta = new Meta { Profile = ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-PractitionerRole"] },
            // An ODS code (illustrative) as a logical reference: https://hl7.org/fhir/R4/references.html#logical
            Organization = new ResourceReference { Identifier = new Identifier("https://fhir.nhs.uk/Id/ods-organization-code", "RR8") },
        };

        var carePlanOutcome = validator.ValidateClaimedProfiles(carePlan);
        var practitionerRoleOutcome = validator.ValidateClaimedProfiles(practitionerRole);

        Assert.Empty(Errors(carePlanOutcome));
        Assert.Empty(Errors(practitionerRoleOutcome));
    }

    [Theory]
    [InlineData(IssueSeverity.Information, true)]
    [InlineData(IssueSeverity.Warning, true)]
    [InlineData(IssueSeverity.Error, false)]
    [InlineData(IssueSeverity.Fatal, false)]
    public void An_outcome_is_valid_unless_an_issue_is_an_error_or_fatal(IssueSeverity severity, bool valid)
    {
        var outcome = new OperationOutcome { Issue = [new IssueComponent { Severity = severity, Code = IssueType.Processing }] };

        Assert.Equal(valid, ProfileValidator.IsValid(outcome));
    }

    [Fact]
    public async System.Threading.Tasks.Task Warm_up_honours_a_cancelled_token()
    {
        var validator = new ProfileValidator(ProfileValidator.DefaultProfilesDirectory);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => validator.WarmUpAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public void A_missing_profiles_folder_is_refused_at_construction() =>
        Assert.Throws<DirectoryNotFoundException>(() => new ProfileValidator(Path.Combine(Path.GetTempPath(), "no-such-ukcore-folder")));

    private static Patient PatientWithNhsNumber(params Extension[] extensions) => new()
    {
        Identifier = [new Identifier(NhsNumber.IdentifierSystem, "9000000009") { Extension = [.. extensions] }],
    };

    private static T Claiming<T>(string profile, T resource)
        where T : Resource
    {
        resource.Meta = new Meta { Profile = [profile] };
        return resource;
    }

    private static Extension VerificationStatus(string code) =>
        new(VerificationStatusExtension, new CodeableConcept(VerificationStatusSystem, code));

    private static string Text(IssueComponent issue) => issue.Details?.Text ?? "";

    private static IEnumerable<IssueComponent> Errors(OperationOutcome outcome) =>
        outcome.Issue.Where(issue => issue.Severity is IssueSeverity.Error or IssueSeverity.Fatal);

    [Fact]
    public void A_claimed_profile_the_validator_cannot_compile_is_a_warning_so_the_reading_is_not_refused()
    {
        var bloodPressure = new Observation
        {
            Meta = new Meta { Profile = ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation-VitalSigns-BloodPressure"] },
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "85354-9", "Blood pressure panel"),
            Subject = new ResourceReference("Patient/example"),
            Effective = new FhirDateTime("2024-05-01T10:00:00Z"),
        };

        var outcome = Validator.ValidateClaimedProfiles(bloodPressure);

        Assert.True(ProfileValidator.IsValid(outcome));
        Assert.Contains(outcome.Issue, i => i.Severity == IssueSeverity.Warning && i.Details?.Text?.Contains("was not checked", StringComparison.Ordinal) == true);
    }
}
