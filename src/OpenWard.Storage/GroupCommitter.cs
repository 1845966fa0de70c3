using System.Threading.Channels;

namespace OpenWard.Storage;

/// <summary>
/// Group commit for an engine with one writer at a time (SQLite): requests queue their write work,
/// one writer runs everything waiting in a single transaction, each piece inside its own savepoint,
/// and commits once, so many acknowledged writes share one fsync. A piece that fails rolls back to
/// its savepoint and fails alone; a failed commit fails every piece in it. Nothing is acknowledged
/// before the commit that makes it durable.
/// </summary>
internal sealed class GroupCommitter : IAsyncDisposable
{
    /// <summary>Most pieces of work in one commit: bounds the latency a queued request can add.</summary>
    private const int MaxPerCommit = 64;

    private readonly SqlResourceStore _store;
    private readonly Channel<IWork> _queue = Channel.CreateUnbounded<IWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public GroupCommitter(SqlResourceStore store)
    {
        _store = store;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task<T> RunAsync<T>(Func<IStoreTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var item = new Work<T>(work, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);

        return item.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<IWork>(MaxPerCommit);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxPerCommit && _queue.Reader.TryRead(out var next))
            {
                if (next.IsCancelled)
                {
                    next.Cancel();
                }
                else
                {
                    batch.Add(next);
                }
            }

            if (batch.Count > 0)
            {
                await CommitTogetherAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task CommitTogetherAsync(List<IWork> batch)
    {
        var succeeded = new List<IWork>(batch.Count);
        try
        {
            await using var transaction = (SqlStoreTransaction)await _store.BeginAsync(CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                var savepoint = "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await transaction.SaveAsync(savepoint);
                try
                {
                    await batch[i].RunAsync(transaction);
                    await transaction.ReleaseAsync(savepoint);
                    succeeded.Add(batch[i]);
                }
                catch (Exception e)
                {
                    await transaction.RollbackToAsync(savepoint);
                    batch[i].Fail(e);
                }
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            foreach (var work in batch.Where(w => !w.IsFinished))
            {
                work.Fail(e);
            }

            return;
        }

        foreach (var work in succeeded)
        {
            work.Succeed();
        }
    }

    private interface IWork
    {
        bool IsCancelled { get; }
        bool IsFinished { get; }
        Task RunAsync(IStoreTransaction transaction);
        void Succeed();
        void Fail(Exception exception);
        void Cancel();
    }

    private sealed class Work<T>(Func<IStoreTransaction, Task<T>> work, CancellationToken cancellationToken) : IWork
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool IsCancelled => cancellationToken.IsCancellationRequested;
        public bool IsFinished => Completion.Task.IsCompleted;

        public async Task RunAsync(IStoreTransaction transaction) => _result = await work(transaction);

        public void Succeed() => Completion.TrySetResult(_result!);

        public void Fail(Exception exception) => Completion.TrySetException(exception);

        public void Cancel() => Completion.TrySetCanceled(cancellationToken);
    }
}
