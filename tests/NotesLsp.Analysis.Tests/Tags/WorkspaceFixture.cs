using System.Collections.Immutable;
using System.Text;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Tags;

/// <summary>
/// A workspace written as one string: <c>//- /notes/a.md</c> headers start files, and one <c>$0</c> marks the
/// cursor. Without headers the whole string is one note, <c>/notes/main.md</c>.
/// </summary>
internal sealed record WorkspaceFixture(WorkspaceSnapshot Snapshot, Note Note, int Offset)
{
    public const string Cursor = "$0";

    public static WorkspaceFixture Parse(string fixture, NotesSettings? settings = null)
    {
        var files = Split(fixture);
        var snapshot = WorkspaceSnapshot.Empty;
        if (settings is not null)
        {
            snapshot = snapshot.WithSettings(settings);
        }

        Note? current = null;
        var offset = -1;
        var notes = new List<Note>();
        foreach (var (path, content) in files)
        {
            var cursor = content.IndexOf(Cursor, StringComparison.Ordinal);
            var note = new Note(Uri(path), SourceText.From(cursor >= 0 ? content.Remove(cursor, Cursor.Length) : content));
            notes.Add(note);
            if (cursor >= 0)
            {
                current = note;
                offset = cursor;
            }
        }

        snapshot = snapshot.WithNotes(notes);
        return new WorkspaceFixture(snapshot, current ?? notes[0], offset);
    }

    public static string Uri(string path) => "file://" + path;

    /// <summary>Splits at header lines; the files keep their own line breaks (a fixture may use CRLF).</summary>
    public static List<(string Path, string Content)> Split(string fixture)
    {
        var headers = System.Text.RegularExpressions.Regex.Matches(fixture, @"(?m)^//- (?<path>[^\r\n]*?)\r?(?:\n|$)");
        if (headers.Count == 0 || headers[0].Index != 0)
        {
            return [("/notes/main.md", fixture)];
        }

        var files = new List<(string, string)>();
        for (var i = 0; i < headers.Count; i++)
        {
            var start = headers[i].Index + headers[i].Length;
            var end = i + 1 < headers.Count ? headers[i + 1].Index : fixture.Length;
            var content = fixture[start..end];
            files.Add((headers[i].Groups["path"].Value.Trim(), content.Length == 0 || content.EndsWith('\n') ? content : content + "\n"));
        }

        return files;
    }

    /// <summary>Applies a workspace change and renders every file that changed, under its header, in path order.</summary>
    public string Apply(WorkspaceChange change)
    {
        var builder = new StringBuilder();
        foreach (var (uri, edits) in change.Edits.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var note = Snapshot.Find(uri)!;
            builder.Append("//- ").Append(uri["file://".Length..]).Append('\n').Append(TextEdit.Apply(note.Text.Text, edits));
        }

        return builder.ToString();
    }

    public static string Range(Note note, TextSpan span) => note.Text.GetRange(span).ToString();

    /// <summary>Trimmed lines as an array (xunit compares ImmutableArray by reference, not by items).</summary>
    public static string[] Lines(string text) => [.. text.Trim().Split('\n').Select(l => l.TrimEnd())];
}
