using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Oidc;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages;

/// <summary>Staff sign-in with a local account (and, when configured, the trust's identity provider).</summary>
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class SignInModel(StaffSignIn signIn, OidcSignIn oidc, OpenWardOptions options, StaffDirectory staff) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    /// <summary>Never sent back to the page.</summary>
    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>In demo mode, the demo accounts to try, one per role.</summary>
    public IReadOnlyList<StaffAccount> DemoAccounts => options.DemoData ? DemoStaff.Accounts : [];

    /// <summary>The trust's identity provider, when one is configured: its button and where it starts.</summary>
    public OidcSignIn Oidc => oidc;

    public const string RefusedMessage =
        "Enter a correct user name and password. After several wrong passwords, sign-in from this device pauses for a few minutes";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(UserName))
        {
            ModelState.AddModelError(nameof(UserName), "Enter your user name");
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), "Enter your password");
        }

        if (ModelState.ErrorCount > 0)
        {
            return Page();
        }

        var outcome = await signIn.SignInAsync(HttpContext, UserName!, Password!, cancellationToken);
        Password = null;
        switch (outcome)
        {
            case SignInOutcome.SignedIn:
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : StaffHome.For((await staff.FindAsync(UserName!.Trim(), cancellationToken))?.Role));
            default:
                // One answer for an unknown user, a wrong password, a disabled account and paused attempts: none is told apart.
                ModelState.AddModelError(nameof(Password), RefusedMessage);
                return Page();
        }
    }
}
