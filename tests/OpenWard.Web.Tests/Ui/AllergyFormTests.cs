using Hl7.Fhir.Model;
using OpenWard.Fhir.Validation;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class AllergyFormTests
{
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Profiles => ["http://hl7.org/fhir/StructureDefinition/AllergyIntolerance", AllergyForm.UkCoreProfile];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_coded_allergy_with_a_reaction_is_valid_and_carries_what_was_entered(string profile)
    {
        var form = new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceCode = "372687004", Reaction = " Urticarial rash ", Severity = "moderate", Criticality = "high" };
        Assert.Empty(form.Validate());

        var allergy = form.ToResource("pat-1", "prac-7", Now);

        AssertValid(allergy, profile);
        Assert.Equal("active", allergy.ClinicalStatus!.Coding[0].Code);
        Assert.Equal("confirmed", allergy.VerificationStatus!.Coding[0].Code);
        Assert.Equal(("http://snomed.info/sct", "372687004"), (allergy.Code!.Coding[0].System, allergy.Code!.Coding[0].Code));
        Assert.Equal([AllergyIntolerance.AllergyIntoleranceCategory.Medication], allergy.Category.Select(c => c!.Value));
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceCriticality.High, allergy.Criticality);
        Assert.Equal("Urticarial rash", allergy.Reaction.Single().Manifestation.Single().Text);
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceSeverity.Moderate, allergy.Reaction[0].Severity);
        Assert.Equal("Patient/pat-1", allergy.Patient!.Reference);
        Assert.Equal("Practitioner/prac-7", allergy.Recorder!.Reference);
        Assert.Equal("2026-03-01T09:30:00+00:00", allergy.RecordedDate);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_reaction_chosen_from_the_list_is_coded_in_SNOMED_CT(string profile)
    {
        var form = new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceCode = "372687004", ReactionCode = "39579001", Severity = "severe" };
        Assert.Empty(form.Validate());

        var allergy = form.ToResource("pat-1", null, Now);

        AssertValid(allergy, profile);
        var manifestation = allergy.Reaction.Single().Manifestation.Single();
        Assert.Equal(("http://snomed.info/sct", "39579001", "Anaphylaxis"), (manifestation.Coding.Single().System, manifestation.Coding.Single().Code, manifestation.Text));
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceSeverity.Severe, allergy.Reaction[0].Severity);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_typed_substance_without_a_reaction_is_recorded_as_text(string profile)
    {
        var form = new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceText = "Elastoplast" };
        Assert.Empty(form.Validate());

        var allergy = form.ToResource("pat-1", null, Now);

        AssertValid(allergy, profile);
        Assert.Equal("Elastoplast", allergy.Code!.Text);
        Assert.Empty(allergy.Code!.Coding);
        Assert.Empty(allergy.Reaction);
        Assert.Null(allergy.Recorder);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void No_known_allergies_is_its_own_statement_coded_716186003(string profile)
    {
        var form = new AllergyForm { Statement = AllergyForm.NoKnownAllergiesStatement };
        Assert.Empty(form.Validate());

        var allergy = form.ToResource("pat-1", "prac-7", Now);

        AssertValid(allergy, profile);
        Assert.Equal("716186003", allergy.Code!.Coding.Single().Code);
        Assert.Equal("active", allergy.ClinicalStatus!.Coding[0].Code);
        Assert.Equal("confirmed", allergy.VerificationStatus!.Coding[0].Code);
        Assert.Equal(("No known allergies", BannerAllergyState.NoneKnown), PatientBanner.AllergySummary([allergy]));
    }

    [Fact]
    public void A_superseded_no_known_allergies_statement_is_inactive_and_still_valid()
    {
        var noneKnown = new AllergyForm { Statement = AllergyForm.NoKnownAllergiesStatement }.ToResource("pat-1", null, Now);

        var superseded = AllergyForm.Superseded(noneKnown);

        AssertValid(superseded, AllergyForm.UkCoreProfile);
        Assert.Equal("inactive", superseded.ClinicalStatus!.Coding.Single().Code);
        Assert.Equal("active", noneKnown.ClinicalStatus!.Coding.Single().Code);
        Assert.False(PatientBanner.IsCurrent(superseded));
    }

    [Fact]
    public void The_validator_used_above_refuses_an_allergy_without_its_patient()
    {
        var allergy = new AllergyForm { Statement = AllergyForm.NoKnownAllergiesStatement }.ToResource("pat-1", null, Now);
        allergy.Patient = null!;

        Assert.False(ProfileValidator.IsValid(Validator.Value.Validate(allergy, AllergyForm.UkCoreProfile)));
    }

    [Fact]
    public void A_missing_substance_is_an_error_on_the_substance_list()
    {
        var form = new AllergyForm { Statement = AllergyForm.AllergyStatement, Reaction = "Rash" };

        Assert.Equal([("SubstanceCode", "Select or enter the substance the patient is allergic to")], form.Validate());
    }

    [Fact]
    public void A_statement_must_be_chosen()
    {
        Assert.Equal("Statement", Assert.Single(new AllergyForm().Validate()).Field);
    }

    [Fact]
    public void No_known_allergies_with_a_substance_is_contradictory()
    {
        var form = new AllergyForm { Statement = AllergyForm.NoKnownAllergiesStatement, SubstanceText = "Peanut" };

        Assert.Equal("Statement", Assert.Single(form.Validate()).Field);
    }

    [Fact]
    public void A_severity_needs_the_reaction_it_describes_and_unknown_choices_are_refused()
    {
        Assert.Equal("ReactionCode", Assert.Single(new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceText = "Latex", Severity = "mild" }.Validate()).Field);
        Assert.Equal("ReactionCode", Assert.Single(new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceText = "Latex", ReactionCode = "123" }.Validate()).Field);
        Assert.Equal("Reaction", Assert.Single(new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceText = "Latex", ReactionCode = "39579001", Reaction = "Wheeze" }.Validate()).Field);
        Assert.Equal("SubstanceCode", Assert.Single(new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceCode = "123" }.Validate()).Field);
        Assert.Equal("Criticality", Assert.Single(new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceText = "Latex", Criticality = "extreme" }.Validate()).Field);
    }

    private static void AssertValid(AllergyIntolerance allergy, string profile)
    {
        var outcome = Validator.Value.Validate(allergy, profile);
        Assert.True(
            ProfileValidator.IsValid(outcome),
            string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
    }
}
