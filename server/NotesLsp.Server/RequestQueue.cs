using System.Threading.Channels;
using NotesLsp.Analysis;

namespace NotesLsp.Server;

/// <summary>
/// The one place that orders work (after Roslyn's CLaSP). StreamJsonRpc invokes handlers in arrival order
/// only up to their first await, so every handler enqueues here synchronously and returns the item's task.
/// Mutations (document and workspace changes) run to completion one at a time, in order, each producing a
/// new snapshot. Reads take the snapshot current at their turn and then run concurrently on the thread pool,
/// so a slow read never delays typing and always sees every edit that arrived before it.
/// </summary>
public sealed class RequestQueue
{
    private readonly Channel<WorkItem> channel = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ServerLog log;
    private WorkspaceSnapshot snapshot;

    public RequestQueue(WorkspaceSnapshot initial, ServerLog log)
    {
        snapshot = initial;
        this.log = log;
    }

    /// <summary>Raised on the queue after each mutation with the snapshots before and after.</summary>
    public event Action<WorkspaceSnapshot, WorkspaceSnapshot>? SnapshotChanged;

    /// <summary>The latest snapshot; for reads outside the queue (logging, status), never for answers.</summary>
    public WorkspaceSnapshot Current => Volatile.Read(ref snapshot);

    public Task EnqueueMutation(string name, Func<WorkspaceSnapshot, WorkspaceSnapshot> mutate)
    {
        var item = new MutationItem(name, mutate);
        if (!channel.Writer.TryWrite(item))
        {
            return Task.FromCanceled(new CancellationToken(true));
        }

        return item.Completion.Task;
    }

    public Task<T> EnqueueRead<T>(string name, Func<WorkspaceSnapshot, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var item = new ReadItem<T>(name, read, cancellationToken);
        if (!channel.Writer.TryWrite(item))
        {
            return Task.FromCanceled<T>(new CancellationToken(true));
        }

        return item.Completion.Task;
    }

    public Task<T> EnqueueRead<T>(string name, Func<WorkspaceSnapshot, CancellationToken, T> read, CancellationToken cancellationToken) =>
        EnqueueRead(name, (s, ct) => Task.FromResult(read(s, ct)), cancellationToken);

    public void Complete() => channel.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
        {
            item.Run(this);
        }
    }

    private abstract class WorkItem(string name)
    {
        public string Name { get; } = name;

        public abstract void Run(RequestQueue queue);
    }

    private sealed class MutationItem(string name, Func<WorkspaceSnapshot, WorkspaceSnapshot> mutate) : WorkItem(name)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(RequestQueue queue)
        {
            var before = queue.snapshot;
            try
            {
                var after = mutate(before);
                Volatile.Write(ref queue.snapshot, after);
                if (!ReferenceEquals(before, after))
                {
                    queue.SnapshotChanged?.Invoke(before, after);
                }

                Completion.SetResult();
            }
            catch (Exception exception)
            {
                queue.log.Error($"{Name} failed: {exception}");
                Completion.SetException(exception);
            }
        }
    }

    private sealed class ReadItem<T>(string name, Func<WorkspaceSnapshot, CancellationToken, Task<T>> read, CancellationToken cancellationToken) : WorkItem(name)
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(RequestQueue queue)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Completion.SetCanceled(cancellationToken);
                return;
            }

            var taken = queue.snapshot;
            _ = Task.Run(async () =>
            {
                try
                {
                    Completion.SetResult(await read(taken, cancellationToken));
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Completion.SetCanceled(cancellationToken);
                }
                catch (Exception exception)
                {
                    queue.log.Error($"{Name} failed: {exception}");
                    Completion.SetException(exception);
                }
            }, CancellationToken.None);
        }
    }
}
