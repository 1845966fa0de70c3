using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Pages.Patients;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Wards;

/// <summary>
/// The large-screen ward board for the nurses' station (issue #19): one ward's in-hospital patients
/// by risk, as on My patients (<see cref="IndexModel.WardListAsync(FhirRestService, TimeProvider, IFhirAccess, string, DateOnly, CancellationToken)"/>,
/// ordered by <see cref="Ui.WardBoard"/>), in large type, refreshed every
/// <see cref="RefreshSeconds"/> seconds by a meta refresh (no script).
/// </summary>
/// <remarks>
/// ASSUMPTION: the board shows the patient's name as the ward list does, not initials. It is behind
/// sign-in, for staff of the ward only, on a screen in the staff area of the nurses' station; a
/// screen patients and visitors can see needs initials instead (a trust's decision, not made here).
/// It shows only bed, name, NEWS2, trend, observations due and escalations: no NHS number, age,
/// diagnosis or alerts.
/// </remarks>
public sealed class BoardModel(FhirRestService fhir, TimeProvider time) : PageModel
{
    public const int RefreshSeconds = 60;

    /// <summary>
    /// "off" stops the refresh. WCAG 2.2 success criterion 2.2.1 (Timing Adjustable) asks that a user
    /// can turn off a time limit such as a timed refresh: the page links to itself without it, so
    /// someone reading the board at a desk is not interrupted. A wall screen keeps it on (a live
    /// monitor is the criterion's real-time exception).
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public string? Refresh { get; set; }

    public bool Refreshing => Refresh != "off";

    public IndexModel.WardList? Ward { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public TimeZoneInfo Zone => time.LocalTimeZone;

    public async Task<IActionResult> OnGetAsync(string wardId, CancellationToken cancellationToken)
    {
        var shown = await PageAccess.RunAsync(HttpContext, "search-type", 'E', async access =>
        {
            // Only the wards the user works on: the same list My patients shows them.
            if (!access.Principal.Wards.Contains(wardId))
            {
                return (IActionResult)NotFound();
            }

            Now = time.GetUtcNow();
            Ward = await IndexModel.WardListAsync(fhir, time, access, wardId, DateOnly.FromDateTime(time.GetLocalNow().DateTime), cancellationToken);
            return Page();
        });
        return shown ?? Challenge();
    }
}
