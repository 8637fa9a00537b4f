using System.Collections.Immutable;
using System.Text;
using NotesLsp.Analysis.Tags;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Tags;

public class TagScannerTests
{
    private static readonly ImmutableArray<string> Keys = ["tags", "categories"];

    /// <summary>Dumps each tag field as <c>key Shape</c> and each tag as <c>value line:col-line:col quote</c>.</summary>
    private static void Check(string note, string expected)
    {
        var text = SourceText.From(note);
        var builder = new StringBuilder();
        foreach (var field in TagScanner.Scan(text, Keys))
        {
            builder.Append(field.Key).Append(' ').Append(field.Shape);
            if (field.Shape == TagFieldShape.String)
            {
                builder.Append(field.CommaSeparated ? " commas" : " spaces");
            }

            builder.Append('\n');
            foreach (var item in field.Items)
            {
                builder.Append("  ").Append(item.Value).Append(' ').Append(text.GetRange(item.Span)).Append(' ').Append(item.Quote).Append('\n');
                var written = item.Quote == TagQuote.None || field.Shape == TagFieldShape.String ? item.Value : TagText.Quote(item.Value, item.Quote)[..^1];
                // A tag written over several lines reads as its lines folded with single spaces.
                var folded = System.Text.RegularExpressions.Regex.Replace(text.Slice(item.Span), @"[ \t]*\r?\n[ \t]*", " ");
                Assert.StartsWith(written, folded, StringComparison.Ordinal);
            }
        }

        Assert.Equal(expected.Trim(), builder.ToString().Trim());
    }

    [Fact]
    public void Block_list_at_any_indent_with_quotes_comments_and_empty_items()
    {
        Check("""
            ---
            title: x
            tags:
              - ml
              - "time series"   # a comment
              - 'it''s'
              -
              - nlp # trailing
            categories:
            - ICML 2024
            ---
            body
            """, """
            tags BlockList
              ml 3:4-3:6 None
              time series 4:4-4:17 Double
              it's 5:4-5:11 Single
              nlp 7:4-7:7 None
            categories BlockList
              ICML 2024 9:2-9:11 None
            """);
    }

    [Fact]
    public void A_deeper_line_continues_the_item_above_as_yaml_reads_it()
    {
        // YAML folds a more indented line into the plain scalar above: one tag "ML - transformers", not two.
        Check("""
            ---
            tags:
              - ML
                - transformers
              - time
                series
              - "multi
                line"
              - rl
            ---
            """, """
            tags BlockList
              ML - transformers 2:4-3:18 None
              time series 4:4-5:10 None
              multi line 6:4-7:9 Double
              rl 8:4-8:6 None
            """);
    }

    [Fact]
    public void Flow_list_quoted_multi_line_with_trailing_comma_and_empty_items()
    {
        Check("""
            ---
            tags: [ml, "deep learning", 'x',
              nlp,, rl ,
            ]
            ---
            """, """
            tags FlowList
              ml 1:7-1:9 None
              deep learning 1:11-1:26 Double
              x 1:28-1:31 Single
              nlp 2:2-2:5 None
              rl 2:8-2:10 None
            """);
    }

    [Fact]
    public void Single_word_and_space_or_comma_separated_strings()
    {
        Check("""
            ---
            tags: conference
            categories: a b  c
            ---
            """, """
            tags String spaces
              conference 1:6-1:16 None
            categories String spaces
              a 2:12-2:13 None
              b 2:14-2:15 None
              c 2:17-2:18 None
            """);
        Check("""
            ---
            tags: ml, deep learning ,nlp # comment
            categories: "x, y"
            ---
            """, """
            tags String commas
              ml 1:6-1:8 None
              deep learning 1:10-1:23 None
              nlp 1:25-1:28 None
            categories String commas
              x 2:13-2:14 Double
              y 2:16-2:17 Double
            """);
    }

    [Fact]
    public void Keys_match_case_insensitively_and_other_keys_and_values_are_ignored()
    {
        Check("""
            ---
            Tags: [a]
            title: "tags: [no]"
            notes:
              tags: [nested]
            categories: |
              literal
            ---
            tags: [body]
            """, """
            tags FlowList
              a 1:7-1:8 None
            categories Other
            """);
    }

    [Fact]
    public void Half_typed_front_matter_still_yields_its_tags()
    {
        Check("""
            ---
            tags: [ml, "nl
            title: x
            """, """
            tags FlowList
              ml 1:7-1:9 None
              nl 1:11-1:14 Double
            """);
        Check("---\ntags:\n  - ml\n  - \n", """
            tags BlockList
              ml 2:4-2:6 None
            """);
        Check("---\r\ntags:\r\n  - ml\r\n  - rl\r\n---\r\n", """
            tags BlockList
              ml 2:4-2:6 None
              rl 3:4-3:6 None
            """);
    }

    [Theory]
    [InlineData("tags:\n  - ml\n  - \"time series\"\n  - 'it''s'\n  -\n  - nlp # c\n")]
    [InlineData("tags:\n- a\n-   b\n")]
    [InlineData("tags: [ml, \"deep learning\", 'x',\n  nlp, rl ,\n]\n")]
    [InlineData("tags: [a, b,]\n")]
    [InlineData("tags: conference\n")]
    [InlineData("tags: 機械学習\ncategories: [研究, \"😀 emoji\"]\n")]
    [InlineData("tags: [\"a\\\"b\", 'c''d']\n")]
    [InlineData("title: x\ntags: []\ncategories:\n  - ICML 2024\n  - ideas\n")]
    [InlineData("tags:\n  # the list is on the next line\n  [a, b]\ncategories:\n  ideas\n")]
    public void Values_agree_with_the_yaml_parser_on_well_formed_lists(string yaml)
    {
        var text = SourceText.From("---\n" + yaml + "---\nbody\n");
        var scanned = TagScanner.Occurrences(text, Keys).Select(o => $"{o.Key}={o.Value}");
        var root = FrontMatterParser.Parse(text)!.Root!;
        var parsed = new List<string>();
        foreach (var key in Keys)
        {
            switch (root.Find(key)?.Value)
            {
                case YamlSequence sequence:
                    parsed.AddRange(sequence.Items.OfType<YamlScalar>().Where(s => s.Value.Length > 0).Select(s => $"{key}={s.Value}"));
                    break;
                case YamlScalar scalar when scalar.Value.Length > 0:
                    parsed.Add($"{key}={scalar.Value}");
                    break;
            }
        }

        Assert.Equal(parsed, scanned);
    }
}
