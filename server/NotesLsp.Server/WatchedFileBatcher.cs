namespace NotesLsp.Server;

/// <summary>
/// Coalesces file-watcher events: a path changed ten times, or ten thousand paths changed by one git checkout, are
/// handed to <c>apply</c> in batches of at most <see cref="MaxBatch"/> distinct paths, one batch at a time, after
/// a short quiet delay that lets a burst of notifications arrive. Between batches the request queue runs, so
/// requests are answered during the re-index. A path that changes again while its batch is applied is simply
/// queued again: the batch reads the disk, which is the truth either way.
/// </summary>
public sealed class WatchedFileBatcher(Func<IReadOnlyList<(string Uri, string Path)>, CancellationToken, Task> apply, ServerLog log, CancellationToken lifetime)
{
    /// <summary>Most paths read and applied in one mutation.</summary>
    public const int MaxBatch = 500;

    /// <summary>How long the batcher waits after the first event for more to arrive.</summary>
    public static readonly TimeSpan QuietDelay = TimeSpan.FromMilliseconds(30);

    private readonly object gate = new();
    private readonly Dictionary<string, string> pending = new(StringComparer.Ordinal);
    private readonly List<string> order = [];
    private Task running = Task.CompletedTask;
    private bool draining;
    private int batches;
    private long received;

    /// <summary>How many batches have been applied.</summary>
    public int Batches => Volatile.Read(ref batches);

    /// <summary>Completes once every path added so far has been applied (for tests and the change-storm benchmark).</summary>
    public Task Idle
    {
        get
        {
            lock (gate)
            {
                return running;
            }
        }
    }

    public void Add(string uri, string path)
    {
        lock (gate)
        {
            if (pending.TryAdd(uri, path))
            {
                order.Add(uri);
            }

            StartDraining();
        }
    }

    /// <summary>
    /// Counts the events of one notification (all of them, also those that were not added). Once every path added so
    /// far is applied, one log line says how many events had been received by then: a client that counts what it
    /// sent (the tests against a server process) knows from it that its events are applied.
    /// </summary>
    public void Received(int events)
    {
        lock (gate)
        {
            received += events;
            StartDraining();
        }
    }

    private void StartDraining()
    {
        if (!draining)
        {
            draining = true;
            running = Task.Run(DrainAsync, lifetime);
        }
    }

    private async Task DrainAsync()
    {
        await Task.Delay(QuietDelay, lifetime).ConfigureAwait(false);
        while (!lifetime.IsCancellationRequested)
        {
            List<(string Uri, string Path)> batch;
            lock (gate)
            {
                if (order.Count == 0)
                {
                    draining = false;
                    log.Info($"file events applied: all {received} received so far");
                    return;
                }

                var take = Math.Min(MaxBatch, order.Count);
                batch = new List<(string, string)>(take);
                foreach (var uri in order.Take(take))
                {
                    batch.Add((uri, pending[uri]));
                    pending.Remove(uri);
                }

                order.RemoveRange(0, take);
            }

            try
            {
                await apply(batch, lifetime).ConfigureAwait(false);
                Interlocked.Increment(ref batches);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                log.Error($"applying {batch.Count} file changes failed: {exception}");
            }
        }
    }
}
