using NotesLsp.Analysis;
using NotesLsp.Analysis.Tags;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>References and rename: today only tags have them, so they call the tag feature directly.</summary>
public sealed partial class LanguageServer
{
    [JsonRpcMethod("textDocument/references", UseSingleObjectParameterDeserialization = true)]
    public Task<Location[]> References(ReferenceParams parameters, CancellationToken cancellationToken)
    {
        var request = RequireParams(parameters);
        var uri = DocumentUris.Normalize(request.TextDocument.Uri);
        return Read("references", (snapshot, ct) =>
            snapshot.Find(uri) is not { } note
                ? []
                : TagNavigation.References(snapshot, note, Convert.ToOffset(note.Text, request.Position), ct)
                    .Select(location => Convert.ToLocation(snapshot, location))
                    .ToArray(), cancellationToken);
    }

    /// <summary>Null (the protocol's "cannot rename here") anywhere but on a tag.</summary>
    [JsonRpcMethod("textDocument/prepareRename", UseSingleObjectParameterDeserialization = true)]
    public Task<PrepareRenameResult?> PrepareRename(PrepareRenameParams parameters, CancellationToken cancellationToken)
    {
        var request = RequireParams(parameters);
        var uri = DocumentUris.Normalize(request.TextDocument.Uri);
        return Read("prepareRename", (snapshot, ct) =>
            snapshot.Find(uri) is { } note && TagNavigation.PrepareRename(snapshot, note, Convert.ToOffset(note.Text, request.Position)) is { } target
                ? new PrepareRenameResult(Convert.ToRange(note.Text, target.Span), target.Placeholder)
                : null, cancellationToken);
    }

    [JsonRpcMethod("textDocument/rename", UseSingleObjectParameterDeserialization = true)]
    public Task<WorkspaceEdit> Rename(RenameParams parameters, CancellationToken cancellationToken)
    {
        var request = RequireParams(parameters);
        var uri = DocumentUris.Normalize(request.TextDocument.Uri);
        return Read("rename", (snapshot, ct) =>
        {
            if (snapshot.Find(uri) is not { } note)
            {
                throw Error(ErrorCodes.RequestFailed, "the document is not known to the server");
            }

            var outcome = TagNavigation.Rename(snapshot, note, Convert.ToOffset(note.Text, request.Position), request.NewName ?? string.Empty, ct);
            return outcome.Change is { } change
                ? Convert.ToWorkspaceEdit(snapshot, change)
                : throw Error(ErrorCodes.RequestFailed, outcome.Error ?? "cannot rename here");
        }, cancellationToken);
    }
}
