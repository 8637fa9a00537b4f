using System.Text;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Tags;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests;

/// <summary>
/// A large batch (<see cref="WorkspaceSnapshot.WithNotes"/> with at least <see cref="WorkspaceSnapshot.ParallelIndexBatch"/>
/// notes) updates the indexes side by side; the result must be what adding the same notes one at a time gives (the
/// sequential path is the reference), for summarised and text-holding notes, replaced notes included.
/// </summary>
public sealed class SnapshotBatchTests
{
    private static readonly string[] TagWords = ["ml", "ML", "transformers", "diffusion", "robotics", "graphs", "rl", "vision"];
    private static readonly string[] Headings = ["Summary", "Key Contributions", "Open Questions", "Limitations", "Math Details"];

    [Fact]
    public void The_notes_enumerate_in_ordinal_uri_order_however_they_were_added()
    {
        // The per-note maps are sorted by URI (the start-up scan adds notes in path order, so each batch appends
        // instead of rewriting a hash tree's paths): their enumeration is ordinal, not the order of arrival.
        var random = new Random(7);
        var notes = MakeNotes(random, WorkspaceSnapshot.ParallelIndexBatch + 40, generation: 0).OrderBy(_ => random.Next()).ToList();
        var snapshot = WorkspaceSnapshot.Empty.WithNotes(notes.Take(100)).WithNotes(notes.Skip(100));
        foreach (var note in notes.Take(30))
        {
            snapshot = snapshot.WithoutNote(note.Uri).WithNote(note);
        }

        var expected = notes.Select(n => n.Uri).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, snapshot.Notes.Keys);
        Assert.Equal(expected, snapshot.Notes.Values.Select(n => n.Uri));
        Assert.All(notes, n => Assert.Same(n, snapshot.Find(n.Uri)));
    }

    [Fact]
    public void A_parallel_batch_builds_the_indexes_adding_one_note_at_a_time_builds()
    {
        var random = new Random(4242);
        var first = MakeNotes(random, WorkspaceSnapshot.ParallelIndexBatch * 3, generation: 0);

        // A second batch replacing a third of the notes and adding new ones: diffs against a non-empty index.
        var second = MakeNotes(random, WorkspaceSnapshot.ParallelIndexBatch * 2, generation: 1)
            .Where((_, i) => i % 3 == 0 || i >= WorkspaceSnapshot.ParallelIndexBatch * 3 / 2)
            .ToList();
        Assert.True(second.Count >= WorkspaceSnapshot.ParallelIndexBatch);

        var batched = WorkspaceSnapshot.Empty.WithNotes(first).WithNotes(second);
        var oneByOne = WorkspaceSnapshot.Empty;
        foreach (var note in first.Concat(second))
        {
            oneByOne = oneByOne.WithNote(note);
        }

        Assert.Equal(Dump(oneByOne), Dump(batched));
    }

    private static List<Note> MakeNotes(Random random, int count, int generation)
    {
        var notes = new List<Note>();
        for (var i = 0; i < count; i++)
        {
            var uri = $"file:///w/{(char)('a' + (i % 7))}/{i:D4}.md";
            var text = RandomNote(random, i, generation);
            var note = new Note(uri, SourceText.From(text));
            notes.Add(i % 11 == 0 ? note : Note.FromSummary(uri, NoteSummary.Of(note, ["tags"]), _ => Encoding.UTF8.GetBytes(text)));
        }

        return notes;
    }

    private static string RandomNote(Random random, int i, int generation)
    {
        var builder = new StringBuilder("---\n");
        if (random.Next(5) != 0)
        {
            builder.Append("title: Note ").Append(i % 50).Append(generation == 1 && random.Next(2) == 0 ? " revised" : string.Empty).Append('\n');
        }

        builder.Append("tags: [");
        builder.AppendJoin(", ", Enumerable.Range(0, random.Next(4)).Select(_ => TagWords[random.Next(TagWords.Length)]));
        builder.Append("]\n");
        if (random.Next(3) == 0)
        {
            builder.Append("status: draft\n");
        }

        builder.Append("---\n");
        for (var h = random.Next(4); h > 0; h--)
        {
            builder.Append(new string('#', 1 + random.Next(3))).Append(' ').Append(Headings[random.Next(Headings.Length)]).Append("\n\ntext\n\n");
        }

        for (var l = random.Next(3); l > 0; l--)
        {
            var id = $"P{random.Next(40):D3}xyz";
            builder.Append(random.Next(2) == 0 ? $"[Paper {id}](https://openreview.net/forum?id={id})\n" : $"see https://openreview.net/pdf?id={id}\n");
        }

        return builder.ToString();
    }

    private static string[] Dump(WorkspaceSnapshot snapshot)
    {
        var lines = new List<string> { $"notes {string.Join(",", snapshot.Notes.Keys.Order(StringComparer.Ordinal))}" };
        lines.AddRange(snapshot.Tags.All.Select(e => $"tag {e.Key}: {string.Join(",", e.Value)}").Order(StringComparer.Ordinal));
        lines.AddRange(snapshot.Notes.Keys.Order(StringComparer.Ordinal).Select(u => $"tags of {u}: {string.Join(",", snapshot.Tags.TagsOf(u))}"));
        lines.AddRange(snapshot.Tags.ByCount.Select(e => $"by count {e.Tag} {e.Count}"));
        lines.AddRange(snapshot.Tags.All.Select(e => $"variants {e.Key}: {string.Join(",", snapshot.Tags.Variants(e.Key).Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal));
        lines.AddRange(snapshot.Citations.PaperIds.Order(StringComparer.Ordinal).Select(id => $"paper {id}: {string.Join(",", snapshot.Citations.NotesCiting(id))}"));
        lines.AddRange(snapshot.Citations.All.Select(c => $"citation {c.Uri} {c.Link.Span} {c.Target.Kind} {c.Target.Id}"));
        lines.AddRange(snapshot.Citations.Catalog.Papers.Select(p => $"catalog {p.Id} {p.Title}"));
        lines.AddRange(snapshot.FrontMatterKeys.All.Select(e => $"key {e.Key} {e.Value}").Order(StringComparer.Ordinal));
        lines.AddRange(snapshot.Notes.Keys.Order(StringComparer.Ordinal).Select(u => $"keys of {u}: {string.Join(",", snapshot.FrontMatterKeys.KeysOf(u).Keys)}"));
        lines.Add($"symbol names {snapshot.Symbols.NameCount}, loose {string.Join(",", snapshot.Symbols.LooseNotes)}");
        foreach (var query in new[] { string.Empty, "sum", "key", "note 1", "revised", "q" })
        {
            lines.AddRange(WorkspaceSymbols.Search(snapshot, query, 10_000, CancellationToken.None).Select(s => $"symbol \"{query}\" {s}"));
        }

        return [.. lines];
    }
}
