using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using OpenWard.Security;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security.Passwords;
using OpenWard.Web.Tests.Security;

namespace OpenWard.Web.Tests.Jobs;

/// <summary>
/// The system administrator's jobs page: it lists jobs with their state, attempts, due time and last
/// error, retries a dead job (audited), and is refused to everyone else. Its server runs no jobs, so
/// the jobs stay as the test leaves them.
/// </summary>
public sealed class JobsPageTests : IAsyncLifetime
{
    private const string Password = "long enough password";
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-jobs-page-").FullName;
    private WebApplication _app = null!;

    private string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    private SqlResourceStore Store => _app.Services.GetRequiredService<SqlResourceStore>();

    public async Task InitializeAsync()
    {
        _app = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={_folder}",
            "--OpenWard:Jobs:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        var hasher = _app.Services.GetRequiredService<PasswordHasher>();
        var staff = _app.Services.GetRequiredService<StaffDirectory>();
        await staff.SaveAsync(new StaffAccount("sysadmin", "Chris Lee", StaffRole.SystemAdministrator) { PasswordHash = hasher.Hash(Password) }, default);
        await staff.SaveAsync(new StaffAccount("nurse", "Nia Evans", StaffRole.Nurse) { PasswordHash = hasher.Hash(Password), Wards = ["ward-a"] }, default);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A job that failed its only attempt, and one still waiting.</summary>
    private async Task<(long Dead, long Pending)> ArrangeJobsAsync()
    {
        var dead = await Store.WriteAsync(t => t.EnqueueJobAsync(new JobRequest("export-to-gp", "{}", Now) { MaxAttempts = 1 }, default), default);
        var pending = await Store.WriteAsync(t => t.EnqueueJobAsync(new JobRequest("nightly-report", "{}", Now) { DueAt = Now.AddYears(100) }, default), default);
        var claimed = Assert.Single(await Store.Jobs.ClaimAsync("test", 10, TimeSpan.FromMinutes(1), Now, default));
        Assert.Equal(JobState.Dead, await Store.Jobs.FailAsync(claimed, "GP system unreachable", Now, default));
        return (dead, pending);
    }

    private async Task<TestBrowser> SignedInAsync(string userName)
    {
        var browser = new TestBrowser();
        await browser.SignInAsync($"{BaseUrl}/signin", userName, Password);
        return browser;
    }

    [Fact]
    public async Task The_administrator_sees_dead_jobs_with_their_last_error_and_retries_one()
    {
        var (dead, pending) = await ArrangeJobsAsync();
        using var admin = await SignedInAsync("sysadmin");

        using var list = await admin.GetAsync($"{BaseUrl}/admin/jobs?state=dead");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var html = await list.Content.ReadAsStringAsync();
        Assert.Contains("export-to-gp", html, StringComparison.Ordinal);
        Assert.Contains("GP system unreachable", html, StringComparison.Ordinal);
        Assert.Contains("1 of 1", html, StringComparison.Ordinal);
        Assert.Contains($"Retry<span class=\"nhsuk-u-visually-hidden\"> job {dead}</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("nightly-report", html, StringComparison.Ordinal);

        using var all = await admin.GetAsync($"{BaseUrl}/admin/jobs");
        Assert.Contains("nightly-report", await all.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var retried = await admin.PostFormAsync($"{BaseUrl}/admin/jobs?handler=Retry", [new("id", dead.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("__RequestVerificationToken", TestBrowser.Hidden(html, "__RequestVerificationToken"))]);
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        var job = await Store.Jobs.FindAsync(dead, default);
        Assert.Equal(JobState.Pending, job!.State);
        Assert.Equal(0, job.Attempts);
        Assert.Equal(JobState.Pending, (await Store.Jobs.FindAsync(pending, default))!.State);

        using var after = await admin.GetAsync($"{BaseUrl}/admin/jobs?state=dead");
        var afterHtml = await after.Content.ReadAsStringAsync();
        Assert.Contains($"Job {dead} will run again.", afterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("export-to-gp", afterHtml, StringComparison.Ordinal);

        var audit = new SearchQueryParser(SearchParameterRegistry.Default).Parse("AuditEvent", [new("subtype", "retry-job")], lenient: false);
        var json = Assert.Single((await Store.SearchAsync(audit, default)).Matches).Json!;
        Assert.Contains("Chris Lee", json, StringComparison.Ordinal);
        Assert.Contains($"Retried dead job {dead} (export-to-gp)", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_system_administrator_may_see_or_retry_jobs()
    {
        var (dead, _) = await ArrangeJobsAsync();
        using var nurse = await SignedInAsync("nurse");
        using var anonymous = new TestBrowser();

        foreach (var browser in new[] { nurse, anonymous })
        {
            using var list = await browser.GetAsync($"{BaseUrl}/admin/jobs?state=dead");
            Assert.Equal("/signin", TestBrowser.Location(list, BaseUrl).AbsolutePath);
        }

        var token = TestBrowser.Hidden(await (await nurse.GetAsync($"{BaseUrl}/signin")).Content.ReadAsStringAsync(), "__RequestVerificationToken");
        using var retry = await nurse.PostFormAsync($"{BaseUrl}/admin/jobs?handler=Retry", [new("id", dead.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("__RequestVerificationToken", token)]);
        Assert.Equal("/signin", TestBrowser.Location(retry, BaseUrl).AbsolutePath);
        Assert.Equal(JobState.Dead, (await Store.Jobs.FindAsync(dead, default))!.State);
    }
}
