using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Notes;

/// <summary>
/// Edit a draft (save again or sign) or amend a signed note (with a reason). Either way the change
/// is a new version written with If-Match on the version the form was opened on: if someone changed
/// the note meanwhile, the page shows their version (who, when, what) and saves nothing.
/// </summary>
public sealed class EditModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : NotePageModel(fhir, gate, time)
{
    [BindProperty]
    public NoteForm Input { get; set; } = new();

    /// <summary>The version someone else saved after the form was opened; shown instead of saving.</summary>
    public ClinicalNote? ChangedMeanwhile { get; private set; }

    /// <summary>Amending a signed note (rather than editing a draft).</summary>
    public bool Amending => Note?.IsSigned == true;

    public Task<IActionResult> OnGetAsync(string id, string noteId, CancellationToken cancellationToken) =>
        RunAsync("read", 'R', id, noteId, FhirAction.Update, _ =>
        {
            var note = Note!;
            Input = new NoteForm { PatientId = id, Version = note.VersionId, Template = TemplateOf(Document!), Title = note.Title, Text = note.Text };
            return Task.FromResult<IActionResult>(note.State == NoteState.EnteredInError ? Redirect($"/patients/{id}/notes/{noteId}") : Page());
        }, cancellationToken);

    public Task<IActionResult> OnPostAsync(string id, string noteId, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return RunAsync("update", 'U', id, noteId, FhirAction.Update, async access =>
        {
            if (IsForAnotherPatient(Input.PatientId, id))
            {
                return Page();
            }

            var current = Note!;
            if (current.VersionId != Input.Version)
            {
                return Conflict(current);
            }

            if (current.State == NoteState.EnteredInError)
            {
                return Redirect($"/patients/{id}/notes/{noteId}");
            }

            AddErrors(Amending ? Input.ValidateAmendment(current.Text) : Input.ValidateNote());
            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var next = Amending
                ? Input.Amended(Document!, Writer(access), Clock.GetUtcNow())
                : Input.EditedDraft(Document!, Writer(access), Clock.GetUtcNow());
            try
            {
                await Fhir.UpdateAsync(access, "DocumentReference", noteId, next, $"W/\"{Input.Version}\"", cancellationToken);
            }
            catch (FhirException e) when (e.Status == 412)
            {
                // Changed between our read and our write: show what is there now.
                Document = await PatientReads.ReadAsync<DocumentReference>(Fhir, access, noteId, cancellationToken);
                return Conflict(Note!);
            }

            TempData["Notice"] = Amending ? "Note amended." : Input.Action == NoteForm.SignAction ? "Note signed." : "Draft saved.";
            return Redirect($"/patients/{Uri.EscapeDataString(id)}/notes/{Uri.EscapeDataString(noteId)}");
        }, cancellationToken);
    }

    /// <summary>
    /// Someone else saved a version since the form was opened: nothing is saved; the page shows theirs
    /// and keeps what this user typed, now against the current version, so that they can decide.
    /// </summary>
    private IActionResult Conflict(ClinicalNote current)
    {
        ChangedMeanwhile = current;
        ModelState.AddModelError("Input.Text", $"This note was changed by {current.By} at {Time(current.When)} since you opened it. Nothing was saved: read their version, then save yours again if it is still right");
        Input.Version = current.VersionId;
        Input.Template ??= TemplateOf(Document!);
        return Page();
    }

    private static string? TemplateOf(DocumentReference document) =>
        ClinicalNote.Templates.FirstOrDefault(t => document.Type?.Coding.Any(c => c.System == ClinicalNote.Loinc && c.Code == t.LoincCode) == true)?.Key;
}
