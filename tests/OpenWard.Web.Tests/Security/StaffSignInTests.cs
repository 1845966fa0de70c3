using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Passwords;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Staff sign-in over HTTP on its own server (its own clock, rate limit and log capture): the
/// session, throttling per account and address, rate limit, antiforgery, session limits, server-side
/// sessions, and passwords kept out of the logs. The server trusts X-Forwarded-For from loopback (as
/// from a reverse proxy), so that tests can sign in from several client addresses.
/// </summary>
public sealed partial class StaffSignInTests : IAsyncLifetime, IDisposable
{
    private const string Password = "correct horse battery";
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-signin-").FullName;
    private readonly TestClock _clock = new();
    private readonly CapturingLoggerProvider _logs = new();
    private WebApplication? _app;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        _app = OpenWardHost.Build(
            [
                "--urls=http://127.0.0.1:0",
                $"--OpenWard:DataDirectory={_folder}",
                "--OpenWard:Auth:SignInAttemptsPerMinute=1000",
                "--OpenWard:ForwardedHeaders:KnownProxies:0=127.0.0.1",
                "--Logging:LogLevel:Default=Trace",
            ],
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(_clock);
                builder.Logging.AddProvider(_logs);
            });
        await _app.StartAsync();
        _baseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        await SaveAsync(new StaffAccount("sister", "Sister Ada Okafor", StaffRole.Nurse) { Wards = ["w1"] });
    }

    public async Task DisposeAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    public void Dispose() => _logs.Dispose();

    private async Task SaveAsync(StaffAccount account)
    {
        var hasher = _app!.Services.GetRequiredService<PasswordHasher>();
        await _app.Services.GetRequiredService<StaffDirectory>().SaveAsync(account with { PasswordHash = hasher.Hash(Password) }, default);
        _app.Services.GetRequiredService<AccessFactory>().Forget(account.UserName);
    }

    private HttpClient Browser() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(_baseUrl) };

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string userName, string password, string? returnUrl = null, bool withToken = true, string? from = null)
    {
        var form = await browser.GetStringAsync("/signin");
        var fields = new Dictionary<string, string> { ["UserName"] = userName, ["Password"] = password, ["ReturnUrl"] = returnUrl ?? "" };
        if (withToken)
        {
            fields["__RequestVerificationToken"] = AntiforgeryToken().Match(form).Groups[1].Value;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin") { Content = new FormUrlEncodedContent(fields) };
        if (from is not null)
        {
            request.Headers.Add("X-Forwarded-For", from);
        }

        return await browser.SendAsync(request);
    }

    /// <summary>The sign-in form's error message, which must not tell refusals apart.</summary>
    private static async Task<string> ErrorOfAsync(HttpResponseMessage response) =>
        ErrorMessage().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value.Trim();

    [GeneratedRegex("<span class=\"nhsuk-error-message\"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)</span>")]
    private static partial Regex ErrorMessage();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [Fact]
    public async Task The_right_password_starts_a_session_and_goes_back_to_a_local_page_only()
    {
        using var browser = Browser();
        using var signedIn = await PostSignInAsync(browser, "sister", Password, "/privacy/audit");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/privacy/audit", signedIn.Headers.Location?.OriginalString);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("openward-session=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        using var other = Browser();
        using var offsite = await PostSignInAsync(other, "sister", Password, "https://evil.example/steal");
        Assert.Equal("/patients", offsite.Headers.Location?.OriginalString); // a nurse's start page, My patients
    }

    [Fact]
    public async Task A_sign_in_without_the_antiforgery_token_is_refused()
    {
        using var browser = Browser();
        using var response = await PostSignInAsync(browser, "sister", Password, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("openward-session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_unknown_user_and_a_wrong_password_get_the_same_answer()
    {
        using var browser = Browser();
        using var unknown = await PostSignInAsync(browser, "nobody-here", Password);
        using var wrong = await PostSignInAsync(browser, "sister", "not the password at all");

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("Enter a correct user name and password", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Enter a correct user name and password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_a_wrong_password_and_paused_attempts_get_the_same_answer()
    {
        await SaveAsync(new StaffAccount("pauser", "Pat Pauser", StaffRole.Doctor));
        using var browser = Browser();
        for (var attempt = 1; attempt <= StaffSignIn.FreeAttempts; attempt++)
        {
            (await PostSignInAsync(browser, "pauser", $"wrong password {attempt}", from: "198.51.100.20")).Dispose();
        }

        using var paused = await PostSignInAsync(browser, "pauser", Password, from: "198.51.100.20");
        using var wrong = await PostSignInAsync(browser, "sister", "not the password at all", from: "198.51.100.20");
        using var unknown = await PostSignInAsync(browser, "nobody-at-all", Password, from: "198.51.100.20");

        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        var answers = new[] { await ErrorOfAsync(paused), await ErrorOfAsync(wrong), await ErrorOfAsync(unknown) };
        Assert.All(answers, answer => Assert.Equal(Pages.SignInModel.RefusedMessage, answer));
    }

    [Fact]
    public async Task Someone_elses_wrong_passwords_from_another_address_do_not_lock_a_clinician_out()
    {
        await SaveAsync(new StaffAccount("oncall", "Dr Olu Call", StaffRole.Doctor));
        using var attacker = Browser();
        for (var attempt = 1; attempt <= 3 * StaffSignIn.FreeAttempts; attempt++)
        {
            (await PostSignInAsync(attacker, "oncall", $"guess {attempt}", from: "203.0.113.66")).Dispose();
        }

        using var clinician = Browser();
        using var signedIn = await PostSignInAsync(clinician, "oncall", Password, from: "192.0.2.10");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // The guessing address itself is paused, even with the right password, until its pause ends.
        using var paused = await PostSignInAsync(attacker, "oncall", Password, from: "203.0.113.66");
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        _clock.Advance(StaffSignIn.LongestPause + TimeSpan.FromSeconds(1));
        using var later = await PostSignInAsync(attacker, "oncall", Password, from: "203.0.113.66");
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }

    [Fact]
    public async Task A_copied_session_cookie_is_refused_after_sign_out()
    {
        await SaveAsync(new StaffAccount("leaver", "Lee Leaver", StaffRole.PrivacyOfficer));
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(_baseUrl) };
        (await PostSignInAsync(browser, "leaver", Password)).Dispose();
        var session = cookies.GetCookies(new Uri(_baseUrl))["openward-session"]!.Value;
        var page = await browser.GetStringAsync("/privacy/break-glass");

        using var signOut = await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(page).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        using var copy = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(_baseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/privacy/break-glass");
        request.Headers.Add("Cookie", $"openward-session={session}");
        using var replayed = await copy.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/signin", replayed.Headers.Location?.PathAndQuery ?? replayed.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_privacy_officer_is_not_offered_and_cannot_record_a_review_of_their_own_break_glass()
    {
        await SaveAsync(new StaffAccount("watcher", "Wren Watcher", StaffRole.PrivacyOfficer));
        var now = _clock.GetUtcNow();
        var own = new BreakGlassGrant(Guid.NewGuid().ToString(), "watcher", "pat-own-review", "emergency-care", null, now, now.AddHours(1));
        await _app!.Services.GetRequiredService<BreakGlassLedger>().AddAsync(own, default);
        using var browser = Browser();
        (await PostSignInAsync(browser, "watcher", Password)).Dispose();

        var queue = await browser.GetStringAsync("/privacy/break-glass");
        Assert.Contains("This is your own break-glass access: another privacy officer must review it.", queue, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{own.GrantId}\"", queue, StringComparison.Ordinal);

        using var posted = await browser.PostAsync("/privacy/break-glass", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(queue).Groups[1].Value,
            ["grantId"] = own.GrantId,
            ["outcome"] = "appropriate",
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains(BreakGlassService.OwnGrantMessage, await browser.GetStringAsync("/privacy/break-glass"), StringComparison.Ordinal);
        Assert.Null((await _app.Services.GetRequiredService<BreakGlassLedger>().FindAsync(own.GrantId, default))!.ReviewedBy);
    }

    [Fact]
    public async Task A_session_ends_after_its_maximum_length_and_when_the_account_is_disabled()
    {
        await SaveAsync(new StaffAccount("shift", "Sam Shift", StaffRole.PrivacyOfficer));
        using var browser = Browser();
        (await PostSignInAsync(browser, "shift", Password)).Dispose();
        using (var during = await browser.GetAsync("/privacy/break-glass"))
        {
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }

        _clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));
        using (var after = await browser.GetAsync("/privacy/break-glass"))
        {
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
            Assert.StartsWith("/signin", after.Headers.Location?.PathAndQuery ?? after.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        using var again = Browser();
        (await PostSignInAsync(again, "shift", Password)).Dispose();
        await SaveAsync(new StaffAccount("shift", "Sam Shift", StaffRole.PrivacyOfficer) { Disabled = true });
        using var disabled = await again.GetAsync("/privacy/break-glass");
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
    }

    [Fact]
    public async Task Passwords_never_reach_the_logs()
    {
        using var browser = Browser();
        (await PostSignInAsync(browser, "sister", Password)).Dispose();
        (await PostSignInAsync(browser, "sister", "a-wrong-secret-password")).Dispose();

        Assert.NotEmpty(_logs.Messages);
        Assert.DoesNotContain(_logs.Messages, m => m.Contains(Password, StringComparison.Ordinal) || m.Contains("a-wrong-secret-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Too_many_sign_in_attempts_from_one_address_are_refused_with_429()
    {
        await using var limited = new LimitedServer();
        await limited.StartAsync(_folder + "-limited");
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(limited.BaseUrl) };
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var response = await PostSignInAsync(browser, "anyone", "whatever password");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("60", response.Headers.RetryAfter?.ToString());
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_session_survives_a_restart_of_the_server()
    {
        var folder = _folder + "-restart";
        var cookies = new CookieContainer();
        await using (var first = new LimitedServer())
        {
            await first.StartAsync(folder, keepFolder: true);
            var hasher = first.Services.GetRequiredService<PasswordHasher>();
            await first.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount("night", "Noor Night", StaffRole.PrivacyOfficer) { PasswordHash = hasher.Hash(Password) }, default);
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(first.BaseUrl) };
            Assert.Equal(HttpStatusCode.Redirect, (await PostSignInAsync(browser, "night", Password)).StatusCode);
        }

        await using var second = new LimitedServer();
        await second.StartAsync(folder);
        using var again = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(second.BaseUrl) };
        using var page = await again.GetAsync("/privacy/break-glass");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // The keys that protect the cookie live with the data (shared by instances), not in a user profile.
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(folder, "keys"), "key-*.xml"));
    }

    private sealed class LimitedServer : IAsyncDisposable
    {
        private WebApplication? _app;
        private string _folder = "";

        private bool _keepFolder;

        public string BaseUrl { get; private set; } = "";

        public IServiceProvider Services => _app!.Services;

        public async Task StartAsync(string folder, bool keepFolder = false)
        {
            _folder = folder;
            _keepFolder = keepFolder;
            _app = OpenWardHost.Build(["--urls=http://127.0.0.1:0", $"--OpenWard:DataDirectory={folder}", "--OpenWard:Auth:SignInAttemptsPerMinute=3", "--Logging:LogLevel:Default=Warning"]);
            await _app.StartAsync();
            BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        }

        public async ValueTask DisposeAsync()
        {
            await _app!.StopAsync();
            await _app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (!_keepFolder)
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }

    private sealed class TestClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Capturing(this);

        public void Dispose()
        {
        }

        private sealed class Capturing(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Messages.Enqueue(formatter(state, exception) + " " + state + " " + exception);
        }
    }
}
