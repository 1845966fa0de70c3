using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Web.Hosting;

namespace OpenWard.Browser.Tests;

/// <summary>
/// One real OpenWard server (Kestrel on a loopback port, SQLite in a temporary folder, a few demo
/// patients) and one headless Chromium for the whole test collection. Each test opens its own
/// page in a fresh browser context (no shared cookies) with <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium: Playwright's own browser downloads are not available (docs/implementation/web-ui.md).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Chromium flags for a headless run in a container with no network beyond loopback (TOOLCHAIN.md).</summary>
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    /// <summary>The WCAG 2.2 A and AA rules of axe-core (its tags).</summary>
    private static readonly List<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private readonly string _folder = Directory.CreateTempSubdirectory("openward-browser-").FullName;
    private WebApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The server's services, for finding test data (a patient the demo nurse has no relationship with).</summary>
    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The browser tests need Chromium at {ChromiumPath}: apt-get install chromium (scripts/test.sh installs it).");
        }

        _app = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={_folder}",
            "--OpenWard:DemoData=true",
            "--OpenWard:DemoPatients=5",
            // Every test signs in from 127.0.0.1; the real limit (10 a minute per address) would
            // refuse the suite's own sign-ins. The limit itself is tested in OpenWard.Web.Tests.
            "--OpenWard:Auth:SignInAttemptsPerMinute=1000",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.First().TrimEnd('/');

        // CI machines have 2 cores shared with the server under test: give pages and assertions
        // room (failures still fail, after 15 s instead of Playwright's 5).
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>
    /// A page in a new browser context whose relative URLs go to the test server. Requests that
    /// leave the server are blocked and, like console errors, script errors and failed or 4xx/5xx
    /// responses, recorded in <see cref="BrowserPage.Problems"/>.
    /// </summary>
    public async Task<BrowserPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = "en-GB", TimezoneId = "Europe/London" });
        context.SetDefaultTimeout(15_000);
        var page = new BrowserPage(context, await context.NewPageAsync());
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(BaseUrl + "/", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                page.Record($"blocked outside request: {route.Request.Method} {route.Request.Url}");
                await route.AbortAsync("blockedbyclient");
            }
        });
        return page;
    }

    /// <summary>Fails with each violation's rule, help text and the elements at fault.</summary>
    public static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = WcagTags } });
        if (result.Violations.Length == 0)
        {
            return;
        }

        var report = new StringBuilder($"{result.Violations.Length} accessibility violation(s) (WCAG 2.2 A/AA) on {page.Url}:\n");
        foreach (var violation in result.Violations)
        {
            report.Append($"- {violation.Id} ({violation.Impact}): {violation.Help} {violation.HelpUrl}\n");
            foreach (var node in violation.Nodes)
            {
                report.Append($"    at {node.Target}: {node.Html}\n");
            }
        }

        Assert.Fail(report.ToString());
    }

    /// <summary>
    /// With OPENWARD_SCREENSHOTS=1, saves the whole page as docs/screenshots/<paramref name="name"/>.png
    /// in the repository (for the documentation); otherwise does nothing.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("OPENWARD_SCREENSHOTS") != "1")
        {
            return;
        }

        var folder = Path.Combine(RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

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

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
