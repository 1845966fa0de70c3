using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Jobs;

/// <summary>
/// Two OpenWard instances on one PostgreSQL database (<c>OPENWARD_TEST_POSTGRES</c>), as behind a
/// load balancer: an admission or discharge written through instance A changes the ward nurse's
/// access on instance B within a few of B's change-notice polls, well before B's cached answer
/// (<see cref="CareRelationships.CacheFor"/>) would have expired. Without PostgreSQL this fails.
/// </summary>
public sealed class TwoInstanceTests : IAsyncLifetime
{
    private const string ClientId = "two-instances";
    private const string ClientSecret = "two-instances-secret-0123";

    /// <summary>Well under CareRelationships.CacheFor (30 s), so only a change notice can explain the change.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly List<string> _folders = [];
    private FreshPostgresDatabase _database = null!;
    private WebApplication _a = null!;
    private WebApplication _b = null!;

    public async Task InitializeAsync()
    {
        _database = await FreshPostgresDatabase.CreateAsync("openward_two_");
        var connection = _database.ConnectionString;
        _a = await StartAsync(connection);
        _b = await StartAsync(connection);
    }

    private async Task<WebApplication> StartAsync(string connection)
    {
        var folder = Directory.CreateTempSubdirectory("openward-two-").FullName;
        _folders.Add(folder);
        var app = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={folder}",
            "--OpenWard:Storage:Provider=Postgres",
            $"--OpenWard:Storage:ConnectionString={connection}",
            $"--OpenWard:Bootstrap:ClientId={ClientId}",
            $"--OpenWard:Bootstrap:ClientSecret={ClientSecret}",
            "--OpenWard:ChangeNotices:PollSeconds=0.2",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        return app;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _a, _b }.OfType<WebApplication>())
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await _database.DisposeAsync();

        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_admission_and_a_discharge_through_one_instance_change_the_ward_nurses_access_on_the_other()
    {
        var nurse = new Principal(PrincipalKind.Staff, "two-nurse", "Nia Evans") { Role = StaffRole.Nurse, Wards = ["two-ward"] };
        var onB = _b.Services.GetRequiredService<CareRelationships>();
        using var a = await SystemClientAsync(_a);
        await PutAsync(a, "Patient/two-patient", """{"resourceType":"Patient","id":"two-patient"}""");

        // B answers "no relationship" and caches that answer.
        Assert.Equal(Relationship.None, await onB.ForAsync(nurse, "two-patient", default));

        await PutAsync(a, "Encounter/two-stay", Stay("in-progress"));
        Assert.Equal(Relationship.CareRelationship, await WaitForAsync(onB, nurse, Relationship.CareRelationship));

        await PutAsync(a, "Encounter/two-stay", Stay("finished"));
        Assert.Equal(Relationship.None, await WaitForAsync(onB, nurse, Relationship.None));
    }

    private static string Stay(string status) => $$"""
        {"resourceType":"Encounter","id":"two-stay","status":"{{status}}","class":{"code":"IMP"},
         "subject":{"reference":"Patient/two-patient"},
         "location":[ {"location":{"reference":"Location/two-ward"} } ]}
        """;

    /// <summary>B's answer once it is <paramref name="expected"/>, or its last answer at the deadline.</summary>
    private static async Task<Relationship> WaitForAsync(CareRelationships relationships, Principal nurse, Relationship expected)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var answer = await relationships.ForAsync(nurse, "two-patient", default);
            if (answer == expected || deadline.IsCancellationRequested)
            {
                return answer;
            }

            await Task.Delay(50, default);
        }
    }

    private static async Task<HttpClient> SystemClientAsync(WebApplication app)
    {
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var client = new HttpClient { BaseAddress = new Uri(baseUrl + "/fhir/") };
        using var token = await client.PostAsync(baseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
        }));
        token.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
        return client;
    }

    private static async Task PutAsync(HttpClient client, string path, string json)
    {
        using var put = await client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/fhir+json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }
}
