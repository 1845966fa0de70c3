using System.Text;
using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>The member of staff writing or signing: their Practitioner (when they have one) and their name.</summary>
public sealed record NoteWriter(string? PractitionerId, string Name)
{
    public ResourceReference Reference() => new() { Reference = PractitionerId is null ? null : $"Practitioner/{PractitionerId}", Display = Name };
}

/// <summary>
/// What the note forms hold (write, edit a draft, amend, mark entered in error), how they are checked,
/// and the DocumentReference versions they become (see <see cref="ClinicalNote"/> for the model).
/// </summary>
public sealed class NoteForm
{
    public const string DraftAction = "draft";

    public const string SignAction = "sign";

    public const int MaximumTextLength = 20_000;

    public const int MaximumTitleLength = 200;

    /// <summary>The patient the form was shown for, posted back and checked against the address (wrong-patient protection).</summary>
    public string? PatientId { get; set; }

    /// <summary>A <see cref="NoteTemplate.Key"/>: the type of note.</summary>
    public string? Template { get; set; }

    public string? Title { get; set; }

    public string? Text { get; set; }

    /// <summary><see cref="DraftAction"/> or <see cref="SignAction"/> (the button pressed).</summary>
    public string? Action { get; set; }

    /// <summary>The version of the note the form was opened on (If-Match).</summary>
    public string? Version { get; set; }

    /// <summary>Why the note is amended or marked entered in error.</summary>
    public string? Reason { get; set; }

    /// <summary>Checks a new note or an edited draft.</summary>
    public IReadOnlyList<(string Field, string Message)> ValidateNote()
    {
        var errors = new List<(string, string)>();
        var template = ClinicalNote.Template(Template);
        if (template is null)
        {
            errors.Add((nameof(Template), "Select the type of note"));
        }

        if (Title?.Trim().Length > MaximumTitleLength)
        {
            errors.Add((nameof(Title), $"Title must be {MaximumTitleLength} characters or fewer"));
        }

        CheckText(template, errors);
        if (Action is not (DraftAction or SignAction))
        {
            errors.Add((nameof(Action), "Choose to save the note as a draft or to sign it"));
        }

        return errors;
    }

    /// <summary>Checks an amendment of a signed note, whose current text is <paramref name="currentText"/>.</summary>
    public IReadOnlyList<(string Field, string Message)> ValidateAmendment(string currentText)
    {
        var errors = new List<(string, string)>();
        CheckText(null, errors);
        if (errors.Count == 0 && Normalise(Text) == Normalise(currentText))
        {
            errors.Add((nameof(Text), "Change the note to amend it, or go back to the note"));
        }

        ChangeNote.Check(Reason, "Enter the reason for the amendment", errors);
        return errors;
    }

    /// <summary>Checks marking a note entered in error.</summary>
    public IReadOnlyList<(string Field, string Message)> ValidateEnteredInError()
    {
        var errors = new List<(string, string)>();
        ChangeNote.Check(Reason, "Enter why the note was entered in error", errors);
        return errors;
    }

    /// <summary>A new note: a draft, or signed by its writer. Call only when <see cref="ValidateNote"/> found nothing.</summary>
    public DocumentReference ToResource(string patientId, NoteWriter writer, DateTimeOffset now)
    {
        var template = ClinicalNote.Template(Template)!;
        var signing = Action == SignAction;
        var written = new FhirDateTime(now).ToString();
        return new DocumentReference
        {
            Meta = new Meta { Profile = [ClinicalNote.UkCoreProfile] },
            Status = DocumentReferenceStatus.Current,
            DocStatus = signing ? CompositionStatus.Final : CompositionStatus.Preliminary,
            Type = new CodeableConcept(ClinicalNote.Loinc, template.LoincCode, template.LoincDisplay, template.Label),
            Category = [new CodeableConcept { Coding = [(Coding)ClinicalNote.NoteCategory.DeepCopy()] }],
            Subject = new ResourceReference($"Patient/{patientId}"),
            Date = now,
            Author = [writer.Reference()],
            Authenticator = signing ? writer.Reference() : null,
            Content = [new DocumentReference.ContentComponent { Attachment = Attachment(TitleOr(template), Text!, written) }],
        };
    }

    /// <summary>The next version of a draft: new text and title, still a draft or now signed. Call after <see cref="ValidateNote"/>.</summary>
    public DocumentReference EditedDraft(DocumentReference draft, NoteWriter writer, DateTimeOffset now)
    {
        var template = ClinicalNote.Template(Template)!;
        var next = (DocumentReference)draft.DeepCopy();
        var signing = Action == SignAction;
        next.DocStatus = signing ? CompositionStatus.Final : CompositionStatus.Preliminary;
        next.Type = new CodeableConcept(ClinicalNote.Loinc, template.LoincCode, template.LoincDisplay, template.Label);
        next.Date = now;
        AddAuthor(next, writer);
        next.Authenticator = signing ? writer.Reference() : null;
        next.Content = [new DocumentReference.ContentComponent { Attachment = Attachment(TitleOr(template), Text!, Creation(draft)) }];
        return next;
    }

    /// <summary>The next version of a signed note: the amended text, signed by the amender, with the reason. Call after <see cref="ValidateAmendment"/>.</summary>
    public DocumentReference Amended(DocumentReference signed, NoteWriter writer, DateTimeOffset now)
    {
        var next = (DocumentReference)signed.DeepCopy();
        var attachment = signed.Content.FirstOrDefault()?.Attachment;
        next.DocStatus = CompositionStatus.Amended;
        next.Date = now;
        AddAuthor(next, writer);
        next.Authenticator = writer.Reference();
        next.Description = Reason!.Trim();
        next.Content = [new DocumentReference.ContentComponent { Attachment = Attachment(attachment?.Title ?? "Note", Text!, Creation(signed)) }];
        return next;
    }

    /// <summary>The next version of any note: marked entered in error by <paramref name="writer"/>, text kept. Call after <see cref="ValidateEnteredInError"/>.</summary>
    public DocumentReference EnteredInError(DocumentReference note, NoteWriter writer, DateTimeOffset now)
    {
        var next = (DocumentReference)note.DeepCopy();
        next.Status = DocumentReferenceStatus.EnteredInError;
        next.DocStatus = CompositionStatus.EnteredInError;
        next.Date = now;
        next.Authenticator = writer.Reference();
        next.Description = Reason!.Trim();
        return next;
    }

    private void CheckText(NoteTemplate? template, List<(string, string)> errors)
    {
        if (string.IsNullOrWhiteSpace(Text))
        {
            errors.Add((nameof(Text), "Enter the note"));
        }
        else if (template is not null && template.Headings.Length > 0 && Normalise(Text) == Normalise(template.Headings))
        {
            errors.Add((nameof(Text), "Write the note under the headings: the headings alone are not a note"));
        }
        else if (Text.Trim().Length > MaximumTextLength)
        {
            errors.Add((nameof(Text), $"Note must be {MaximumTextLength:N0} characters or fewer"));
        }
    }

    private string TitleOr(NoteTemplate template) => string.IsNullOrWhiteSpace(Title) ? template.Label : Title.Trim();

    /// <summary>The text as typed, less trailing space and with Windows line ends made plain (browsers post CR LF).</summary>
    private static string Normalise(string? text) => string.Join('\n', (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).Trim();

    private static Attachment Attachment(string title, string text, string? creation) => new()
    {
        ContentType = "text/plain; charset=utf-8",
        Language = "en-GB",
        Data = Encoding.UTF8.GetBytes(Normalise(text)),
        Title = title,
        Creation = creation,
    };

    private static string? Creation(DocumentReference document) => document.Content.FirstOrDefault()?.Attachment?.Creation;

    private static void AddAuthor(DocumentReference document, NoteWriter writer)
    {
        var reference = writer.Reference();
        var last = document.Author.LastOrDefault();
        if (last is null || last.Reference != reference.Reference || last.Display != reference.Display)
        {
            document.Author.Add(reference);
        }
    }
}
