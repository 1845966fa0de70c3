using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Web.Hosting;

/// <summary>What an administrator may do with the job queue (the jobs page and <c>openward jobs</c>): list jobs, and retry a dead one, audited.</summary>
public sealed class JobAdministration(IJobQueue queue, AuditTrail audit, TimeProvider time)
{
    /// <summary>Most jobs listed at once.</summary>
    public const int ListLimit = 200;

    /// <summary>The role that administers the system, and so the job queue.</summary>
    public const StaffRole AdministratorRole = StaffRole.SystemAdministrator;

    public Task<IReadOnlyList<Job>> ListAsync(JobState? state, CancellationToken cancellationToken) =>
        queue.ListAsync(state, ListLimit, cancellationToken);

    /// <summary>
    /// Sends a dead job back to the queue with its attempts reset, and records who did it in the
    /// audit trail; false (nothing changed) when there is no such job or it is not dead.
    /// </summary>
    public async Task<bool> RetryAsync(Principal who, long jobId, string? address, CancellationToken cancellationToken)
    {
        var job = await queue.FindAsync(jobId, cancellationToken);
        var now = time.GetUtcNow();
        if (job is null || !await queue.RetryAsync(jobId, now, cancellationToken))
        {
            return false;
        }

        await audit.RecordAsync(
            new AuditRecord(now, who, AuditInteraction.Operation, AuditAction.Execute, AuditOutcome.Success)
            {
                Address = address,
                PurposeOfUse = AuditPurpose.Operations,
                OperationName = "retry-job",
                Detail = $"Retried dead job {job.Id} ({job.Kind}) after {job.Attempts} attempt(s).",
            },
            cancellationToken);
        return true;
    }

    /// <summary>Parses a state as written on the command line or in a query (<c>dead</c>, <c>pending</c>...); null for none or an unknown one.</summary>
    public static JobState? ParseState(string? state) =>
        Enum.TryParse<JobState>(state, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
}
