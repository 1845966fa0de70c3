using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security.Oidc;

namespace OpenWard.Web.Security.Smart;

/// <summary>The services of SMART App Launch (OpenWard as authorization server and OpenID Connect provider) and of sign-in through the trust's provider.</summary>
public static class SmartServices
{
    public static void Add(IServiceCollection services, OpenWardOptions options)
    {
        services.AddSingleton(SmartApps.FromOptions(options));
        services.AddSingleton<AuthorizationCodes>();
        services.AddSingleton(IdTokenKey.Load(options.Auth.IdTokenKeyFile, options.DataDirectory));
        services.AddSingleton<IdTokenIssuer>();
        services.AddSingleton<AuthorizationCodeGrant>();
        services.AddSingleton<LaunchPatients>();
        services.AddSingleton<OidcSignIn>();
    }
}
