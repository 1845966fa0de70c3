using Hl7.Fhir.Model;
using OpenWard.Clinical.Registration;
using OpenWard.Fhir.Validation;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class RecordMergeTests
{
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));

    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Repointing_changes_every_reference_to_the_patient_relative_versioned_or_absolute()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Text = "Pulse" },
            Subject = new ResourceReference("Patient/dup"),
            Performer = [new ResourceReference("https://ward.example/fhir/Patient/dup/_history/3"), new ResourceReference("Practitioner/dup")],
            Focus = [new ResourceReference("Patient/dup2")],
        };

        var moved = (Observation)RecordMerge.Repointed(observation, "dup", "keep")!;

        Assert.Equal("Patient/keep", moved.Subject!.Reference);
        Assert.Equal("Patient/keep", moved.Performer[0].Reference);
        // Not the patient: another type with the same id, and a patient whose id only starts the same.
        Assert.Equal("Practitioner/dup", moved.Performer[1].Reference);
        Assert.Equal("Patient/dup2", moved.Focus[0].Reference);
        Assert.Equal("Patient/dup", observation.Subject.Reference);
    }

    [Fact]
    public void A_resource_without_a_reference_to_the_patient_is_not_repointed()
    {
        Assert.Null(RecordMerge.Repointed(new Observation { Subject = new ResourceReference("Patient/other") }, "dup", "keep"));
    }

    [Fact]
    public void The_duplicate_is_retired_and_the_surviving_record_replaces_it_and_undoing_restores_both()
    {
        var duplicate = Patient("dup");
        var surviving = Patient("keep");

        var retired = RecordMerge.Retired(duplicate, "keep");
        var marked = RecordMerge.Surviving(surviving, "dup");

        Assert.False(retired.Active);
        Assert.Equal("Patient/keep", RecordMerge.ReplacedBy(retired));
        Assert.Null(RecordMerge.ReplacedBy(marked));
        Assert.Equal(Hl7.Fhir.Model.Patient.LinkType.Replaces, Assert.Single(marked.Link).Type);
        AssertValid(retired, RegistrationForm.UkCoreProfile);
        AssertValid(marked, RegistrationForm.UkCoreProfile);

        var restored = RecordMerge.Restored(retired);
        Assert.True(restored.Active);
        Assert.Null(RecordMerge.ReplacedBy(restored));
        Assert.Empty(RecordMerge.Unlinked(marked, "dup").Link);
    }

    [Fact]
    public void The_merge_provenance_names_the_duplicate_first_then_what_moved_who_and_why()
    {
        var merge = RecordMerge.Record(RecordMerge.MergeActivity, "dup", "keep", ["Observation/1", "Condition/2"], "  Same person: checked with GP ", "Morgan Reid", null, Now);

        Assert.Equal(["Patient/dup", "Patient/keep", "Observation/1", "Condition/2"], merge.Target.Select(t => t.Reference));
        Assert.Equal(["Observation/1", "Condition/2"], RecordMerge.MovedBy(merge));
        Assert.Equal(RecordMerge.MergeActivity, RecordMerge.ActivityOf(merge));
        Assert.Equal("Same person: checked with GP", Assert.Single(merge.Reason).Text);
        Assert.Equal("Morgan Reid", Assert.Single(merge.Agent).Who!.Display);
        AssertValid(merge, "http://hl7.org/fhir/StructureDefinition/Provenance");

        Assert.Equal(RecordMerge.UndoActivity, RecordMerge.ActivityOf(RecordMerge.Record(RecordMerge.UndoActivity, "dup", "keep", [], "Twins", "Morgan Reid", "p1", Now)));
        Assert.Null(RecordMerge.ActivityOf(new Provenance { Activity = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "UPDATE") }));
    }

    [Fact]
    public void The_record_to_keep_must_be_found_be_another_record_and_not_itself_merged()
    {
        var duplicate = Patient("dup");
        Assert.Equal("Enter the NHS number or hospital number of the record to keep", Single(RecordMerge.ValidateSurviving(duplicate, null, " ")));
        Assert.StartsWith("No record has this NHS number", Single(RecordMerge.ValidateSurviving(duplicate, null, "H1234567")));
        Assert.StartsWith("This is the record you are merging", Single(RecordMerge.ValidateSurviving(duplicate, Patient("dup"), "H1")));
        Assert.Equal("That record has itself been merged into Patient/third: merge into that record instead", Single(RecordMerge.ValidateSurviving(duplicate, RecordMerge.Retired(Patient("keep"), "third"), "H1")));
        Assert.StartsWith("This record has already been merged into Patient/keep", Single(RecordMerge.ValidateSurviving(RecordMerge.Retired(duplicate, "keep"), Patient("other"), "H1")));
        Assert.Empty(RecordMerge.ValidateSurviving(duplicate, Patient("keep"), "H1"));
    }

    [Fact]
    public void A_reason_is_required_and_limited_in_length()
    {
        Assert.Equal("Enter the reason for merging these records", Single(RecordMerge.ValidateReason("", "merging these records")));
        Assert.Equal("The reason must be 500 characters or fewer", Single(RecordMerge.ValidateReason(new string('x', 501), "merging these records")));
        Assert.Empty(RecordMerge.ValidateReason("Same person", "merging these records"));
    }

    private static string Single(IReadOnlyList<(string Field, string Message)> errors) => Assert.Single(errors).Message;

    private static Patient Patient(string id) => new RegistrationForm
    {
        Family = "Merge",
        Given = "Test",
        BirthDay = "1",
        BirthMonth = "2",
        BirthYear = "1980",
        Sex = "female",
        Postcode = "LS1 4AP",
        AddressLine = "1 Park Row",
        Town = "Leeds",
        NhsNumberUnavailableReason = "nhs-number-not-known",
    }.ToResource("H9000001") is var patient ? WithId(patient, id) : null!;

    private static Patient WithId(Patient patient, string id)
    {
        patient.Id = id;
        return patient;
    }

    private static void AssertValid(Resource resource, string profile)
    {
        var outcome = Validator.Value.Validate(resource, profile);
        Assert.True(
            ProfileValidator.IsValid(outcome),
            string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
    }
}
