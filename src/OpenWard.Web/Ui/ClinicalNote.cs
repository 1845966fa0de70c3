using System.Text;
using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// A template for a clinical note: the note type it records (a LOINC document type) and the headings
/// that prefill the text box. Illustrative: a ward would agree its own with its clinicians.
/// </summary>
public sealed record NoteTemplate(string Key, string Label, string LoincCode, string LoincDisplay, string Headings);

/// <summary>Where a note is in its life: FHIR DocumentReference.docStatus (and status for entered in error).</summary>
public enum NoteState
{
    Draft,
    Signed,
    Amended,
    EnteredInError,
}

/// <summary>
/// A clinical note as OpenWard stores it, and the rules for writing one.
/// </summary>
/// <remarks>
/// Why DocumentReference and not Composition: a ward note is one piece of free text written and signed
/// by one person, not a structured document of coded sections assembled into a Bundle. FHIR R4 records
/// such notes as a DocumentReference with the text as an attachment (https://hl7.org/fhir/R4/documentreference.html,
/// "clinical notes"); Composition needs sections, an attester list and a document Bundle to be useful.
/// The record claims UK Core DocumentReference (https://fhir.hl7.org.uk/StructureDefinition/UKCore-DocumentReference, 2.0.0).
/// <list type="bullet">
/// <item>status current, or entered-in-error; docStatus preliminary (draft), final (signed), amended, or
/// entered-in-error (R4 composition-status codes, the binding of DocumentReference.docStatus).</item>
/// <item>type: a LOINC document type from R4's value set c80-doc-typecodes (valuesets.xml in the Firely
/// specification package Hl7.Fhir.Specification.Data.R4), with the template's name as text. UK Core binds
/// type extensibly to SNOMED CT UK document types (refset 1127551000000109), whose members are not listed in
/// profiles/ukcore-r4-2.0.0: none of its examples has a ward round, handover or clerking code, so none is used.</item>
/// <item>category: LOINC 34109-9 (document-classcodes, R4's example binding for DocumentReference.category):
/// this is how the Notes tab finds notes among the patient's other documents.</item>
/// <item>date: when this version was made (written, signed, amended or marked); attachment.creation: when
/// the note was first written.</item>
/// <item>author: everyone who wrote text of the note, first writer first; authenticator: who signed this
/// version (signing, amending, or marking it entered in error vouches for the version).</item>
/// <item>description: the reason given for an amendment or for marking the note entered in error
/// (R4 has no element for a reason for a change of a DocumentReference, and neither R4 nor UK Core
/// defines an extension for it; the reason of each earlier version stays in the history).</item>
/// <item>content.attachment: the text as text/plain in UTF-8, with the note's title.</item>
/// </list>
/// Every change is an update with If-Match on the version it was made from, so nothing is overwritten
/// unseen, and the FHIR history keeps every version.
/// </remarks>
public sealed record ClinicalNote(
    string Id,
    string VersionId,
    NoteState State,
    string TypeLabel,
    string Title,
    string Text,
    string Author,
    string LastWriter,
    string? SignedBy,
    string? Reason,
    DateTimeOffset When,
    string? PatientId)
{
    public const string UkCoreProfile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-DocumentReference";

    public const string Loinc = "http://loinc.org";

    /// <summary>LOINC 34109-9, in R4's document-classcodes value set as "Evaluation and management note": the category of every note.</summary>
    public static readonly Coding NoteCategory = new(Loinc, "34109-9", "Evaluation and management note");

    /// <summary>The search value of <see cref="NoteCategory"/> (DocumentReference?category=).</summary>
    public static string CategorySearch => $"{Loinc}|{NoteCategory.Code}";

    /// <summary>
    /// Illustrative templates. Each LOINC code is listed, with this display, in R4's c80-doc-typecodes
    /// (valuesets.xml of Hl7.Fhir.Specification.Data.R4 4.0.1). The handover headings are SBAR
    /// (situation, background, assessment, recommendation), which NHS England recommends for handover.
    /// </summary>
    public static readonly IReadOnlyList<NoteTemplate> Templates =
    [
        new("ward-round", "Ward round note", "34130-5", "Hospital Progress note",
            "Seen by:\n\nProgress since last review:\n\nExamination:\n\nResults:\n\nImpression:\n\nPlan:\n"),
        new("nursing-handover", "Nursing shift handover", "34746-8", "Nurse Note",
            "Situation:\n\nBackground:\n\nAssessment:\n\nRecommendation:\n"),
        new("admission-clerking", "Admission clerking", "47039-3", "Hospital Admission history and physical note",
            "Presenting complaint:\n\nHistory of presenting complaint:\n\nPast medical history:\n\nMedicines:\n\nAllergies:\n\nSocial history:\n\nExamination:\n\nImpression:\n\nPlan:\n"),
        new("note", "Clinical note", "34109-9", "Note", ""),
    ];

    public static NoteTemplate? Template(string? key) => Templates.FirstOrDefault(t => t.Key == key);

    public bool IsSigned => State is NoteState.Signed or NoteState.Amended;

    public string StateLabel => Label(State);

    public static string Label(NoteState state) => state switch
    {
        NoteState.Draft => "Draft",
        NoteState.Signed => "Signed",
        NoteState.Amended => "Amended",
        _ => "Entered in error",
    };

    /// <summary>Who made this version: its signer, or (for a draft) its last writer.</summary>
    public string By => SignedBy ?? LastWriter;

    /// <summary>Reads a note from its DocumentReference (any version).</summary>
    public static ClinicalNote From(DocumentReference document)
    {
        var attachment = document.Content.FirstOrDefault()?.Attachment;
        var state = document.Status == DocumentReferenceStatus.EnteredInError ? NoteState.EnteredInError : document.DocStatus switch
        {
            CompositionStatus.Preliminary => NoteState.Draft,
            CompositionStatus.Amended => NoteState.Amended,
            CompositionStatus.EnteredInError => NoteState.EnteredInError,
            _ => NoteState.Signed,
        };
        var when = document.Date ?? document.Meta?.LastUpdated ?? DateTimeOffset.MinValue;
        return new ClinicalNote(
            document.Id ?? "",
            document.Meta?.VersionId ?? "",
            state,
            document.Type?.Text ?? document.Type?.Coding.FirstOrDefault()?.Display ?? "Note",
            attachment?.Title ?? "",
            attachment?.Data is { } data ? Encoding.UTF8.GetString(data) : "",
            document.Author.FirstOrDefault()?.Display ?? PatientDisplay.NotKnown,
            document.Author.LastOrDefault()?.Display ?? PatientDisplay.NotKnown,
            document.Authenticator?.Display,
            document.Description,
            when,
            document.Subject?.Reference is { } subject && subject.StartsWith("Patient/", StringComparison.Ordinal) ? subject["Patient/".Length..] : null);
    }

    /// <summary>"2-Dec-2026 14:05" in the given zone (the hospital's).</summary>
    public static string Time(DateTimeOffset when, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(when, zone);
        return $"{PatientDisplay.Date(DateOnly.FromDateTime(local.DateTime))} {local:HH:mm}";
    }
}
