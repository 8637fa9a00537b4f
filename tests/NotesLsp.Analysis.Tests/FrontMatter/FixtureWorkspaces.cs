using System.Text;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.FrontMatter;

/// <summary>Folders of notes under tests/fixtures loaded as one workspace, and their diagnostics rendered as `check` would print them.</summary>
internal static class FixtureWorkspaces
{
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NotesLsp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("NotesLsp.sln not found above the test binaries");
    }

    public static string Fixture(params string[] parts) => Path.Combine([RepositoryRoot(), "tests", "fixtures", .. parts]);

    /// <summary>The folders of real and generated notes that the differential tests read every note of.</summary>
    public static string[] NoteRoots() =>
    [
        Path.Combine(RepositoryRoot(), "examples"),
        Fixture("hugo-docs"),
        Fixture("workspaces"),
        Fixture("generated"),
    ];

    /// <summary>Every Markdown file under the folder, in ordinal path order.</summary>
    public static List<string> MarkdownFiles(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>The folder as one workspace (every note in the snapshot, as `notes-lsp check` builds it).</summary>
    public static WorkspaceSnapshot Load(string folder, NotesSettings settings)
    {
        var notes = MarkdownFiles(folder).Select(f => Note.FromUtf8(new Uri(f).AbsoluteUri, File.ReadAllBytes(f)));
        return WorkspaceSnapshot.Empty.WithSettings(settings).WithNotes(notes);
    }

    /// <summary>Every diagnostic of every note: <c>relative/path.md:line:col severity code message</c>, 1-based like `check`.</summary>
    public static string Diagnostics(string folder, WorkspaceSnapshot snapshot)
    {
        var builder = new StringBuilder();
        foreach (var note in snapshot.Notes.Values.OrderBy(n => n.Uri, StringComparer.Ordinal))
        {
            var path = Path.GetRelativePath(folder, new Uri(note.Uri).LocalPath).Replace('\\', '/');
            foreach (var diagnostic in NoteDiagnostics.Compute(snapshot, note, CancellationToken.None).OrderBy(d => d.Span.Start))
            {
                var position = note.Text.GetPosition(diagnostic.Span.Start);
                builder.Append(path).Append(':').Append(position.Line + 1).Append(':').Append(position.Character + 1).Append(' ')
                    .Append(diagnostic.Severity.ToString().ToLowerInvariant()).Append(' ').Append(diagnostic.Code).Append(' ')
                    .Append(diagnostic.Message).Append('\n');
            }
        }

        return builder.ToString();
    }

    public static NotesSettings Settings(string preset) => new() { FrontMatter = new FrontMatterSettings { Preset = preset } };

    public static SourceText Text(string path) => SourceText.From(File.ReadAllText(path));
}
