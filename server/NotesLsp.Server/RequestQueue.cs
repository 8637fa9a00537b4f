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

    /// <summary>
    /// A mutation whose inputs come from I/O: <paramref name="prepare"/> starts now, off the queue (reading files,
    /// say), and the mutation it returns runs in this item's place in the order, so requests that arrived later
    /// still see it. No file is read inside the ordered step. The queue waits for a slow preparation at most
    /// <see cref="PreparationWait"/>; after that it moves on, and the mutation is applied when it is ready.
    /// </summary>
    public Task EnqueuePreparedMutation(string name, Func<Func<WorkspaceSnapshot, WorkspaceSnapshot>> prepare)
    {
        var prepared = Task.Run(prepare);
        var item = new PreparedMutationItem(name, prepared);
        if (!channel.Writer.TryWrite(item))
        {
            return Task.FromCanceled(new CancellationToken(true));
        }

        return item.Completion.Task;
    }

    /// <summary>How long the queue waits for a prepared mutation's I/O before it serves the requests behind it.</summary>
    public static TimeSpan PreparationWait { get; } = TimeSpan.FromSeconds(5);

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
            if (item is PreparedMutationItem { Prepared.IsCompleted: false } prepared)
            {
                await prepared.WaitAsync(this, cancellationToken);
            }

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

    private sealed class PreparedMutationItem(string name, Task<Func<WorkspaceSnapshot, WorkspaceSnapshot>> prepared) : WorkItem(name)
    {
        private bool deferred;

        public Task<Func<WorkspaceSnapshot, WorkspaceSnapshot>> Prepared { get; } = prepared;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WaitAsync(RequestQueue queue, CancellationToken cancellationToken)
        {
            await Task.WhenAny(Prepared, Task.Delay(PreparationWait, cancellationToken)).ConfigureAwait(false);
            if (!Prepared.IsCompleted)
            {
                // Slow storage must not stop the server answering: apply the result later, as a new mutation.
                deferred = true;
                queue.log.Warning($"{Name}: reading took over {PreparationWait.TotalSeconds:F0} s; serving the requests behind it and applying it when it is done");
                _ = Prepared.ContinueWith(
                    task => task.IsCompletedSuccessfully
                        ? queue.EnqueueMutation(Name, task.Result).ContinueWith(t => Complete(t), TaskScheduler.Default)
                        : Task.FromResult(Complete(task)),
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default);
            }
        }

        public override void Run(RequestQueue queue)
        {
            if (deferred)
            {
                return;
            }

            if (!Prepared.IsCompletedSuccessfully)
            {
                queue.log.Error($"{Name} failed while reading: {Prepared.Exception?.InnerException}");
                Complete(Prepared);
                return;
            }

            var mutation = new MutationItem(Name, Prepared.Result);
            mutation.Run(queue);
            Complete(mutation.Completion.Task);
        }

        private bool Complete(Task task)
        {
            if (task.Exception is { } exception)
            {
                return Completion.TrySetException(exception.InnerExceptions);
            }

            return task.IsCanceled ? Completion.TrySetCanceled() : Completion.TrySetResult();
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
