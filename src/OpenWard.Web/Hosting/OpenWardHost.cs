using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Validation;
using OpenWard.Storage;
using OpenWard.Web.Fhir;
using OpenWard.Web.Security;

namespace OpenWard.Web.Hosting;

/// <summary>Builds the OpenWard web application: services, security and endpoints.</summary>
public static class OpenWardHost
{
    public static OpenWardOptions ReadOptions(IConfiguration configuration) =>
        configuration.GetSection("OpenWard").Get<OpenWardOptions>() ?? new OpenWardOptions();

    /// <summary>The services every command shares (store, indexing, validation, FHIR semantics).</summary>
    public static void AddOpenWardCore(IServiceCollection services, OpenWardOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(SearchParameterRegistry.Default);
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<SearchQueryParser>();
        services.AddSingleton(_ => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));
        services.AddSingleton<IResourceStore>(_ => StoreFactory.Create(options));
        services.AddSingleton<FhirRestService>();
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var options = ReadOptions(builder.Configuration);
        AddOpenWardCore(builder.Services, options);
        builder.Services.AddSingleton<CapabilityStatementCache>();
        builder.Services.AddHostedService<StartupTasks>();

        var signingKey = SigningKey.Load(options.Auth.SigningKey, options.DataDirectory);
        builder.Services.AddSingleton(signingKey);
        builder.Services.AddSingleton<IReadOnlyList<RegisteredClient>>(BootstrapClients(options));
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = TokenService.Issuer,
                ValidAudience = TokenService.Audience,
                IssuerSigningKey = signingKey.Key,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseMiddleware<FhirErrorMiddleware>();
        app.UseAuthentication();
        app.MapGet("/", () => Results.Text(
            "OpenWard FHIR R4 server. API: /fhir (capabilities at /fhir/metadata). Token endpoint: POST /auth/token (client credentials).\n",
            "text/plain"));
        AuthEndpoints.Map(app);
        FhirEndpoints.Map(app);
        return app;
    }

    /// <summary>
    /// The bootstrap system client from configuration; in demo mode without one, a demo client
    /// whose credentials are printed at start-up.
    /// </summary>
    public static List<RegisteredClient> BootstrapClients(OpenWardOptions options)
    {
        var clients = new List<RegisteredClient>();
        if (!string.IsNullOrEmpty(options.Bootstrap.ClientId) && !string.IsNullOrEmpty(options.Bootstrap.ClientSecret))
        {
            clients.Add(new RegisteredClient(options.Bootstrap.ClientId, options.Bootstrap.ClientSecret, options.Bootstrap.Scopes));
        }
        else if (options.DemoData)
        {
            clients.Add(new RegisteredClient(DemoClientId, DemoClientSecret, "system/*.cruds"));
        }

        return clients;
    }

    /// <summary>Demo-mode credentials: published on purpose, never valid outside demo mode.</summary>
    public const string DemoClientId = "openward-demo";

    public const string DemoClientSecret = "demo-secret-not-for-real-data";
}
