using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Storage;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Jobs;

/// <summary>
/// The running server's job runner and change notices: a job of a kind nobody handles fails with
/// a message naming the kind; API writes of the records care relationships rest on publish a
/// notice for their patient in their transaction, and other writes do not.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class JobRunnerTests(ServerFixture server)
{
    private SqlResourceStore Store => server.Services.GetRequiredService<SqlResourceStore>();

    [Fact]
    public async Task A_job_of_a_kind_no_handler_runs_is_dead_with_an_error_naming_the_kind()
    {
        var kind = $"no-such-kind-{Guid.NewGuid():N}";
        var id = await Store.WriteAsync(t => t.EnqueueJobAsync(new JobRequest(kind, "{}", DateTimeOffset.UtcNow) { MaxAttempts = 1 }, default), default);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Job job;
        while ((job = (await Store.Jobs.FindAsync(id, default))!).State != JobState.Dead)
        {
            Assert.False(timeout.IsCancellationRequested, $"job {id} is still {job.State}");
            await Task.Delay(50, default);
        }

        Assert.Equal(1, job.Attempts);
        Assert.Contains($"No handler for job kind '{kind}'", job.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_encounter_written_through_the_API_publishes_a_care_relationships_notice_and_an_observation_does_not()
    {
        var patient = $"notice-{Guid.NewGuid():N}";
        var feed = server.Services.GetRequiredService<IChangeFeed>();
        using var client = await server.ClientWithScopeAsync();
        await PutAsync(client, "Patient", patient, $$"""{"resourceType":"Patient","id":"{{patient}}"}""");
        var before = await feed.LatestSeqAsync(default);

        await PutAsync(client, "Observation", $"{patient}-obs", $$"""
            {"resourceType":"Observation","id":"{{patient}}-obs","status":"final","code":{"text":"weight"},"subject":{"reference":"Patient/{{patient}}"} }
            """);
        Assert.DoesNotContain(await feed.ReadAfterAsync(before, 10_000, default), n => n.Key == patient);

        await PutAsync(client, "Encounter", $"{patient}-enc", $$"""
            {"resourceType":"Encounter","id":"{{patient}}-enc","status":"in-progress","class":{"code":"IMP"},"subject":{"reference":"Patient/{{patient}}"} }
            """);
        var notice = Assert.Single(await feed.ReadAfterAsync(before, 10_000, default), n => n.Key == patient);
        Assert.Equal(CareRelationships.ChangeTopic, notice.Topic);
    }

    [Theory]
    [InlineData("Jobs:PollSeconds", "0", "OpenWard:Jobs:PollSeconds")]
    [InlineData("Jobs:LeaseSeconds", "0.5", "OpenWard:Jobs:LeaseSeconds")]
    [InlineData("Jobs:BatchSize", "0", "OpenWard:Jobs:BatchSize")]
    [InlineData("ChangeNotices:PollSeconds", "90", "OpenWard:ChangeNotices:PollSeconds")]
    public void A_job_or_notice_setting_out_of_range_stops_start_up_naming_the_setting(string setting, string value, string named)
    {
        var refused = Assert.Throws<StartupRefusedException>(() => OpenWardHost.Build([$"--OpenWard:{setting}={value}", "--OpenWard:DataDirectory=" + Path.Combine(Path.GetTempPath(), $"openward-not-started-{Guid.NewGuid():N}")]));
        Assert.StartsWith(named, refused.Message, StringComparison.Ordinal);
    }

    private static async Task PutAsync(HttpClient client, string type, string id, string json)
    {
        using var put = await client.PutAsync($"{type}/{id}", new StringContent(json, Encoding.UTF8, "application/fhir+json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }
}
