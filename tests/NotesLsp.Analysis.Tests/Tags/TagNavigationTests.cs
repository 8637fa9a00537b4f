using NotesLsp.Analysis.Tags;

namespace NotesLsp.Analysis.Tests.Tags;

public class TagNavigationTests
{
    /// <summary>Every shape a tag is written in, over five notes; the cursor is on ml in a.md.</summary>
    private const string Workspace = """
        //- /notes/a.md
        ---
        title: Note A
        tags: [m$0l, "time series", rl,]
        ---
        Body mentions ml.
        //- /notes/b.md
        ---
        title: "Note [B]"
        tags:
          - nlp
          - ml   # the main one
          - machine-learning
        ---
        //- /notes/c.md
        ---
        tags: ml machine-learning
        categories: [ml]
        ---
        //- /notes/d.md
        ---
        tags: 'ml, machine-learning, rl'
        ---
        //- /notes/e.md
        ---
        tags: [machine-learning, ml, ml]
        ---
        //- /notes/f.md
        ---
        tags: [nlp]
        ---
        """;

    private static void CheckRename(string fixtureText, string newName, string expected)
    {
        var fixture = WorkspaceFixture.Parse(fixtureText);
        var outcome = TagNavigation.Rename(fixture.Snapshot, fixture.Note, fixture.Offset, newName, CancellationToken.None);
        Assert.Null(outcome.Error);
        Assert.Equal(WorkspaceFixture.Lines(expected), WorkspaceFixture.Lines(fixture.Apply(outcome.Change!)));
    }

    [Fact]
    public void Rename_rewrites_every_shape_in_every_note_and_leaves_other_vocabularies_alone()
    {
        CheckRename(Workspace, "machine learning", """
            //- /notes/a.md
            ---
            title: Note A
            tags: [machine learning, "time series", rl,]
            ---
            Body mentions ml.
            //- /notes/b.md
            ---
            title: "Note [B]"
            tags:
              - nlp
              - machine learning   # the main one
              - machine-learning
            ---
            //- /notes/c.md
            ---
            tags: [machine learning, machine-learning]
            categories: [ml]
            ---
            //- /notes/d.md
            ---
            tags: 'machine learning, machine-learning, rl'
            ---
            //- /notes/e.md
            ---
            tags: [machine-learning, machine learning]
            ---
            """);
    }

    [Fact]
    public void Rename_into_an_existing_tag_merges_and_removes_the_duplicate_in_each_note()
    {
        CheckRename(Workspace, "machine-learning", """
            //- /notes/a.md
            ---
            title: Note A
            tags: [machine-learning, "time series", rl,]
            ---
            Body mentions ml.
            //- /notes/b.md
            ---
            title: "Note [B]"
            tags:
              - nlp
              - machine-learning   # the main one
            ---
            //- /notes/c.md
            ---
            tags: machine-learning
            categories: [ml]
            ---
            //- /notes/d.md
            ---
            tags: 'machine-learning, rl'
            ---
            //- /notes/e.md
            ---
            tags: [machine-learning]
            ---
            """);
    }

    [Fact]
    public void Rename_quotes_the_new_name_where_the_slot_needs_it()
    {
        CheckRename("""
            //- /notes/a.md
            ---
            tags:
              - o$0ld
            categories: [x]
            ---
            //- /notes/b.md
            ---
            tags: [old, 'kept']
            ---
            """, "yes: no", """
            //- /notes/a.md
            ---
            tags:
              - "yes: no"
            categories: [x]
            ---
            //- /notes/b.md
            ---
            tags: ["yes: no", 'kept']
            ---
            """);
    }

    [Fact]
    public void Prepare_rename_gives_the_tag_without_quotes_and_refuses_other_positions()
    {
        var fixture = WorkspaceFixture.Parse("---\ntitle: x\ntags: [\"time series\", ml]\n---\n# ml\n");
        var text = fixture.Note.Text.Text;
        var target = TagNavigation.PrepareRename(fixture.Snapshot, fixture.Note, text.IndexOf("series", StringComparison.Ordinal))!;
        Assert.Equal("time series", target.Placeholder);
        Assert.Equal("2:8-2:19", WorkspaceFixture.Range(fixture.Note, target.Span));
        Assert.Null(TagNavigation.PrepareRename(fixture.Snapshot, fixture.Note, text.IndexOf('x', StringComparison.Ordinal)));
        Assert.Null(TagNavigation.PrepareRename(fixture.Snapshot, fixture.Note, text.IndexOf("tags", StringComparison.Ordinal)));
        Assert.Null(TagNavigation.PrepareRename(fixture.Snapshot, fixture.Note, text.LastIndexOf("ml", StringComparison.Ordinal)));
        var refused = TagNavigation.Rename(fixture.Snapshot, fixture.Note, text.IndexOf('x', StringComparison.Ordinal), "y", CancellationToken.None);
        Assert.NotNull(refused.Error);
        var empty = TagNavigation.Rename(fixture.Snapshot, fixture.Note, text.IndexOf("ml", StringComparison.Ordinal), "  ", CancellationToken.None);
        Assert.NotNull(empty.Error);
    }

    [Fact]
    public void References_list_every_occurrence_in_every_note()
    {
        var fixture = WorkspaceFixture.Parse(Workspace);
        var references = TagNavigation.References(fixture.Snapshot, fixture.Note, fixture.Offset, CancellationToken.None)
            .Select(r => $"{r.Uri} {WorkspaceFixture.Range(fixture.Snapshot.Find(r.Uri)!, r.Span)}");
        Assert.Equal(
            [
                "file:///notes/a.md 2:7-2:9",
                "file:///notes/b.md 4:4-4:6",
                "file:///notes/c.md 1:6-1:8",
                "file:///notes/d.md 1:7-1:9",
                "file:///notes/e.md 1:25-1:27",
                "file:///notes/e.md 1:29-1:31",
            ],
            references);
    }

    [Fact]
    public void Tags_an_alias_brings_in_count_and_are_referenced_where_they_are_written_once_and_are_not_renamed()
    {
        var fixture = WorkspaceFixture.Parse("""
            //- /notes/a.md
            ---
            tags: [m$0l]
            ---
            //- /notes/b.md
            ---
            keywords: &k [ml, nlp]
            tags: *k
            ---
            //- /notes/c.md
            ---
            tags: [&a ml, *a]
            ---
            """);
        var b = WorkspaceFixture.Uri("/notes/b.md");
        Assert.Contains(b, fixture.Snapshot.Tags.NotesUsing(new TagKey("tags", "ml")));
        Assert.Contains(b, fixture.Snapshot.Tags.NotesUsing(new TagKey("tags", "nlp")));
        var references = TagNavigation.References(fixture.Snapshot, fixture.Note, fixture.Offset, CancellationToken.None)
            .Select(r => $"{r.Uri} {WorkspaceFixture.Range(fixture.Snapshot.Find(r.Uri)!, r.Span)}");
        Assert.Equal(["file:///notes/a.md 1:7-1:9", "file:///notes/b.md 1:14-1:16", "file:///notes/c.md 1:10-1:12"], references);

        // Renaming edits only tags written in tag fields: b.md's `keywords` is another key's value.
        var outcome = TagNavigation.Rename(fixture.Snapshot, fixture.Note, fixture.Offset, "machine-learning", CancellationToken.None);
        Assert.Equal(["file:///notes/a.md", "file:///notes/c.md"], outcome.Change!.Edits.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Hover_shows_the_count_and_the_first_titles_as_links()
    {
        var fixture = WorkspaceFixture.Parse(Workspace);
        var hover = TagNavigation.Hover(fixture.Snapshot, fixture.Note, fixture.Offset, CancellationToken.None)!;
        Assert.Equal("""
            **ml** (`tags`): used in 5 notes

            - [Note A](file:///notes/a.md)
            - [Note \[B\]](file:///notes/b.md)
            - [c.md](file:///notes/c.md)
            - [d.md](file:///notes/d.md)
            - [e.md](file:///notes/e.md)
            """, hover.Markdown);
        Assert.Equal("2:7-2:9", WorkspaceFixture.Range(fixture.Note, hover.Span));
        Assert.Null(TagNavigation.Hover(fixture.Snapshot, fixture.Note, 0, CancellationToken.None));
    }

    [Fact]
    public void Workspace_symbols_find_tags_for_hash_queries_only()
    {
        var fixture = WorkspaceFixture.Parse(Workspace);
        var symbols = TagNavigation.Symbols(fixture.Snapshot, "#ml", 10, CancellationToken.None)
            .Select(s => $"{s.Name} {s.Kind} {s.Uri} {s.Container}");
        Assert.Equal(
            [
                "#ml Tag file:///notes/a.md tags, used in 5 notes",
                "#ml Tag file:///notes/c.md categories, used in 1 note",
                "#machine-learning Tag file:///notes/b.md tags, used in 4 notes",
            ],
            symbols);
        Assert.Empty(TagNavigation.Symbols(fixture.Snapshot, "ml", 10, CancellationToken.None));
    }
}
