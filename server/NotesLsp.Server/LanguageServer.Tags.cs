using NotesLsp.Analysis;
using NotesLsp.Analysis.Tags;
using NotesLsp.Server.Protocol;
using NotesLsp.Text;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>References and rename (today only tags have them, so they call the tag feature directly), and the allowed-tags file.</summary>
public sealed partial class LanguageServer
{
    /// <summary>
    /// Adds the tags of <c>notes.tags.allowedFile</c> (one per line, <c>#</c> comments) to the allow-list. The
    /// analysis layer does no I/O, so the file is read here, when settings arrive; a missing file is logged.
    /// </summary>
    private NotesSettings WithAllowedTagsFile(NotesSettings settings)
    {
        if (settings.Tags.AllowedFile is not { Length: > 0 } file)
        {
            return settings;
        }

        // Inside a workspace folder only, like every file the server reads; the first folder that has it wins.
        var candidates = Path.IsPathRooted(file) ? [file] : workspaceFolders.Select(folder => Path.Combine(folder, file));
        var reads = candidates.Select(path => (Path: path, Read: scanner.Files.Read(path, WorkspaceFiles.MaxSettingsFileBytes))).ToList();
        if (reads.FirstOrDefault(r => r.Read.IsOk) is not { Read.Bytes: { } bytes })
        {
            var problem = reads.FirstOrDefault(r => r.Read.Status != WorkspaceFileStatus.Missing);
            log.Warning(problem.Path is null ? $"notes.tags.allowedFile not found: {file}" : $"skipped notes.tags.allowedFile {problem.Path}: it {problem.Read.Problem}");
            return settings;
        }

        var tags = Utf8Text.Decode(bytes).Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'));
        var allowed = settings.Tags.Allowed.IsDefault ? [] : settings.Tags.Allowed;
        return settings with { Tags = settings.Tags with { Allowed = [.. allowed, .. tags] } };
    }

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
                ? Convert.ToWorkspaceEdit(snapshot, InsideWorkspace(change, uri))
                : throw Error(ErrorCodes.RequestFailed, outcome.Error ?? "cannot rename here");
        }, cancellationToken);
    }
}
