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

    /// <summary>
    /// A mutation no client message waits for (a start-up scan batch): <paramref name="mutate"/> runs off the queue on
    /// the snapshot current then, and a short ordered step swaps the result in if no other mutation came in between,
    /// so requests are not held while a batch of thousands of notes is merged into the indexes (at 100,000 notes a
    /// batch held the queue 120-180 ms). When another mutation did come in, the work is done again on the newer
    /// snapshot, up to <see cref="BackgroundAttempts"/> times, and then in the ordered step itself, so it always lands
    /// and the result is the one applying it in order would give. <paramref name="mutate"/> must be a pure function
    /// of the snapshot (it may run more than once). <paramref name="prepare"/>, when given, runs off the queue on the
    /// result before the swap (building the lazy parts the first request would otherwise build).
    /// </summary>
    public Task EnqueueBackgroundMutation(string name, Func<WorkspaceSnapshot, WorkspaceSnapshot> mutate, Action<WorkspaceSnapshot>? prepare = null)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(() => Attempt(name, mutate, prepare, completion, BackgroundAttempts));
        return completion.Task;
    }

    /// <summary>How many times a background mutation is computed off the queue before it is applied in the ordered step.</summary>
    internal const int BackgroundAttempts = 3;

    private void Attempt(string name, Func<WorkspaceSnapshot, WorkspaceSnapshot> mutate, Action<WorkspaceSnapshot>? prepare, TaskCompletionSource completion, int attemptsLeft)
    {
        var before = Current;
        WorkspaceSnapshot after;
        try
        {
            after = mutate(before);
            if (!ReferenceEquals(before, after))
            {
                prepare?.Invoke(after);
            }
        }
        catch (Exception exception)
        {
            log.Error($"{name} failed: {exception}");
            completion.TrySetException(exception);
            return;
        }

        var retry = attemptsLeft > 1 ? () => Task.Run(() => Attempt(name, mutate, prepare, completion, attemptsLeft - 1)) : (Action?)null;
        if (!channel.Writer.TryWrite(new SwapItem(name, before, after, mutate, retry, completion)))
        {
            completion.TrySetCanceled();
        }
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

    /// <summary>How many times a background mutation's result was out of date at its turn and computed again (tests read it).</summary>
    internal int BackgroundRetries { get; private set; }

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

    /// <summary>The ordered step of a background mutation: swap, compute again off the queue, or apply here.</summary>
    private sealed class SwapItem(string name, WorkspaceSnapshot before, WorkspaceSnapshot after, Func<WorkspaceSnapshot, WorkspaceSnapshot> mutate, Action? retry, TaskCompletionSource completion) : WorkItem(name)
    {
        public override void Run(RequestQueue queue)
        {
            if (ReferenceEquals(queue.snapshot, before))
            {
                Volatile.Write(ref queue.snapshot, after);
                if (!ReferenceEquals(before, after))
                {
                    queue.SnapshotChanged?.Invoke(before, after);
                }

                completion.TrySetResult();
                return;
            }

            if (retry is not null)
            {
                queue.BackgroundRetries++;
                retry();
                return;
            }

            var inOrder = new MutationItem(Name, mutate);
            inOrder.Run(queue);
            if (inOrder.Completion.Task.Exception is { } exception)
            {
                completion.TrySetException(exception.InnerExceptions);
            }
            else
            {
                completion.TrySetResult();
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
