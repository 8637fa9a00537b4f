using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Text;
using static NotesLsp.Analysis.Tests.FrontMatter.FrontMatterTestKit;

namespace NotesLsp.Analysis.Tests.FrontMatter;

public class FrontMatterFixTests
{
    private static readonly DateOnly Today = new(2024, 7, 22);

    /// <summary>
    /// Applies the fix titled <paramref name="title"/> offered at the <c>$0</c> cursor, compares the text, and checks
    /// that validating the result no longer reports the diagnostic the fix claims to resolve.
    /// </summary>
    private static void Check(string before, string title, string after, string preset = "notes", string? schema = null)
    {
        before = Normalize(before);
        var cursor = before.IndexOf("$0", StringComparison.Ordinal);
        Assert.True(cursor >= 0, "the fixture needs a $0 cursor");
        var note = NoteOf(before.Remove(cursor, 2));
        var settings = Settings(preset, schema);
        var fixes = FrontMatterFixes.Compute(note, new TextSpan(cursor, 0), settings, Today);
        var fix = fixes.SingleOrDefault(f => f.Title == title);
        Assert.True(fix is not null, $"no fix `{title}`; offered: {string.Join(" | ", fixes.Select(f => f.Title))}");
        Assert.Equal("quickfix", fix.Kind);

        var edits = fix.Change.Edits[note.Uri];
        var fixedText = TextEdit.Apply(note.Text.Text, edits);
        Assert.Equal(Normalize(after), fixedText);

        var remaining = FrontMatterValidator.Validate(NoteOf(fixedText), settings);
        foreach (var resolved in fix.Fixes)
        {
            Assert.DoesNotContain(remaining, d => d.Code == resolved.Code);
        }
    }

    [Fact]
    public void Close_an_unclosed_block_after_its_last_key()
    {
        Check("$0---\ntitle: x\ntags: [a]\n\n# Body\n", "Close the front matter with `---`", "---\ntitle: x\ntags: [a]\n---\n\n# Body\n");
        Check("$0---\ntitle: x\n# Body\ntext\n", "Close the front matter with `---`", "---\ntitle: x\n---\n# Body\ntext\n");
        Check("$0---\ntitle: x", "Close the front matter with `---`", "---\ntitle: x\n---\n");
    }

    [Fact]
    public void Quote_a_value_containing_a_colon()
    {
        Check("""
            ---
            title: BERT: Pre-$0training of Deep Bidirectional Transformers
            ---
            """, "Quote `BERT: Pre-training of Deep Bi…`", """
            ---
            title: 'BERT: Pre-training of Deep Bidirectional Transformers'
            ---
            """);
    }

    [Fact]
    public void Quote_a_yaml_11_boolean_keeping_apostrophes_and_backslashes()
    {
        Check("---\ntitle: n$0o\n---\n", "Quote `no`", "---\ntitle: 'no'\n---\n");
        Check("---\ntitle: It's: $\\alpha$$0\n---\n", "Quote `It's: $\\alpha$`", "---\ntitle: 'It''s: $\\alpha$'\n---\n");
    }

    [Fact]
    public void Rename_a_misspelt_key()
    {
        Check("---\ntit$0el: x\n---\n", "Rename to `title`", "---\ntitle: x\n---\n");
    }

    [Fact]
    public void Remove_a_duplicate_key_with_its_block_value()
    {
        const string Before = """
            ---
            tags:
              - a
            title: x
            $0tags:
              - b
              - c
            date: 2024
            ---
            """;
        Check(Before, "Keep the first `tags` (line 2) and remove this one", """
            ---
            tags:
              - a
            title: x
            date: 2024
            ---
            """, preset: "hugo");
        Check(Before, "Keep this `tags` (line 5) and remove the first", """
            ---
            title: x
            tags:
              - b
              - c
            date: 2024
            ---
            """, preset: "hugo");
        Check("---\ntitle: a\n$0title: b\n---\n", "Keep the first `title` (line 2) and remove this one", "---\ntitle: a\n---\n");
        Check("---\ntitle: a\n$0title: b\n---\n", "Keep this `title` (line 3) and remove the first", "---\ntitle: b\n---\n");
    }

    [Theory]
    [InlineData("jekyll", "Keep this `title` (line 3) and remove the first")]
    [InlineData("notes", "Keep this `title` (line 3) and remove the first")]
    [InlineData("hugo", "Keep the first `title` (line 2) and remove this one")]
    [InlineData("obsidian", "Keep the first `title` (line 2) and remove this one")]
    public void The_duplicate_fix_the_generator_agrees_with_is_preferred_and_first(string preset, string preferred)
    {
        // Psych (Jekyll) and PyYAML (MkDocs) keep the last value: that is what the site shows, so keeping it changes nothing.
        var note = NoteOf("---\ntitle: a\ntitle: b\n---\n");
        var fixes = FrontMatterFixes.Compute(note, new TextSpan(16, 0), Settings(preset), Today);
        Assert.Equal(2, fixes.Length);
        Assert.Equal(preferred, fixes[0].Title);
        Assert.True(fixes[0].IsPreferred);
        Assert.False(fixes[1].IsPreferred);
    }

    [Fact]
    public void Convert_a_tag_string_to_a_flow_list_when_the_note_has_no_block_lists()
    {
        Check("---\ntitle: x\ntags: ML confer$0ence\n---\n", "Convert `tags` to a list", "---\ntitle: x\ntags: [ML, conference]\n---\n", preset: "obsidian");
    }

    [Fact]
    public void Convert_a_tag_string_to_a_block_list_like_the_other_lists_in_the_note()
    {
        Check("""
            ---
            aliases:
                - ICML
            tags: conf$0erence
            ---
            """, "Convert `tags` to a list", """
            ---
            aliases:
                - ICML
            tags:
                - conference
            ---
            """, preset: "obsidian");
    }

    [Fact]
    public void Add_a_missing_required_key_with_today_for_a_date()
    {
        const string Schema = """
            extends: notes
            keys:
              date: { type: date, required: true }
            """;
        Check("$0---\ntitle: x\n---\n", "Add `date`", "---\ntitle: x\ndate: 2024-07-22\n---\n", schema: Schema);
    }

    [Fact]
    public void Insert_a_template_into_a_note_without_front_matter()
    {
        Check("$0# Strategic Learning\ntext\n", "Insert front matter",
            "---\ntitle: Strategic Learning\ndate: 2024-07-22\ntags: []\n---\n# Strategic Learning\ntext\n");
        const string Schema = """
            keys:
              title: { type: string, required: true }
              venue: { type: enum, values: [ICML, NeurIPS], required: true }
            """;
        Check("$0text\n", "Insert front matter", "---\ntitle: test\nvenue: ICML\n---\ntext\n", schema: Schema);
    }

    [Fact]
    public void Fix_a_date_to_iso_form_when_unambiguous()
    {
        Check("---\ndate: 2024/7/$010\n---\n", "Change to `2024-07-10`", "---\ndate: 2024-07-10\n---\n");
        Check("---\ndate: July 10, 2024$0\n---\n", "Change to `2024-07-10`", "---\ndate: 2024-07-10\n---\n", preset: "jekyll");
        Check("---\ndate: 25.12.2024$0\n---\n", "Change to `2024-12-25`", "---\ndate: 2024-12-25\n---\n", preset: "hugo");
    }

    [Fact]
    public void Ambiguous_dates_get_no_fix()
    {
        var note = NoteOf("---\ndate: 07/10/2024\n---\n");
        var fixes = FrontMatterFixes.Compute(note, new TextSpan(10, 0), Settings(), Today);
        Assert.Empty(fixes);
    }

    [Fact]
    public void Yaml_11_booleans_become_true_or_false_and_quoted_booleans_lose_their_quotes()
    {
        Check("---\nmath: ye$0s\n---\n", "Change to `true`", "---\nmath: true\n---\n");
        Check("---\nmath: \"false\"$0\n---\n", "Change to `false`", "---\nmath: false\n---\n");
    }

    [Fact]
    public void Move_front_matter_after_blank_lines_to_line_1()
    {
        Check("\n\n$0---\ntitle: x\n---\n", "Move the front matter to line 1", "---\ntitle: x\n---\n");
    }

    [Fact]
    public void Replace_tab_indentation_with_spaces()
    {
        Check("---\ntags:\n$0\t- a\n---\n", "Indent with spaces", "---\ntags:\n  - a\n---\n");
    }

    [Fact]
    public void Fixes_keep_crlf_line_breaks()
    {
        Check("$0---\r\ntitle: x\r\n\r\nbody\r\n", "Close the front matter with `---`", "---\r\ntitle: x\r\n---\r\n\r\nbody\r\n");
    }

    [Fact]
    public void Fixes_carry_their_diagnostics()
    {
        var note = NoteOf("---\ntitel: x\n---\n");
        var fix = Assert.Single(FrontMatterFixes.Compute(note, new TextSpan(5, 0), Settings(), Today));
        var diagnostic = Assert.Single(fix.Fixes);
        Assert.Equal("unknown-key", diagnostic.Code);
        Assert.True(fix.IsPreferred);
    }

    [Fact]
    public void Remove_an_empty_block()
    {
        Check("$0---\n---\n# Body\n", "Remove the empty front matter", "# Body\n");
    }

    [Fact]
    public void Convert_a_comma_separated_tag_string_to_a_list()
    {
        Check("---\ntags: llm, theory$0\n---\n", "Convert `tags` to a list", "---\ntags: [llm, theory]\n---\n");
    }

    [Fact]
    public void Quote_a_value_starting_with_a_yaml_indicator()
    {
        Check("---\nauthor: @al$0ice\n---\n", "Quote `@alice`", "---\nauthor: '@alice'\n---\n");
    }

    [Theory]
    [InlineData("title: [WIP] no$0tes", "Quote `[WIP] notes`", "title: '[WIP] notes'")]
    [InlineData("title: *Important* fin$0dings", "Quote `*Important* findings`", "title: '*Important* findings'")]
    [InlineData("title: 'It's bro$0ken'", "Change to `'It''s broken'`", "title: 'It''s broken'")]
    [InlineData("title: \"He said \"hi$0\"\"", "Change to `'He said \"hi\"'`", "title: 'He said \"hi\"'")]
    [InlineData("title: \"C:\\pa$0th\"", "Change to `'C:\\path'`", "title: 'C:\\path'")]
    [InlineData("title: *fo$0o", "Quote `*foo`", "title: '*foo'")]
    public void Misquoted_values_are_requoted(string line, string title, string fixedLine)
    {
        Check($"---\n{line}\n---\n", title, $"---\n{fixedLine}\n---\n");
    }
}
