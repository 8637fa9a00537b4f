using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>
/// Completion, hover and code actions. Several features answer these, so the handlers call the analysis
/// aggregators (NoteCompletion, NoteHover, NoteCodeFixes), where each feature adds its one line.
/// </summary>
public sealed partial class LanguageServer
{
    /// <summary>
    /// Front matter tags need no trigger character (typing a letter asks); these add the places where a
    /// list is being started or continued (<c>[</c>, <c>,</c>, <c>-</c>), an opened quote, and inline <c>#</c>.
    /// </summary>
    private static readonly string[] CompletionTriggerCharacters = ["[", ",", "-", "\"", "'", "#", "="];

    /// <summary>The user's date for new date values; the only clock read on the editing path.</summary>
    private static DateOnly Today() => DateOnly.FromDateTime(DateTime.Now);

    [JsonRpcMethod("textDocument/completion", UseSingleObjectParameterDeserialization = true)]
    public Task<CompletionList> Completion(CompletionParams parameters, CancellationToken cancellationToken)
    {
        var request = RequireParams(parameters);
        var uri = DocumentUris.Normalize(request.TextDocument.Uri);
        return Read("completion", (snapshot, ct) =>
        {
            if (FindOrLoad(snapshot, uri) is not { } note)
            {
                return new CompletionList(false, []);
            }

            var offset = Convert.ToOffset(note.Text, request.Position);
            return WithPaperCompletions(snapshot, note, offset, Convert.ToCompletionList(note.Text, NoteCompletion.Complete(snapshot, note, offset, Today(), ct)));
        }, cancellationToken);
    }

    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public Task<Hover?> Hover(HoverParams parameters, CancellationToken cancellationToken)
    {
        var request = RequireParams(parameters);
        var uri = DocumentUris.Normalize(request.TextDocument.Uri);
        return ReadAsync("hover", async (snapshot, ct) =>
            snapshot.Find(uri) is not { } note ? null
            : NoteHover.Hover(snapshot, note, Convert.ToOffset(note.Text, request.Position), ct) is { } hover ? Convert.ToHover(note.Text, hover)
            : await PaperHoverAsync(snapshot, note, Convert.ToOffset(note.Text, request.Position), ct), cancellationToken);
    }

    [JsonRpcMethod("textDocument/codeAction", UseSingleObjectParameterDeserialization = true)]
    public Task<CodeAction[]> CodeActions(CodeActionParams parameters, CancellationToken cancellationToken)
    {
        var request = RequireParams(parameters);
        var uri = DocumentUris.Normalize(request.TextDocument.Uri);
        return Read("codeAction", (snapshot, ct) =>
        {
            if (FindOrLoad(snapshot, uri) is not { } note)
            {
                return [];
            }

            var span = Convert.ToSpan(note.Text, request.Range);
            return NoteCodeFixes.For(snapshot, note, span, Today(), ct).Concat(PaperCodeFixes(snapshot, note, span))
                .Where(fix => request.Context?.Only is not { Length: > 0 } only || only.Any(kind => fix.Kind == kind || fix.Kind.StartsWith(kind + ".", StringComparison.Ordinal)))
                .Select(fix => Convert.ToCodeAction(snapshot, note.Text, fix with { Change = InsideWorkspace(fix.Change, uri) }))
                .Concat(PaperCommandActions(note, span).Where(action => request.Context?.Only is not { Length: > 0 } only || only.Any(kind => action.Kind == kind || action.Kind.StartsWith(kind + ".", StringComparison.Ordinal))))
                .ToArray();
        }, cancellationToken);
    }
}
