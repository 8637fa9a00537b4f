using NotesLsp.Analysis.Tags;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Tags;

public class TagIndexTests
{
    private static Note Note(string name, string frontMatter) => new($"file:///notes/{name}.md", SourceText.From($"---\n{frontMatter}\n---\nbody\n"));

    /// <summary>Renders the index as <c>key:tag count notes...</c> lines, sorted.</summary>
    private static string[] Dump(TagIndex index) =>
        [.. index.All
            .Select(e => $"{e.Key} {e.Value.Length} {string.Join(",", e.Value.Select(Analysis.Note.FileNameOf))}")
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void Adding_replacing_and_removing_notes_updates_counts_and_notes()
    {
        var snapshot = WorkspaceSnapshot.Empty.WithNotes([
            Note("a", "tags: [ml, nlp]\ncategories: [ideas]"),
            Note("b", "tags:\n  - ml\n  - ml"),
        ]);
        Assert.Equal(["categories:ideas 1 a.md", "tags:ml 2 a.md,b.md", "tags:nlp 1 a.md"], Dump(snapshot.Tags));

        snapshot = snapshot.WithNote(Note("a", "tags: [nlp, rl]"));
        Assert.Equal(["tags:ml 1 b.md", "tags:nlp 1 a.md", "tags:rl 1 a.md"], Dump(snapshot.Tags));

        snapshot = snapshot.WithoutNote("file:///notes/b.md");
        Assert.Equal(["tags:nlp 1 a.md", "tags:rl 1 a.md"], Dump(snapshot.Tags));

        snapshot = snapshot.WithoutNotes(uri => uri.EndsWith("a.md", StringComparison.Ordinal));
        Assert.Empty(Dump(snapshot.Tags));
    }

    [Fact]
    public void Updating_a_note_leaves_its_lazy_syntax_unparsed()
    {
        var note = Note("a", "tags: [ml]");
        var snapshot = WorkspaceSnapshot.Empty.WithNote(note);
        Assert.Equal(1, snapshot.Tags.Count(new TagKey("tags", "ml")));
        Assert.False(note.IsParsed);
    }

    [Fact]
    public void Changing_the_tag_keys_setting_rebuilds_the_index()
    {
        var snapshot = WorkspaceSnapshot.Empty.WithNote(Note("a", "tags: [ml]\nkeywords: [x]"));
        Assert.Equal(["tags:ml 1 a.md"], Dump(snapshot.Tags));
        snapshot = snapshot.WithSettings(NotesSettings.Default with { Tags = new TagSettings { Keys = ["tags", "keywords"] } });
        Assert.Equal(["keywords:x 1 a.md", "tags:ml 1 a.md"], Dump(snapshot.Tags));
    }

    [Fact]
    public void Variants_group_spellings_by_loose_form_and_forget_unused_ones()
    {
        var snapshot = WorkspaceSnapshot.Empty.WithNotes([
            Note("a", "tags: [time-series, Time_Series]"),
            Note("b", "tags: [timeseries]"),
        ]);
        Assert.Equal(["Time_Series", "time-series", "timeseries"], snapshot.Tags.Variants(new TagKey("tags", "TimeSeries")).Order(StringComparer.Ordinal));
        snapshot = snapshot.WithoutNote("file:///notes/b.md");
        Assert.Equal(["Time_Series", "time-series"], snapshot.Tags.Variants(new TagKey("tags", "time-series")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Incremental_updates_equal_a_fresh_index_after_random_edits()
    {
        var tags = new[] { "ml", "nlp", "rl", "time-series", "ML", "cv" };
        var random = new Random(42);
        var snapshot = WorkspaceSnapshot.Empty;
        // 400 names, so that the fresh build below takes the parallel path for large batches.
        for (var step = 0; step < 2000; step++)
        {
            var name = $"n{random.Next(400)}";
            if (random.Next(5) == 0)
            {
                snapshot = snapshot.WithoutNote($"file:///notes/{name}.md");
                continue;
            }

            var chosen = Enumerable.Range(0, random.Next(4)).Select(_ => tags[random.Next(tags.Length)]);
            snapshot = snapshot.WithNote(Note(name, $"tags: [{string.Join(", ", chosen)}]"));
        }

        var fresh = TagIndex.Create(snapshot.Tags.Keys).WithNotes(snapshot.Notes.Values);
        Assert.Equal(Dump(fresh), Dump(snapshot.Tags));
        Assert.True(snapshot.Notes.Count >= 256, $"only {snapshot.Notes.Count} notes");
        Assert.NotEmpty(Dump(fresh));
    }
}
