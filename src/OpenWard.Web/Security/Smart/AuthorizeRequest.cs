using System.Text.RegularExpressions;
using OpenWard.Security;
using OpenWard.Security.Policy;

namespace OpenWard.Web.Security.Smart;

/// <summary>
/// A checked authorization request (RFC 6749 §4.1.1, SMART App Launch
/// https://hl7.org/fhir/smart-app-launch/app-launch.html#obtain-authorization-code, PKCE RFC 7636):
/// the app, where its answer goes, and what it may be granted.
/// </summary>
public sealed record AuthorizeRequest(
    SmartApp App,
    string RedirectUri,
    string State,
    string GrantedScope,
    string CodeChallenge,
    string? Nonce,
    bool NeedsPatient)
{
    public const string OpenId = "openid";
    public const string LaunchPatient = "launch/patient";

    /// <summary>Scopes about the user and the launch rather than about resources; granted whenever asked.</summary>
    public static readonly string[] IdentityScopes = [OpenId, "fhirUser", "profile", LaunchPatient];

    public IEnumerable<string> Scopes => GrantedScope.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>True when any granted scope is a patient/ one: the whole token, user/ scopes included, reaches only the chosen patient's record.</summary>
    public bool ConfinedToPatient => new SmartScopes(GrantedScope, SmartScopes.User, SmartScopes.Patient).HasPatientContext;
}

/// <summary>Why an authorization request was refused, and how to tell the app (or, when it cannot be trusted, only the user).</summary>
/// <param name="ToUserOnly">True when the client or redirect URI is not registered: show a page, never redirect (RFC 6749 §4.1.2.1).</param>
public sealed record AuthorizeError(string Error, string Description, bool ToUserOnly);

public static partial class AuthorizeRequestParser
{
    /// <summary>Checks the query of GET /auth/authorize (or the same values posted back from the consent page).</summary>
    /// <param name="fhirBaseUrl">The FHIR endpoint's absolute URL: what <c>aud</c> must name.</param>
    public static (AuthorizeRequest? Request, AuthorizeError? Error) Parse(Func<string, string?> parameter, SmartApps apps, string fhirBaseUrl)
    {
        var app = apps.Find(parameter("client_id"));
        if (app is null)
        {
            return (null, new AuthorizeError("invalid_client", "This app is not registered with OpenWard.", ToUserOnly: true));
        }

        var redirectUri = parameter("redirect_uri");
        if (!app.HasRedirectUri(redirectUri))
        {
            return (null, new AuthorizeError("invalid_request", $"The redirect URI is not one registered for {app.Name}.", ToUserOnly: true));
        }

        if (parameter("response_type") != "code")
        {
            return Fail("unsupported_response_type", "Only response_type=code is supported.");
        }

        var state = parameter("state");
        if (string.IsNullOrEmpty(state))
        {
            return Fail("invalid_request", "state is required.");
        }

        var challenge = parameter("code_challenge");
        if (parameter("code_challenge_method") != "S256" || challenge is null || !S256Challenge().IsMatch(challenge))
        {
            return Fail("invalid_request", "PKCE is required: send code_challenge (the base64url SHA-256 of your code_verifier) with code_challenge_method=S256.");
        }

        var requested = (parameter("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        var resourceScopes = requested.Where(IsResourceScope).ToList();
        if (resourceScopes.Count > 0 && !SameUrl(parameter("aud"), fhirBaseUrl))
        {
            return Fail("invalid_request", $"aud must be this server's FHIR base URL, {fhirBaseUrl}.");
        }

        var granted = Grant(requested, app.Scopes);
        if (!granted.Any(IsResourceScope) && !granted.Contains(AuthorizeRequest.OpenId))
        {
            return Fail("invalid_scope", $"None of the requested scopes may be granted to {app.Name}.");
        }

        var grantedScope = string.Join(' ', granted);
        var needsPatient = granted.Contains(AuthorizeRequest.LaunchPatient) || new SmartScopes(grantedScope, SmartScopes.Patient).HasPatientContext;
        var nonce = parameter("nonce");
        return (new AuthorizeRequest(app, redirectUri!, state, grantedScope, challenge, string.IsNullOrEmpty(nonce) ? null : nonce, needsPatient), null);

        (AuthorizeRequest?, AuthorizeError?) Fail(string error, string description) => (null, new AuthorizeError(error, description, ToUserOnly: false));
    }

    /// <summary>
    /// The requested scopes the app may have: identity and launch scopes as asked, and each user/
    /// or patient/ resource scope that one of the app's allowed scopes covers (same context, same
    /// type or *, a subset of its permissions). system/ scopes are never granted to a user's app.
    /// </summary>
    public static List<string> Grant(IEnumerable<string> requested, string allowedScopes)
    {
        var allowed = allowedScopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => SmartScopes.TryParse(s, out var context, out var type, out var actions) ? (context, type, actions) : default)
            .Where(a => a.context is SmartScopes.User or SmartScopes.Patient)
            .ToList();
        var granted = new List<string>();
        foreach (var scope in requested.Distinct())
        {
            if (AuthorizeRequest.IdentityScopes.Contains(scope))
            {
                granted.Add(scope);
            }
            else if (SmartScopes.TryParse(scope, out var context, out var type, out var actions)
                && allowed.Any(a => a.context == context && (a.type == "*" || a.type == type) && actions.IsSubsetOf(a.actions)))
            {
                granted.Add(scope);
            }
        }

        return granted;
    }

    /// <summary>True for anything shaped like a SMART resource scope (context/type.permissions), well formed or not.</summary>
    public static bool IsResourceScope(string scope) =>
        scope.StartsWith(SmartScopes.User + "/", StringComparison.Ordinal)
        || scope.StartsWith(SmartScopes.Patient + "/", StringComparison.Ordinal)
        || scope.StartsWith(SmartScopes.System + "/", StringComparison.Ordinal);

    /// <summary>The URL of the error answer (RFC 6749 §4.1.2.1) or of the code (§4.1.2).</summary>
    public static string RedirectWith(string redirectUri, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var query = string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
        return redirectUri + (redirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    /// <summary>A scope in plain English for the consent page.</summary>
    /// <param name="confined">True when the token will be confined to the chosen patient (<see cref="AuthorizeRequest.ConfinedToPatient"/>): its user/ scopes reach no other patient either.</param>
    public static string Describe(string scope, bool confined = false)
    {
        switch (scope)
        {
            case AuthorizeRequest.OpenId:
                return "Confirm to the app who you are";
            case "profile":
                return "See your name and user name";
            case "fhirUser":
                return "See your own entry in the record (your Practitioner details)";
            case AuthorizeRequest.LaunchPatient:
                return "Know which patient you chose";
        }

        if (!SmartScopes.TryParse(scope, out var context, out var type, out var actions))
        {
            return scope;
        }

        var verbs = new List<string>();
        foreach (var (action, verb) in new[] { (FhirAction.Read, "read"), (FhirAction.Search, "search"), (FhirAction.Create, "create"), (FhirAction.Update, "change"), (FhirAction.Delete, "delete") })
        {
            if (actions.Contains(action))
            {
                verbs.Add(verb);
            }
        }

        var what = type == "*" ? "all kinds of information" : $"{type} information";
        var whose = (context == SmartScopes.Patient || confined, type) switch
        {
            (false, _) => "in the records you are allowed to see",
            (true, "*") => "in the chosen patient's record, and information about no patient (such as wards, staff and medicines)",
            (true, _) when DataCategories.Of(type) == DataCategory.Directory => "(which is about no patient)",
            _ => "in the chosen patient's record",
        };
        var list = verbs.Count == 1 ? verbs[0] : string.Join(", ", verbs.Take(verbs.Count - 1)) + " and " + verbs[^1];
        return $"{char.ToUpperInvariant(list[0])}{list[1..]} {what} {whose}";
    }

    private static bool SameUrl(string? aud, string fhirBaseUrl) =>
        aud is not null && string.Equals(aud.TrimEnd('/'), fhirBaseUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    // RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters without padding.
    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex S256Challenge();
}
