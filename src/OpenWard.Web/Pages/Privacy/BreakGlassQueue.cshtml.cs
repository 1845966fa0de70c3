using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Privacy;

/// <summary>The privacy officer's queue of break-glass accesses to review, oldest first.</summary>
public sealed class BreakGlassQueueModel(BreakGlassService breakGlass, AccessFactory accessFactory, StaffDirectory staff) : PageModel
{
    public IReadOnlyList<(BreakGlassGrant Grant, string Who)> Queue { get; private set; } = [];

    /// <summary>The signed-in privacy officer: their own grants are shown without the review form.</summary>
    public string? ReviewerId { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var reviewer = await ReviewerAsync();
        if (reviewer is null)
        {
            return Challenge();
        }

        if (reviewer.Role != StaffRole.PrivacyOfficer)
        {
            return Forbid();
        }

        ReviewerId = reviewer.Id;
        var queue = new List<(BreakGlassGrant, string)>();
        foreach (var grant in await breakGlass.QueueAsync(reviewer, cancellationToken))
        {
            var who = await staff.FindAsync(grant.UserName, cancellationToken);
            queue.Add((grant, who is null ? grant.UserName : $"{who.DisplayName} ({who.Role})"));
        }

        Queue = queue;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string grantId, string? outcome, string? note, CancellationToken cancellationToken)
    {
        var reviewer = await ReviewerAsync();
        if (reviewer is null)
        {
            return Challenge();
        }

        if (reviewer.Role != StaffRole.PrivacyOfficer)
        {
            return Forbid();
        }

        try
        {
            Notice = await breakGlass.ReviewAsync(reviewer, grantId, outcome ?? "", note, AccessFactory.Address(HttpContext), cancellationToken)
                ? "Review recorded."
                : "Someone else has already reviewed that access; their review stands.";
        }
        catch (BreakGlassRefusedException e)
        {
            Notice = e.Message;
        }

        return RedirectToPage();
    }

    private async Task<Principal?> ReviewerAsync() =>
        (await accessFactory.ForPageAsync(HttpContext, new RequestDescription("search-type", 'E', AccessFactory.Address(HttpContext))))?.Principal;
}
