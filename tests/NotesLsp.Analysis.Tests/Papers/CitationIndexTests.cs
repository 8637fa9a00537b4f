using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Papers;

public class CitationIndexTests
{
    private static Note Note(string name, string body) => new($"file:///notes/{name}.md", SourceText.From($"---\ntitle: {name}\n---\n{body}\n"));

    private static string Uri(string name) => $"file:///notes/{name}.md";

    /// <summary>Renders the index as <c>paper: notes</c> lines (sorted), then the catalog's papers in order.</summary>
    private static string[] Dump(CitationIndex index) =>
        [.. index.PaperIds
            .Select(id => $"{id}: {string.Join(",", index.NotesCiting(id).Select(Analysis.Note.FileNameOf))}")
            .Order(StringComparer.Ordinal),
         .. index.Catalog.Papers.Select(p => $"catalog {p.Id} {p.Title}"),
         .. index.All.Select(c => $"{Analysis.Note.FileNameOf(c.Uri)} {c.Link.Kind} {c.Link.Span} {c.Link.Label} {c.Target.Kind} {c.Target.Id}")];

    /// <summary>The same rendering from the Markdig parse of every note: what the index replaces.</summary>
    private static string[] DumpParsed(WorkspaceSnapshot snapshot)
    {
        var citations = snapshot.Notes.Values.OrderBy(n => n.Uri, StringComparer.Ordinal)
            .SelectMany(n => n.Syntax.Links.Select(l => (n.Uri, Link: l, Target: OpenReviewLink.Parse(l.Url))))
            .Where(c => c.Target is not null)
            .Select(c => new PaperCitation(c.Uri, c.Link, c.Target!))
            .ToList();
        var catalog = PaperCatalog.Create(WorkspacePapers.SourceName, citations
            .Select(c => (c.Target.Id, Title: WorkspacePapers.CatalogTitle(c)))
            .Where(t => t.Title is not null)
            .Select(t => new PaperRecord(t.Id, t.Title!)));
        return [.. citations.Where(c => c.Target.IsPaper).GroupBy(c => c.Target.Id)
            .Select(g => $"{g.Key}: {string.Join(",", g.Select(c => c.Uri).Distinct().Select(Analysis.Note.FileNameOf))}")
            .Order(StringComparer.Ordinal),
         .. catalog.Papers.Select(p => $"catalog {p.Id} {p.Title}"),
         .. citations.Select(c => $"{Analysis.Note.FileNameOf(c.Uri)} {c.Link.Kind} {c.Link.Span} {c.Link.Label} {c.Target.Kind} {c.Target.Id}")];
    }

    [Fact]
    public void Adding_replacing_and_removing_notes_updates_citing_notes_and_the_catalog()
    {
        var snapshot = WorkspaceSnapshot.Empty.WithNotes([
            Note("a", "[Arrows of Time](https://openreview.net/forum?id=UpSe7ag34v) and https://openreview.net/pdf?id=RbiBKPtuHp"),
            Note("b", "[DCMHA](https://openreview.net/forum?id=RbiBKPtuHp) and [venue](https://openreview.net/group?id=ICML.cc/2024/Conference)"),
        ]);
        Assert.Equal(
            [
                "RbiBKPtuHp: a.md,b.md",
                "UpSe7ag34v: a.md",
                "catalog UpSe7ag34v Arrows of Time",
                "catalog RbiBKPtuHp DCMHA",
                "a.md Inline 17-77 Arrows of Time Forum UpSe7ag34v",
                "a.md Bare 82-122  Pdf RbiBKPtuHp",
                "b.md Inline 17-68 DCMHA Forum RbiBKPtuHp",
                "b.md Inline 73-137 venue Group ICML.cc/2024/Conference",
            ],
            Dump(snapshot.Citations));

        snapshot = snapshot.WithNote(Note("a", "nothing cited now"));
        Assert.Equal(
            ["RbiBKPtuHp: b.md", "catalog RbiBKPtuHp DCMHA", "b.md Inline 17-68 DCMHA Forum RbiBKPtuHp", "b.md Inline 73-137 venue Group ICML.cc/2024/Conference"],
            Dump(snapshot.Citations));

        snapshot = snapshot.WithoutNote(Uri("b"));
        Assert.Empty(Dump(snapshot.Citations));
        Assert.Equal(0, snapshot.Citations.NoteCount);
    }

    [Fact]
    public void Updating_a_note_leaves_its_lazy_syntax_and_every_other_notes_unparsed()
    {
        var other = Note("b", "[DCMHA](https://openreview.net/forum?id=RbiBKPtuHp)");
        var snapshot = WorkspaceSnapshot.Empty.WithNotes([Note("a", "intro"), other]);
        var edited = Note("a", "see https://openreview.net/forum?id=RbiBKPtuHp and https://openreview.net/forum?id=");
        snapshot = snapshot.WithNote(edited);

        Assert.Equal([Uri("b")], WorkspacePapers.NotesCiting(snapshot, "RbiBKPtuHp", Uri("a")).ToArray());
        Assert.Equal("DCMHA", WorkspacePapers.Catalog(snapshot).Find("RbiBKPtuHp")?.Title);
        Assert.False(edited.IsParsed);

        // Completing a paper id reads the edited note's text, but no other note's body.
        var offset = edited.Text.Text.LastIndexOf("id=", StringComparison.Ordinal) + 3;
        var completion = PaperCompletion.Complete(snapshot, Uri("a"), offset, new PaperCatalogSet([WorkspacePapers.Catalog(snapshot)]));
        Assert.Equal(["RbiBKPtuHp"], completion.Items.Select(i => i.NewText));
        Assert.False(other.IsParsed);
    }

    [Fact]
    public void An_edit_that_changes_no_link_title_keeps_the_catalog_object()
    {
        var snapshot = WorkspaceSnapshot.Empty.WithNote(Note("a", "[Arrows of Time](https://openreview.net/forum?id=UpSe7ag34v)"));
        var catalog = snapshot.Citations.Catalog;

        // Text before the link moves its spans, and an untitled link adds a citing note: the titles are the same.
        snapshot = snapshot.WithNote(Note("a", "More words first. [Arrows of Time](https://openreview.net/forum?id=UpSe7ag34v)"))
            .WithNote(Note("b", "https://openreview.net/forum?id=UpSe7ag34v"));
        Assert.Same(catalog, snapshot.Citations.Catalog);
        Assert.Equal([Uri("a"), Uri("b")], snapshot.Citations.NotesCiting("UpSe7ag34v").ToArray());

        snapshot = snapshot.WithNote(Note("a", "[Arrows of Time for LLMs](https://openreview.net/forum?id=UpSe7ag34v)"));
        Assert.NotSame(catalog, snapshot.Citations.Catalog);
        Assert.Equal("Arrows of Time for LLMs", snapshot.Citations.Catalog.Find("UpSe7ag34v")?.Title);
    }

    [Fact]
    public void Cited_paper_ids_come_in_first_citation_order_leaving_out_excluded_citations()
    {
        var snapshot = WorkspaceSnapshot.Empty.WithNotes([
            Note("b", "https://openreview.net/forum?id=BBBBBBBBBB then https://openreview.net/forum?id=AAAAAAAAAA"),
            Note("a", "https://openreview.net/forum?id=CCCCCCCCCC and https://openreview.net/forum?id=BBBBBBBBBB"),
        ]);
        Assert.Equal(["CCCCCCCCCC", "BBBBBBBBBB", "AAAAAAAAAA"], snapshot.Citations.CitedPaperIds(_ => true).ToArray());
        Assert.Equal(["BBBBBBBBBB", "AAAAAAAAAA"], snapshot.Citations.CitedPaperIds(_ => true, c => c.Uri == Uri("a")).ToArray());
    }

    [Fact]
    public void Incremental_updates_equal_a_fresh_index_and_the_markdown_parse_after_random_edits()
    {
        string[] ids = ["UpSe7ag34v", "RbiBKPtuHp", "QBj7Uurdwf", "moyG54Okrj", "short"];
        string[] titles = ["Arrows of Time", "DCMHA", "A [nested] title", "", "**Bold Title**"];
        var random = new Random(7);
        string Fragment()
        {
            var id = ids[random.Next(ids.Length)];
            return random.Next(8) switch
            {
                0 => $"[{titles[random.Next(titles.Length)]}](https://openreview.net/forum?id={id})",
                1 => $"https://openreview.net/pdf?id={id}.",
                2 => $"<https://openreview.net/revisions?id={id}>",
                3 => $"{{% linkpreview \"https://openreview.net/forum?id={id}\" %}}",
                4 => $"```\n[{titles[random.Next(titles.Length)]}](https://openreview.net/forum?id={id})\n```",
                5 => $"`https://openreview.net/forum?id={id}`",
                6 => $"([source][r{id}])\n\n[r{id}]: https://openreview.net/forum?id={id}",
                _ => "plain words",
            };
        }

        var snapshot = WorkspaceSnapshot.Empty;

        // 400 names, so that the fresh build below takes the parallel path for large batches.
        for (var step = 0; step < 2000; step++)
        {
            var name = $"n{random.Next(400)}";
            if (random.Next(5) == 0)
            {
                snapshot = snapshot.WithoutNote(Uri(name));
                continue;
            }

            var body = string.Join("\n\n", Enumerable.Range(0, random.Next(4)).Select(_ => Fragment()));
            snapshot = snapshot.WithNote(Note(name, body));
        }

        var fresh = CitationIndex.Empty.WithNotes(snapshot.Notes.Values);
        Assert.True(snapshot.Notes.Count >= 256, $"only {snapshot.Notes.Count} notes");
        Assert.NotEmpty(Dump(fresh));
        Assert.Equal(Dump(fresh), Dump(snapshot.Citations));
        Assert.Equal(DumpParsed(snapshot), Dump(snapshot.Citations));
        Assert.Equal(
            DumpParsed(snapshot).Where(l => l.Contains(" Inline ", StringComparison.Ordinal) || l.Contains(" Bare ", StringComparison.Ordinal)
                || l.Contains(" Autolink ", StringComparison.Ordinal) || l.Contains(" Liquid ", StringComparison.Ordinal))
                .Select(l => l.Split(' ')[^1]).Where(OpenReviewLink.IsWellFormedNoteId).Distinct(),
            snapshot.Citations.CitedPaperIds(OpenReviewLink.IsWellFormedNoteId));
    }
}
