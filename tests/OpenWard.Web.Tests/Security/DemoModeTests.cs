using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Demo mode never leaks into real use: its accounts and clients (published passwords) work only
/// while the server runs with <c>--demo</c>, and <c>--demo</c> is refused on a store with real patients.
/// </summary>
public sealed partial class DemoModeTests : IDisposable
{
    private const string ClientId = "trust-integration";
    private const string ClientSecret = "trust-secret-0123456789";
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-demo-mode-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<WebApplication> StartAsync(bool demo)
    {
        var app = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={_folder}",
            $"--OpenWard:DemoData={demo}",
            "--OpenWard:DemoPatients=1",
            $"--OpenWard:Bootstrap:ClientId={ClientId}",
            $"--OpenWard:Bootstrap:ClientSecret={ClientSecret}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static HttpClient Browser(WebApplication app, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl(app)) };

    private static string BaseUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string userName, string password)
    {
        var form = await browser.GetStringAsync("/signin");
        return await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(form).Groups[1].Value,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private static async Task<HttpStatusCode> CreatePatientAsync(WebApplication app, string nhsNumber)
    {
        using var http = new HttpClient();
        using var token = await http.PostAsync(BaseUrl(app) + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["scope"] = "system/Patient.cruds",
        }));
        using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
        var patient = $$"""{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"{{nhsNumber}}"}],"name":[{"family":"Real","given":["Rita"]}]}""";
        using var created = await http.PostAsync(BaseUrl(app) + "/fhir/Patient", new StringContent(patient, Encoding.UTF8, "application/fhir+json"));
        return created.StatusCode;
    }

    [Fact]
    public async Task Demo_accounts_and_their_sessions_stop_working_when_the_same_store_is_served_without_demo_mode()
    {
        var cookies = new CookieContainer();
        var demo = await StartAsync(demo: true);
        using (var browser = Browser(demo, cookies))
        {
            using var signedIn = await SignInAsync(browser, "privacy", DemoStaff.Password);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        await StopAsync(demo);

        var real = await StartAsync(demo: false);
        try
        {
            using var browser = Browser(real);
            using var refused = await SignInAsync(browser, "nurse", DemoStaff.Password);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains(Pages.SignInModel.RefusedMessage, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // A session started in demo mode ends too.
            using var oldSession = Browser(real, cookies);
            using var page = await oldSession.GetAsync("/privacy/break-glass");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);

            // The demo client is not registered outside demo mode.
            using var http = new HttpClient();
            using var token = await http.PostAsync(BaseUrl(real) + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = OpenWardHost.DemoClientId,
                ["client_secret"] = OpenWardHost.DemoClientSecret,
            }));
            Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        }
        finally
        {
            await StopAsync(real);
        }
    }

    [Fact]
    public async Task Demo_mode_is_refused_on_a_store_that_holds_a_real_patient()
    {
        var real = await StartAsync(demo: false);
        Assert.Equal(HttpStatusCode.Created, await CreatePatientAsync(real, "9434765919"));
        await StopAsync(real);

        var refused = await Assert.ThrowsAsync<StartupRefusedException>(() => StartAsync(demo: true));
        Assert.Contains("holds patients that are not demo data", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_mode_is_allowed_on_a_store_loaded_with_openward_demo_data()
    {
        var loaded = await StartAsync(demo: false);
        await StartupTasks.SeedDemoDataAsync(loaded.Services.GetRequiredService<FhirRestService>(), 1, StartupTasks.DemoSeed, null, default);
        await StopAsync(loaded);

        var demo = await StartAsync(demo: true);
        using var browser = Browser(demo);
        using var signedIn = await SignInAsync(browser, "nurse", DemoStaff.Password);
        await StopAsync(demo);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Theory]
    [InlineData("--OpenWard:Bootstrap:ClientId=openward-demo", "--OpenWard:Bootstrap:ClientSecret=anything-long-enough")]
    [InlineData("--OpenWard:Apps:0:ClientId=openward-demo-app", "--OpenWard:Apps:0:RedirectUris:0=http://localhost:8400/callback")]
    public void A_demo_client_configured_without_demo_mode_is_refused_at_start_up(string clientId, string other)
    {
        var refused = Assert.Throws<StartupRefusedException>(() => OpenWardHost.Build(["--urls=http://127.0.0.1:0", $"--OpenWard:DataDirectory={_folder}", clientId, other]));
        Assert.Contains("only in demo mode", refused.Message, StringComparison.Ordinal);
    }
}
