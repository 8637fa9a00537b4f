using NotesLsp.Analysis;
using NotesLsp.Text;

namespace NotesLsp.Server.Tests;

/// <summary>
/// <see cref="RequestQueue.EnqueueBackgroundMutation"/>: the work runs off the queue, so requests behind it are
/// answered meanwhile, and its result lands as if it had been applied in order: never over a newer snapshot, so no
/// edit that came in between is lost.
/// </summary>
public sealed class BackgroundMutationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static Note NoteAt(string name) => new($"file:///{name}.md", SourceText.From($"# {name}\n"));

    private static RequestQueue NewQueue() => new(WorkspaceSnapshot.Empty, new ServerLog(new StringWriter()));

    [Fact]
    public async Task Requests_are_answered_while_a_background_mutation_computes_and_see_it_once_it_lands()
    {
        var queue = NewQueue();
        using var stop = new CancellationTokenSource();
        var running = queue.RunAsync(stop.Token);
        using var release = new ManualResetEventSlim();
        var batch = NoteAt("batch");
        var changed = 0;
        queue.SnapshotChanged += (_, after) => changed += after.Find(batch.Uri) is null ? 0 : 1;
        var mutation = queue.EnqueueBackgroundMutation("slow batch", s =>
        {
            release.Wait(Bound);
            return s.WithNote(batch);
        });

        // Held by nothing: the read is served while the batch is still being computed, and does not see it.
        Assert.True(await queue.EnqueueRead("read", (s, _) => s.Find(batch.Uri) is null, CancellationToken.None).WaitAsync(Bound));
        Assert.False(mutation.IsCompleted);
        release.Set();
        await mutation.WaitAsync(Bound);
        Assert.NotNull(await queue.EnqueueRead("read", (s, _) => s.Find(batch.Uri), CancellationToken.None).WaitAsync(Bound));
        Assert.Equal(1, changed);
        Assert.Equal(0, queue.BackgroundRetries);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task A_mutation_that_came_in_meanwhile_is_kept_and_the_background_one_is_computed_again_on_it()
    {
        var queue = NewQueue();
        using var stop = new CancellationTokenSource();
        var running = queue.RunAsync(stop.Token);
        using var release = new ManualResetEventSlim();
        var batch = NoteAt("batch");
        var typed = NoteAt("typed");
        var seen = new List<bool>();
        var mutation = queue.EnqueueBackgroundMutation("batch", s =>
        {
            lock (seen)
            {
                seen.Add(s.Find(typed.Uri) is not null);
            }

            release.Wait(Bound);
            return s.WithNote(batch);
        });

        // An edit is applied in order while the batch is computed on the snapshot before it.
        await queue.EnqueueMutation("didOpen", s => s.WithNote(typed)).WaitAsync(Bound);
        release.Set();
        await mutation.WaitAsync(Bound);
        var (hasTyped, hasBatch) = await queue.EnqueueRead("read", (s, _) => (s.Find(typed.Uri) is not null, s.Find(batch.Uri) is not null), CancellationToken.None).WaitAsync(Bound);
        Assert.True(hasTyped, "the edit that came in while the batch was computed was lost");
        Assert.True(hasBatch);
        Assert.Equal([false, true], seen);
        Assert.Equal(1, queue.BackgroundRetries);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task A_background_mutation_overtaken_every_time_is_applied_in_the_ordered_step()
    {
        var queue = NewQueue();
        using var stop = new CancellationTokenSource();
        var running = queue.RunAsync(stop.Token);
        var batch = NoteAt("batch");
        var calls = 0;
        var mutation = queue.EnqueueBackgroundMutation("batch", s =>
        {
            // Each attempt off the queue is overtaken by an edit applied before it can be swapped in.
            var call = Interlocked.Increment(ref calls);
            if (call <= RequestQueue.BackgroundAttempts)
            {
                queue.EnqueueMutation($"edit {call}", t => t.WithNote(NoteAt($"edit{call}"))).Wait(Bound);
            }

            return s.WithNote(batch);
        });
        await mutation.WaitAsync(Bound);
        var uris = await queue.EnqueueRead("read", (s, _) => s.Notes.Keys.ToList(), CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(["file:///batch.md", "file:///edit1.md", "file:///edit2.md", "file:///edit3.md"], uris);
        Assert.Equal(RequestQueue.BackgroundAttempts + 1, calls);
        Assert.Equal(RequestQueue.BackgroundAttempts - 1, queue.BackgroundRetries);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task A_failing_background_mutation_faults_its_task_and_the_queue_goes_on()
    {
        var log = new StringWriter();
        var queue = new RequestQueue(WorkspaceSnapshot.Empty, new ServerLog(log));
        using var stop = new CancellationTokenSource();
        var running = queue.RunAsync(stop.Token);
        var failing = queue.EnqueueBackgroundMutation("broken batch", _ => throw new InvalidDataException("bad batch"));
        await Assert.ThrowsAsync<InvalidDataException>(() => failing.WaitAsync(Bound));
        Assert.Contains("broken batch failed", log.ToString(), StringComparison.Ordinal);
        var note = NoteAt("after");
        await queue.EnqueueMutation("after", s => s.WithNote(note)).WaitAsync(Bound);
        Assert.NotNull(await queue.EnqueueRead("read", (s, _) => s.Find(note.Uri), CancellationToken.None).WaitAsync(Bound));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task The_preparation_runs_on_the_result_before_it_is_visible()
    {
        var queue = NewQueue();
        using var stop = new CancellationTokenSource();
        var running = queue.RunAsync(stop.Token);
        var batch = NoteAt("batch");
        WorkspaceSnapshot? prepared = null;
        await queue.EnqueueBackgroundMutation("batch", s => s.WithNote(batch), after => prepared = after).WaitAsync(Bound);
        var current = await queue.EnqueueRead("read", (s, _) => s, CancellationToken.None).WaitAsync(Bound);
        Assert.Same(current, prepared);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }
}
