using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security.Passwords;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Behind a TLS proxy: X-Forwarded-For and X-Forwarded-Proto count only from the configured proxy
/// (here loopback, where the tests connect from), so cookies are Secure, HSTS is sent and the
/// sign-in rate limit counts per real client; from anyone else they change nothing.
/// </summary>
public sealed partial class ForwardedHeadersTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-proxy-").FullName;
    private WebApplication? _behindProxy;
    private WebApplication? _otherProxy;

    public async Task InitializeAsync()
    {
        _behindProxy = await StartAsync(Path.Combine(_folder, "behind"), "--OpenWard:ForwardedHeaders:KnownProxies:0=127.0.0.1");
        // A proxy is configured, but the requests do not come from it.
        _otherProxy = await StartAsync(Path.Combine(_folder, "other"), "--OpenWard:ForwardedHeaders:KnownNetworks:0=10.20.0.0/16");
    }

    private static async Task<WebApplication> StartAsync(string folder, string proxy)
    {
        var app = OpenWardHost.Build(["--urls=http://127.0.0.1:0", $"--OpenWard:DataDirectory={folder}", "--OpenWard:Auth:SignInAttemptsPerMinute=2", proxy, "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var hasher = app.Services.GetRequiredService<PasswordHasher>();
        await app.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount("porter", "Pip Porter", StaffRole.WardClerk) { PasswordHash = hasher.Hash(Password) }, default);
        return app;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _behindProxy, _otherProxy })
        {
            await app!.StopAsync();
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static HttpClient Browser(WebApplication app) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
        };

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string password, string client)
    {
        var form = await browser.GetStringAsync("/signin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = "porter",
                ["Password"] = password,
                ["__RequestVerificationToken"] = AntiforgeryToken().Match(form).Groups[1].Value,
            }),
        };
        request.Headers.Add("X-Forwarded-For", client);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return await browser.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private static string SessionCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("openward-session=", StringComparison.Ordinal));

    [Fact]
    public async Task From_the_configured_proxy_the_session_cookie_is_secure_and_hsts_is_sent()
    {
        using var browser = Browser(_behindProxy!);
        using var signedIn = await SignInAsync(browser, Password, "198.51.100.1");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("secure", SessionCookie(signedIn), StringComparison.OrdinalIgnoreCase);
        Assert.True(signedIn.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task From_the_configured_proxy_the_sign_in_rate_limit_counts_per_real_client()
    {
        using var browser = Browser(_behindProxy!);
        var first = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var response = await SignInAsync(browser, "wrong password", "198.51.100.2");
            first.Add(response.StatusCode);
        }

        using var otherClient = await SignInAsync(browser, "wrong password", "198.51.100.3");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }

    [Fact]
    public async Task From_anyone_else_forwarded_headers_are_ignored()
    {
        using var browser = Browser(_otherProxy!);
        using var signedIn = await SignInAsync(browser, Password, "198.51.100.4");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.DoesNotContain("secure", SessionCookie(signedIn), StringComparison.OrdinalIgnoreCase);
        Assert.False(signedIn.Headers.Contains("Strict-Transport-Security"));

        // Every claimed client shares the caller's real address, and so its limit.
        using var second = await SignInAsync(browser, "wrong password", "198.51.100.5");
        using var third = await SignInAsync(browser, "wrong password", "198.51.100.6");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Theory]
    [InlineData("--OpenWard:ForwardedHeaders:KnownProxies:0=proxy.example", "is not an IP address")]
    [InlineData("--OpenWard:ForwardedHeaders:KnownNetworks:0=10.0.0.0", "CIDR")]
    public void A_proxy_that_is_not_an_address_or_network_is_refused_at_start_up(string setting, string message)
    {
        var refused = Assert.Throws<StartupRefusedException>(() => OpenWardHost.Build(["--urls=http://127.0.0.1:0", $"--OpenWard:DataDirectory={_folder}", setting]));
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }
}
