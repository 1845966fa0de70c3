using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Security;
using OpenWard.Storage;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Admin;

/// <summary>The system administrator's view of the background job queue, newest first, with a retry for dead jobs.</summary>
public sealed class JobsModel(JobAdministration jobs, AccessFactory accessFactory) : PageModel
{
    public IReadOnlyList<Job> Jobs { get; private set; } = [];

    /// <summary>The state shown, or null for every state.</summary>
    public JobState? State { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(string? state, CancellationToken cancellationToken)
    {
        var (principal, refusal) = await AdministratorAsync();
        if (principal is null)
        {
            return refusal!;
        }

        State = JobAdministration.ParseState(state);
        Jobs = await jobs.ListAsync(State, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken cancellationToken)
    {
        var (principal, refusal) = await AdministratorAsync();
        if (principal is null)
        {
            return refusal!;
        }

        Notice = await jobs.RetryAsync(principal, id, AccessFactory.Address(HttpContext), cancellationToken)
            ? $"Job {id} will run again."
            : $"Job {id} is not dead (it may have been retried already), so it was left as it is.";
        return RedirectToPage(new { state = "dead" });
    }

    /// <summary>The signed-in system administrator, or what to answer anyone else.</summary>
    private async Task<(Principal? Principal, IActionResult? Refusal)> AdministratorAsync()
    {
        var access = await accessFactory.ForPageAsync(HttpContext, new RequestDescription("search-type", 'E', AccessFactory.Address(HttpContext)));
        return access?.Principal switch
        {
            null => (null, Challenge()),
            { Role: JobAdministration.AdministratorRole } administrator => (administrator, null),
            _ => (null, Forbid()),
        };
    }
}
