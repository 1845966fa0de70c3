using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Storage;

/// <summary>
/// Copies AuditEvents from the durable audit log (<c>audit_chain</c>) into the ordinary resource,
/// history and index rows, so FHIR search finds them. Recording an event costs one small log row;
/// this work runs later, in the background, in large batches, in <c>seq</c> order, and remembers how
/// far it got in <c>audit_projection</c> (moved in the same transaction as the rows it wrote, so a
/// crash neither loses nor repeats an event). Anything that may read AuditEvents from the store
/// first calls <see cref="CatchUpAsync"/>, so a search sees every committed event.
/// Described in docs/implementation/storage.md ("Audit log and projection").
/// </summary>
internal sealed class AuditProjector : IAsyncDisposable
{
    /// <summary>
    /// Events per projection transaction: enough to amortise the commit, few enough that the writes
    /// and audit commits queued behind it wait little (~0.3 ms of SQLite writing per event). Read p99
    /// in the load tool, on a machine busy with other work: 500 gave 230 ms, 100 gave 167 ms, 25 gave 48-91 ms.
    /// </summary>
    internal const int EventsPerTransaction = 25;

    /// <summary>How long the log must be quiet (no new commits) before the background loop projects.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The longest the background loop waits for a quiet moment: under sustained load it projects
    /// anyway after this, so the backlog stays bounded. Reads of AuditEvent never wait for it: they
    /// catch up first (<see cref="CatchUpAsync"/>).
    /// </summary>
    internal static readonly TimeSpan MaxDeferral = TimeSpan.FromSeconds(30);

    private readonly SqlResourceStore _store;
    private readonly Channel<bool> _nudges = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly SemaphoreSlim _projecting = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _disposed;

    public AuditProjector(SqlResourceStore store)
    {
        _store = store;
        _loop = Task.Run(ProjectInBackgroundAsync);
    }

    /// <summary>Tells the background loop that new events were committed to the log.</summary>
    public void Nudge() => _nudges.Writer.TryWrite(true);

    /// <summary>
    /// Projects every event committed before this call that is not yet projected. One cheap query
    /// when nothing is pending. Must not be called from inside a store write (it writes itself).
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        if (await PendingAsync(cancellationToken))
        {
            await ProjectAllAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // the host may dispose the store twice
        }

        _nudges.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
        _projecting.Dispose();
    }

    private async Task<bool> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT CASE WHEN h.seq > p.seq THEN 1 ELSE 0 END FROM audit_head h, audit_projection p WHERE h.id = 1 AND p.id = 1";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private async Task ProjectAllAsync(CancellationToken cancellationToken)
    {
        await _projecting.WaitAsync(cancellationToken);
        try
        {
            // A full batch may mean more are waiting; a short one means the log is caught up (or has a gap, which verification reports).
            while (await _store.WriteAsync(transaction => ((SqlStoreTransaction)transaction).ProjectAuditEventsAsync(EventsPerTransaction, cancellationToken), cancellationToken) == EventsPerTransaction)
            {
            }
        }
        finally
        {
            _projecting.Release();
        }
    }

    private async Task ProjectInBackgroundAsync()
    {
        while (await _nudges.Reader.WaitToReadAsync())
        {
            _nudges.Reader.TryRead(out _);
            try
            {
                // Projection costs several times what logging does: leave it to a quiet moment, so
                // that a burst of audited reads is not slowed by it.
                var waited = System.Diagnostics.Stopwatch.StartNew();
                do
                {
                    await Task.Delay(Gather, _stopping.Token);
                }
                while (_nudges.Reader.TryRead(out _) && waited.Elapsed < MaxDeferral);

                await ProjectAllAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return; // what is left is projected by the next process, or by the next AuditEvent read
            }
            catch (Exception)
            {
                // The events are safe in the log; the next commit's nudge or the next AuditEvent read retries.
            }
        }
    }
}

/// <summary>Turns a logged AuditEvent into the resource write that makes it searchable.</summary>
internal static class AuditProjection
{
    // The log holds what AuditTrail serialised (and the chain's hash proves it unchanged), so it is
    // parsed without validation: 2-3x cheaper (TOOLCHAIN.md).
    private static readonly FhirJsonDeserializer Parser = new(new DeserializerSettings { Validator = null });

    public static ResourceWrite ToWrite(string id, string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        try
        {
            if (Parser.TryDeserializeResource(ref reader, out var resource, out _) && resource is AuditEvent auditEvent)
            {
                var lastUpdated = auditEvent.Meta?.LastUpdated ?? auditEvent.Recorded ?? DateTimeOffset.UnixEpoch;
                return new ResourceWrite("AuditEvent", id, 1, lastUpdated, json, AuditEventIndexer.Extract(auditEvent), "POST");
            }
        }
        catch (Exception e) when (e is JsonException or DeserializationFailedException or FormatException or ArgumentException or InvalidOperationException)
        {
            // fall through: an unreadable log entry (edited behind OpenWard's back; verification names it)
        }

        // Still projected, unindexed, so the events after it stay searchable.
        return new ResourceWrite("AuditEvent", id, 1, DateTimeOffset.UnixEpoch, json, new ResourceIndexes(), "POST");
    }
}
