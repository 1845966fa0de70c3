using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Notes;

/// <summary>
/// Write a note, from a template (?template= re-renders the page with its headings in the text box,
/// so choosing one works without JavaScript), and save it as a draft or sign it. Written through
/// <see cref="FhirRestService"/> with the user's access; the form names the patient and posts their id back.
/// </summary>
public sealed class NewModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : NotePageModel(fhir, gate, time)
{
    [BindProperty]
    public NoteForm Input { get; set; } = new();

    public Task<IActionResult> OnGetAsync(string id, string? template, CancellationToken cancellationToken)
    {
        var chosen = ClinicalNote.Template(template) ?? ClinicalNote.Templates[0];
        Input = new NoteForm { PatientId = id, Template = chosen.Key, Text = chosen.Headings };
        return RunAsync("read", 'R', id, null, FhirAction.Create, _ => Task.FromResult<IActionResult>(Page()), cancellationToken);
    }

    public Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        // Whatever the model binder made of the form is replaced by the form's own checks.
        ModelState.Clear();
        return RunAsync("create", 'C', id, null, FhirAction.Create, async access =>
        {
            if (IsForAnotherPatient(Input.PatientId, id))
            {
                Input = new NoteForm { PatientId = id, Template = Input.Template, Text = Input.Text, Title = Input.Title };
                return Page();
            }

            AddErrors(Input.ValidateNote());
            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var document = Input.ToResource(id, Writer(access), Clock.GetUtcNow());
            var created = await Fhir.CreateAsync(access, "DocumentReference", document, null, cancellationToken);
            TempData["Notice"] = Input.Action == NoteForm.SignAction ? "Note signed." : "Note saved as a draft.";
            return Redirect($"/patients/{Uri.EscapeDataString(id)}/notes/{Uri.EscapeDataString(created.Stored!.Id)}");
        }, cancellationToken);
    }
}
