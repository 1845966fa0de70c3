using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Web.Hosting;

/// <summary>
/// The access a job handler writes FHIR resources with: <paramref name="inner"/> decides and audits
/// as usual, and the write's transaction also marks <paramref name="job"/> done, so the resource
/// and "done" commit together (exactly once). If another instance has claimed the job since (its
/// lease expired), the write throws <see cref="JobLeaseLostException"/> and nothing is written.
/// A job that sets the next one (an escalation's next step) enqueues it in the same transaction.
/// </summary>
public sealed class JobCompletingAccess(IFhirAccess inner, IJobQueue queue, Job job, DateTimeOffset now, JobRequest? next = null) : IFhirAccess
{
    public bool SeesEverything => inner.SeesEverything;

    public void Demand(string resourceType, FhirAction action) => inner.Demand(resourceType, action);

    public ValueTask DemandAsync(FhirAction action, StoredResource resource, CancellationToken cancellationToken) =>
        inner.DemandAsync(action, resource, cancellationToken);

    public ValueTask<bool> MayReadAsync(StoredResource resource, bool named, CancellationToken cancellationToken) =>
        inner.MayReadAsync(resource, named, cancellationToken);

    public ValueTask<IReadOnlyList<StoredResource>> FilterAsync(IReadOnlyList<StoredResource> resources, CancellationToken cancellationToken) =>
        inner.FilterAsync(resources, cancellationToken);

    public ValueTask DemandWriteAsync(FhirAction action, StoredResource? current, StoredResource next, CancellationToken cancellationToken) =>
        inner.DemandWriteAsync(action, current, next, cancellationToken);

    public async Task RecordWritesAsync(IStoreTransaction transaction, CancellationToken cancellationToken)
    {
        if (!await queue.CompleteAsync(transaction, job, now, cancellationToken))
        {
            throw new JobLeaseLostException(job.Id);
        }

        if (next is not null)
        {
            await transaction.EnqueueJobAsync(next, cancellationToken);
        }

        await inner.RecordWritesAsync(transaction, cancellationToken); // the audit events go last
    }

    public void BeginEntry(BundleEntryAudit entry) => inner.BeginEntry(entry);

    public Task EndEntryAsync(int status, string? failure, CancellationToken cancellationToken) =>
        inner.EndEntryAsync(status, failure, cancellationToken);
}
