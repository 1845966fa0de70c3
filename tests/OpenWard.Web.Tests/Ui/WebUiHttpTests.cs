using System.Net;
using System.Text.RegularExpressions;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

/// <summary>The web interface through the real HTTP pipeline: headers, error pages, static files.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class WebUiHttpTests(ServerFixture server)
{
    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(SecurityHeadersMiddleware.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Contains("script-src 'self';", SecurityHeadersMiddleware.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", SecurityHeadersMiddleware.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("camera=(), microphone=(), geolocation=()", Header(response, "Permissions-Policy"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Opener-Policy"));
        // The test server speaks plain HTTP: no HSTS there (StrictTransportSecurityTests covers HTTPS).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    private async Task<string> LandingPageAsync()
    {
        using var response = await server.Anonymous.GetAsync(server.BaseUrl + "/");
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex(@"href=""(/vendor/nhsuk-frontend\.min\.css\?v=[^""]+)""")]
    private static partial Regex VersionedStylesheet();

    [Fact]
    public async Task Landing_page_is_english_html_with_security_headers_and_never_stored()
    {
        using var response = await server.Anonymous.GetAsync(server.BaseUrl + "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        AssertSecurityHeaders(response);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en-GB\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>Electronic patient record - OpenWard</title>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#maincontent\">Skip to main content</a>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/signin\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/fhir/metadata\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fhir_responses_carry_the_security_headers_and_stay_fhir_json()
    {
        using var response = await server.Anonymous.GetAsync(server.FhirUrl + "/metadata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Unknown_page_gets_the_html_not_found_page_with_a_reference()
    {
        using var response = await server.Anonymous.GetAsync(server.BaseUrl + "/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        AssertSecurityHeaders(response);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Page not found</h1>", html, StringComparison.Ordinal);
        Assert.Contains("quote this reference: <strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_fhir_path_keeps_its_operation_outcome_not_the_html_page()
    {
        using var response = await server.Anonymous.GetAsync(server.FhirUrl + "/Patient/1/_history/1/extra/segments");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"resourceType\":\"OperationOutcome\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_post_without_an_antiforgery_token_is_refused()
    {
        using var response = await server.Anonymous.PostAsync(server.BaseUrl + "/", new FormUrlEncodedContent(new Dictionary<string, string> { ["anything"] = "x" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<h1>Sorry, there is a problem with your request</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versioned_stylesheet_is_served_compressed_and_cached_for_a_year()
    {
        var href = VersionedStylesheet().Match(await LandingPageAsync()).Groups[1].Value;
        Assert.NotEmpty(href);
        foreach (var encoding in new[] { "br", "gzip" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + href);
            request.Headers.AcceptEncoding.ParseAdd(encoding);
            using var response = await server.Anonymous.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
            Assert.True(response.Headers.CacheControl!.Public);
            Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl.MaxAge);
            Assert.Contains(response.Headers.CacheControl.Extensions, e => e.Name == "immutable");
        }
    }

    [Fact]
    public async Task Stylesheet_asks_for_no_outside_fonts_and_its_images_are_served()
    {
        var css = await server.Anonymous.GetStringAsync(server.BaseUrl + "/vendor/nhsuk-frontend.min.css");

        Assert.Contains(".nhsuk-header", css, StringComparison.Ordinal);
        Assert.DoesNotContain("@font-face", css, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", css, StringComparison.Ordinal);
        Assert.Contains("url(/assets/images/nhsuk-icon-cross.svg)", css, StringComparison.Ordinal);
        using var image = await server.Anonymous.GetAsync(server.BaseUrl + "/assets/images/nhsuk-icon-cross.svg");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/svg+xml", image.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Stylesheet_is_the_nhs_original_less_its_font_faces_and_source_map_comment()
    {
        var original = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "OpenWard.Web", "client", "node_modules", "nhsuk-frontend", "dist", "nhsuk", "nhsuk-frontend.min.css"));
        var served = await server.Anonymous.GetStringAsync(server.BaseUrl + "/vendor/nhsuk-frontend.min.css");

        var fontFaces = FontFaceRule().Matches(original);
        Assert.Equal(2, fontFaces.Count);
        var expected = FontFaceRule().Replace(original, "").Replace("/*# sourceMappingURL=nhsuk-frontend.min.css.map */", "", StringComparison.Ordinal);
        Assert.True(expected == served, "The served stylesheet differs from nhsuk-frontend's beyond the dropped @font-face rules.");
        // Selectors with escaped characters survive the copy (MSBuild items would turn them into slashes).
        Assert.Contains(@".nhsuk-skip-link:not(:active):not(:focus):not(.\:focus)", served, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"@font-face\{[^}]*\}")]
    private static partial Regex FontFaceRule();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OpenWard.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No OpenWard.slnx above {AppContext.BaseDirectory}.");
    }

    [Fact]
    public async Task Unversioned_static_file_is_revalidated_with_its_etag()
    {
        using var first = await server.Anonymous.GetAsync(server.BaseUrl + "/vendor/nhsuk-frontend.min.js");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/javascript", first.Content.Headers.ContentType!.MediaType);
        Assert.True(first.Headers.CacheControl!.NoCache);
        Assert.NotNull(first.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/vendor/nhsuk-frontend.min.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag);
        using var second = await server.Anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }
}
