using System.Threading.Channels;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Fhir.Rest.Audit;

/// <summary>
/// Writes AuditEvents into the store's tamper-evident audit log. A write's event goes into the write's
/// own transaction (<see cref="RecordInTransactionAsync(IStoreTransaction, AuditRecord, CancellationToken)"/>).
/// A read's event is queued (<see cref="RecordAsync"/>): one background loop writes everything
/// queued, up to <see cref="MaxPerCommit"/>, in one transaction, and each caller's task completes
/// only after that commit, so a request is answered only once its event is durable, while many
/// reads share one commit. A failed commit faults every task in it: an event is never lost silently.
/// The durable step is one small log row per event; the store makes events searchable later, in
/// bulk, and before any read of AuditEvents (see <see cref="IStoreTransaction.AppendAuditEventsAsync"/>).
/// One instance per process (a singleton); disposing it writes what is still queued.
/// </summary>
public sealed class AuditTrail : IAsyncDisposable
{
    /// <summary>Most events in one commit: bounds the size of a transaction, not the wait (the loop never waits to fill a batch).</summary>
    public const int MaxPerCommit = 500;

    private readonly IResourceStore _store;
    private readonly TimeProvider _time;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public AuditTrail(IResourceStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>
    /// The constructor callers used when the trail extracted search indexes itself; the store now
    /// indexes each event when it projects it, so <paramref name="indexer"/> is not used.
    /// </summary>
    public AuditTrail(IResourceStore store, SearchIndexer indexer, TimeProvider time)
        : this(store, time)
    {
        ArgumentNullException.ThrowIfNull(indexer);
    }

    /// <summary>
    /// Queues the event and completes, with the AuditEvent's id, once the commit that holds it is
    /// durable. Cancelling stops the wait, not the write: what happened is still audited.
    /// </summary>
    public Task<string> RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var pending = new Pending(Prepare(record));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Appends the event inside <paramref name="transaction"/> (a write's own); call it last, see <see cref="IStoreTransaction.AppendAuditEventsAsync"/>.</summary>
    public Task RecordInTransactionAsync(IStoreTransaction transaction, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.AppendAuditEventsAsync([Prepare(record)], cancellationToken);
    }

    /// <summary>Appends several events, in order, inside <paramref name="transaction"/> (a batch or transaction Bundle).</summary>
    public Task RecordInTransactionAsync(IStoreTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(records);
        return transaction.AppendAuditEventsAsync(records.Select(Prepare).ToList(), cancellationToken);
    }

    /// <summary>
    /// The AuditEvent as the store will keep it: a new id, version 1, lastUpdated now (to the
    /// millisecond, as served) and its JSON. No search indexes: the store extracts them when it
    /// projects the event, off the request's path. No I/O; runs on the caller's thread.
    /// </summary>
    public ResourceWrite Prepare(AuditRecord record)
    {
        var id = Guid.NewGuid().ToString();
        var auditEvent = AuditEventFactory.Build(record, id);
        var now = _time.GetUtcNow();
        var lastUpdated = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        auditEvent.Meta = new Meta { VersionId = "1", LastUpdated = lastUpdated };
        return new ResourceWrite(auditEvent.TypeName, id, 1, lastUpdated, FhirSerialization.ToJson(auditEvent), null, "POST");
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxPerCommit);
        var writes = new List<ResourceWrite>(MaxPerCommit);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxPerCommit && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                writes.Add(next.Write);
            }

            try
            {
                await _store.WriteAsync(
                    async transaction =>
                    {
                        await transaction.AppendAuditEventsAsync(writes, CancellationToken.None);
                        return 0;
                    },
                    CancellationToken.None);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetResult(pending.Write.Id);
                }
            }
            catch (Exception e)
            {
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(new AuditTrailException(pending.Write.Id, e));
                }
            }

            batch.Clear();
            writes.Clear();
        }
    }

    private sealed class Pending(ResourceWrite write)
    {
        public ResourceWrite Write { get; } = write;

        public TaskCompletionSource<string> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>An audit event could not be made durable; the request it records must not be answered as a success.</summary>
public sealed class AuditTrailException(string auditEventId, Exception inner)
    : Exception($"AuditEvent/{auditEventId} could not be written to the audit trail: {inner.Message}", inner)
{
    public string AuditEventId { get; } = auditEventId;
}
