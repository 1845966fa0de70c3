using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace OpenWard.Web.Ui;

/// <summary>
/// The files in wwwroot: ours (css/, js/) and the copies the build takes from client/node_modules
/// (vendor/, and the NHS design system's assets/ at /assets, where its stylesheet looks for them).
/// </summary>
public static class StaticAssets
{
    private static readonly string[] StaticFolders = ["/vendor", "/assets", "/css", "/js"];

    /// <summary>
    /// Serves wwwroot from beside the application's assembly, wherever the process was started
    /// (the build copies it there), and points the environment at it so that asp-append-version
    /// hashes the same files.
    /// </summary>
    /// <exception cref="InvalidOperationException">The build did not copy the front-end files.</exception>
    public static PhysicalFileProvider UseWebRoot(IWebHostEnvironment environment)
    {
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!File.Exists(Path.Combine(webRoot, "vendor", "nhsuk-frontend.min.css")))
        {
            throw new InvalidOperationException($"The web interface's files are missing from {webRoot}: build OpenWard.Web with npm installed (apt-get install nodejs npm).");
        }

        var files = new PhysicalFileProvider(webRoot);
        environment.WebRootPath = webRoot;
        environment.WebRootFileProvider = files;
        return files;
    }

    public static StaticFileOptions Options(IFileProvider files) => new()
    {
        FileProvider = files,
        ContentTypeProvider = new FileExtensionContentTypeProvider(),
        OnPrepareResponse = context =>
        {
            var headers = context.Context.Response.GetTypedHeaders();
            // A "v" in the query is the content hash added by asp-append-version: that URL never
            // changes meaning. Other files (the module the page imports, the images the NHS
            // stylesheet names) are revalidated with their ETag on each use.
            headers.CacheControl = context.Context.Request.Query.ContainsKey("v")
                ? new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromDays(365), Extensions = { new NameValueHeaderValue("immutable") } }
                : new CacheControlHeaderValue { NoCache = true };
        },
    };

    public static bool IsStaticPath(PathString path) => StaticFolders.Any(folder => path.StartsWithSegments(folder, StringComparison.OrdinalIgnoreCase));
}
