using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages;

/// <summary>Ends the session (POST only, with the antiforgery token, so a link elsewhere cannot sign anyone out).</summary>
public sealed class SignOutModel(StaffSignIn signIn) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await signIn.SignOutAsync(HttpContext, cancellationToken);
        return LocalRedirect("/signin");
    }
}
