using System.Runtime.CompilerServices;
using System.Text;
using NotesLsp.Analysis.Papers;
using NotesLsp.Analysis.Tags;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests;

/// <summary>
/// How notes hold their text: a closed note keeps its file's UTF-8 bytes and lets decoded text and body parses
/// go, an open note keeps both; either way every feature sees the same text, offsets and results.
/// </summary>
public class NoteStorageTests
{
    private const string Uri = "file:///notes/talk.md";

    private const string Content =
        "---\ntitle: Konferenz 論文\ntags: [ml, time-series]\n---\n# Überblick\n\nSee [DCMHA](https://openreview.net/forum?id=RbiBKPtuHp).\n\n## 詳細 😀\nText.\r\n";

    private static Note Closed(string content) => Note.FromUtf8(Uri, Encoding.UTF8.GetBytes(content));

    [Fact]
    public void A_closed_note_reads_its_bytes_the_way_editors_do()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "a é "u8, 0xFF, .. " 論\n"u8];
        var note = Note.FromUtf8(Uri, bytes);

        // The byte order mark is dropped and an invalid byte reads as U+FFFD, as VS Code shows the file.
        Assert.Equal("a é \uFFFD 論\n", note.Text.Text);
        Assert.Equal(2, note.Text.LineCount);
    }

    [Fact]
    public void A_closed_and_an_open_note_of_the_same_text_answer_alike()
    {
        var closed = Closed(Content);
        var open = new Note(Uri, SourceText.From(Content), version: 1, isOpen: true);

        Assert.Equal(open.Text.Text, closed.Text.Text);
        Assert.Equal(open.Title, closed.Title);
        Assert.Equal(open.FrontMatter!.Span, closed.FrontMatter!.Span);
        Assert.Equal(open.Headings.Select(h => (h.Level, h.Text, h.Span)), closed.Headings.Select(h => (h.Level, h.Text, h.Span)));
        Assert.Equal(open.Syntax.Links.Select(l => (l.Url, l.Span)), closed.Syntax.Links.Select(l => (l.Url, l.Span)));
        Assert.Equal(["Überblick", "詳細 😀"], closed.Headings.Select(h => h.Text));

        var keys = NotesSettings.Default.Tags.Keys;
        Assert.Equal(TagIndex.Extract(open, keys).ToArray(), TagIndex.Extract(closed, keys).ToArray());
        Assert.Equal(CitationIndex.Extract(open).Select(c => c.Link.Span), CitationIndex.Extract(closed).Select(c => c.Link.Span));
    }

    [Fact]
    public void A_closed_note_lets_its_decoded_text_and_body_parse_go_and_keeps_what_the_workspace_needs()
    {
        var note = Closed(Content);
        var (text, syntax) = TouchEverything(note);
        Collect();

        Assert.False(text.IsAlive, "the decoded text of a closed note is held only weakly");
        Assert.False(syntax.IsAlive, "the body parse of a closed note is held only weakly");

        // Front matter and headings stay, and what is decoded or parsed again is the same.
        Assert.Equal("Konferenz 論文", note.Title);
        Assert.Equal(["Überblick", "詳細 😀"], note.Headings.Select(h => h.Text));
        Assert.Equal(Content, note.Text.Text);
        Assert.Equal(note.Headings.Select(h => h.Span), note.Syntax.Headings.Select(h => h.Span));
        Assert.True(note.IsParsed);
    }

    [Fact]
    public void An_open_note_keeps_its_text_and_body_parse()
    {
        var note = new Note(Uri, SourceText.From(Content), version: 3, isOpen: true);
        var text = note.Text;
        var syntax = note.Syntax;
        Collect();

        Assert.Same(text, note.Text);
        Assert.Same(syntax, note.Syntax);
    }

    [Fact]
    public void Preparing_a_note_indexes_it_without_parsing_its_body()
    {
        var note = Closed(Content);
        note.Prepare(NotesSettings.Default.Tags.Keys);
        var snapshot = WorkspaceSnapshot.Empty.WithNotes([note]);

        Assert.Equal(1, snapshot.Tags.Count(new TagKey("tags", "time-series")));
        Assert.Equal([Uri], snapshot.Citations.NotesCiting("RbiBKPtuHp").ToArray());
        Assert.NotNull(note.FrontMatter);
        Assert.False(note.IsParsed);
    }

    [Fact]
    public void Tags_remembered_under_one_vocabulary_are_read_again_under_another()
    {
        var note = Closed("---\ntags: [ml]\nkeywords: [graphs]\n---\n");
        note.Prepare(["tags"]);

        Assert.Equal([new TagKey("tags", "ml")], TagIndex.Extract(note, ["tags"]).ToArray());
        Assert.Equal([new TagKey("tags", "ml"), new TagKey("keywords", "graphs")], TagIndex.Extract(note, ["tags", "keywords"]).ToArray());
        Assert.Equal([new TagKey("keywords", "graphs")], TagIndex.Extract(note, ["keywords"]).ToArray());
    }

    [Fact]
    public void An_edit_makes_a_new_note_whose_indexes_follow_the_new_text()
    {
        var before = Closed("---\ntags: [ml]\n---\n[a](https://openreview.net/forum?id=RbiBKPtuHp)\n");
        var snapshot = WorkspaceSnapshot.Empty.WithNotes([before]);
        var after = new Note(Uri, before.Text.WithChange(new TextChange(new LineRange(new LinePosition(1, 7), new LinePosition(1, 9)), "rl")), version: 2, isOpen: true);
        snapshot = snapshot.WithNote(after);

        Assert.Equal(0, snapshot.Tags.Count(new TagKey("tags", "ml")));
        Assert.Equal(1, snapshot.Tags.Count(new TagKey("tags", "rl")));
        Assert.Equal([Uri], snapshot.Citations.NotesCiting("RbiBKPtuHp").ToArray());
    }

    /// <summary>Reads everything off the note in a frame of its own, so no local of the test keeps them alive.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Text, WeakReference Syntax) TouchEverything(Note note)
    {
        note.Prepare(NotesSettings.Default.Tags.Keys);
        _ = note.Headings;
        return (new WeakReference(note.Text), new WeakReference(note.Syntax));
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
