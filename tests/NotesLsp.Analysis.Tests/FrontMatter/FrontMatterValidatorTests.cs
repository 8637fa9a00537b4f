using static NotesLsp.Analysis.Tests.FrontMatter.FrontMatterTestKit;

namespace NotesLsp.Analysis.Tests.FrontMatter;

public class FrontMatterValidatorTests
{
    private static void Check(string note, string expected, string preset = "notes", string? schema = null)
    {
        var noteObject = NoteOf(note);
        var diagnostics = NotesLsp.Analysis.FrontMatter.FrontMatterValidator.Validate(noteObject, Settings(preset, schema));
        var actual = Render(noteObject.Text, diagnostics);
        var wanted = Normalize(expected).Trim();
        Assert.True(wanted == actual, $"Expected:\n{wanted}\nActual:\n{actual}");
    }

    [Fact]
    public void A_clean_note_has_no_diagnostics()
    {
        Check("""
            ---
            title: ICML 2024
            tags: [ML, conference]
            date: 2024-07-10
            ---
            # Body
            """, "");
    }

    [Fact]
    public void Unclosed_block_is_reported_at_the_opening_line()
    {
        Check("""
            ---
            title: x
            tags: y

            # Body
            """, """
            0:0-0:3 error front-matter-unclosed front matter is never closed: add a `---` line after its last key
            2:6-2:7 warning yaml-implicit-type `y` is read as the boolean true by YAML 1.1 parsers (Jekyll, PyYAML), not as text: quote it
            """);
    }

    [Fact]
    public void Front_matter_after_blank_lines_is_information()
    {
        Check("\n\n---\ntitle: x\n---\n# Body\n", """
            2:0-2:3 information front-matter-not-at-start front matter must start on line 1: remove the blank lines above it
            """);
    }

    [Fact]
    public void A_thematic_break_after_blank_lines_is_not_front_matter()
    {
        Check("\n---\n\nText\n", "");
    }

    [Fact]
    public void Tab_indentation_is_an_error_on_the_tabs()
    {
        Check("---\ntags:\n\t- a\n---\n", """
            2:0-2:1 error yaml-tab-indent tabs cannot indent YAML: use spaces
            """);
    }

    [Fact]
    public void An_empty_block_is_a_warning_unless_a_comment_says_why()
    {
        Check("---\n---\n# Body\n", """
            0:0-1:3 warning front-matter-empty front matter is empty: add keys or remove the fences
            """);
        Check("---\n# Do not remove front matter.\n---\n", "");
    }

    [Fact]
    public void A_colon_in_a_plain_value_says_to_quote_it()
    {
        Check("""
            ---
            title: BERT: Pre-training of Deep Bidirectional Transformers
            tags: [nlp]
            ---
            """, """
            1:7-1:60 error yaml-syntax a value containing ': ' must be quoted
            """);
    }

    [Fact]
    public void Syntax_errors_have_exact_utf16_ranges_after_japanese_and_emoji()
    {
        Check("""
            ---
            title: 論文😀
            memo: 注意: 読む
            ---
            """, """
            2:6-2:12 error yaml-syntax a value containing ': ' must be quoted
            """);
    }

    [Fact]
    public void Syntax_error_ranges_survive_crlf_and_bom()
    {
        Check("\uFEFF---\r\ntitle: a: b\r\n---\r\n", """
            1:7-1:11 error yaml-syntax a value containing ': ' must be quoted
            """);
    }

    [Fact]
    public void Unclosed_quote_is_explained()
    {
        Check("""
            ---
            title: "ICML
            tags: [a]
            ---
            """, """
            1:7-1:8 error yaml-syntax a quote is opened here and never closed
            """);
    }

    [Fact]
    public void A_line_without_a_colon_is_explained()
    {
        Check("""
            ---
            title: x
            just some words
            date: 2024
            ---
            """, """
            2:0-2:15 error yaml-syntax this line is not `key: value`: add a ':' after the key, or indent it to continue the value above
            """);
    }

    [Fact]
    public void Every_duplicate_key_is_reported_with_the_first_as_related()
    {
        Check("""
            ---
            title: a
            tags: [x]
            title: b
            title: c
            ---
            """, """
            3:0-3:5 error duplicate-key duplicate key `title`: it is already set on line 2; Hugo rejects a repeated key (related 1:0-1:5 first `title`)
            4:0-4:5 error duplicate-key duplicate key `title`: it is already set on line 2; Hugo rejects a repeated key (related 1:0-1:5 first `title`)
            """, preset: "hugo");
    }

    [Fact]
    public void Duplicate_keys_in_nested_mappings_are_reported()
    {
        Check("""
            ---
            params:
              a: 1
              a: 2
            ---
            """, """
            3:2-3:3 error duplicate-key duplicate key `a`: it is already set on line 3; Hugo rejects a repeated key (related 2:2-2:3 first `a`)
            """, preset: "hugo");
    }

    [Fact]
    public void Alias_bombs_cost_nothing_and_depth_is_bounded()
    {
        var bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n";
        Check(bomb, "");
        var deep = "---\nx: " + new string('[', 100) + new string(']', 100) + "\n---\n";
        Check(deep, """
            1:66-1:67 error yaml-limit front matter is nested more than 64 levels deep; the rest is not checked
            """);
    }

    [Fact]
    public void Oversized_front_matter_is_a_diagnostic_not_a_hang()
    {
        var big = "---\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"key{i}: value number {i}\n")) + "---\n";
        var diagnostics = Validate(big, Settings("none"));
        var limit = Assert.Single(diagnostics);
        Assert.Equal("yaml-limit", limit.Code);
    }

    [Fact]
    public void Misspelt_keys_get_a_suggestion()
    {
        Check("""
            ---
            titel: x
            tgas: [a]
            Date: 2024
            mykey: 1
            ---
            """, """
            1:0-1:5 warning unknown-key unknown key `titel`: did you mean `title`?
            2:0-2:4 warning unknown-key unknown key `tgas`: did you mean `tags`?
            3:0-3:4 warning unknown-key unknown key `Date`: did you mean `date`?
            """);
    }

    [Fact]
    public void Yaml_11_surprises_in_text_are_warnings()
    {
        Check("""
            ---
            title: no
            description: 0x1A
            author: 1e3
            tags: [yes, ML, off]
            ---
            """, """
            1:7-1:9 warning yaml-implicit-type `no` is read as the boolean false by YAML 1.1 parsers (Jekyll, PyYAML), not as text: quote it
            2:13-2:17 warning yaml-implicit-type `0x1A` is read as a number by YAML 1.1 parsers (Jekyll, PyYAML), not as text: quote it
            3:8-3:11 warning yaml-implicit-type `1e3` is read as a floating-point number by YAML 1.1 parsers (Jekyll, PyYAML), not as text: quote it
            4:7-4:10 warning yaml-implicit-type the `tags` item `yes` is read as the boolean true by YAML 1.1 parsers (Jekyll, PyYAML), not as text: quote it
            4:16-4:19 warning yaml-implicit-type the `tags` item `off` is read as the boolean false by YAML 1.1 parsers (Jekyll, PyYAML), not as text: quote it
            """);
    }

    [Fact]
    public void Quoted_surprises_are_fine()
    {
        Check("---\ntitle: 'no'\ntags: [\"on\"]\n---\n", "");
    }

    [Fact]
    public void Dates_are_checked_from_the_raw_text()
    {
        Check("""
            ---
            date: 2024-02-30
            ---
            """, """
            1:6-1:16 error impossible-date `2024-02-30` is not a real date: February 2024 has 29 days
            """);
        Check("---\ndate: 2023-02-29\n---\n", """
            1:6-1:16 error impossible-date `2023-02-29` is not a real date: February 2023 has 28 days
            """);
        Check("---\ndate: 2024-07-10 25:00:00 +0900\n---\n", """
            1:6-1:31 error impossible-date `2024-07-10 25:00:00 +0900` is not a real date: there is no hour 25
            """, preset: "jekyll");
        Check("---\ndate: 2024/07/10\n---\n", """
            1:6-1:16 warning non-iso-date write the date as `2024-07-10` (YYYY-MM-DD): other forms are read differently by each tool
            """);
        Check("---\ndate: sometime in July\n---\n", """
            1:6-1:22 error invalid-date `sometime in July` is not a date: `date` expects a year (YYYY) or a date (YYYY-MM-DD)
            """);
        Check("---\ndate: 07/10/2024\n---\n", """
            1:6-1:16 error invalid-date `07/10/2024` is not a date: day and month are ambiguous; write it as YYYY-MM-DD
            """);
    }

    [Theory]
    [InlineData("2024-07-10")]
    [InlineData("2024-07-10 00:00:00 +0900")]
    [InlineData("2024-07-10T09:30:00Z")]
    [InlineData("2024-07-10T09:30:00.123+09:00")]
    [InlineData("'2024-07-10'")]
    public void Accepted_date_forms_under_jekyll_and_hugo(string date)
    {
        Check($"---\ndate: {date}\n---\n", "", preset: "jekyll");
        Check($"---\ndate: {date}\n---\n", "", preset: "hugo");
    }

    [Fact]
    public void A_year_alone_is_fine_under_notes_and_a_warning_under_jekyll_and_hugo()
    {
        Check("---\ndate: 2024\n---\n", "");
        Check("---\ndate: 2024\n---\n", """
            1:6-1:10 warning year-only-date `2024` is only a year; `date` expects a full date (YYYY-MM-DD)
            """, preset: "jekyll");
        Check("---\ndate: 2024\n---\n", """
            1:6-1:10 warning year-only-date `2024` is only a year; `date` expects a full date (YYYY-MM-DD)
            """, preset: "hugo");
    }

    [Fact]
    public void Tags_as_a_string_are_fine_where_allowed_and_a_warning_where_a_list_is_expected()
    {
        Check("---\ntags: conference\n---\n", "");
        Check("---\ntags: conference\n---\n", """
            1:6-1:16 warning list-as-string `tags` should be a list, not a string: write `[conference]`
            """, preset: "obsidian");
    }

    [Fact]
    public void Booleans_are_checked()
    {
        Check("""
            ---
            math: yes
            published: "true"
            toc: maybe
            ---
            """, """
            1:6-1:9 warning yaml-implicit-type `yes` is a boolean only in YAML 1.1; write `true`
            2:11-2:17 warning wrong-type `published` is quoted, so it is the text "true", not a boolean: remove the quotes
            3:5-3:10 warning wrong-type `toc` expects true or false, not `maybe`
            """);
    }

    [Fact]
    public void Hugo_keys_are_case_insensitive_and_custom_keys_are_allowed()
    {
        Check("""
            ---
            title: Sites
            linktitle: Sites
            weight: 10
            params:
              functions_and_methods:
                returnType: page.Sites
            _comment: anything
            alias: true
            expiryDate: '2028-02-18' # deprecated
            ---
            """, "", preset: "hugo");
    }

    [Fact]
    public void The_none_preset_checks_only_yaml()
    {
        Check("---\ntitel: no\ndate: 2024-02-30\n---\n", "", preset: "none");
    }

    [Fact]
    public void The_front_matter_must_be_a_mapping()
    {
        Check("---\n- a\n- b\n---\n", """
            1:0-3:0 error front-matter-not-mapping front matter must be `key: value` lines
            """);
    }

    [Fact]
    public void Template_placeholders_in_archetypes_are_not_checked()
    {
        Check("""
            ---
            title: {{ replace .File.ContentBaseName "-" " " | strings.FirstUpper }}
            description:
            publishDate: {{ .Date }}
            ---
            """, "", preset: "hugo");
    }

    [Fact]
    public void A_list_string_with_commas_is_a_warning_even_where_strings_are_allowed()
    {
        Check("---\ntags: normalizing-flows, theory\n---\n", """
            1:6-1:31 warning list-as-string `tags` is one string and commas do not separate its items: write `[normalizing-flows, theory]`
            """);
    }

    [Fact]
    public void An_unquoted_arxiv_id_losing_its_trailing_zero_is_a_warning()
    {
        Check("---\narxiv: 2311.24940\n---\n", """
            1:7-1:17 warning yaml-implicit-type `2311.24940` is read as the number 2311.2494 by YAML 1.1 parsers (Jekyll, PyYAML), not as text: quote it
            """);
        Check("---\narxiv: \"2311.24940\"\n---\n", "");
    }

    [Fact]
    public void Private_underscore_keys_and_distant_words_are_not_called_typos()
    {
        Check("---\n_comment: Do not remove front matter.\ncommentz: true\ncategoreis: [a]\nlinks: x\n---\n", """
            2:0-2:8 warning unknown-key unknown key `commentz`: did you mean `comments`?
            3:0-3:10 warning unknown-key unknown key `categoreis`: did you mean `categories`?
            """);
    }

    [Fact]
    public void Values_starting_with_yaml_indicators_are_explained_over_the_whole_value()
    {
        Check("---\nauthor: @alice\n---\n", """
            1:8-1:14 error yaml-syntax a value cannot start with '@' in YAML: quote it
            """);
        Check("---\nx:\n{\na\n---\n", """
            2:0-2:1 error yaml-syntax a `{...}` mapping is not closed: add `}`
            """);
    }

    [Fact]
    public void Too_many_nodes_is_a_limit_diagnostic()
    {
        var many = "---\nx: [" + string.Join(",", Enumerable.Repeat("a", 60_000)) + "]\n---\n";
        Check(many, """
            0:0-0:3 error yaml-limit front matter has more than 50000 YAML nodes; the rest is not checked
            """);
    }

    [Fact]
    public void A_note_without_front_matter_is_only_reported_when_the_schema_requires_keys()
    {
        Check("# Talk\n", "");
        Check("# Talk\n", """
            0:0-0:0 warning front-matter-missing this note has no front matter; the schema requires `title`, `date`
            """, schema: "keys:\n  title: { type: string, required: true }\n  date: { type: date, required: true }\n");
    }

    [Fact]
    public void Text_after_a_closing_quote_is_explained()
    {
        Check("---\ntitle: \"BERT\" and more\n---\n", """
            1:14-1:22 error yaml-syntax a quoted value must end with its quote and nothing after it
            """);
    }

    [Fact]
    public void Keys_differing_only_in_case_collide_under_hugo()
    {
        Check("---\ntitle: a\nTitle: b\n---\n", """
            2:0-2:5 warning duplicate-key `Title` and `title` are the same key here (keys are case-insensitive, as in Hugo); one of them is lost (related 1:0-1:5 `title`)
            """, preset: "hugo");
    }

    [Theory]
    [InlineData("tags:\n  - a\n - b", "3:1-3:4 error yaml-syntax list items must line up: this `- ` is not at the indentation of the items above")]
    [InlineData("title: [WIP] notes", "1:7-1:18 error yaml-syntax a value starting with '[' is read as a list: quote the whole value")]
    [InlineData("title: {draft} notes", "1:7-1:20 error yaml-syntax a value starting with '{' is read as a mapping: quote the whole value")]
    [InlineData("title: *Important* findings", "1:7-1:27 error yaml-syntax '*' at the start of a value makes it an alias in YAML: quote the whole value")]
    [InlineData("title: 'It's broken'", "1:7-1:20 error yaml-syntax an apostrophe inside single quotes is written twice (`''`)")]
    [InlineData("title: \"He said \"hi\"\"", "1:7-1:21 error yaml-syntax a double quote inside double quotes must be escaped (`\\\"`); single quotes need no escaping")]
    [InlineData("title: \"C:\\path\"", "1:7-1:16 error yaml-syntax a backslash in double quotes starts an escape: use single quotes, or write `\\\\`")]
    [InlineData("title: x\n  date: 2024", "2:2-2:6 error yaml-syntax this line is indented, so YAML reads it as part of the value above: remove the spaces before `date`")]
    [InlineData("tags: [a, b\ndate: 2024", "1:6-1:7 error yaml-syntax a `[...]` list is not closed: add `]`")]
    [InlineData("title: *foo", "1:7-1:11 error yaml-undefined-alias `*foo` refers to no anchor: no `&foo` is defined above it (quote the value if it is text)")]
    public void Common_mistakes_get_one_plain_diagnostic(string yaml, string expected)
    {
        Check($"---\n{yaml}\n---\n", expected);
    }
}
