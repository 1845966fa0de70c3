using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Security.Oidc;

/// <summary>
/// Staff sign-in through the trust's OpenID Connect provider (e.g. NHS CIS2), configured under
/// <c>OpenWard:Oidc</c>. The provider vouches for a person; OpenWard decides what they may do: the
/// provider's subject must be linked to an active staff account (<see cref="StaffAccount.ExternalSubject"/>),
/// otherwise the sign-in is refused and audited. Nobody gets an account by signing in.
/// </summary>
public sealed class OidcSignIn(OpenWardOptions options, StaffDirectory staff, AuditTrail audit, TimeProvider time)
{
    public const string Scheme = "oidc";
    public const string ChallengePath = "/signin/oidc";
    public const string CallbackPath = "/signin-oidc";
    public const string RefusedPath = "/signin/oidc/refused";

    /// <summary>True when a provider is configured: show the "Sign in with ..." button.</summary>
    public bool IsConfigured => IsConfiguredIn(options.Oidc);

    /// <summary>The button's text, e.g. "NHS Care Identity".</summary>
    public string DisplayName => options.Oidc.DisplayName;

    public static bool IsConfiguredIn(OidcOptions oidc) => !string.IsNullOrWhiteSpace(oidc.Authority) && !string.IsNullOrWhiteSpace(oidc.ClientId);

    /// <summary>Registers the OpenID Connect handler when a provider is configured.</summary>
    public static void Register(AuthenticationBuilder authentication, OidcOptions oidc)
    {
        if (!IsConfiguredIn(oidc))
        {
            return;
        }

        authentication.AddOpenIdConnect(Scheme, oidc.DisplayName, handler =>
        {
            handler.Authority = oidc.Authority;
            handler.ClientId = oidc.ClientId;
            handler.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
            handler.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            handler.ResponseType = OpenIdConnectResponseType.Code;
            // The code comes back on a top-level GET, so SameSite=Lax cookies reach the callback.
            handler.ResponseMode = OpenIdConnectResponseMode.Query;
            handler.UsePkce = true;
            handler.CallbackPath = CallbackPath;
            handler.SignInScheme = StaffSignIn.SessionScheme;
            handler.MapInboundClaims = false;
            handler.SaveTokens = false;
            handler.GetClaimsFromUserInfoEndpoint = false;
            handler.Scope.Clear();
            foreach (var scope in ("openid " + oidc.Scopes).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct())
            {
                handler.Scope.Add(scope);
            }

            foreach (var cookie in new[] { handler.CorrelationCookie, handler.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }

            handler.Events.OnTokenValidated = context => context.HttpContext.RequestServices.GetRequiredService<OidcSignIn>().CompleteAsync(context);
            handler.Events.OnRemoteFailure = context => context.HttpContext.RequestServices.GetRequiredService<OidcSignIn>().FailedAsync(context);
        });
    }

    public static void Map(WebApplication app)
    {
        app.MapGet(ChallengePath, (HttpContext context, OidcSignIn signIn, string? returnUrl) =>
            signIn.IsConfigured
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = IsLocal(context, returnUrl) ? returnUrl : "/" }, [Scheme])
                : Results.NotFound())
            .RequireRateLimiting(RateLimits.SignIn);
    }

    /// <summary>The provider vouched for someone: start their session if they are linked to an active account, else refuse.</summary>
    private async Task CompleteAsync(TokenValidatedContext context)
    {
        var subject = context.Principal?.FindFirst(options.Oidc.SubjectClaim)?.Value;
        var account = string.IsNullOrEmpty(subject) ? null : await staff.FindByExternalSubjectAsync(subject, context.HttpContext.RequestAborted);
        context.HandleResponse();
        if (account is null || account.Disabled)
        {
            var who = new Principal(PrincipalKind.Staff, subject ?? "unknown", subject ?? "unknown");
            await AuditAsync(context.HttpContext, who, "login-failed", 4,
                account is null ? $"The {DisplayName} identity is not linked to an OpenWard account." : "The linked OpenWard account is disabled.");
            context.Response.Redirect(RefusedPath);
            return;
        }

        await StaffSignIn.StartSessionAsync(context.HttpContext, account);
        await AuditAsync(context.HttpContext, account.ToPrincipal(), "login", 0, $"Signed in through {DisplayName}.");
        var returnUrl = context.Properties?.RedirectUri;
        context.Response.Redirect(IsLocal(context.HttpContext, returnUrl) ? returnUrl! : "/");
    }

    /// <summary>The provider refused, or its answer could not be checked: nobody is signed in.</summary>
    private async Task FailedAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        // The provider's error code only: exception messages can quote parts of the tokens.
        var error = context.Request.Query["error"].FirstOrDefault();
        await AuditAsync(context.HttpContext, new Principal(PrincipalKind.Staff, "unknown", "unknown"), "login-failed", 4,
            error is null ? $"The answer from {DisplayName} could not be verified." : $"{DisplayName} answered {error}.");
        context.Response.Redirect(RefusedPath + "?reason=failed");
    }

    private Task AuditAsync(HttpContext context, Principal who, string interaction, int outcome, string description) =>
        audit.RecordAsync(
            new AuditRecord(time.GetUtcNow(), who, interaction, AuditAction.Execute, outcome)
            {
                Address = AccessFactory.Address(context),
                OutcomeDescription = description,
            },
            context.RequestAborted);

    /// <summary>
    /// Only this site's own paths, never an open redirect: the framework's <c>Url.IsLocalUrl</c>,
    /// which also refuses <c>//host</c>, <c>/\host</c> and control characters (browsers drop a tab
    /// in <c>/\t/host</c>, making it <c>//host</c>).
    /// </summary>
    public static bool IsLocal(HttpContext context, string? url) =>
        context.RequestServices.GetRequiredService<IUrlHelperFactory>()
            .GetUrlHelper(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()))
            .IsLocalUrl(url);
}
