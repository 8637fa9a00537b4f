using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>
/// <c>textDocument/completion</c>, <c>hover</c>, <c>codeAction</c> and <c>workspace/executeCommand</c>: one entry point each, asking every feature in
/// turn (papers for now; other features add their provider to the chain here).
/// </summary>
public sealed partial class LanguageServer
{
    /// <summary>Characters that open a paper context: link text, <c>id=</c> and a Liquid tag's quote.</summary>
    private static readonly string[] CompletionTriggers = ["[", "=", "\""];

    [JsonRpcMethod("textDocument/completion", UseSingleObjectParameterDeserialization = true)]
    public Task<CompletionList?> Completion(CompletionParams parameters, CancellationToken cancellationToken)
    {
        var p = RequireParams(parameters);
        var uri = DocumentUris.Normalize(p.TextDocument.Uri);
        return Read("completion", (snapshot, ct) =>
        {
            if (FindOrLoad(snapshot, uri) is not { } note)
            {
                return null;
            }

            var offset = Convert.ToOffset(note.Text, p.Position);
            return PaperCompletions(snapshot, note, offset);
        }, cancellationToken);
    }

    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public Task<Hover?> Hover(HoverParams parameters, CancellationToken cancellationToken)
    {
        var p = RequireParams(parameters);
        var uri = DocumentUris.Normalize(p.TextDocument.Uri);
        return ReadAsync("hover", async (snapshot, ct) =>
        {
            if (FindOrLoad(snapshot, uri) is not { } note)
            {
                return null;
            }

            var offset = Convert.ToOffset(note.Text, p.Position);
            return await PaperHoverAsync(snapshot, note, offset, ct);
        }, cancellationToken);
    }

    [JsonRpcMethod("textDocument/codeAction", UseSingleObjectParameterDeserialization = true)]
    public Task<CodeAction[]> CodeActions(CodeActionParams parameters, CancellationToken cancellationToken)
    {
        var p = RequireParams(parameters);
        var uri = DocumentUris.Normalize(p.TextDocument.Uri);
        return Read("codeAction", (snapshot, ct) =>
        {
            if (snapshot.Find(uri) is not { } note)
            {
                return [];
            }

            var span = Convert.ToSpan(note.Text, p.Range);
            return Analysis.Papers.PaperChecks.CodeActions(snapshot, uri, span, Papers.Catalogs(snapshot))
                .Select(fix => Convert.ToCodeAction(snapshot, note.Text, fix))
                .ToArray();
        }, cancellationToken);
    }

    [JsonRpcMethod("workspace/executeCommand", UseSingleObjectParameterDeserialization = true)]
    public Task<object?> ExecuteCommand(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        var p = RequireParams(parameters);
        EnsureInitialized();
        return p.Command switch
        {
            DownloadVenueCommand => DownloadVenueAsync(p, cancellationToken),
            _ => throw Error(ErrorCodes.InvalidParams, $"unknown command {p.Command}"),
        };
    }
}
