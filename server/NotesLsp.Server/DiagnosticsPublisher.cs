using System.Collections.Concurrent;
using System.Collections.Immutable;
using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;

namespace NotesLsp.Server;

/// <summary>
/// Computes diagnostics off the request queue, debounced, for the open notes, and publishes them with the
/// document version they were computed for. Results equal to the last published ones are not sent again.
/// </summary>
public sealed class DiagnosticsPublisher : IDisposable
{
    /// <summary>Long enough to coalesce a burst of keystrokes, short enough to feel immediate.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(120);

    private readonly RequestQueue queue;
    private readonly ServerLog log;
    private readonly Func<PublishDiagnosticsParams, Task> publish;
    private readonly SemaphoreSlim signal = new(0);
    private readonly ConcurrentDictionary<string, (int? Version, ImmutableArray<NoteDiagnostic> Diagnostics)> published = new(StringComparer.Ordinal);
    private readonly Func<WorkspaceSnapshot, Note, IEnumerable<NoteDiagnostic>>? serverStateChecks;
    private int pending;

    /// <param name="serverStateChecks">Checks that need state beside the snapshot (the paper catalogs).</param>
    public DiagnosticsPublisher(RequestQueue queue, ServerLog log, Func<PublishDiagnosticsParams, Task> publish, CancellationToken lifetime, Func<WorkspaceSnapshot, Note, IEnumerable<NoteDiagnostic>>? serverStateChecks = null)
    {
        this.serverStateChecks = serverStateChecks;
        this.queue = queue;
        this.log = log;
        this.publish = publish;
        _ = Task.Run(() => LoopAsync(lifetime), lifetime);
    }

    public void Schedule()
    {
        if (Interlocked.Exchange(ref pending, 1) == 0)
        {
            signal.Release();
        }
    }

    /// <summary>Clears a closed note's diagnostics in the editor.</summary>
    public void Clear(string uri)
    {
        if (published.TryRemove(uri, out _))
        {
            _ = SafePublishAsync(new PublishDiagnosticsParams(uri, null, []));
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(cancellationToken);
                await Task.Delay(Debounce, cancellationToken);
                Interlocked.Exchange(ref pending, 0);
                await PublishOpenNotesAsync(queue.Current, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception exception)
            {
                log.Error($"diagnostics failed: {exception}");
            }
        }
    }

    private async Task PublishOpenNotesAsync(WorkspaceSnapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var note in snapshot.OpenNotes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var diagnostics = NoteDiagnostics.Compute(snapshot, note, cancellationToken);
            if (serverStateChecks is not null)
            {
                diagnostics = diagnostics.AddRange(serverStateChecks(snapshot, note));
            }
            if (published.TryGetValue(note.Uri, out var last) && last.Version == note.Version && last.Diagnostics.SequenceEqual(diagnostics))
            {
                continue;
            }

            published[note.Uri] = (note.Version, diagnostics);
            if (diagnostics.Length > AnswerLimits.DiagnosticsPerNote)
            {
                log.Info($"diagnostics for {note.Uri}: {diagnostics.Length} problems, publishing the first {AnswerLimits.DiagnosticsPerNote} (a limit, see the README's Limits)");
                diagnostics = diagnostics.RemoveRange(AnswerLimits.DiagnosticsPerNote, diagnostics.Length - AnswerLimits.DiagnosticsPerNote);
            }

            var converted = diagnostics.Select(d => Convert.ToDiagnostic(snapshot, note.Text, d)).ToArray();
            await SafePublishAsync(new PublishDiagnosticsParams(note.Uri, note.Version, converted));
        }
    }

    private async Task SafePublishAsync(PublishDiagnosticsParams parameters)
    {
        try
        {
            await publish(parameters);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or StreamJsonRpc.ConnectionLostException)
        {
        }
    }

    public void Dispose() => signal.Dispose();
}
