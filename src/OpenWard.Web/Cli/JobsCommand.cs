using System.CommandLine;
using System.Globalization;
using OpenWard.Storage;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Cli;

/// <summary>
/// <c>openward jobs</c>: the background job queue for the machine's operator: list jobs (newest
/// first, optionally in one state) and retry a dead one (audited, like the administrator's page).
/// </summary>
internal static class JobsCommand
{
    public static Command Create(Func<ServiceProvider> buildServices)
    {
        var states = string.Join(", ", Enum.GetNames<JobState>().Select(s => s.ToLowerInvariant()));
        var state = new Option<string?>("--state") { Description = $"Only jobs in this state: {states}." };
        var list = new Command("list", $"List jobs, newest first (at most {JobAdministration.ListLimit}): id, kind, state, attempts, due time (UTC), last error.") { state };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var only = parse.GetValue(state);
            var parsed = JobAdministration.ParseState(only);
            if (only is not null && parsed is null)
            {
                await Console.Error.WriteLineAsync($"'{only}' is not a job state: use one of {states}.");
                return 2;
            }

            await using var services = buildServices();
            foreach (var job in await (await AdministrationAsync(services, cancellationToken)).ListAsync(parsed, cancellationToken))
            {
                Console.WriteLine(string.Join('\t',
                    job.Id.ToString(CultureInfo.InvariantCulture),
                    job.Kind,
                    job.State.ToString().ToLowerInvariant(),
                    $"{job.Attempts}/{job.MaxAttempts}",
                    job.DueAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    job.LastError?.ReplaceLineEndings(" ") ?? ""));
            }

            return 0;
        });

        var id = new Argument<long>("id") { Description = "The job's id, as listed." };
        var retry = new Command("retry", "Send a dead job back to the queue with its attempts reset; a running server picks it up at its next poll.") { id };
        retry.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = buildServices();
            var jobId = parse.GetValue(id);
            if (!await (await AdministrationAsync(services, cancellationToken)).RetryAsync(OpenWardCommandLine.Operator(), jobId, null, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"Job {jobId} is not dead (or does not exist), so it was left as it is.");
                return 2;
            }

            Console.WriteLine($"Job {jobId} will run again.");
            return 0;
        });

        return new Command("jobs", "The background job queue.") { list, retry };
    }

    private static async Task<JobAdministration> AdministrationAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IResourceStore>().MigrateAsync(cancellationToken);
        return services.GetRequiredService<JobAdministration>();
    }
}
