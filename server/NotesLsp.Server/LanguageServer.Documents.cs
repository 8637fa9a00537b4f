using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using NotesLsp.Text;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>Document sync: the editor owns an open note's text; incremental changes apply in order.</summary>
public sealed partial class LanguageServer
{
    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(DidOpenTextDocumentParams parameters) => Guard(() =>
    {
        var document = parameters.TextDocument;
        var uri = DocumentUris.Normalize(document.Uri);
        var text = SourceText.From(document.Text ?? string.Empty);
        var opened = queue.EnqueueMutation("didOpen", s => s.WithNote(new Note(uri, text, document.Version, isOpen: true)));
        if (indexed.Task.IsCompleted)
        {
            _ = opened.ContinueWith(_ => OfferMissingVenuesAsync(queue.Current), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap();
        }
    });

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(DidChangeTextDocumentParams parameters) => Guard(() =>
    {
        var uri = DocumentUris.Normalize(parameters.TextDocument.Uri);
        var version = parameters.TextDocument.Version;
        var changes = (parameters.ContentChanges ?? []).Select(c => new TextChange(c.Range is { } r ? Convert.ToLineRange(r) : null, c.Text ?? string.Empty)).ToList();
        _ = queue.EnqueueMutation("didChange", s =>
        {
            if (s.Find(uri) is not { IsOpen: true } note)
            {
                log.Warning($"didChange for a document that is not open: {uri}");
                return s;
            }

            return s.WithNote(new Note(uri, note.Text.WithChanges(changes), version, isOpen: true));
        });
    });

    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(DidCloseTextDocumentParams parameters) => Guard(() =>
    {
        var uri = DocumentUris.Normalize(parameters.TextDocument.Uri);
        _ = queue.EnqueueMutation("didClose", s =>
        {
            diagnostics.Clear(uri);

            // The file on disk is the truth again (the user may have closed without saving).
            var onDisk = DocumentUris.ToPath(uri) is { } path && IsInWorkspace(path) ? scanner.ReadNote(path, s.Tags.Keys) : null;
            return onDisk is null ? s.WithoutNote(uri) : s.WithNote(onDisk);
        });
    });

    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void DidSave(DidSaveTextDocumentParams parameters) => _ = parameters;

    /// <summary>Inside a workspace folder, links resolved: what the server may read from disk (and edit).</summary>
    private bool IsInWorkspace(string path) => scanner.Files.Roots.Any() && scanner.Files.Contains(path);
}
