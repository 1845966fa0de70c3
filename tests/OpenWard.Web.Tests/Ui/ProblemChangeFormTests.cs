using Hl7.Fhir.Model;
using OpenWard.Fhir.Validation;
using OpenWard.Web.Terminology;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class ProblemChangeFormTests
{
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));
    private static readonly DateTimeOffset Recorded = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Recorded.AddDays(2);
    private static readonly DateOnly Today = new(2026, 3, 3);

    public static TheoryData<string> Profiles => ["http://hl7.org/fhir/StructureDefinition/Condition", ProblemForm.UkCoreProfile];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_change_keeps_the_problem_and_sets_the_statuses_category_and_reason(string profile)
    {
        var current = Asthma();
        var form = ProblemChangeForm.From(current, "pat-1");
        Assert.Equal(("3", "problem-list-item", "active", "confirmed"), (form.Version, form.Category, form.ClinicalStatus, form.VerificationStatus));
        Assert.Equal(("14", "3", "2019"), (form.Onset.Day, form.Onset.Month, form.Onset.Year));
        form.Onset = new DateBoxes { Year = "2018" };
        form.Category = "encounter-diagnosis";
        form.ClinicalStatus = "resolved";
        form.VerificationStatus = "refuted";
        form.Reason = " Spirometry normal ";
        Assert.Empty(form.ValidateChange(Today));

        var next = form.Changed(current, "prac-7", "Dr Amy Shah", Now);

        AssertValid(next, profile);
        Assert.Equal("195967001", next.Code!.Coding.Single().Code);
        Assert.Equal("2018", Assert.IsType<FhirDateTime>(next.Onset).Value);
        Assert.Equal(new RecordDetail("Since", "2018"), ProblemChangeForm.Describe(next, TimeZoneInfo.Utc).Details[1]);
        Assert.Equal("encounter-diagnosis", next.Category.Single().Coding.Single().Code);
        Assert.Equal(("resolved", "refuted"), (next.ClinicalStatus!.Coding.Single().Code, next.VerificationStatus!.Coding.Single().Code));
        Assert.Equal(("Changed: Spirometry normal", "Practitioner/prac-7"), (next.Note.Single().Text, Assert.IsType<ResourceReference>(next.Note[0].Author).Reference));
        Assert.Equal("active", current.ClinicalStatus!.Coding.Single().Code);
        Assert.Equal("Resolved, Refuted", ProblemChangeForm.StatusOf(next));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Entered_in_error_removes_the_clinical_status_and_keeps_the_reason(string profile)
    {
        var current = Asthma();
        var form = ProblemChangeForm.From(current, "pat-1");
        Assert.Equal("Reason", Assert.Single(form.ValidateEnteredInError()).Field);
        form.Reason = "Wrong patient";

        var next = form.EnteredInError(current, null, "Sam Ward Clerk", Now);

        AssertValid(next, profile);
        Assert.Null(next.ClinicalStatus);
        Assert.True(ProblemChangeForm.IsEnteredInError(next));
        Assert.Equal("Entered in error", ProblemChangeForm.StatusOf(next));
        var version = ProblemChangeForm.Describe(next, TimeZoneInfo.Utc);
        Assert.Equal(("Entered in error: Wrong patient", "Sam Ward Clerk"), (version.Reason, version.By));
    }

    [Fact]
    public void A_change_needs_every_choice_from_its_list_and_a_reason()
    {
        var form = new ProblemChangeForm { Category = "made-up", ClinicalStatus = "recurrence", VerificationStatus = "entered-in-error", Reason = new string('x', ChangeNote.MaximumReasonLength + 1) };

        Assert.Equal(
            [
                ("Category", "Select whether this is a problem list item or a diagnosis"),
                ("ClinicalStatus", "Select whether the problem is active"),
                ("VerificationStatus", "Select how certain the problem is"),
                ("Reason", $"Reason must be {ChangeNote.MaximumReasonLength} characters or fewer"),
            ],
            form.ValidateChange(Today));
    }

    [Fact]
    public void An_onset_recorded_elsewhere_as_an_age_is_kept_and_a_cleared_date_is_removed()
    {
        var byAge = Asthma();
        byAge.Onset = new Age { Value = 12, Unit = "a", System = "http://unitsofmeasure.org", Code = "a" };
        var form = ProblemChangeForm.From(byAge, "pat-1");
        form.Reason = "Checked";
        Assert.Null(form.Onset.Year);
        Assert.IsType<Age>(form.Changed(byAge, null, "Nurse", Now).Onset);

        var byDate = Asthma();
        var cleared = ProblemChangeForm.From(byDate, "pat-1");
        cleared.Onset = new DateBoxes();
        cleared.Reason = "Date not known after all";
        Assert.Null(cleared.Changed(byDate, null, "Nurse", Now).Onset);
    }

    /// <summary>A stored active, confirmed asthma problem list item since 14 March 2019, version 3.</summary>
    private static Condition Asthma()
    {
        var condition = new ProblemForm { Code = "195967001", Onset = new DateBoxes { Day = "14", Month = "3", Year = "2019" }, Category = "problem-list-item", ClinicalStatus = "active", VerificationStatus = "confirmed" }
            .ToResource(ProblemTerminology.Subset(), "pat-1", "prac-1", Recorded);
        condition.Id = "cond-1";
        condition.Meta!.VersionId = "3";
        return condition;
    }

    private static void AssertValid(Condition condition, string profile)
    {
        var outcome = Validator.Value.Validate(condition, profile);
        Assert.True(
            ProfileValidator.IsValid(outcome),
            string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
    }
}
