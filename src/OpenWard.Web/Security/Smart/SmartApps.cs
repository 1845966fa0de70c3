using System.Security.Cryptography;
using System.Text;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Security.Smart;

/// <summary>A registered user-facing app: who it is, where codes may be sent, and the most it may be granted.</summary>
public sealed record SmartApp(string ClientId, string? ClientSecret, IReadOnlyList<string> RedirectUris, string Scopes, string Name)
{
    /// <summary>A public client has no secret; only PKCE ties its code to it.</summary>
    public bool IsPublic => ClientSecret is null;

    /// <summary>Exact string comparison, as OAuth 2.0 Security BCP (RFC 9700 §4.1.3) requires.</summary>
    public bool HasRedirectUri(string? redirectUri) => redirectUri is not null && RedirectUris.Contains(redirectUri, StringComparer.Ordinal);
}

/// <summary>The apps registered under <c>OpenWard:Apps</c>, and in demo mode a demo public app.</summary>
public sealed class SmartApps
{
    /// <summary>Demo mode's public app: published on purpose, registered only with <c>--demo</c>.</summary>
    public const string DemoClientId = "openward-demo-app";

    /// <summary>An illustrative local redirect URI for trying the flow with a tool on the same machine.</summary>
    public const string DemoRedirectUri = "http://localhost:8400/callback";

    private readonly Dictionary<string, SmartApp> _apps = new(StringComparer.Ordinal);

    public SmartApps(IEnumerable<SmartApp> apps)
    {
        foreach (var app in apps)
        {
            if (!_apps.TryAdd(app.ClientId, app))
            {
                throw new InvalidOperationException($"OpenWard:Apps registers client id {app.ClientId} twice.");
            }
        }
    }

    /// <exception cref="InvalidOperationException">An app is misconfigured.</exception>
    public static SmartApps FromOptions(OpenWardOptions options)
    {
        var apps = new List<SmartApp>();
        foreach (var app in options.Apps)
        {
            if (string.IsNullOrWhiteSpace(app.ClientId) || app.RedirectUris.Count == 0)
            {
                throw new InvalidOperationException("Every entry of OpenWard:Apps needs a ClientId and at least one RedirectUris entry.");
            }

            foreach (var uri in app.RedirectUris)
            {
                // RFC 6749 §3.1.2: an absolute URI without a fragment.
                if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Fragment.Length > 0)
                {
                    throw new InvalidOperationException($"OpenWard:Apps {app.ClientId}: redirect URI {uri} must be absolute and without a #fragment.");
                }
            }

            apps.Add(new SmartApp(app.ClientId, string.IsNullOrEmpty(app.ClientSecret) ? null : app.ClientSecret, [.. app.RedirectUris], app.Scopes, app.Name ?? app.ClientId));
        }

        if (options.DemoData && apps.All(a => a.ClientId != DemoClientId))
        {
            apps.Add(new SmartApp(DemoClientId, null, [DemoRedirectUri], "user/*.rs patient/*.rs", "OpenWard demo app"));
        }

        return new SmartApps(apps);
    }

    public SmartApp? Find(string? clientId) => clientId is not null && _apps.TryGetValue(clientId, out var app) ? app : null;

    /// <summary>
    /// The app making a token request: a confidential app must present its secret; a public app
    /// only names itself (and must not send a secret it does not have). Null when neither holds.
    /// </summary>
    public SmartApp? Authenticate(string? clientId, string? clientSecret)
    {
        var app = Find(clientId);
        return app switch
        {
            null => null,
            { ClientSecret: null } => clientSecret is null ? app : null,
            _ => clientSecret is not null && FixedTimeEquals(app.ClientSecret, clientSecret) ? app : null,
        };
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(actual)));
}
