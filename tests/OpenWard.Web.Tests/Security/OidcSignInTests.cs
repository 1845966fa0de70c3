using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Oidc;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Sign-in through the trust's OpenID Connect provider, against a real provider: a second OpenWard,
/// started as its own `openward serve` process on loopback, plays the identity provider (its demo
/// staff sign in there). The OpenWard under test is its relying party and maps the provider's
/// subject to a staff account. The whole redirect dance runs through one cookie jar, as in a browser;
/// the provider is reached as localhost and the relying party as 127.0.0.1 so their cookies stay apart.
/// </summary>
public sealed class OidcSignInTests : IAsyncLifetime
{
    private const string RelyingPartyClientId = "openward-rp";
    private const string RelyingPartySecret = "rp-secret-0123456789";
    private const string CheckApp = "who-am-i";
    private const string CheckRedirect = "https://who-am-i.example/callback";

    private readonly string _providerFolder = Directory.CreateTempSubdirectory("openward-idp-").FullName;
    private readonly string _relyingPartyFolder = Directory.CreateTempSubdirectory("openward-rp-").FullName;
    private readonly int _providerPort = FreePort();
    private Process? _provider;
    private WebApplication? _relyingParty;
    private string _relyingPartyUrl = "";

    private string ProviderUrl => $"http://localhost:{_providerPort}";

    public async Task InitializeAsync()
    {
        _relyingParty = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={_relyingPartyFolder}",
            $"--OpenWard:Oidc:Authority={ProviderUrl}",
            $"--OpenWard:Oidc:ClientId={RelyingPartyClientId}",
            $"--OpenWard:Oidc:ClientSecret={RelyingPartySecret}",
            "--OpenWard:Oidc:RequireHttpsMetadata=false",
            "--OpenWard:Oidc:DisplayName=Test Care Identity",
            // An app registered at the relying party: its consent page shows who is signed in there.
            $"--OpenWard:Apps:0:ClientId={CheckApp}",
            $"--OpenWard:Apps:0:RedirectUris:0={CheckRedirect}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _relyingParty.StartAsync();
        _relyingPartyUrl = _relyingParty.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        // The provider's demo nurse is this ward sister here; the provider's demo doctor is linked to nobody.
        await _relyingParty.Services.GetRequiredService<StaffDirectory>().SaveAsync(
            new StaffAccount("ward-sister", "Wendy Hart (ward sister)", StaffRole.Nurse) { ExternalSubject = "nurse" }, default);

        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "openward.dll"), "serve", "--urls", ProviderUrl])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OpenWard__DataDirectory"] = _providerFolder;
        start.Environment["OpenWard__DemoData"] = "true";
        start.Environment["OpenWard__DemoPatients"] = "1";
        start.Environment["OpenWard__Apps__0__ClientId"] = RelyingPartyClientId;
        start.Environment["OpenWard__Apps__0__ClientSecret"] = RelyingPartySecret;
        start.Environment["OpenWard__Apps__0__RedirectUris__0"] = _relyingPartyUrl + OidcSignIn.CallbackPath;
        start.Environment["OpenWard__Apps__0__Name"] = "OpenWard (relying party)";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _provider = Process.Start(start)!;
        _provider.BeginOutputReadLine();
        _provider.BeginErrorReadLine();
        await WaitUntilListeningAsync();
    }

    /// <summary>An authorize URL at the relying party for the check app: its consent page names the signed-in user.</summary>
    private string WhoAmIUrl() =>
        $"/auth/authorize?response_type=code&client_id={CheckApp}&redirect_uri={Uri.EscapeDataString(CheckRedirect)}&scope=openid&state=w"
        + $"&code_challenge={TestBrowser.Pkce().Challenge}&code_challenge_method=S256";

    /// <summary>From "Sign in with ..." at the relying party to its answer after the provider's callback.</summary>
    private async Task<HttpResponseMessage> SignInThroughProviderAsync(TestBrowser browser, string userName, string returnUrl)
    {
        var start = $"{_relyingPartyUrl}{OidcSignIn.ChallengePath}?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        using var challenge = await browser.GetAsync(start);
        var authorize = TestBrowser.Location(challenge, start);
        Assert.Equal(ProviderUrl + "/auth/authorize", authorize.GetLeftPart(UriPartial.Path));
        Assert.Equal("S256", TestBrowser.Query(authorize, "code_challenge_method"));

        var callback = await browser.AuthorizeAsync(authorize.ToString(), userName, DemoStaff.Password);

        Assert.Equal(_relyingPartyUrl + OidcSignIn.CallbackPath, callback.GetLeftPart(UriPartial.Path));
        return await browser.GetAsync(callback.ToString());
    }

    [Fact]
    public async Task A_linked_member_of_staff_signs_in_through_the_provider_and_gets_a_session_as_their_own_account()
    {
        using var browser = new TestBrowser();
        var returnUrl = WhoAmIUrl();

        using var signedIn = await SignInThroughProviderAsync(browser, "nurse", returnUrl);
        var back = TestBrowser.Location(signedIn, _relyingPartyUrl);
        using var page = await browser.GetAsync(back.ToString());

        Assert.Equal(_relyingPartyUrl + returnUrl, back.ToString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Signed in as Wendy Hart (ward sister)", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_address_that_leaves_the_site_is_replaced_by_the_start_page()
    {
        // Browsers read /\host as //host and drop the tab in /<tab>/host: all three lead elsewhere.
        foreach (var offsite in new[] { "//evil.example", "/\\evil.example", "/\t/evil.example" })
        {
            using var browser = new TestBrowser();
            using var signedIn = await SignInThroughProviderAsync(browser, "nurse", offsite);

            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal(_relyingPartyUrl + "/", TestBrowser.Location(signedIn, _relyingPartyUrl).ToString());
        }
    }

    [Fact]
    public async Task A_provider_user_not_linked_to_an_account_is_refused_with_a_clear_message_and_not_signed_in()
    {
        using var browser = new TestBrowser();

        using var refused = await SignInThroughProviderAsync(browser, "doctor", WhoAmIUrl());
        var refusal = TestBrowser.Location(refused, _relyingPartyUrl);
        using var page = await browser.GetAsync(refusal.ToString());
        using var afterwards = await browser.GetAsync(_relyingPartyUrl + WhoAmIUrl());

        Assert.Equal(OidcSignIn.RefusedPath, refusal.AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Your NHS identity is not linked to an OpenWard account; ask the service desk.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/signin", TestBrowser.Location(afterwards, _relyingPartyUrl).AbsolutePath);
    }

    [Fact]
    public async Task The_sign_in_button_is_offered_only_when_a_provider_is_configured()
    {
        Assert.True(_relyingParty!.Services.GetRequiredService<OidcSignIn>().IsConfigured);
        Assert.Equal("Test Care Identity", _relyingParty.Services.GetRequiredService<OidcSignIn>().DisplayName);

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        Assert.Contains("Sign in with Test Care Identity", await http.GetStringAsync(_relyingPartyUrl + "/signin"), StringComparison.Ordinal);

        // The provider itself has none configured: no button, and its challenge path does not exist.
        Assert.DoesNotContain("Sign in with", await http.GetStringAsync(ProviderUrl + "/signin"), StringComparison.Ordinal);
        using var response = await http.GetAsync(ProviderUrl + OidcSignIn.ChallengePath);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task WaitUntilListeningAsync()
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            Assert.False(_provider!.HasExited, "The identity provider process exited during start-up.");
            try
            {
                using var response = await http.GetAsync(ProviderUrl + "/.well-known/openid-configuration");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The identity provider did not start listening within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_provider is { HasExited: false })
        {
            _provider.Kill(entireProcessTree: true);
            await _provider.WaitForExitAsync();
        }

        _provider?.Dispose();
        if (_relyingParty is not null)
        {
            await _relyingParty.StopAsync();
            await _relyingParty.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_providerFolder, recursive: true);
        Directory.Delete(_relyingPartyFolder, recursive: true);
    }
}
