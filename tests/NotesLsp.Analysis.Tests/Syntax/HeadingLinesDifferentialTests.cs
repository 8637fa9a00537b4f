using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NotesLsp.Analysis.Tests.FrontMatter;
using NotesLsp.Analysis.Tests.Robustness;
using NotesLsp.Syntax;
using NotesLsp.Text;
using Xunit.Abstractions;

namespace NotesLsp.Analysis.Tests.Syntax;

/// <summary>
/// One reading of headings, second part: the line reader <see cref="NoteParser.ParseHeadings"/> tries first
/// (HeadingLines) gives exactly the headings of the full body parse (level, text, span, text span, in order) whenever it
/// does not decline, over every fixture note, thousands of generated bodies (headings, lists, quotes, fences, HTML,
/// setext lines, indentation, tabs, CRLF and lone CR, Unicode), mutated real notes and hand-written edge cases; and it
/// is taken for most real notes, so the workspace scan does not pay for Markdig on them.
/// </summary>
public class HeadingLinesDifferentialTests(ITestOutputHelper output)
{
    private static string Show(ImmutableArray<HeadingSyntax> headings) =>
        string.Join("\n", headings.Select(h => $"{h.Level} {h.Span.Start}-{h.Span.End} {h.TextSpan.Start}-{h.TextSpan.End} \"{h.Text}\""));

    /// <summary>The full parse's headings, and the line reader's (null when it declines).</summary>
    private static (string Full, string? Lines) Both(string text)
    {
        var source = SourceText.From(text);
        var frontMatter = FrontMatterParser.Parse(source);
        var full = Show(NoteParser.Parse(source, frontMatter).Headings);
        return (full, NoteParser.TryReadHeadingLines(source, frontMatter, out var lines) ? Show(lines) : null);
    }

    /// <summary>Asserts the line reader agrees with the full parse when it reads the note; returns whether it did.</summary>
    private static bool AgreesWhenTaken(string text)
    {
        var (full, lines) = Both(text);
        if (lines is not null)
        {
            Assert.True(full == lines, $"line reader differs on {Escape(text)}\n  full:  {full}\n  lines: {lines}");
        }

        return lines is not null;
    }

    private static string Escape(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    [Theory]
    // Generated notes (gen-corpus): the shapes the workspace scan sees most.
    [InlineData("generated", 0.95)]
    // Real documentation (Hugo's): HTML, indented fences in lists and setext headings make it decline more often.
    [InlineData("hugo-docs", 0.4)]
    [InlineData("workspaces", 0.8)]
    public void Fixture_notes_read_by_lines_have_the_full_parse_headings_and_most_are_read_so(string corpus, double minimumRate)
    {
        var files = FixtureWorkspaces.MarkdownFiles(Path.Combine(FixtureWorkspaces.NoteRoots().Single(r => r.EndsWith(corpus, StringComparison.Ordinal))));
        var taken = 0;
        var headings = 0;
        foreach (var file in files)
        {
            var text = FixtureWorkspaces.Text(file).Text;
            if (AgreesWhenTaken(text))
            {
                taken++;
                headings += NoteParser.Parse(text).Headings.Length;
            }
        }

        output.WriteLine($"{corpus}: the line reader took {taken} of {files.Count} notes, {headings} headings");
        Assert.True(files.Count >= 40, $"only {files.Count} notes in {corpus}");
        Assert.True(headings > 15, $"only {headings} headings in the {corpus} notes read by lines");
        var rate = (double)taken / files.Count;
        Assert.True(rate >= minimumRate, $"the line reader took {taken} of {files.Count} {corpus} notes ({rate:P0}), below {minimumRate:P0}");
    }

    [Fact]
    public void Every_fixture_note_has_the_same_headings_from_markdig_blocks_and_from_parse_headings()
    {
        // The Markdig fallback alone still agrees with the full parse (HeadingsDifferentialTests checks ParseHeadings as a whole).
        foreach (var file in FixtureWorkspaces.NoteRoots().SelectMany(FixtureWorkspaces.MarkdownFiles))
        {
            var source = FixtureWorkspaces.Text(file);
            var frontMatter = FrontMatterParser.Parse(source);
            var full = Show(NoteParser.Parse(source, frontMatter).Headings);
            Assert.Equal(full, Show(NoteParser.ParseHeadingsWithMarkdig(source, frontMatter)));
        }
    }

    [Theory]
    // ATX headings in the first column: closing runs, empty headings, spaces, Unicode, line breaks.
    [InlineData("# a\n## b ##\n### c ###   \n#### d#\n##### e \\##\n###### f\n####### g\n")]
    [InlineData("#\n# \n#  \n# #\n# ##\n##\n# foo   ##\n#    foo\n# a ### b\n")]
    [InlineData("# crlf\r\n## two ##\r\n\r\ntext\r\n# three\r\n")]
    [InlineData("# lone\r## cr\rtext\r# three")]
    [InlineData("# 日本語の見出し\n## Größe 😀 ##\n# \u00A0nbsp\n")]
    [InlineData("text\n# interrupts a paragraph\n- item\n# ends the list\n> quote\n# ends the quote\n    code\n# ends the code\n")]
    // Fences in the first column: what they hide, how they close.
    [InlineData("```\n# hidden\n```\n# after\n")]
    [InlineData("````\n```\n# hidden\n````\n# after\n")]
    [InlineData("~~~\n# hidden\n```\n# still\n~~~\n# after\n")]
    [InlineData("```\n# hidden\n   ```\n# after\n")]
    [InlineData("```\n# hidden\n    ```\n# still hidden\n")]
    [InlineData("```\n# hidden\n\t```\n# still hidden\n")]
    [InlineData("```\n# hidden\n``` info\n# still hidden\n")]
    [InlineData("```\n# hidden\n```   \t\n# after\n")]
    [InlineData("``` a`b\n# not a fence, a heading\n")]
    [InlineData("```python\n    # comment\n<div>\n---\n```\n# after\n")]
    [InlineData("```\nunclosed\n# hidden to the end\n")]
    [InlineData("- a\n  ```\n# b\n```\n# c\n")]
    [InlineData("> a\n```\n# b\n```\n# c\n")]
    [InlineData("[foo]: /url \"ti\n```\n# x\n")]
    // Front matter: blanked before the body.
    [InlineData("---\ntitle: x\n---\n# After front matter\n")]
    [InlineData("---\ntitle: x\n---\n---\n# After a thematic break\n")]
    [InlineData("---\n---\n# empty front matter\n")]
    [InlineData("---\ntags: [\n---\n# broken front matter\n")]
    // Shapes it declines (the differential holds either way).
    [InlineData("<div>\n# inside html\n\n# after\n")]
    [InlineData("Title\n=====\n\nSub\n---\n")]
    [InlineData("text\n- \n")]
    [InlineData("text\n* \n===\n")]
    [InlineData("text\n+ \n---\n")]
    [InlineData("text\n1.\n---\n")]
    [InlineData("text\n>\n===\n")]
    [InlineData("> a\n> ---\n")]
    [InlineData("- a\n- ===\n")]
    [InlineData("> a\n> - \n")]
    [InlineData("> a\nlazy\n> > - \n")]
    [InlineData("> # quoted\n- # listed\n  # indented\n")]
    [InlineData("- ```\n  # code\n  ```\n")]
    [InlineData("#\ttab\n# a\tb\n\t# tab indent\n-\titem\n")]
    [InlineData("# a\0b\n")]
    [InlineData("#\0x\n##\0\n```\0\n# x\n```\n")]
    [InlineData("\uFEFF# bom\n")]
    [InlineData("\f# form feed\na\n\f\n===\n")]
    public void Edge_cases_agree(string text) => AgreesWhenTaken(text);

    [Theory]
    [InlineData("# a\n\ntext *with* [a link](x) and `code`\n\n- item\n  - nested\n1. one\n> quote\n\n```py\n# no\n```\n## b ##\n[r1]: https://example.com\n")]
    [InlineData("---\ntitle: t\n---\n# t\n\n| a | b |\n| --- | ---: |\n\n$$\nx\n$$\n")]
    public void Simple_notes_are_read_by_lines(string text) => Assert.True(AgreesWhenTaken(text), $"declined {Escape(text)}");

    [Theory]
    [InlineData("<div>\n# x\n</div>\n")]
    [InlineData("a\n===\n")]
    [InlineData("a\n---\n")]
    [InlineData("> # x\n")]
    [InlineData("  # x\n")]
    [InlineData("  ```\n# x\n")]
    [InlineData("#\tx\n")]
    public void Shapes_that_need_markdig_are_declined(string text) => Assert.False(AgreesWhenTaken(text), $"read {Escape(text)}");

    [Fact]
    public void A_body_that_starts_mid_line_is_read_only_when_the_rest_of_that_line_is_blank()
    {
        // Markdig reads the front matter blanked to spaces, so the rest of its last line must be blank to be one.
        var builder = ImmutableArray.CreateBuilder<HeadingSyntax>();
        Assert.True(HeadingLines.TryRead(SourceText.From("xx   \n# a\n"), 2, builder));
        Assert.Equal("1 6-9 8-9 \"a\"", Show(builder.ToImmutable()));
        Assert.False(HeadingLines.TryRead(SourceText.From("xx# a\n"), 2, ImmutableArray.CreateBuilder<HeadingSyntax>()));
    }

    [Fact]
    public void Thousands_of_generated_bodies_agree()
    {
        var random = new Random(20261202);
        var taken = 0;
        const int Bodies = 6_000;
        for (var n = 0; n < Bodies; n++)
        {
            if (AgreesWhenTaken(RandomBody(random)))
            {
                taken++;
            }
        }

        // Both arms are exercised: the reader reads a good share of these bodies and declines a good share.
        output.WriteLine($"the line reader took {taken} of {Bodies} generated bodies");
        Assert.InRange(taken, Bodies / 5, Bodies * 4 / 5);
    }

    [Property(MaxTest = 500, Replay = "(20261202,11)")]
    public Property Generated_line_mixes_agree() => Prop.ForAll(LineMix.ToArbitrary(), text => AgreesWhenTaken(text) || true);

    [Property(MaxTest = 300, Replay = "(20261202,13)")]
    public Property Mutated_real_notes_agree() => Prop.ForAll(NotePipelineFuzzTests.MutatedNote.ToArbitrary(), text => AgreesWhenTaken(text) || true);

    // What a line is made of: indentation, container markers, then content; mostly none of the first two, as in notes.
    private static readonly string[] Indents = ["", "", "", "", "", "", " ", "  ", "   ", "    ", "     ", "\t", " \t"];

    private static readonly string[] Markers = ["", "", "", "", "", "", "", "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "> - ", "- > ", "  - ", "-\t", ">\t", "10. ", "-   "];

    private static readonly string[] Contents =
    [
        "# h", "## h ##", "# h #", "#", "# ", "#  ", "# ##", "# #", "###### six", "####### seven", "#5", "#tag", "\\# esc", "# h\t", "#\th",
        "# a ### b", "# foo\\##", "#   spaced   ###   ", "# foo   ##", "## 見出し", "# Größe 😀", "text", "more text", "más texto ünïcödé",
        "日本語の文", "😀 emoji", "===", "=", "= =", "---", "-", "--", "- - -", "***", "___", "* * *", "```", "````", "```py", "``` a`b",
        "~~~", "~~~~ x", "~~", "<div>", "</div>", "<!--", "-->", "<pre>", "</pre>", "<https://x.y>", "<br/>", "[r]: https://example.com",
        "[r]: /u \"t", "\"title\"", "| a | b |", "|---|---|", "*e*", "`code`", "$$", "", "", "", "", "\u00A0# nbsp", "\uFEFF# bom", "\f",
        "    # deep", "[x](y) and (z", "1.", ">", "+", "2024. year",
    ];

    // The shapes of ordinary notes, which the reader reads: first-column lines, and text after markers or indentation.
    private static readonly string[] PlainLines =
    [
        "# h", "## h ##", "# h #", "#", "# ", "# #", "###### six", "####### seven", "#5", "#tag", "\\# esc", "# a ### b", "# foo\\##", "# foo   ##",
        "## 見出し", "# Größe 😀", "text", "more text", "más texto ünïcödé", "日本語の文", "a\ttab inside", "```", "````", "```py", "``` a`b", "~~~",
        "~~~~ x", "***", "___", "* * *", "[r]: https://example.com", "[r]: /u \"t", "| a | b |", "|---|---|", "*e*", "`code`", "$$", "", "", "", "",
        "\u00A0# nbsp", "2024. year", "[x](y) and (z", "- item", "* item", "1. one", "> quote", "  continued", "    indented text",
    ];

    private static readonly string[] PlainPrefixes = ["> ", "- ", "* ", "+ ", "1. ", "2) ", "  - ", "   ", "    ", "> > ", "- > "];

    // With the markers: container lines, empty items and quotes, and underline shapes inside containers.
    private static readonly string[] Texts = ["text", "more text", "日本語", "#tag", "*e*", "`code`", "[x](y)", "***", "[r]: https://example.com", "", "===", "---", "- -"];

    private static string RandomBody(Random random)
    {
        var builder = new StringBuilder();
        builder.Append(random.Next(6) switch
        {
            0 => "---\ntitle: t\n---\n",
            1 => "---\r\ntags: [a]\r\n---\r\n",
            2 => "---\nx: [\n---\n",
            _ => "",
        });
        var breaks = random.Next(10) switch
        {
            0 => "\r\n",
            1 => "\r",
            _ => "\n",
        };
        // A third of the bodies mix every shape on every line (the reader declines most of them); the rest are mostly
        // the shapes it reads, as notes are, with a hostile line now and then (inside a fence, it must not matter).
        var hostile = random.Next(3) == 0 ? 1.0 : 0.03;
        var lines = random.Next(1, 30);
        for (var i = 0; i < lines; i++)
        {
            if (random.NextDouble() < hostile)
            {
                builder.Append(Indents[random.Next(Indents.Length)]).Append(Markers[random.Next(Markers.Length)]).Append(Contents[random.Next(Contents.Length)]);
            }
            else if (random.Next(5) == 0)
            {
                builder.Append(PlainPrefixes[random.Next(PlainPrefixes.Length)]).Append(Texts[random.Next(Texts.Length)]);
            }
            else
            {
                builder.Append(PlainLines[random.Next(PlainLines.Length)]);
            }
            if (random.Next(8) == 0)
            {
                builder.Append(random.Next(3) switch { 0 => " ", 1 => "\t", _ => "  #" });
            }

            builder.Append(random.Next(20) == 0 ? "\r\n" : breaks);
        }

        return builder.ToString();
    }

    private static Gen<string> LineMix =>
        from lines in Gen.ListOf(
            from indent in Gen.Elements(Indents)
            from marker in Gen.Elements(Markers)
            from content in Gen.Elements(Contents)
            select indent + marker + content)
        from frontMatter in Gen.Elements("", "---\ntitle: t\n---\n", "---\n", "---\nx: [\n---\n")
        from breaks in Gen.Elements("\n", "\r\n", "\r")
        select frontMatter + string.Join(breaks, lines.Take(40)) + breaks;
}
