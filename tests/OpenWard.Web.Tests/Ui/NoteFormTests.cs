using System.Text;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Validation;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class NoteFormTests
{
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));
    private static readonly DateTimeOffset Written = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Written.AddHours(2);
    private static readonly NoteWriter Nurse = new("prac-7", "Nurse Demo");
    private static readonly NoteWriter Doctor = new("prac-9", "Doctor Demo");

    public static TheoryData<string> Profiles => ["http://hl7.org/fhir/StructureDefinition/DocumentReference", ClinicalNote.UkCoreProfile];

    private static NoteForm WardRound(string action) => new()
    {
        PatientId = "pat-1",
        Template = "ward-round",
        Title = " Consultant ward round ",
        Text = "Seen by: Dr Jones\r\n\r\nPlan:\r\nContinue antibiotics   \r\n",
        Action = action,
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_signed_note_is_valid_and_records_its_type_text_writer_and_signer(string profile)
    {
        var form = WardRound(NoteForm.SignAction);
        Assert.Empty(form.ValidateNote());

        var document = form.ToResource("pat-1", Nurse, Written);

        AssertValid(document, profile);
        Assert.Equal([ClinicalNote.UkCoreProfile], document.Meta!.Profile);
        Assert.Equal(DocumentReferenceStatus.Current, document.Status);
        Assert.Equal(CompositionStatus.Final, document.DocStatus);
        Assert.Equal((ClinicalNote.Loinc, "34130-5"), (document.Type!.Coding.Single().System, document.Type.Coding[0].Code));
        Assert.Equal("Ward round note", document.Type.Text);
        Assert.Equal("34109-9", document.Category.Single().Coding.Single().Code);
        Assert.Equal("Patient/pat-1", document.Subject!.Reference);
        Assert.Equal(Written, document.Date);
        Assert.Equal(("Practitioner/prac-7", "Nurse Demo"), (document.Author.Single().Reference, document.Author[0].Display));
        Assert.Equal("Practitioner/prac-7", document.Authenticator!.Reference);
        var attachment = document.Content.Single().Attachment!;
        Assert.Equal("Consultant ward round", attachment.Title);
        Assert.StartsWith("text/plain", attachment.ContentType, StringComparison.Ordinal);
        Assert.Equal("Seen by: Dr Jones\n\nPlan:\nContinue antibiotics", Encoding.UTF8.GetString(attachment.Data!));
        Assert.Equal("2026-03-01T09:30:00+00:00", attachment.Creation);

        var note = ClinicalNote.From(document);
        Assert.Equal((NoteState.Signed, "Nurse Demo", "Nurse Demo"), (note.State, note.Author, note.By));
        Assert.Equal("pat-1", note.PatientId);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_draft_is_preliminary_and_has_no_signer(string profile)
    {
        var document = WardRound(NoteForm.DraftAction).ToResource("pat-1", Nurse, Written);

        AssertValid(document, profile);
        Assert.Equal(CompositionStatus.Preliminary, document.DocStatus);
        Assert.Null(document.Authenticator);
        Assert.Equal(NoteState.Draft, ClinicalNote.From(document).State);
    }

    [Fact]
    public void Signing_a_draft_someone_else_started_adds_them_as_author_and_signer_and_keeps_when_it_was_first_written()
    {
        var draft = WardRound(NoteForm.DraftAction).ToResource("pat-1", Nurse, Written);
        var form = WardRound(NoteForm.SignAction);
        form.Text = "Seen by: Dr Jones\n\nPlan:\nStop antibiotics";

        var signed = form.EditedDraft(draft, Doctor, Later);

        AssertValid(signed, ClinicalNote.UkCoreProfile);
        Assert.Equal(CompositionStatus.Final, signed.DocStatus);
        Assert.Equal(["Nurse Demo", "Doctor Demo"], signed.Author.Select(a => a.Display));
        Assert.Equal("Doctor Demo", signed.Authenticator!.Display);
        Assert.Equal(Later, signed.Date);
        Assert.Equal("2026-03-01T09:30:00+00:00", signed.Content.Single().Attachment!.Creation);
        Assert.Equal(CompositionStatus.Preliminary, draft.DocStatus);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void An_amendment_is_a_valid_amended_version_signed_by_the_amender_with_the_reason(string profile)
    {
        var signed = WardRound(NoteForm.SignAction).ToResource("pat-1", Nurse, Written);
        var form = new NoteForm { Text = "Seen by: Dr Jones\n\nPlan:\nStop antibiotics", Reason = " Wrong plan recorded " };
        Assert.Empty(form.ValidateAmendment(ClinicalNote.From(signed).Text));

        var amended = form.Amended(signed, Doctor, Later);

        AssertValid(amended, profile);
        Assert.Equal(CompositionStatus.Amended, amended.DocStatus);
        Assert.Equal(DocumentReferenceStatus.Current, amended.Status);
        Assert.Equal("Wrong plan recorded", amended.Description);
        Assert.Equal("Doctor Demo", amended.Authenticator!.Display);
        Assert.Equal("Consultant ward round", amended.Content.Single().Attachment!.Title);
        var note = ClinicalNote.From(amended);
        Assert.Equal((NoteState.Amended, "Nurse Demo", "Doctor Demo", "Wrong plan recorded"), (note.State, note.Author, note.By, note.Reason));
        Assert.Contains("Stop antibiotics", note.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Entered_in_error_keeps_the_text_and_records_who_and_why(string profile)
    {
        var signed = WardRound(NoteForm.SignAction).ToResource("pat-1", Nurse, Written);
        var form = new NoteForm { Reason = "Written for the wrong patient" };
        Assert.Empty(form.ValidateEnteredInError());

        var marked = form.EnteredInError(signed, Doctor, Later);

        AssertValid(marked, profile);
        Assert.Equal(DocumentReferenceStatus.EnteredInError, marked.Status);
        Assert.Equal(CompositionStatus.EnteredInError, marked.DocStatus);
        var note = ClinicalNote.From(marked);
        Assert.Equal((NoteState.EnteredInError, "Doctor Demo", "Written for the wrong patient"), (note.State, note.By, note.Reason));
        Assert.Equal(ClinicalNote.From(signed).Text, note.Text);
    }

    [Fact]
    public void Every_template_builds_a_valid_uk_core_note_and_a_blank_title_becomes_the_template_name()
    {
        foreach (var template in ClinicalNote.Templates)
        {
            var form = new NoteForm { Template = template.Key, Text = template.Headings + "\nSomething observed", Action = NoteForm.SignAction };
            Assert.Empty(form.ValidateNote());

            var document = form.ToResource("pat-1", new NoteWriter(null, "Agency Nurse"), Written);

            AssertValid(document, ClinicalNote.UkCoreProfile);
            Assert.Equal(template.Label, document.Content.Single().Attachment!.Title);
            Assert.Equal(template.LoincCode, document.Type!.Coding.Single().Code);
            Assert.Null(document.Author.Single().Reference);
        }
    }

    [Fact]
    public void The_validator_used_above_refuses_a_note_without_its_content()
    {
        var document = WardRound(NoteForm.SignAction).ToResource("pat-1", Nurse, Written);
        document.Content.Clear();

        Assert.False(ProfileValidator.IsValid(Validator.Value.Validate(document, ClinicalNote.UkCoreProfile)));
    }

    [Fact]
    public void An_empty_note_or_the_template_headings_alone_are_refused_at_the_text()
    {
        Assert.Equal([("Text", "Enter the note")], new NoteForm { Template = "note", Text = "  \r\n ", Action = NoteForm.SignAction }.ValidateNote());
        var headingsOnly = new NoteForm { Template = "nursing-handover", Text = ClinicalNote.Template("nursing-handover")!.Headings.Replace("\n", "\r\n", StringComparison.Ordinal), Action = NoteForm.DraftAction };
        Assert.Equal("Text", Assert.Single(headingsOnly.ValidateNote()).Field);
    }

    [Fact]
    public void Unknown_templates_actions_and_overlong_text_are_refused()
    {
        var errors = new NoteForm { Template = "made-up", Title = new string('t', NoteForm.MaximumTitleLength + 1), Text = new string('x', NoteForm.MaximumTextLength + 1), Action = "publish" }.ValidateNote();

        Assert.Equal(["Template", "Title", "Text", "Action"], errors.Select(e => e.Field));
    }

    [Fact]
    public void An_amendment_needs_a_reason_and_a_change()
    {
        var errors = new NoteForm { Text = "Plan:\nContinue  \r\n" }.ValidateAmendment("Plan:\nContinue");

        Assert.Equal([("Text", "Change the note to amend it, or go back to the note"), ("Reason", "Enter the reason for the amendment")], errors);
        Assert.Equal("Reason", Assert.Single(new NoteForm().ValidateEnteredInError()).Field);
    }

    private static void AssertValid(DocumentReference document, string profile)
    {
        var outcome = Validator.Value.Validate(document, profile);
        Assert.True(
            ProfileValidator.IsValid(outcome),
            string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
    }
}
