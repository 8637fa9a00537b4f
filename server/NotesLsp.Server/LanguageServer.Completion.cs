using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>
/// <c>textDocument/completion</c> and <c>textDocument/hover</c>: one entry point each, asking every feature in
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
