using OpenWard.Storage;

namespace OpenWard.Web.Tests;

/// <summary>Waits, with a deadline, for a server's job runner to finish a job.</summary>
public static class JobWaits
{
    public static async Task<Job> UntilDoneAsync(IJobQueue queue, long jobId, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var job = await queue.FindAsync(jobId, default) ?? throw new InvalidOperationException($"Job {jobId} does not exist.");
            if (job.State is JobState.Done or JobState.Dead)
            {
                Assert.True(job.State == JobState.Done, $"Job {jobId} is dead: {job.LastError}");
                return job;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Job {jobId} ({job.Kind}) is still {job.State} after {job.Attempts} attempt(s); last error: {job.LastError}");
            }

            await Task.Delay(50, default);
        }
    }
}
