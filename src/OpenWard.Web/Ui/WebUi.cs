using System.IO.Compression;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.ResponseCompression;

namespace OpenWard.Web.Ui;

/// <summary>
/// The server-rendered staff interface: Razor Pages in Pages/ styled with the NHS design system,
/// its static files, security headers and HTML error pages (docs/implementation/web-ui.md).
/// </summary>
public static class WebUi
{
    /// <summary>Paths that answer machines, not people: they keep their own error bodies (OperationOutcome, OAuth JSON).</summary>
    private static readonly string[] ApiPaths = ["/fhir", "/auth"];

    public static void AddServices(IServiceCollection services)
    {
        services.AddRazorPages().ConfigureApplicationPartManager(parts =>
        {
            // Pages are compiled into this assembly. When the host is started from another entry
            // assembly (tests), ASP.NET Core does not find them on its own.
            var assembly = typeof(WebUi).Assembly;
            if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(part => part.Assembly == assembly))
            {
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    parts.ApplicationParts.Add(part);
                }
            }
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "OpenWard.Antiforgery";
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // SecurityHeadersMiddleware sends the stricter X-Frame-Options: DENY on every response.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/json", "application/manifest+json"];
        });
        services.Configure<BrotliCompressionProviderOptions>(brotli => brotli.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(gzip => gzip.Level = CompressionLevel.Fastest);
    }

    /// <summary>Adds the interface's middleware and pages. Call it straight after the FHIR error middleware.</summary>
    public static void Use(WebApplication app)
    {
        var webRoot = StaticAssets.UseWebRoot(app.Environment);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        // Over HTTPS only static files are compressed: compressing pages that mix secrets with
        // text an attacker can influence exposes the secrets to BREACH-style guessing.
        app.UseWhen(context => !context.Request.IsHttps || StaticAssets.IsStaticPath(context.Request.Path), branch => branch.UseResponseCompression());
        app.UseStaticFiles(StaticAssets.Options(webRoot));
        app.UseWhen(context => !IsApiPath(context.Request.Path), pages =>
        {
            pages.UseExceptionHandler("/Error");
            pages.UseStatusCodePagesWithReExecute("/Error/{0}");
        });
        // Routing after the error handlers, so that the requests they re-run are routed to the
        // error page (inside a UseWhen branch they cannot re-route by themselves).
        app.UseRouting();
        app.MapRazorPages();
    }

    public static bool IsApiPath(PathString path) => ApiPaths.Any(api => path.StartsWithSegments(api, StringComparison.OrdinalIgnoreCase));
}
