namespace NotesLsp.Syntax.Tests;

public class NoteParserTests
{
    private static void Check(string note, string expected) =>
        Assert.Equal(expected.Replace("\r\n", "\n", StringComparison.Ordinal).Trim(), SpanDump.Dump(NoteParser.Parse(note)));

    [Fact]
    public void Front_matter_keys_and_values_have_note_offsets()
    {
        Check("---\ntitle: ICML 2024\ntags: [a, b]\n---\n# Montag\n", """
            frontmatter 0-38 closed=True
              key 1:0-1:5 "title" = scalar 1:7-1:16 "ICML 2024"
              key 2:0-2:4 "tags" = seq(flow)[scalar 2:7-2:8 "a", scalar 2:10-2:11 "b"]
            h1 4:2-4:8 "Montag"
            """);
    }

    [Fact]
    public void Japanese_and_emoji_positions_are_utf16()
    {
        Check("---\ntitle: 論文😀\n---\n## 気になる😀論文\n", """
            frontmatter 0-20 closed=True
              key 1:0-1:5 "title" = scalar 1:7-1:11 "論文😀"
            h2 3:3-3:11 "気になる😀論文"
            """);
    }

    [Fact]
    public void Crlf_and_bom_are_handled()
    {
        Check("\uFEFF---\r\ntitle: x\r\n---\r\n# A\r\nSee <https://openreview.net/forum?id=abc>\r\n", """
            frontmatter 0-21 closed=True
              key 1:0-1:5 "title" = scalar 1:7-1:8 "x"
            h1 3:2-3:3 "A"
            link Autolink 4:5-4:40 "https://openreview.net/forum?id=abc"
            """);
    }

    [Fact]
    public void Links_of_every_form_are_found_but_not_in_code()
    {
        Check("""
            - [DoRA](https://openreview.net/forum?id=3d5CIRG1n2)
            - bare https://openreview.net/pdf?id=abc done
            {% linkpreview "https://openreview.net/group?id=ICML.cc/2024/Conference" %}
            `[not](https://x.org)`
            """, """
            link Inline 0:9-0:51 "https://openreview.net/forum?id=3d5CIRG1n2" label 0:3-0:7 "DoRA"
            link Bare 1:7-1:40 "https://openreview.net/pdf?id=abc"
            link Liquid 2:16-2:71 "https://openreview.net/group?id=ICML.cc/2024/Conference"
            """);
    }

    [Fact]
    public void Unclosed_front_matter_ends_at_the_first_blank_line_and_the_body_still_parses()
    {
        Check("---\ntitle: x\n\n# Body\n", """
            frontmatter 0-13 closed=False
              key 1:0-1:5 "title" = scalar 1:7-1:8 "x"
            h1 3:2-3:6 "Body"
            """);
    }

    [Fact]
    public void Yaml_errors_are_reported_with_their_place_and_never_thrown()
    {
        var syntax = NoteParser.Parse("---\ntitle: BERT: Pre-training\n---\n# After\n");
        var error = Assert.Single(syntax.FrontMatter!.Errors);
        Assert.Equal(YamlErrorKind.Syntax, error.Kind);
        Assert.Equal(1, syntax.Text.GetPosition(error.Span.Start).Line);
        Assert.Single(syntax.Headings);
    }

    [Fact]
    public void An_unclosed_flow_list_is_a_syntax_error_not_an_exception()
    {
        // YamlDotNet's scanner throws InvalidOperationException (not YamlException) here; found by the
        // end-to-end test, where it aborted the whole workspace scan.
        var syntax = NoteParser.Parse("---\ntitle: A note\ntags: [unclosed, list\ndate: 2024-07-22\n---\n# After\n");
        var error = Assert.Single(syntax.FrontMatter!.Errors);
        Assert.Equal(YamlErrorKind.Syntax, error.Kind);
        Assert.Equal(2, syntax.Text.GetPosition(error.Span.Start).Line);
        Assert.Single(syntax.Headings);
    }

    [Fact]
    public void Deep_nesting_is_bounded()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var syntax = NoteParser.Parse($"---\nx: {deep}\n---\n");
        Assert.Contains(syntax.FrontMatter!.Errors, e => e.Kind == YamlErrorKind.TooDeep);
    }

    [Fact]
    public void Alias_bombs_are_not_expanded()
    {
        var bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
        var syntax = NoteParser.Parse($"---\n{bomb}---\n");
        Assert.Empty(syntax.FrontMatter!.Errors);
        Assert.Equal(4, syntax.FrontMatter.Root!.Entries.Length);
    }

    [Fact]
    public void A_thematic_break_later_in_the_note_is_not_front_matter()
    {
        var syntax = NoteParser.Parse("# Title\n\n---\ntext\n---\n");
        Assert.Null(syntax.FrontMatter);
    }

    [Theory]
    [InlineData("icml2024-talk-notes.md", 20)]
    [InlineData("icml2024-oral-papers.md", 12)]
    public void Example_notes_parse_without_errors(string file, int minimumHeadingsOrLinks)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", file));
        var syntax = NoteParser.Parse(text);
        Assert.NotNull(syntax.FrontMatter);
        Assert.Empty(syntax.FrontMatter!.Errors);
        Assert.True(syntax.Headings.Length + syntax.Links.Length >= minimumHeadingsOrLinks);
    }

    [Theory]
    [InlineData("---\nx:\n{\na\n---\n# After\n")]
    [InlineData("---\nx:\r{\na\n---\n# After\n")]
    public void Yaml_parser_crashes_become_errors_not_exceptions(string note)
    {
        // YamlDotNet throws InvalidOperationException (not YamlException) on this input.
        var syntax = NoteParser.Parse(note);
        var error = Assert.Single(syntax.FrontMatter!.Errors);
        Assert.Equal(YamlErrorKind.Syntax, error.Kind);
        Assert.Single(syntax.Headings);
    }

    [Fact]
    public void A_whole_yaml_document_is_read_with_the_same_reader()
    {
        var document = FrontMatterParser.ParseYamlDocument("keys:\n  title: string\n");
        Assert.Empty(document.Errors);
        var keys = Assert.IsType<YamlMapping>(Assert.IsType<YamlMapping>(document.Root).Find("keys")!.Value);
        Assert.Equal("string", keys.GetScalar("title")!.Value);
        Assert.Equal(new NotesLsp.Text.TextSpan(15, 6), keys.GetScalar("title")!.Span);
    }

    [Fact]
    public void An_alias_refers_to_the_latest_complete_node_of_its_anchor_and_is_never_expanded()
    {
        var document = FrontMatterParser.ParseYamlDocument("a: &k [x]\nb: &k y\nc: *k\nd: *nope\ne: &r [1, *r]\n");
        var root = Assert.IsType<YamlMapping>(document.Root);
        Assert.Equal("y", Assert.IsType<YamlScalar>(Assert.IsType<YamlAlias>(root.Find("c")!.Value).Target).Value);
        Assert.Null(Assert.IsType<YamlAlias>(root.Find("d")!.Value).Target);

        // Inside its own anchored node the anchor is not complete yet: no target, so no cycle.
        var recursive = Assert.IsType<YamlSequence>(root.Find("e")!.Value);
        Assert.Null(Assert.IsType<YamlAlias>(recursive.Items[1]).Target);

        // An anchored node's span starts at its properties (`&k`), which readers of the span skip.
        Assert.Equal(3, Assert.IsType<YamlSequence>(root.Find("a")!.Value).Span.Start);
    }

    [Fact]
    public void Inlines_nested_past_the_markdown_depth_limit_do_not_throw()
    {
        // Found by the pipeline fuzz tests: Markdig throws on a line of thousands of `[`; the note keeps its
        // front matter and simply has no Markdown structure.
        Check("---\ntitle: x\n---\n# A\n" + new string('[', 100_000) + "\n", """
            frontmatter 0-17 closed=True
              key 1:0-1:5 "title" = scalar 1:7-1:8 "x"
            """);
    }

    [Theory]
    [InlineData(">")]
    [InlineData("- ")]
    [InlineData("> * ")]
    public void Containers_nested_a_hundred_thousand_deep_parse_quickly(string marker)
    {
        // Found by the pipeline fuzz tests: Markdig is quadratic in blockquote and list depth, so one pasted
        // line of `>` took a minute. The structure past a sane depth is dropped; the heading after it stays.
        var text = string.Concat(Enumerable.Repeat(marker, 100_000)) + "x\n\n# After\n";
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var syntax = NoteParser.Parse(text);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
        Assert.Equal("After", Assert.Single(syntax.Headings).Text);
    }
}
