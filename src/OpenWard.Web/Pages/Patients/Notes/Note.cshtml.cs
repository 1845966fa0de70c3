using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Notes;

/// <summary>One note with every version of it (the DocumentReference's FHIR history): who, when, what it said.</summary>
public sealed class NoteModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : NotePageModel(fhir, gate, time)
{
    public IReadOnlyList<ClinicalNote> Versions { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public Task<IActionResult> OnGetAsync(string id, string noteId, CancellationToken cancellationToken) =>
        RunAsync("read", 'R', id, noteId, FhirAction.Read, async access =>
        {
            Versions = await NoteReads.HistoryAsync(Fhir, access, noteId, cancellationToken);
            return Page();
        }, cancellationToken);
}
