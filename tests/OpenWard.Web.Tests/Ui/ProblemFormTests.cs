using Hl7.Fhir.Model;
using OpenWard.Fhir.Validation;
using OpenWard.Web.Terminology;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class ProblemFormTests
{
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));
    private static readonly ProblemTerminology Terms = ProblemTerminology.Subset();
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 1);

    public static TheoryData<string> Profiles => ["http://hl7.org/fhir/StructureDefinition/Condition", ProblemForm.UkCoreProfile];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_chosen_concept_is_coded_in_SNOMED_CT_with_its_statuses_and_category(string profile)
    {
        var form = new ProblemForm { Code = "44054006", Category = "encounter-diagnosis", ClinicalStatus = "active", VerificationStatus = "provisional" };
        Assert.Empty(form.Validate(Terms, Today));

        var condition = form.ToResource(Terms, "pat-1", "prac-7", Now);

        AssertValid(condition, profile);
        Assert.Equal(("http://snomed.info/sct", "44054006", "Diabetes mellitus type 2"), (condition.Code!.Coding.Single().System, condition.Code.Coding[0].Code, condition.Code.Text));
        Assert.Equal("encounter-diagnosis", condition.Category.Single().Coding.Single().Code);
        Assert.Equal(("active", "provisional"), (condition.ClinicalStatus!.Coding[0].Code, condition.VerificationStatus!.Coding[0].Code));
        Assert.Equal(("Patient/pat-1", "Practitioner/prac-7", "2026-03-01T09:30:00+00:00"), (condition.Subject!.Reference, condition.Recorder!.Reference, condition.RecordedDate));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void The_onset_is_kept_as_precisely_as_it_was_typed(string profile)
    {
        var form = new ProblemForm { Code = "195967001", Onset = new DateBoxes { Month = "3", Year = "2019" }, Category = "problem-list-item", ClinicalStatus = "active", VerificationStatus = "confirmed" };
        Assert.Empty(form.Validate(Terms, Today));

        var condition = form.ToResource(Terms, "pat-1", null, Now);

        AssertValid(condition, profile);
        Assert.Equal("2019-03", Assert.IsType<FhirDateTime>(condition.Onset).Value);
        Assert.Null(new ProblemForm { Code = "195967001", Category = "problem-list-item", ClinicalStatus = "active", VerificationStatus = "confirmed" }.ToResource(Terms, "pat-1", null, Now).Onset);
    }

    [Fact]
    public void An_onset_in_the_future_is_refused_under_the_day_box()
    {
        var form = new ProblemForm { Code = "195967001", Onset = new DateBoxes { Month = "4", Year = "2026" }, Category = "problem-list-item", ClinicalStatus = "active", VerificationStatus = "confirmed" };

        Assert.Equal([("Onset.Day", "The date it started must be today or in the past")], form.Validate(Terms, Today));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_problem_in_words_is_recorded_as_text_only(string profile)
    {
        var form = new ProblemForm { Text = " Recurrent falls at home ", Category = "problem-list-item", ClinicalStatus = "active", VerificationStatus = "confirmed" };
        Assert.Empty(form.Validate(Terms, Today));

        var condition = form.ToResource(Terms, "pat-1", null, Now);

        AssertValid(condition, profile);
        Assert.Equal("Recurrent falls at home", condition.Code!.Text);
        Assert.Empty(condition.Code.Coding);
        Assert.Null(condition.Recorder);
    }

    [Fact]
    public void The_problem_and_each_choice_are_required_and_unknown_codes_refused()
    {
        Assert.Equal(["Code", "Category", "ClinicalStatus", "VerificationStatus"], new ProblemForm().Validate(Terms, Today).Select(e => e.Field));
        var complete = new ProblemForm { Category = "problem-list-item", ClinicalStatus = "resolved", VerificationStatus = "confirmed" };

        complete.Code = "123456";
        Assert.Equal([("Code", "Select a problem from the search results")], complete.Validate(Terms, Today));
        complete.Code = "195967001";
        complete.Text = "Asthma";
        Assert.Equal("Text", Assert.Single(complete.Validate(Terms, Today)).Field);
        complete.Code = null;
        complete.Text = new string('x', ProblemForm.MaximumTextLength + 1);
        Assert.Equal("Text", Assert.Single(complete.Validate(Terms, Today)).Field);
        complete.Text = "Asthma";
        complete.VerificationStatus = "entered-in-error";
        Assert.Equal("VerificationStatus", Assert.Single(complete.Validate(Terms, Today)).Field);
    }

    private static void AssertValid(Condition condition, string profile)
    {
        var outcome = Validator.Value.Validate(condition, profile);
        Assert.True(
            ProfileValidator.IsValid(outcome),
            string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
    }
}
