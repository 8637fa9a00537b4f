using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NotesLsp.Analysis.Tests.FrontMatter;
using NotesLsp.Analysis.Tests.Robustness;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Syntax;

/// <summary>
/// One reading of headings: the block-only parse the workspace scan summarises closed notes with
/// (<see cref="NoteParser.ParseHeadings"/>) finds exactly the headings of the full body parse (level, text, span,
/// text span, in order), over every fixture note, mutated and generated notes, and the inputs near Markdig's limits.
/// </summary>
public class HeadingsDifferentialTests
{
    private static string Show(ImmutableArray<HeadingSyntax> headings) =>
        string.Join("\n", headings.Select(h => $"{h.Level} {h.Span.Start}-{h.Span.End} {h.TextSpan.Start}-{h.TextSpan.End} \"{h.Text}\""));

    private static (string Full, string BlocksOnly) Both(string text)
    {
        var source = SourceText.From(text);
        var frontMatter = FrontMatterParser.Parse(source);
        return (Show(NoteParser.Parse(source, frontMatter).Headings), Show(NoteParser.ParseHeadings(source, frontMatter)));
    }

    private static bool Agrees(string text)
    {
        var (full, blocksOnly) = Both(text);
        Assert.Equal(full, blocksOnly);
        return true;
    }

    [Fact]
    public void Every_fixture_note_has_the_same_headings_from_the_block_parse()
    {
        var roots = FixtureWorkspaces.NoteRoots();
        var compared = 0;
        var headings = 0;
        var disagreements = new List<string>();
        foreach (var file in roots.SelectMany(FixtureWorkspaces.MarkdownFiles))
        {
            var (full, blocksOnly) = Both(FixtureWorkspaces.Text(file).Text);
            compared++;
            headings += full.Length == 0 ? 0 : full.Count(c => c == '\n') + 1;
            if (full != blocksOnly)
            {
                disagreements.Add($"{file}:\n  full:   {full.Replace("\n", "\n          ", StringComparison.Ordinal)}\n  blocks: {blocksOnly.Replace("\n", "\n          ", StringComparison.Ordinal)}");
            }
        }

        Assert.True(compared > 200, $"only {compared} fixture notes found");
        Assert.True(headings > 500, $"only {headings} headings in the fixtures");
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(5)));
    }

    [Theory]
    // Setext headings (paragraph continuation, lazy lines, in quotes and lists), and what is not one.
    [InlineData("Title\n=====\n\nSub\n---\n")]
    [InlineData("two\nlines\n===\n")]
    [InlineData("> quoted\n> ===\n\n- item\n  ---\n")]
    [InlineData("> lazy\ncontinued\n---\n")]
    [InlineData("- a\n---\n")]
    [InlineData("[ref]: https://example.com\n===\n")]
    [InlineData("[ref]: https://example.com\ntext\n===\n")]
    [InlineData("| a | b |\n| --- | --- |\n| 1 | 2 |\n")]
    // ATX headings in containers, code, HTML and after front matter.
    [InlineData("> # In a quote\n>\n> - ## In a list in a quote\n")]
    [InlineData("1. # Numbered\n   ### Continued\n")]
    [InlineData("```\n# not a heading\n```\n# after\n")]
    [InlineData("~~~~\n```\n# still code\n~~~~\n## out\n")]
    [InlineData("    # indented code\n\npara\n    # continuation\n")]
    [InlineData("<div>\n# inside html\n\n# after\n")]
    [InlineData("<!--\n# in a comment\n-->\n# after\n")]
    [InlineData("---\ntitle: x\n---\n# After front matter\n---\nnot setext of the fence\n")]
    [InlineData("# closing #s ###\n#\n# #\n####### seven\n#\ttab\n \\# escaped\n")]
    [InlineData("Heading *with* [a link](https://openreview.net/forum?id=abcdefgh) and `code`\n---\n")]
    [InlineData("\uFEFF# bom\r\n\r\ncrlf\r\n===\r\n")]
    [InlineData("# a\0b\n")]
    public void Constructs_that_decide_what_is_a_heading_agree(string text) => Agrees(text);

    [Fact]
    public void Inputs_at_the_markdown_depth_limit_agree()
    {
        // The full parse gives no structure when Markdig refuses deep inlines; the block parse must then not find the heading either.
        Agrees("# A\n" + new string('[', 100_000) + "\n");
        Agrees("# A\n" + string.Concat(Enumerable.Repeat("[*", 6_000)) + "\n\n## B\n");
        Agrees("# A\n" + string.Concat(Enumerable.Repeat("_a ", 10_500)) + "\n");

        // Just below the block parse's own threshold: many openers spread over a note, not deep, headings kept.
        var spread = string.Concat(Enumerable.Repeat("# H [x](y) *e* _f_\n\n", 1_300));
        Agrees(spread);
        Assert.Equal(1_300, NoteParser.ParseHeadings(SourceText.From(spread), null).Length);

        // Deep containers are defused the same way for both.
        Agrees(new string('>', 100_000) + " x\n\n# After\n");
        Agrees(string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n\n# After\n");
    }

    [Property(MaxTest = 200, Replay = "(20261202,5)")]
    public Property Mutated_real_notes_agree() => Prop.ForAll(NotePipelineFuzzTests.MutatedNote.ToArbitrary(), Agrees);

    [Property(MaxTest = 400, Replay = "(20261202,5)")]
    public Property Generated_notes_agree() => Prop.ForAll(HeadingNote.ToArbitrary(), Agrees);

    // Lines that start, end or continue blocks, so that generated notes reach the rules that decide headings.
    private static readonly string[] Lines =
    [
        "# h", "## h ##", "#", "###### six", "####### seven", "text", "more text", "===", "---", "- - -", "***", "   ---", "    # code",
        "> # q", "> text", ">", "- item", "- # item heading", "  ---", "  ===", "1. one", "1) # one", "```", "~~~", "```md", "<div>", "</div>",
        "<!--", "-->", "<pre>", "</pre>", "[r]: https://example.com", "| a | b |", "|---|---|", "\t# tab", "  # two", "", "", "",
        "*emphasis*", "[link](x)", "`code`", "\\# not", "$$", "- [ ] task", "+ plus", "* star", "> > nested", "<https://x.y>",
    ];

    private static Gen<string> HeadingNote =>
        from lines in Gen.ListOf(Gen.Elements(Lines))
        from frontMatter in Gen.Elements("", "---\ntitle: t\n---\n", "---\n", "---\nx: [\n---\n")
        from breaks in Gen.Elements("\n", "\r\n")
        select frontMatter + string.Join(breaks, lines.Take(40)) + breaks;
}
