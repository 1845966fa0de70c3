using Hl7.Fhir.Model;
using OpenWard.Fhir.Validation;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class AllergyChangeFormTests
{
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));
    private static readonly DateTimeOffset Recorded = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Profiles => ["http://hl7.org/fhir/StructureDefinition/AllergyIntolerance", AllergyForm.UkCoreProfile];

    [Fact]
    public void The_form_opens_with_the_allergy_as_stored()
    {
        var form = AllergyChangeForm.From(Penicillin(), "pat-1");

        Assert.Equal(("pat-1", "3", "active", "confirmed"), (form.PatientId, form.Version, form.ClinicalStatus, form.VerificationStatus));
        Assert.Equal(("39579001", null, "severe", "high"), (form.ReactionCode, form.Reaction, form.Severity, form.Criticality));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_change_writes_the_new_statuses_and_details_and_keeps_the_reason_with_who_and_when(string profile)
    {
        var current = Penicillin();
        var form = AllergyChangeForm.From(current, "pat-1");
        form.ClinicalStatus = "resolved";
        form.VerificationStatus = "confirmed";
        form.ReactionCode = "";
        form.Reaction = "Wheeze";
        form.Severity = "moderate";
        form.Criticality = "low";
        form.Reason = " Tolerated amoxicillin under supervision ";
        Assert.Empty(form.ValidateChange());

        var next = form.Changed(current, "prac-7", "Dr Amy Shah", Now);

        AssertValid(next, profile);
        Assert.Equal("resolved", next.ClinicalStatus!.Coding.Single().Code);
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceCriticality.Low, next.Criticality);
        Assert.Equal("Wheeze", next.Reaction[0].Manifestation.Single().Text);
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceSeverity.Moderate, next.Reaction[0].Severity);
        Assert.Equal("Penicillin", next.Code!.Text);
        var note = next.Note.Single();
        Assert.Equal("Changed: Tolerated amoxicillin under supervision", note.Text);
        var author = Assert.IsType<ResourceReference>(note.Author);
        Assert.Equal(("Practitioner/prac-7", "Dr Amy Shah"), (author.Reference, author.Display));
        Assert.Equal("2026-03-02T14:00:00+00:00", note.Time);
        // The stored version is untouched: the change is a new version.
        Assert.Equal("active", current.ClinicalStatus!.Coding.Single().Code);
        Assert.Empty(current.Note);
        Assert.False(PatientBanner.IsCurrent(next));
    }

    [Fact]
    public void A_change_keeps_the_other_reactions_and_a_manifestation_the_form_shows_as_text()
    {
        var current = Penicillin();
        current.Reaction[0].Manifestation = [new CodeableConcept("http://snomed.info/sct", "271807003", "Eruption of skin", "Skin eruption")];
        current.Reaction.Add(new AllergyIntolerance.ReactionComponent { Manifestation = [new CodeableConcept { Text = "Vomiting" }] });
        var form = AllergyChangeForm.From(current, "pat-1");
        Assert.Equal((null, "Skin eruption"), (form.ReactionCode, form.Reaction));
        form.Severity = "mild";
        form.Reason = "Severity from the GP record";

        var next = form.Changed(current, null, "Agency nurse", Now);

        Assert.Equal("271807003", next.Reaction[0].Manifestation.Single().Coding.Single().Code);
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceSeverity.Mild, next.Reaction[0].Severity);
        Assert.Equal("Vomiting", next.Reaction[1].Manifestation.Single().Text);
        Assert.Equal("Agency nurse", Assert.IsType<FhirString>(next.Note.Single().Author).Value);
    }

    [Fact]
    public void Removing_the_reaction_removes_it_and_its_severity()
    {
        var current = Penicillin();
        var form = AllergyChangeForm.From(current, "pat-1");
        form.ReactionCode = "";
        form.Severity = AllergyDetails.NotRecorded;
        form.Reason = "Reaction was another patient's";

        var next = form.Changed(current, null, "Nurse", Now);

        AssertValid(next, AllergyForm.UkCoreProfile);
        Assert.Empty(next.Reaction);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Entered_in_error_drops_the_clinical_status_as_ait_2_requires_and_stops_counting(string profile)
    {
        var current = Penicillin();
        var form = AllergyChangeForm.From(current, "pat-1");
        form.Reason = "Recorded on the wrong patient";
        Assert.Empty(form.ValidateEnteredInError());

        var next = form.EnteredInError(current, "prac-7", "Dr Amy Shah", Now);

        AssertValid(next, profile);
        Assert.Null(next.ClinicalStatus);
        Assert.Equal("entered-in-error", next.VerificationStatus!.Coding.Single().Code);
        Assert.Equal("Entered in error: Recorded on the wrong patient", next.Note.Single().Text);
        Assert.True(AllergyChangeForm.IsEnteredInError(next));
        Assert.False(AllergyChangeForm.IsEnteredInError(current));
        Assert.Equal(BannerAllergyState.NotRecorded, PatientBanner.AllergySummary([next]).State);
        Assert.Equal("Entered in error", AllergyDescription.StatusOf(next));
    }

    [Fact]
    public void The_validator_used_above_refuses_entered_in_error_with_a_clinical_status()
    {
        var form = AllergyChangeForm.From(Penicillin(), "pat-1");
        form.Reason = "Wrong patient";
        var next = form.EnteredInError(Penicillin(), null, "Nurse", Now);
        next.ClinicalStatus = new CodeableConcept(AllergyDetails.ClinicalSystem, "active");

        Assert.False(ProfileValidator.IsValid(Validator.Value.Validate(next, "http://hl7.org/fhir/StructureDefinition/AllergyIntolerance")));
    }

    [Fact]
    public void A_change_needs_both_statuses_and_a_reason()
    {
        var form = new AllergyChangeForm { PatientId = "pat-1", Reason = "  " };

        Assert.Equal(["VerificationStatus", "ClinicalStatus", "Reason"], form.ValidateChange().Select(e => e.Field));
        Assert.Equal([("Reason", "Enter why the allergy was entered in error")], form.ValidateEnteredInError());
    }

    [Fact]
    public void Unknown_statuses_a_severity_without_a_reaction_and_a_long_reason_are_refused()
    {
        var form = AllergyChangeForm.From(Penicillin(), "pat-1");
        form.ClinicalStatus = "deleted";
        form.VerificationStatus = "entered-in-error";
        form.ReactionCode = "";
        form.Reason = new string('x', ChangeNote.MaximumReasonLength + 1);

        Assert.Equal(
            [
                ("VerificationStatus", "Select whether the allergy is confirmed"),
                ("ClinicalStatus", "Select whether the allergy is still current"),
                ("ReactionCode", "Select or enter the reaction, or set its severity to not recorded"),
                ("Reason", $"Reason must be {ChangeNote.MaximumReasonLength} characters or fewer"),
            ],
            form.ValidateChange());
    }

    [Fact]
    public void Each_version_shows_its_statuses_reaction_risk_and_latest_reason()
    {
        var current = Penicillin();
        var form = AllergyChangeForm.From(current, "pat-1");
        form.Reason = "Checked with the patient";
        var next = form.Changed(current, "prac-7", "Dr Amy Shah", Now);

        var version = AllergyDescription.Version(next);

        Assert.Equal(("Current", "Changed: Checked with the patient", "Dr Amy Shah"), (version.Status, version.Reason, version.By));
        Assert.Equal([new RecordDetail("Reaction", "Anaphylaxis (Severe)"), new RecordDetail("Risk", "High")], version.Details);
        var blank = AllergyDescription.Version(new AllergyIntolerance());
        Assert.Equal(("Not recorded", "Not recorded", null), (blank.Details[0].Value, blank.Details[1].Value, blank.Reason));
    }

    /// <summary>A stored allergy to penicillin (text substance), version 3, anaphylaxis, severe, high risk.</summary>
    private static AllergyIntolerance Penicillin()
    {
        var allergy = new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceText = "Penicillin", ReactionCode = "39579001", Severity = "severe", Criticality = "high" }
            .ToResource("pat-1", "prac-1", Recorded);
        allergy.Id = "alg-1";
        allergy.Meta = new Meta { VersionId = "3", LastUpdated = Recorded };
        return allergy;
    }

    private static void AssertValid(AllergyIntolerance allergy, string profile)
    {
        var outcome = Validator.Value.Validate(allergy, profile);
        Assert.True(
            ProfileValidator.IsValid(outcome),
            string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
    }
}
