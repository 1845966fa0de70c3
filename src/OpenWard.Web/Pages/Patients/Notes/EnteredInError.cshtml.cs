using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Notes;

/// <summary>
/// Mark a note entered in error, with a reason: a new version (status entered-in-error) written with
/// If-Match on the version the form was opened on. The text stays in the history.
/// </summary>
public sealed class EnteredInErrorModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : NotePageModel(fhir, gate, time)
{
    [BindProperty]
    public NoteForm Input { get; set; } = new();

    public Task<IActionResult> OnGetAsync(string id, string noteId, CancellationToken cancellationToken) =>
        RunAsync("read", 'R', id, noteId, FhirAction.Update, _ =>
        {
            Input = new NoteForm { PatientId = id, Version = Note!.VersionId };
            return System.Threading.Tasks.Task.FromResult<IActionResult>(Page());
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

            if (Note!.State == NoteState.EnteredInError)
            {
                return Redirect($"/patients/{id}/notes/{noteId}");
            }

            AddErrors(Input.ValidateEnteredInError());
            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            if (Note!.VersionId != Input.Version)
            {
                return Changed();
            }

            try
            {
                await Fhir.UpdateAsync(access, "DocumentReference", noteId, Input.EnteredInError(Document!, Writer(access), Clock.GetUtcNow()), $"W/\"{Input.Version}\"", cancellationToken);
            }
            catch (FhirException e) when (e.Status == 412)
            {
                // Changed between our read and our write.
                Document = await PatientReads.ReadAsync<Hl7.Fhir.Model.DocumentReference>(Fhir, access, noteId, cancellationToken);
                return Changed();
            }

            TempData["Notice"] = "Note marked as entered in error.";
            return Redirect($"/patients/{Uri.EscapeDataString(id)}/notes/{Uri.EscapeDataString(noteId)}");
        }, cancellationToken);
    }

    /// <summary>Someone saved a version since the form was opened: say who and when, save nothing.</summary>
    private IActionResult Changed()
    {
        ModelState.AddModelError("Input.Reason", $"This note was changed by {Note!.By} at {Time(Note.When)} since you opened it. Nothing was saved: read it again, then mark it if it is still wrong");
        Input.Version = Note.VersionId;
        return Page();
    }
}
