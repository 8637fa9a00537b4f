using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NotesLsp.Analysis.Papers;
using NotesLsp.Analysis.Tests.FrontMatter;
using NotesLsp.Analysis.Tests.Robustness;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests;

/// <summary>
/// One reading of a summary: what the start-up scan keeps of a note it reads once (<see cref="Note.Summarised"/>, through
/// <see cref="NoteSummary.OfText(SourceText, ImmutableArray{string}, StringPool?, bool)"/>: no note around the text, the
/// front matter block found once for the tags, link URLs and labels taken from the pool while the links are scanned,
/// reference definitions read from the match positions) is exactly <see cref="NoteSummary.Of"/> of a note holding the
/// same text (every field, in order), and the citations it hands the citation index are those the summary gives
/// (<see cref="NoteSummary.CitationsFor"/>): over every fixture note, seeded generated notes and edge cases.
/// </summary>
public class SummaryOfTextTests
{
    private static readonly ImmutableArray<string> TagKeys = ["tags", "categories", "keywords"];

    private const string Uri = "file:///notes/a.md";

    /// <summary>Every field of a summary, one per line.</summary>
    private static string Show(NoteSummary summary)
    {
        var text = new StringBuilder();
        text.Append($"title {summary.Title ?? "(none)"} {summary.TitleSpan} {summary.TitleRange}\nbody {summary.BodyStart}\n");
        foreach (var heading in summary.Headings)
        {
            text.Append($"heading {heading.Level} \"{heading.Text}\" {heading.Span} {heading.TextSpan} {heading.Range}\n");
        }

        text.Append($"keys {string.Join(",", summary.TagKeys)}\n");
        foreach (var tag in summary.Tags)
        {
            text.Append($"tag {tag.Key} \"{tag.Value}\" {tag.Span} {tag.Quote} {tag.Range}\n");
        }

        foreach (var link in summary.Links)
        {
            text.Append($"link {link.Kind} \"{link.Url}\" {link.Span} {link.UrlSpan} \"{link.Label ?? "(none)"}\" {link.LabelSpan?.ToString() ?? "(none)"}\n");
        }

        text.Append($"front matter keys {string.Join(",", summary.FrontMatterKeys)}\n");
        return text.ToString();
    }

    private static string ShowCitations(ImmutableArray<PaperCitation> citations) =>
        string.Join("\n", citations.Select(c => $"{c.Uri} {c.Link.Kind} {c.Link.Url} {c.Link.Span} {c.Target.Kind} {c.Target.Id}"));

    /// <summary>Asserts the scan's summary and citations are the note's; returns how many links the note has.</summary>
    private static int Agrees(string text)
    {
        var source = SourceText.From(text);
        var expected = NoteSummary.Of(new Note(Uri, source), TagKeys);
        var pool = new StringPool();
        var scanned = Note.Summarised(Uri, source, TagKeys, pool, withHeadings: true, _ => Encoding.UTF8.GetBytes(text));
        var summary = scanned.Summary!;
        Assert.True(Show(expected) == Show(summary), $"summaries differ on {Escape(text)}\n  note: {Show(expected)}\n  text: {Show(summary)}");
        Assert.Equal(Show(NoteSummary.Of(new Note(Uri, source), TagKeys, new StringPool())), Show(summary));
        Assert.Equal(Show(expected), Show(NoteSummary.OfText(source, TagKeys)));
        Assert.Equal(Show(NoteSummary.Of(new Note(Uri, source), TagKeys, withHeadings: false)), Show(NoteSummary.OfText(source, TagKeys, pool, withHeadings: false)));
        Assert.Equal(ShowCitations(summary.CitationsFor(Uri)), ShowCitations(CitationIndex.Extract(scanned)));
        Assert.Equal(ShowCitations(CitationIndex.Extract(new Note(Uri, source))), ShowCitations(CitationIndex.Extract(scanned)));

        // The strings that repeat across notes are the pool's.
        foreach (var link in summary.Links)
        {
            Assert.Same(pool.Intern(link.Url), link.Url);
            if (link.Label is { } label)
            {
                Assert.Same(pool.Intern(label), label);
            }
        }

        return summary.Links.Length;
    }

    private static string Escape(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    [Fact]
    public void Every_fixture_note_has_the_same_summary_read_from_its_text()
    {
        var notes = 0;
        var links = 0;
        foreach (var file in FixtureWorkspaces.NoteRoots().SelectMany(FixtureWorkspaces.MarkdownFiles))
        {
            links += Agrees(File.ReadAllText(file));
            notes++;
        }

        // The fixtures hold real notes (Hugo's documentation) and generated ones with OpenReview links and references.
        Assert.True(notes > 200, $"only {notes} fixture notes");
        Assert.True(links > 100, $"only {links} OpenReview links in the fixture notes");
    }

    [Theory]
    // Reference definitions: spaces and tabs before the URL, angle brackets, labels that need folding, a second definition of a label.
    [InlineData("# n\n\nSee [the paper][R 1] and [r2][] and [R3].\n\n[r 1]: https://openreview.net/forum?id=aaa\n[r2]:\thttps://openreview.net/pdf?id=bbb \"t\"\n[r3]:   <https://openreview.net/forum?id=ccc>\n[r3]: https://openreview.net/forum?id=ddd\n")]
    [InlineData("[x]\n\n   [x]: https://openreview.net/forum?id=a1&noteId=n1\n    [y]: https://openreview.net/forum?id=indented\n[y]\n")]
    [InlineData("[ Ünïcödé   Label ]\n\n[ünïcödé label]: https://openreview.net/forum?id=u1\n")]
    [InlineData("[x][]\n\n[x]: <<https://openreview.net/forum?id=double>>\n[z]: <https://openreview.net/forum?id=a b>\n[z]\n")]
    [InlineData("[x]\n\n[x]: https://openreview.net/forum?id=a<b\n")]
    [InlineData("```\n[x]: https://openreview.net/forum?id=code\n```\n[x]\n")]
    [InlineData("[x]\n\n[x]:https://openreview.net/forum?id=nospace\n[y]:\n[y]\n")]
    // Each link form, with and without labels, in code and out.
    [InlineData("---\ntitle: \"  Paper notes  \"\ntags: [a, 'b', \"c d\"]\ncategories:\n  - x\n  - y\n---\n# T\n\n[forum](https://openreview.net/forum?id=f1) [](https://openreview.net/forum?id=f2) [a [b]](https://openreview.net/forum?id=f3)\n<https://openreview.net/pdf?id=p1> https://www.openreview.net/forum?id=w1. `https://openreview.net/forum?id=code`\n{% link \"https://openreview.net/forum?id=l1\" %}\n![img](https://openreview.net/forum?id=i1 \"title\")\n")]
    [InlineData("---\ntags: a, b\r\ntitle: crlf\r\n---\r\n# CRLF\r\n[r](https://openreview.net/forum?id=c1)\r\n")]
    // Front matter shapes: none, unclosed, broken YAML (keys read per entry), BOM, empty.
    [InlineData("no front matter [x](https://openreview.net/forum?id=n1)\n")]
    [InlineData("---\ntitle: open\ntags: [a\n\n# Body\n")]
    [InlineData("---\ntitle: [broken\ntags: [a, b]\nother: 1\n---\n# Body\n")]
    [InlineData("\uFEFF---\ntitle: bom\ntags: x\n---\n")]
    [InlineData("---\n---\n")]
    [InlineData("---\ntitle:    \ntags: []\n---\n# h\n")]
    [InlineData("")]
    public void Edge_cases_agree(string text) => Agrees(text);

    [Fact]
    public void Seeded_generated_notes_agree()
    {
        var random = new Random(20261202);
        var links = 0;
        for (var n = 0; n < 3_000; n++)
        {
            links += Agrees(RandomNote(random));
        }

        Assert.True(links > 3_000, $"only {links} OpenReview links in the generated notes");
    }

    [Property(MaxTest = 300, Replay = "(20261202,17)")]
    public Property Mutated_real_notes_agree() => Prop.ForAll(NotePipelineFuzzTests.MutatedNote.ToArbitrary(), text => Agrees(text) >= 0);

    private static readonly string[] FrontMatters =
    [
        "", "---\ntitle: A paper\ntags: [ml, nlp]\n---\n", "---\ntitle: 'Quoted'\ntags:\n  - a\n  - \"b c\"\nkeywords: x y\n---\n",
        "---\r\ntitle: CRLF\r\ncategories: [a]\r\n---\r\n", "---\ntitle: [broken\ntags: [a\nvenue: x\n---\n", "---\ntags: a, b\n", "---\n---\n",
    ];

    private static readonly string[] Urls =
    [
        "https://openreview.net/forum?id=Ab_1-x", "https://openreview.net/pdf?id=P9", "https://openreview.net/forum?id=A&noteId=B",
        "https://www.openreview.net/forum?id=W", "http://openreview.net/forum?id=H", "https://OpenReview.net/forum?id=Case", "https://openreview.net/group?id=ICLR.cc",
        "https://example.com/x", "https://openreview.net/forum?id=Z)", "https://openreview.net/attachment?id=T&name=pdf",
    ];

    private static readonly string[] Labels = ["forum", "OpenReview forum", "", "a [nested] label", "Ünïcödé 日本語", "r1", "R 1"];

    private static string RandomNote(Random random)
    {
        var builder = new StringBuilder(FrontMatters[random.Next(FrontMatters.Length)]);
        var breaks = random.Next(8) == 0 ? "\r\n" : "\n";
        for (var line = random.Next(1, 25); line > 0; line--)
        {
            var url = Urls[random.Next(Urls.Length)];
            var label = Labels[random.Next(Labels.Length)];
            builder.Append(random.Next(14) switch
            {
                0 => $"# {label}",
                1 => $"[{label}]({url})",
                2 => $"See <{url}> and {url}.",
                3 => $"{{% link \"{url}\" %}}",
                4 => $"[{label}][r{random.Next(4)}]",
                5 => $"[r{random.Next(4)}]",
                6 => $"{new string(' ', random.Next(5))}[r{random.Next(4)}]:{(random.Next(2) == 0 ? " " : "\t")}{(random.Next(3) == 0 ? $"<{url}>" : url)}",
                7 => "```",
                8 => $"`{url}`",
                9 => "",
                10 => $"- [{label}]({url} \"title\")",
                11 => $"![{label}]({url})",
                _ => $"text with {url} in it",
            });
            builder.Append(breaks);
        }

        return builder.ToString();
    }
}

/// <summary>
/// One reading of link reference definitions: the scanner reads each match of its definition pattern from the match's
/// position (<c>DefinitionParts</c>), no longer from the match's groups; both give the same label span, URL span, URL
/// and normalised label for every match, over the fixture notes, seeded generated lines and edge cases.
/// </summary>
public class DefinitionPartsTests
{
    private static int Agrees(string text, int bodyStart = 0)
    {
        var groups = CitationScanner.DefinitionReadings(text, bodyStart, fromGroups: true);
        var parts = CitationScanner.DefinitionReadings(text, bodyStart, fromGroups: false);
        Assert.Equal(groups, parts);
        return groups.Count;
    }

    [Fact]
    public void Every_fixture_note_reads_its_definitions_alike()
    {
        var definitions = FixtureWorkspaces.NoteRoots().SelectMany(FixtureWorkspaces.MarkdownFiles).Sum(file => Agrees(File.ReadAllText(file)));
        Assert.True(definitions > 50, $"only {definitions} definitions in the fixture notes");
    }

    [Theory]
    [InlineData("[a]: https://x\n[b]:\thttps://y\n[c]:  \t <https://z>\n   [d]: u v\n    [e]: indented\n")]
    [InlineData("[ Ünïcödé \t Label ]: <<u>>\n[x]:<a>b\n[y]: a<b\n[z]: <a b>\n[w]:\n[v]: \u00A0u\n")]
    [InlineData("[a]: u\r\n[b]: v\r[c]: w\u2028[d]: x\n[]: empty\n[a\nb]: split\n[a]b]: u\n")]
    [InlineData("x\n[tail]: https://openreview.net/forum?id=end")]
    public void Edge_cases_agree(string text) => Agrees(text);

    [Fact]
    public void Definitions_after_the_body_start_agree()
    {
        const string Text = "[a]: before\n---\n[b]: after\n";
        Assert.Equal(1, Agrees(Text, Text.IndexOf("[b]", StringComparison.Ordinal)));
    }

    [Fact]
    public void Seeded_generated_definitions_agree()
    {
        string[] pieces = [" ", "  ", "   ", "    ", "\t", "[", "]", ":", "<", ">", "r1", "R 1", "Ü", "日本", "\u00A0", "\u2003", "https://openreview.net/forum?id=a", "x y", "\"t\"", "\r", "\n", "\r\n"];
        var random = new Random(20261202);
        var definitions = 0;
        for (var n = 0; n < 4_000; n++)
        {
            var text = new StringBuilder();
            for (var line = random.Next(1, 6); line > 0; line--)
            {
                text.Append(new string(' ', random.Next(5))).Append('[');
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    text.Append(pieces[random.Next(pieces.Length)]);
                }

                text.Append("]:");
                for (var i = random.Next(0, 5); i > 0; i--)
                {
                    text.Append(pieces[random.Next(pieces.Length)]);
                }

                text.Append(random.Next(3) == 0 ? "\r\n" : "\n");
            }

            definitions += Agrees(text.ToString());
        }

        Assert.True(definitions > 2_000, $"only {definitions} definitions matched in the generated text");
    }
}
