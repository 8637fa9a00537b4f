using System.Collections.Concurrent;
using System.Text.Json;
using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using NotesLsp.Text;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>
/// Document sync: the editor owns an open note's text; incremental changes apply in order. A sync notification
/// that cannot be read (a lone surrogate in its text, a wrong type) is logged, and its document becomes unknown
/// (no answers from a text that differs from the editor's) until the editor sends the whole text again: a
/// didOpen, or a didChange with a full-text change.
/// </summary>
public sealed partial class LanguageServer
{
    /// <summary>Documents whose text the server lost; written and read only by mutations and read handlers.</summary>
    private readonly ConcurrentDictionary<string, bool> divergedDocuments = new(StringComparer.Ordinal);

    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(JsonElement parameters) => Guard(() =>
    {
        if (ReadSyncParams<DidOpenTextDocumentParams>(parameters, "didOpen") is not { } typed)
        {
            return;
        }

        var document = typed.TextDocument;
        var uri = DocumentUris.Normalize(document.Uri);
        var text = SourceText.From(document.Text ?? string.Empty);
        var opened = queue.EnqueueMutation("didOpen", s =>
        {
            divergedDocuments.TryRemove(uri, out _);
            return s.WithNote(new Note(uri, text, document.Version, isOpen: true));
        });
        if (indexed.Task.IsCompleted)
        {
            _ = opened.ContinueWith(_ => OfferMissingVenuesAsync(queue.Current), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap();
        }
    });

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(JsonElement parameters) => Guard(() =>
    {
        if (ReadSyncParams<DidChangeTextDocumentParams>(parameters, "didChange") is not { } typed)
        {
            return;
        }

        var uri = DocumentUris.Normalize(typed.TextDocument.Uri);
        var version = typed.TextDocument.Version;
        var changes = (typed.ContentChanges ?? []).Select(c => new TextChange(c.Range is { } r ? Convert.ToLineRange(r) : null, c.Text ?? string.Empty)).ToList();
        _ = queue.EnqueueMutation("didChange", s =>
        {
            if (divergedDocuments.ContainsKey(uri))
            {
                // Only a full-text change brings the document back; the changes after it apply to that text.
                var full = changes.FindLastIndex(c => c.Range is null);
                if (full < 0)
                {
                    return s;
                }

                divergedDocuments.TryRemove(uri, out _);
                log.Info($"{uri} is known again: the editor sent its full text");
                return s.WithNote(new Note(uri, SourceText.From(changes[full].NewText).WithChanges(changes.Skip(full + 1).ToList()), version, isOpen: true));
            }

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

        // The file on disk is the truth again (the user may have closed without saving): read first, then apply.
        _ = queue.EnqueuePreparedMutation("didClose", () =>
        {
            var onDisk = DocumentUris.ToPath(uri) is { } path && IsInWorkspace(path) ? scanner.ReadNote(path, queue.Current.Tags.Keys) : null;
            return s =>
            {
                diagnostics.Clear(uri);
                divergedDocuments.TryRemove(uri, out _);
                return onDisk is null ? s.WithoutNote(uri) : s.WithNote(onDisk);
            };
        });
    });

    /// <summary>
    /// The typed parameters of a sync notification, or null: then the failure is logged and the document (when
    /// its URI can still be read) is dropped from the snapshot until the editor sends its whole text again.
    /// </summary>
    private T? ReadSyncParams<T>(JsonElement parameters, string method)
        where T : class
    {
        try
        {
            return parameters.Deserialize(LspJson.TypeInfo<T>()) ?? throw new JsonException("params are null");
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            var uri = TryReadUri(parameters);
            if (uri is null)
            {
                log.Error($"textDocument/{method} could not be read and names no document: {exception.Message}");
                return null;
            }

            log.Error($"textDocument/{method} for {uri} could not be read ({exception.Message}); the server no longer knows that document's text and will not answer for it until the editor sends the whole text (close and reopen it)");
            _ = queue.EnqueueMutation($"{method} unreadable", s =>
            {
                divergedDocuments[uri] = true;
                diagnostics.Clear(uri);
                return s.WithoutNote(uri); // Neither the lost text nor the file on disk is what the editor shows.
            });
            return null;
        }
    }

    private static string? TryReadUri(JsonElement parameters)
    {
        try
        {
            return parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("textDocument", out var document) &&
                document.ValueKind == JsonValueKind.Object && document.TryGetProperty("uri", out var uri) && uri.ValueKind == JsonValueKind.String
                ? DocumentUris.Normalize(uri.GetString()!)
                : null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or UriFormatException or ArgumentException)
        {
            return null;
        }
    }

    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void DidSave(DidSaveTextDocumentParams parameters) => _ = parameters;

    /// <summary>
    /// Drops the edits of a change to files outside the workspace folders (links resolved): a rename must not
    /// write through a link into a file elsewhere. The document the user acted in keeps its edits unless it is
    /// itself such a link. With no workspace folder there is no outside.
    /// </summary>
    private WorkspaceChange InsideWorkspace(WorkspaceChange change, string requestUri)
    {
        if (!scanner.Files.Roots.Any())
        {
            return change;
        }

        var outside = change.Edits.Keys.Where(uri =>
        {
            if (DocumentUris.ToPath(uri) is not { } path)
            {
                return true;
            }

            var probe = scanner.Files.Probe(path);
            return probe.Status == WorkspaceFileStatus.OutsideRoots && (uri != requestUri || probe.ThroughLink);
        }).ToList();
        if (outside.Count == 0)
        {
            return change;
        }

        log.Warning($"left out edits to {outside.Count} file(s) outside the workspace: {string.Join(", ", outside)}");
        return change with { Edits = change.Edits.RemoveRange(outside) };
    }

    /// <summary>Inside a workspace folder, links resolved: what the server may read from disk (and edit).</summary>
    private bool IsInWorkspace(string path) => scanner.Files.Roots.Any() && scanner.Files.Contains(path);
}
