using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Clinical;
using OpenWard.Clinical.Medicines;
using OpenWard.Clinical.Medicines.Checks;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Validation;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.CdsHooks;
using OpenWard.Web.Fhir;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Oidc;
using OpenWard.Web.Security.Passwords;
using OpenWard.Web.Security.Smart;
using OpenWard.Web.Terminology;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Hosting;

/// <summary>Builds the OpenWard web application: services, security and endpoints.</summary>
public static class OpenWardHost
{
    public static OpenWardOptions ReadOptions(IConfiguration configuration)
    {
        // A JSON object under Jwks in appsettings.json becomes configuration sections, which do not
        // bind to the string property and would silently leave the client without keys.
        if (configuration.GetSection("OpenWard:Bootstrap:Jwks").GetChildren().Any())
        {
            throw new InvalidOperationException("OpenWard:Bootstrap:Jwks must be the JWK Set as a JSON string; in appsettings.json use JwksFile or put the JSON in quotes.");
        }

        return configuration.GetSection("OpenWard").Get<OpenWardOptions>() ?? new OpenWardOptions();
    }

    /// <summary>The formulary in use, checked in full at start-up: a file with problems stops the start with every problem listed.</summary>
    private static Formulary LoadFormulary(OpenWardOptions options)
    {
        try
        {
            return Formulary.Load(options.FormularyPath);
        }
        catch (InvalidFormularyException e)
        {
            throw new StartupRefusedException(e.Message);
        }
    }

    /// <summary>The services every command shares (store, indexing, validation, FHIR semantics).</summary>
    public static void AddOpenWardCore(IServiceCollection services, OpenWardOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(SearchParameterRegistry.Default);
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<SearchQueryParser>();
        services.AddSingleton(_ => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));
        services.AddSingleton<IResourceStore>(_ => StoreFactory.Create(options));
        services.AddSingleton(new MedicationChecks(LoadFormulary(options)));
        services.AddSingleton<OpenWard.Web.Medicines.ParsedResources>();
        services.AddSingleton(options.Escalation.ToPolicy());
        services.AddSingleton(services => ClinicalWriteRules.Create(services.GetRequiredService<MedicationChecks>(), services.GetRequiredService<TimeProvider>(), services.GetRequiredService<OpenWard.Clinical.Observations.EscalationPolicy>()));
        services.AddSingleton<FhirRestService>();
        services.AddSingleton(services => (SqlResourceStore)services.GetRequiredService<IResourceStore>());
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<StaffSessions>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<BreakGlassLedger>();
        services.AddSingleton<IJobQueue>(services => services.GetRequiredService<SqlResourceStore>().Jobs);
        services.AddSingleton<IChangeFeed>(services => services.GetRequiredService<SqlResourceStore>().ChangeFeed);
        services.AddSingleton<JobAdministration>();
        services.AddSingleton(new PasswordHasher());
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var options = ReadOptions(builder.Configuration);
        RefuseDemoClients(options);
        options.Jobs.Validate();
        options.ChangeNotices.Validate();
        var forwardedHeaders = ForwardedHeaders(options.ForwardedHeaders);
        AddOpenWardCore(builder.Services, options);
        builder.Services.AddSingleton<CapabilityStatementCache>();
        builder.Services.AddHostedService<StartupTasks>();
        builder.Services.AddSingleton(AuditAnchorKey.Load(options));
        builder.Services.AddSingleton<AuditAnchorWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditAnchorWriter>());
        // After StartupTasks, which migrates the schema they read.
        builder.Services.AddSingleton<IJobHandler, BreakGlassNotifications>();
        builder.Services.AddSingleton<IJobHandler, OpenWard.Web.Observations.EscalationDueHandler>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobRunner>());
        builder.Services.AddSingleton<ChangeNoticePoller>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ChangeNoticePoller>());

        var signingKey = SigningKey.Load(options.Auth.SigningKey, options.DataDirectory);
        builder.Services.AddSingleton(signingKey);
        builder.Services.AddSingleton<IReadOnlyList<RegisteredClient>>(BootstrapClients(options));
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<SqlReplayRegistry>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<CareRelationships>();
        builder.Services.AddSingleton(_ => ProblemTerminology.Load(options.DataDirectory));
        builder.Services.AddSingleton<AccessGate>();
        builder.Services.AddSingleton<OpenWard.Web.Medicines.MedicationRecord>();
        builder.Services.AddSingleton<OpenWard.Web.CdsHooks.PatientViewRecord>();
        builder.Services.AddSingleton<AccessFactory>();
        builder.Services.AddSingleton<StaffSignIn>();
        builder.Services.AddSingleton<BreakGlassService>();
        builder.Services.AddSingleton<AccessHistory>();
        builder.Services.AddSingleton<SystemReads>();
        builder.Services.AddSingleton<IAssertionReplayCache, DatabaseAssertionReplayCache>();
        builder.Services.AddSingleton<ClientAssertionValidator>();
        SmartServices.Add(builder.Services, options);
        // The API takes bearer tokens only (no cookies, so no cross-site request forgery); pages use the session cookie.
        var authentication = builder.Services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Bearer on /fhir and /cds-services, session elsewhere", policy =>
                policy.ForwardDefaultSelector = context => context.Request.Path.StartsWithSegments("/fhir") || context.Request.Path.StartsWithSegments("/cds-services") ? JwtBearerDefaults.AuthenticationScheme : StaffSignIn.SessionScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = TokenService.Issuer,
                    ValidAudience = TokenService.Audience,
                    IssuerSigningKey = signingKey.Key,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            })
            .AddCookie(StaffSignIn.SessionScheme, cookie =>
            {
                cookie.Cookie.Name = "openward-session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.Auth.SessionIdleMinutes);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/signin";
                cookie.AccessDeniedPath = "/signin";
                cookie.Events.OnValidatePrincipal = context => SessionLimits.ValidateAsync(context, TimeSpan.FromHours(options.Auth.SessionMaxHours));
            });
        OidcSignIn.Register(authentication, options.Oidc);
        // Session and antiforgery cookies are protected with keys kept beside the data, so that they
        // survive a restart; instances behind a load balancer share the data folder's keys.
        builder.Services.AddDataProtection()
            .SetApplicationName("OpenWard")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));
        builder.Services.AddAuthorization();
        builder.Services.AddRateLimiter(limiter => RateLimits.Configure(limiter, options.Auth));
        WebUi.AddServices(builder.Services);

        var app = builder.Build();
        if (forwardedHeaders is not null)
        {
            // First, so that everything after sees the client's address and scheme.
            app.UseForwardedHeaders(forwardedHeaders);
        }

        app.UseMiddleware<FhirErrorMiddleware>();
        WebUi.Use(app);
        app.UseAuthentication();
        app.UseRateLimiter();
        AuthEndpoints.Map(app);
        OidcSignIn.Map(app);
        FhirEndpoints.Map(app);
        CdsHooksEndpoints.Map(app);
        return app;
    }

    /// <summary>
    /// The bootstrap system client from configuration (a secret, a public JWK Set, or both); in
    /// demo mode without one, a demo client whose credentials are printed at start-up.
    /// </summary>
    /// <exception cref="InvalidOperationException">The JWK Set is misconfigured or unacceptable.</exception>
    public static List<RegisteredClient> BootstrapClients(OpenWardOptions options)
    {
        var bootstrap = options.Bootstrap;
        var secret = string.IsNullOrEmpty(bootstrap.ClientSecret) ? null : bootstrap.ClientSecret;
        var jwks = BootstrapJwks(bootstrap);
        var clients = new List<RegisteredClient>();
        if (!string.IsNullOrEmpty(bootstrap.ClientId) && (secret is not null || jwks is not null))
        {
            clients.Add(new RegisteredClient(bootstrap.ClientId, secret, bootstrap.Scopes, jwks));
        }
        else if (jwks is not null)
        {
            throw new InvalidOperationException("OpenWard:Bootstrap:Jwks or JwksFile is set without OpenWard:Bootstrap:ClientId.");
        }
        else if (options.DemoData)
        {
            clients.Add(new RegisteredClient(DemoClientId, DemoClientSecret, "system/*.cruds"));
        }

        return clients;
    }

    /// <summary>The demo clients' published ids and secret are refused outside demo mode, wherever they are configured.</summary>
    /// <exception cref="StartupRefusedException">A demo client is configured without demo mode.</exception>
    public static void RefuseDemoClients(OpenWardOptions options)
    {
        if (options.DemoData)
        {
            return;
        }

        string[] demoIds = [DemoClientId, SmartApps.DemoClientId];
        if (demoIds.Contains(options.Bootstrap.ClientId) || options.Bootstrap.ClientSecret == DemoClientSecret || options.Apps.Any(app => demoIds.Contains(app.ClientId)))
        {
            throw new StartupRefusedException(
                $"The demo clients ({DemoClientId}, {SmartApps.DemoClientId}) and the demo secret are published and work only in demo mode (--demo): register a client of your own under OpenWard:Bootstrap or OpenWard:Apps.");
        }
    }

    /// <summary>Forwarded headers from the configured proxies only; null when none is configured (the headers are then ignored).</summary>
    /// <exception cref="StartupRefusedException">An entry is not an IP address or a CIDR network.</exception>
    public static ForwardedHeadersOptions? ForwardedHeaders(ForwardedHeadersSettings settings)
    {
        if (settings.KnownProxies.Count == 0 && settings.KnownNetworks.Count == 0)
        {
            return null;
        }

        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            // Walk back through the proxies' own entries, stopping at the first address that is not a known proxy.
            ForwardLimit = null,
        };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in settings.KnownProxies)
        {
            forwarded.KnownProxies.Add(System.Net.IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new StartupRefusedException($"OpenWard:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
        }

        foreach (var network in settings.KnownNetworks)
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new StartupRefusedException($"OpenWard:ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR form (e.g. 10.0.0.0/24)."));
        }

        return forwarded;
    }

    private static JsonWebKeySet? BootstrapJwks(BootstrapOptions bootstrap)
    {
        var inline = !string.IsNullOrWhiteSpace(bootstrap.Jwks);
        var file = !string.IsNullOrWhiteSpace(bootstrap.JwksFile);
        return (inline, file) switch
        {
            (true, true) => throw new InvalidOperationException("Set OpenWard:Bootstrap:Jwks or OpenWard:Bootstrap:JwksFile, not both."),
            (true, false) => ClientJwks.Parse(bootstrap.Jwks!, "OpenWard:Bootstrap:Jwks"),
            (false, true) => ClientJwks.Load(bootstrap.JwksFile!, "OpenWard:Bootstrap:JwksFile"),
            _ => null,
        };
    }

    private const string SelectorScheme = "openward";

    /// <summary>Demo-mode credentials: published on purpose, never valid outside demo mode.</summary>
    public const string DemoClientId = "openward-demo";

    public const string DemoClientSecret = "demo-secret-not-for-real-data";
}
