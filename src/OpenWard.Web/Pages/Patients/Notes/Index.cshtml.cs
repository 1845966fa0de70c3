using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Notes;

/// <summary>The chart's Notes tab: the patient's clinical notes, most recent first.</summary>
public sealed class IndexModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : NotePageModel(fhir, gate, time)
{
    /// <summary>How many notes the tab shows.</summary>
    public const int Shown = 100;

    public IReadOnlyList<ClinicalNote> Notes { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        RunAsync("search-type", 'E', id, null, FhirAction.Read, async access =>
        {
            Notes = await NoteReads.RecentAsync(Fhir, access, id, Shown, cancellationToken);
            return Page();
        }, cancellationToken);
}
