using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Analysis.Papers;
using NotesLsp.Analysis.Tests.Tags;
using static NotesLsp.Analysis.Tests.FrontMatter.FrontMatterTestKit;

namespace NotesLsp.Analysis.Tests.FrontMatter;

/// <summary>Front matter checks say only what the site generator or YAML reader would say, and say it all in one pass.</summary>
public class FrontMatterPrecisionTests
{
    private static string Check(string note, string preset = "notes", string? schema = null)
    {
        var noteObject = NoteOf(note);
        return Render(noteObject.Text, FrontMatterValidator.Validate(noteObject, Settings(preset, schema)));
    }

    /// <summary>Diagnostics of one note of a workspace (so the workspace's key conventions apply).</summary>
    private static string CheckInWorkspace(string fixture, string note, string preset = "notes")
    {
        var settings = Settings(preset);
        var workspace = WorkspaceFixture.Parse(fixture, settings);
        var target = workspace.Snapshot.Find(WorkspaceFixture.Uri(note))!;
        return Render(target.Text, NoteDiagnostics.Compute(workspace.Snapshot, target, CancellationToken.None));
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("jekyll")]
    public void Authors_as_a_string_is_what_the_layout_prints(string preset)
    {
        Assert.Equal("", Check("---\ntitle: x\nauthors: Ashish Vaswani, Noam Shazeer\n---\n", preset));
    }

    [Fact]
    public void Only_keys_the_generator_reads_as_lists_or_a_schema_declares_get_list_as_string()
    {
        Assert.Equal("2:6-2:12 warning list-as-string `tags` is one string and commas do not separate its items: write `[ml, rl]`", Check("---\ntitle: x\ntags: ml, rl\n---\n", "jekyll"));
        Assert.Equal("1:9-1:20 warning list-as-string `aliases` should be a list, not a string: write `[Transformer]`", Check("---\naliases: Transformer\n---\n", "obsidian"));
        Assert.Equal("1:11-1:15 warning list-as-string `reviewers` is one string and commas do not separate its items: write `[a, b]`",
            Check("---\nreviewers: a, b\n---\n", schema: "keys:\n  reviewers: { type: string-list, listMayBeString: true }\n"));
        Assert.Equal("", Check("---\nseries: Notes on attention\noutputs: html\n---\n", "hugo"));
    }

    [Fact]
    public void A_key_used_across_the_workspace_is_its_convention_not_a_typo()
    {
        const string TagPages = """
            //- /site/tags/ml.md
            ---
            layout: tag_page
            tag: ml
            ---
            //- /site/tags/nlp.md
            ---
            layout: tag_page
            tag: nlp
            ---
            //- /site/tags/cv.md
            ---
            layout: tag_page
            tag: cv
            ---
            //- /site/_posts/2024-01-01-a.md
            ---
            title: A
            tgas: [ml]
            ---
            """;
        Assert.Equal("", CheckInWorkspace(TagPages, "/site/tags/ml.md", "jekyll"));
        // One note alone would still get the hint (a lone `tag:` is probably a typo).
        Assert.Equal("1:0-1:3 warning unknown-key unknown key `tag`: did you mean `tags`?", Check("---\ntag: ml\n---\n", "jekyll"));
        // A rare key next to a common one is still a typo.
        Assert.Equal("2:0-2:4 warning unknown-key unknown key `tgas`: did you mean `tags`?", CheckInWorkspace(TagPages, "/site/_posts/2024-01-01-a.md", "jekyll"));
    }

    [Fact]
    public void A_rare_key_next_to_a_workspace_convention_gets_that_convention_as_its_fix()
    {
        var fixture = string.Concat(Enumerable.Range(1, 4).Select(i => $"//- /notes/{i}.md\n---\ntitle: P{i}\npaper_url: https://x.org/{i}\n---\n"))
            + "//- /notes/main.md\n---\ntitle: Q\npaper_ulr: https://x.org/q\n---\n";
        Assert.Equal("2:0-2:9 warning unknown-key unknown key `paper_ulr`: did you mean `paper_url`?", CheckInWorkspace(fixture, "/notes/main.md"));
        Assert.Equal("", CheckInWorkspace(fixture, "/notes/1.md"));
    }

    [Fact]
    public void A_preset_type_opinion_is_a_warning_and_a_schema_file_type_is_an_error()
    {
        Assert.Equal("", Check("---\ntitle: x\nrating: {novelty: 4, clarity: 3}\n---\n"));
        Assert.Equal("2:5-2:10 warning wrong-type `toc` expects true or false, not `maybe`", Check("---\ntitle: x\ntoc: maybe\n---\n"));
        Assert.Equal("1:8-1:12 warning wrong-type `weight` expects a whole number, not `high`", Check("---\nweight: high\n---\n", "hugo"));
        Assert.Equal("1:7-1:10 error wrong-type `pages` expects a whole number, not `ten`", Check("---\npages: ten\n---\n", schema: "keys:\n  pages: int\n"));
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("jekyll")]
    [InlineData("hugo")]
    [InlineData("obsidian")]
    [InlineData("none")]
    public void An_undefined_alias_is_an_error_under_every_preset(string preset)
    {
        Assert.Equal(
            "2:5-2:10 error yaml-undefined-alias `*nope` refers to no anchor: no `&nope` is defined above it (quote the value if it is text)",
            Check("---\ntitle: x\nfoo: *nope\n---\n", preset).Split('\n').Last());
        Assert.Equal("", Check("---\nbase: &b x\nfoo: *b\n---\n", preset));
    }

    [Theory]
    [InlineData("jekyll", "warning", "Jekyll and MkDocs use this later value, stricter YAML readers reject the file")]
    [InlineData("notes", "warning", "Jekyll and MkDocs use this later value, stricter YAML readers reject the file")]
    [InlineData("hugo", "error", "Hugo rejects a repeated key")]
    [InlineData("obsidian", "error", "Obsidian rejects a repeated key")]
    [InlineData("none", "error", "YAML rejects a repeated key")]
    public void Duplicate_key_severity_follows_the_generators_reader(string preset, string severity, string says)
    {
        Assert.Equal($"2:0-2:5 {severity} duplicate-key duplicate key `title`: it is already set on line 2; {says} (related 1:0-1:5 first `title`)",
            Check("---\ntitle: a\ntitle: b\n---\n", preset));
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("jekyll")]
    [InlineData("hugo")]
    [InlineData("obsidian")]
    public void A_tab_inside_a_quoted_scalar_continuation_is_valid(string preset)
    {
        Assert.Equal("", Check("---\ntitle: \"A long title that\n\tcontinues here\"\ndescription: 'one\n\t two'\n---\n", preset));
    }

    [Fact]
    public void A_tab_inside_a_flow_collection_is_accepted_by_psych_and_js_yaml()
    {
        const string Note = "---\ntitle: x\ntags: [ml,\n\trl]\n---\n";
        Assert.Equal("", Check(Note, "jekyll"));
        Assert.Equal("", Check(Note, "obsidian"));
        Assert.Equal("3:0-3:1 warning yaml-tab-indent a tab starts this line of a flow collection: Psych and js-yaml accept it, stricter YAML readers may not; use spaces", Check(Note, "hugo"));
        // Block indentation with a tab is still an error everywhere.
        Assert.StartsWith("2:0-2:1 error yaml-tab-indent", Check("---\nparams:\n\tx: 1\n---\n", "jekyll"), StringComparison.Ordinal);
    }

    [Fact]
    public void One_pass_shows_every_independent_problem()
    {
        // An unclosed block, an unquoted ': ', a typo key and an impossible date: all four at once.
        AssertText("""
            0:0-0:3 error front-matter-unclosed front matter is never closed: add a `---` line after its last key
            1:7-1:33 error yaml-syntax a value containing ': ' must be quoted
            2:0-2:4 warning unknown-key unknown key `tgas`: did you mean `tags`?
            3:6-3:16 error impossible-date `2024-02-30` is not a real date: February 2024 has 29 days
            """, Check("---\ntitle: BERT: Pre-training of Deep\ntgas: [ml]\ndate: 2024-02-30\n# Body\n\nText.\n"));
    }

    [Fact]
    public void Hovers_turn_simple_html_into_markdown_and_escape_only_what_markdown_needs()
    {
        Assert.Equal("We *propose* a **new** `x<y` method with O(n²) cost, H₂O and x_train.",
            MarkdownText.FromSimpleHtml("We <em>propose</em> a <b>new</b> <code>x&lt;y</code> method with O(n<sup>2</sup>) cost, H<sub>2</sub>O and x<sub>train</sub>."));
        Assert.Equal("Multi-Head Attention (MHA). *a* **b** link text", MarkdownText.FromSimpleHtml("Multi-Head Attention (MHA). <i>a</i> <strong>b</strong> <a href=\"javascript:x\">link text</a>"));
        Assert.Equal("unclosed \\*x", MarkdownText.FromSimpleHtml("unclosed <em>*x"));
        Assert.Equal("\\# heading-like, 1. not a list", MarkdownText.Escape("# heading-like, 1. not a list"));
        Assert.Equal("2024\\. was a year, www\\.example.org and http\\://x.org", MarkdownText.Escape("2024. was a year, www.example.org and http://x.org"));
    }
}
