using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Smart;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Auth;

/// <summary>
/// GET /auth/authorize (SMART App Launch, OpenID Connect authorization endpoint): checks the
/// request, sends a signed-out user to sign in first, lets them choose a patient for a standalone
/// launch, and asks them to approve or deny the app. The forms post back to the same URL (query
/// included), so every step checks the whole request again.
/// </summary>
[EnableRateLimiting(RateLimits.Token)]
public sealed class AuthorizeModel(SmartApps apps, AccessFactory access, LaunchPatients patients, AuthorizationCodeGrant codes) : PageModel
{
    public AuthorizeError? Error { get; private set; }

    public AuthorizeRequest? AppRequest { get; private set; }

    public string UserDisplayName { get; private set; } = "";

    /// <summary>True when a patient must still be chosen (launch/patient or patient/ scopes).</summary>
    public bool ChoosingPatient { get; private set; }

    public LaunchPatient? Patient { get; private set; }

    public string? PatientProblem { get; private set; }

    /// <summary>What the user typed into the patient chooser.</summary>
    public string? PatientQuery { get; private set; }

    public Task<IActionResult> OnGetAsync() => StepAsync(decision: null);

    public Task<IActionResult> OnPostAsync([FromForm(Name = "decision")] string? decision) => StepAsync(decision ?? "");

    private async Task<IActionResult> StepAsync(string? decision)
    {
        // SecurityHeadersMiddleware already forbids framing (clickjacking) and caching.
        Response.Headers.CacheControl = "no-store";
        var (request, error) = AuthorizeRequestParser.Parse(name => Request.Query[name].FirstOrDefault(), apps, AuthEndpoints.FhirBaseUrl(Request));
        if (error is { ToUserOnly: true })
        {
            Error = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (error is not null)
        {
            return Redirect(AuthorizeRequestParser.RedirectWith(Request.Query["redirect_uri"]!, [new("error", error.Error), new("error_description", error.Description), new("state", Request.Query["state"].FirstOrDefault())]));
        }

        AppRequest = request!;
        HttpContext.Items[SecurityHeadersMiddleware.FormActionItem] = new Uri(AppRequest.RedirectUri).GetLeftPart(UriPartial.Authority);
        var userName = User.Identity?.IsAuthenticated == true && User.FindFirst(TokenClaims.Kind)?.Value == TokenClaims.StaffKind ? User.FindFirst(TokenClaims.Subject)?.Value : null;
        var account = userName is null ? null : await access.ActiveAccountAsync(userName, HttpContext.RequestAborted);
        if (account is null)
        {
            return Redirect("/signin?ReturnUrl=" + Uri.EscapeDataString($"{Request.PathBase}{Request.Path}{Request.QueryString}"));
        }

        UserDisplayName = account.DisplayName;
        if (decision == "deny")
        {
            return Redirect(AuthorizeRequestParser.RedirectWith(AppRequest.RedirectUri, [new("error", "access_denied"), new("error_description", "The user did not approve the app."), new("state", AppRequest.State)]));
        }

        if (AppRequest.NeedsPatient && decision is not null)
        {
            // The chosen patient is checked again on approval: the form could have been altered, or access ended meanwhile.
            PatientQuery = Request.Form["patient"].FirstOrDefault();
            (Patient, PatientProblem) = await patients.ChooseAsync(HttpContext, PatientQuery);
        }

        if (AppRequest.NeedsPatient && Patient is null)
        {
            ChoosingPatient = true;
            return Page();
        }

        if (decision != "approve")
        {
            return Page();
        }

        var code = await codes.IssueCodeAsync(AppRequest, account.UserName, Patient?.Id, HttpContext.RequestAborted);
        return Redirect(AuthorizeRequestParser.RedirectWith(AppRequest.RedirectUri, [new("code", code), new("state", AppRequest.State)]));
    }
}
