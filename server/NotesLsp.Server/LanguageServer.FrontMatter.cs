using NotesLsp.Analysis;
using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Server.Protocol;
using NotesLsp.Text;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>
/// Front matter: the workspace schema file (<c>.notes/schema.yaml</c>),
/// which the server reads from disk (analysis does no I/O) into <see cref="FrontMatterSettings.SchemaFile"/> and
/// re-reads when the file or the setting changes. The schema file's own problems are published on the file.
/// </summary>
public sealed partial class LanguageServer
{
    private string? publishedSchemaUri;

    /// <summary>
    /// Reads the schema file (before the ordered step) and puts it into the snapshot in order with settings
    /// changes; when a settings change moved the schema meanwhile, that change has read the new file already.
    /// </summary>
    private Task ReloadSchemaFileAsync() => queue.EnqueuePreparedMutation("schema file", () =>
    {
        var relative = queue.Current.Settings.FrontMatter.Schema;
        var file = ReadSchemaFile(relative);
        return s => s.Settings.FrontMatter.Schema != relative
            ? s
            : s.WithSettings(s.Settings with { FrontMatter = s.Settings.FrontMatter with { SchemaFile = file } });
    });

    /// <summary>For watched-file events: true (and a reload) when the path is the schema file of a workspace folder.</summary>
    private bool OnSchemaFileEvent(string path)
    {
        var relative = queue.Current.Settings.FrontMatter.Schema;
        if (string.IsNullOrWhiteSpace(relative) || !workspaceFolders.Any(folder => PathsEqual(Path.Combine(folder, relative), path)))
        {
            return false;
        }

        _ = ReloadSchemaFileAsync();
        return true;
    }

    /// <summary>The first workspace folder's schema file, or null when there is none; its diagnostics are published (or cleared).</summary>
    private FrontMatterSchemaFile? ReadSchemaFile(string relative)
    {
        FrontMatterSchemaFile? file = null;
        foreach (var folder in string.IsNullOrWhiteSpace(relative) ? [] : workspaceFolders)
        {
            var path = Path.GetFullPath(Path.Combine(folder, relative));
            var read = scanner.Files.Read(path, WorkspaceFiles.MaxSettingsFileBytes);
            if (read.IsOk)
            {
                file = new FrontMatterSchemaFile(DocumentUris.FromPath(path), Utf8Text.Decode(read.Bytes!));
                break;
            }

            if (read.Status != WorkspaceFileStatus.Missing)
            {
                log.Warning($"skipped the front matter schema {path}: it {read.Problem}");
            }
        }

        PublishSchemaDiagnostics(file);
        return file;
    }

    private void PublishSchemaDiagnostics(FrontMatterSchemaFile? file)
    {
        var previous = Interlocked.Exchange(ref publishedSchemaUri, file?.Uri);
        if (previous is not null && previous != file?.Uri)
        {
            _ = SafePublishAsync(new PublishDiagnosticsParams(previous, null, []));
        }

        if (file is not null)
        {
            var converted = file.Diagnostics.Select(d => Convert.ToDiagnostic(WorkspaceSnapshot.Empty, file.Text, d)).ToArray();
            _ = SafePublishAsync(new PublishDiagnosticsParams(file.Uri, null, converted));
            if (file.Schema is null)
            {
                log.Warning($"the front matter schema {file.Uri} has errors; using the preset until it is fixed");
            }
        }
    }

    private async Task SafePublishAsync(PublishDiagnosticsParams parameters)
    {
        try
        {
            await PublishAsync(parameters);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or ConnectionLostException)
        {
        }
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
