using System.Text;
using NotesLsp.Analysis;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests;

/// <summary>
/// <see cref="WorkspaceSnapshot.OpenNotes"/> is kept incrementally by every change; whatever the sequence of changes,
/// it lists exactly the notes <c>Notes.Values.Where(n => n.IsOpen)</c> lists (the walk it replaces is the reference).
/// </summary>
public sealed class OpenNotesTests
{
    [Fact]
    public void Open_notes_are_the_notes_that_are_open_after_any_sequence_of_changes()
    {
        var random = new Random(1717);
        var snapshot = WorkspaceSnapshot.Empty;
        for (var step = 0; step < 400; step++)
        {
            snapshot = random.Next(6) switch
            {
                0 => snapshot.WithNote(RandomNote(random)),
                1 => snapshot.WithNotes(Enumerable.Range(0, random.Next(1, 40)).Select(_ => RandomNote(random)).ToList()),
                2 => snapshot.WithoutNote(UriOf(random.Next(60))),
                3 => snapshot.WithoutNotes(uri => uri.GetHashCode(StringComparison.Ordinal) % 5 == random.Next(5)),
                4 => snapshot.WithSettings(snapshot.Settings),
                _ => snapshot.WithNotes(Enumerable.Range(0, WorkspaceSnapshot.ParallelIndexBatch + 3).Select(_ => RandomNote(random)).ToList()),
            };

            Assert.Equal(Expected(snapshot), snapshot.OpenNotes.Select(n => n.Uri).ToList());
            Assert.All(snapshot.OpenNotes, n => Assert.Same(snapshot.Find(n.Uri), n));
        }
    }

    [Fact]
    public void A_diagnostics_snapshot_lists_its_open_notes()
    {
        var notes = Enumerable.Range(0, 20).Select(i => new Note(UriOf(i), SourceText.From("# A\n"), version: 1, isOpen: i % 3 == 0)).ToList();
        var snapshot = WorkspaceSnapshot.ForDiagnostics(NotesSettings.Default, notes);
        Assert.Equal(Expected(snapshot), snapshot.OpenNotes.Select(n => n.Uri).ToList());
        Assert.NotEmpty(snapshot.OpenNotes);
    }

    private static List<string> Expected(WorkspaceSnapshot snapshot) =>
        [.. snapshot.Notes.Values.Where(n => n.IsOpen).Select(n => n.Uri).Order(StringComparer.Ordinal)];

    private static string UriOf(int i) => $"file:///w/{i:D3}.md";

    private static Note RandomNote(Random random)
    {
        var uri = UriOf(random.Next(60));
        var text = $"---\ntitle: T{random.Next(9)}\ntags: [a{random.Next(4)}]\n---\n# H{random.Next(5)}\n";
        return random.Next(3) switch
        {
            0 => new Note(uri, SourceText.From(text), version: random.Next(100), isOpen: true),
            1 => new Note(uri, SourceText.From(text)),
            _ => Note.FromSummary(uri, NoteSummary.Of(new Note(uri, SourceText.From(text)), ["tags"]), _ => Encoding.UTF8.GetBytes(text)),
        };
    }
}
