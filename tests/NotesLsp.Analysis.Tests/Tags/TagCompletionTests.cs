using System.Text;
using NotesLsp.Analysis.Tags;

namespace NotesLsp.Analysis.Tests.Tags;

public class TagCompletionTests
{
    /// <summary>
    /// Other notes of the workspace: ml is used by 3 notes, time-series by 2, the rest by 1; two tags need quotes.
    /// </summary>
    private const string Corpus = """
        //- /notes/a.md
        ---
        tags: [ml, time-series, nlp]
        categories: [ideas]
        ---
        //- /notes/b.md
        ---
        tags: [ml, time-series, "c++"]
        ---
        //- /notes/c.md
        ---
        tags:
          - ml
          - machine-learning
          - deep learning
        ---
        //- /notes/d.md
        ---
        tags: ["yes", "a: b"]
        ---

        """;

    /// <summary>
    /// Renders items as <c>label</c>, then <c>=> text</c> when the inserted text differs, then the count; a
    /// first line gives the replaced range, so each shape's cursor handling is visible.
    /// </summary>
    private static void Check(string note, string expected, NotesSettings? settings = null)
    {
        var fixture = WorkspaceFixture.Parse(Corpus + "//- /notes/main.md\n" + note, settings);
        var result = TagCompletion.Complete(fixture.Snapshot, fixture.Note, fixture.Offset, CancellationToken.None);
        var builder = new StringBuilder();
        if (result.Items.Length > 0)
        {
            builder.Append("range ").Append(WorkspaceFixture.Range(fixture.Note, result.Items[0].ReplaceSpan)).Append('\n');
            Assert.True(result.IsIncomplete);
        }

        foreach (var item in result.Items)
        {
            builder.Append(item.Label);
            if (item.NewText != item.Label)
            {
                // A leading space the completion inserts (after `tags:`, `-` or `,`) shows as a middle dot.
                builder.Append(" => ").Append(item.NewText.StartsWith(' ') ? "·" + item.NewText[1..] : item.NewText);
            }

            builder.Append(" (").Append(item.Detail).Append(")\n");
        }

        Assert.Equal(WorkspaceFixture.Lines(expected), WorkspaceFixture.Lines(builder.ToString()));
    }

    private const string AllButMl = """
        time-series (used in 2 notes)
        a: b => "a: b" (used in 1 note)
        c++ (used in 1 note)
        deep learning (used in 1 note)
        machine-learning (used in 1 note)
        nlp (used in 1 note)
        yes => "yes" (used in 1 note)
        """;

    [Fact]
    public void Block_list_after_the_dash_at_any_indent()
    {
        Check("---\ntags:\n  - ml\n  - $0\n---\n", "range 3:4-3:4\n" + AllButMl);
        Check("---\ntags:\n- ml\n- $0\n---\n", "range 3:2-3:2\n" + AllButMl);
        Check("---\ntags:\n    - ml\n    - $0\n", "range 3:6-3:6\n" + AllButMl);
    }

    [Fact]
    public void Block_list_dash_without_a_space_inserts_one()
    {
        Check("---\ntags:\n  - ml\n  -$0\n---\n", """
            range 3:3-3:3
            time-series => ·time-series (used in 2 notes)
            a: b => ·"a: b" (used in 1 note)
            c++ => ·c++ (used in 1 note)
            deep learning => ·deep learning (used in 1 note)
            machine-learning => ·machine-learning (used in 1 note)
            nlp => ·nlp (used in 1 note)
            yes => ·"yes" (used in 1 note)
            """);
    }

    [Fact]
    public void Block_list_word_replaces_the_whole_word_and_keeps_an_opened_quote()
    {
        Check("---\ntags:\n  - ti$0me\n---\n", """
            range 2:4-2:8
            time-series (used in 2 notes)
            """);
        Check("---\ntags:\n  - \"de$0\n---\n", """
            range 2:4-2:7
            deep learning => "deep learning" (used in 1 note)
            """);
        Check("---\ntags:\n  - 'ye$0'\n---\n", """
            range 2:4-2:8
            yes => 'yes' (used in 1 note)
            """);
    }

    [Fact]
    public void Flow_list_after_the_bracket_and_after_commas()
    {
        Check("---\ntags: [$0]\n---\n", """
            range 1:7-1:7
            ml (used in 3 notes)
            """ + "\n" + AllButMl);
        Check("---\ntags: [ml, $0]\n---\n", "range 1:11-1:11\n" + AllButMl);
        Check("---\ntags: [ml,$0]\n---\n", """
            range 1:10-1:10
            time-series => ·time-series (used in 2 notes)
            a: b => ·"a: b" (used in 1 note)
            c++ => ·c++ (used in 1 note)
            deep learning => ·deep learning (used in 1 note)
            machine-learning => ·machine-learning (used in 1 note)
            nlp => ·nlp (used in 1 note)
            yes => ·"yes" (used in 1 note)
            """);
    }

    [Fact]
    public void Flow_list_word_quoted_word_trailing_comma_and_multi_line()
    {
        Check("---\ntags: [ml, n$0, time-series]\n---\n", """
            range 1:11-1:12
            nlp (used in 1 note)
            deep learning (used in 1 note)
            machine-learning (used in 1 note)
            """);
        Check("---\ntags: [ml, \"c$0\"]\n---\n", """
            range 1:11-1:14
            c++ => "c++" (used in 1 note)
            machine-learning => "machine-learning" (used in 1 note)
            """);
        Check("---\ntags: [ml,\n  time-series,\n  de$0,\n]\n---\n", """
            range 3:2-3:4
            deep learning (used in 1 note)
            """);
    }

    [Fact]
    public void Flow_list_while_the_yaml_is_still_broken()
    {
        Check("---\ntags: [ml, $0\ntitle: x\n---\n", "range 1:11-1:11\n" + AllButMl);
        Check("---\ntags: [ml, na$0", """
            range 1:11-1:13
            machine-learning (used in 1 note)
            """);
        Check("---\ntags: [ml, tim$0", """
            range 1:11-1:14
            time-series (used in 2 notes)
            """);
    }

    [Fact]
    public void Flow_list_gives_nothing_outside_the_brackets_or_inside_an_item_gap()
    {
        Check("---\ntags: [ml]$0\n---\n", string.Empty);
        Check("---\ntags: $0[ml]\n---\n", string.Empty);
        Check("---\ntags: [ml $0]\n---\n", string.Empty);
    }

    [Fact]
    public void String_right_after_the_key()
    {
        Check("---\ntags: $0\n---\n", """
            range 1:6-1:6
            ml (used in 3 notes)
            time-series (used in 2 notes)
            c++ (used in 1 note)
            machine-learning (used in 1 note)
            nlp (used in 1 note)
            """);
        Check("---\ntags:$0\n---\n", """
            range 1:5-1:5
            ml => ·ml (used in 3 notes)
            time-series => ·time-series (used in 2 notes)
            c++ => ·c++ (used in 1 note)
            machine-learning => ·machine-learning (used in 1 note)
            nlp => ·nlp (used in 1 note)
            """);
    }

    [Fact]
    public void String_space_separated_leaves_out_tags_with_spaces()
    {
        Check("---\ntags: ml $0\n---\n", """
            range 1:9-1:9
            time-series (used in 2 notes)
            c++ (used in 1 note)
            machine-learning (used in 1 note)
            nlp (used in 1 note)
            """);
        Check("---\ntags: ml ti$0 nlp\n---\n", """
            range 1:9-1:11
            time-series (used in 2 notes)
            """);
    }

    [Fact]
    public void String_comma_separated_and_quoted()
    {
        Check("---\ntags: ml, de$0\n---\n", """
            range 1:10-1:12
            deep learning (used in 1 note)
            """);
        Check("---\ntags: ml,$0\n---\n", """
            range 1:9-1:9
            time-series => ·time-series (used in 2 notes)
            c++ => ·c++ (used in 1 note)
            deep learning => ·deep learning (used in 1 note)
            machine-learning => ·machine-learning (used in 1 note)
            nlp => ·nlp (used in 1 note)
            """);
        Check("---\ntags: \"ml, a$0\"\n---\n", """
            range 1:11-1:12
            a: b (used in 1 note)
            deep learning (used in 1 note)
            machine-learning (used in 1 note)
            """);
    }

    [Fact]
    public void Categories_are_their_own_vocabulary()
    {
        Check("---\ncategories:\n  - $0\n---\n", """
            range 2:4-2:4
            ideas (used in 1 note)
            """);
    }

    [Fact]
    public void Ranking_is_by_use_then_prefix_then_word_start_then_subsequence()
    {
        var corpus = """
            //- /notes/1.md
            ---
            tags: [learning-rate, deep-learning, multilevel, ml]
            ---
            //- /notes/2.md
            ---
            tags: [ml, meta-learning]
            ---
            //- /notes/main.md
            ---
            tags: [le$0]
            ---
            """;
        var fixture = WorkspaceFixture.Parse(corpus);
        var items = TagCompletion.Complete(fixture.Snapshot, fixture.Note, fixture.Offset, CancellationToken.None).Items;
        Assert.Equal(
            ["learning-rate", "deep-learning", "meta-learning", "multilevel"],
            items.Select(i => i.Label));

        // The subsequence match keeps what was typed in front of its filter text, so the editor does not hide it.
        Assert.Equal(["learning-rate", "deep-learning", "meta-learning", "lemultilevel"], items.Select(i => i.FilterText));
        Assert.Equal(["0000", "0001", "0002", "0003"], items.Select(i => i.SortText));
    }

    [Fact]
    public void Use_count_ranks_before_match_quality_and_case_is_ignored()
    {
        var fixture = WorkspaceFixture.Parse("""
            //- /notes/1.md
            ---
            tags: [Graph-Neural-Networks, rag]
            ---
            //- /notes/2.md
            ---
            tags: [rag]
            ---
            //- /notes/main.md
            ---
            tags: [G$0]
            ---
            """);
        var items = TagCompletion.Complete(fixture.Snapshot, fixture.Note, fixture.Offset, CancellationToken.None).Items;
        Assert.Equal(["rag", "Graph-Neural-Networks"], items.Select(i => i.Label));
    }

    [Fact]
    public void No_completion_outside_tag_values()
    {
        Check("---\ntitle: $0\ntags: [ml]\n---\n", string.Empty);
        Check("---\nta$0gs: [ml]\n---\n", string.Empty);
        Check("---\ntags: [ml]\n---\n# Heading #$0\n", string.Empty);
        Check("---\ntags:\n  - ml\n$0\n---\n", string.Empty);
    }

    [Fact]
    public void Inline_hash_tags_in_the_body_only_when_enabled()
    {
        var settings = NotesSettings.Default with { Tags = new TagSettings { InlineCompletion = true } };
        Check("---\ntags: [ml]\n---\nSee #ti$0 here\n", """
            range 3:5-3:7
            time-series (used in 2 notes)
            """, settings);
        Check("---\ntags: [ml]\n---\nSee #ti$0 here\n", string.Empty);
        Check("---\ntags: [ml]\n---\n`code #ti$0`\n", string.Empty, settings);
        Check("---\ntags: [ml]\n---\n## Heading$0\n", string.Empty, settings);
    }

    [Fact]
    public void Ranges_are_utf16_on_crlf_lines_with_japanese_and_emoji_tags()
    {
        var fixture = WorkspaceFixture.Parse("""
            //- /notes/a.md
            ---
            tags: [機械学習, "😀 emoji", 論文]
            ---
            //- /notes/main.md
            ---
            tags: [論文, 機$0]
            ---
            """.Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Contains("\r\n", fixture.Note.Text.Text, StringComparison.Ordinal);
        var result = TagCompletion.Complete(fixture.Snapshot, fixture.Note, fixture.Offset, CancellationToken.None);
        var item = Assert.Single(result.Items);
        Assert.Equal("機械学習", item.NewText);
        Assert.Equal("1:11-1:12", WorkspaceFixture.Range(fixture.Note, item.ReplaceSpan));

        fixture = WorkspaceFixture.Parse("""
            //- /notes/a.md
            ---
            tags: [機械学習, "😀 emoji", 論文]
            ---
            //- /notes/main.md
            ---
            tags:
              - "😀$0
            ---
            """.Replace("\n", "\r\n", StringComparison.Ordinal));
        result = TagCompletion.Complete(fixture.Snapshot, fixture.Note, fixture.Offset, CancellationToken.None);
        item = Assert.Single(result.Items);
        Assert.Equal("\"😀 emoji\"", item.NewText);
        Assert.Equal("2:4-2:7", WorkspaceFixture.Range(fixture.Note, item.ReplaceSpan));
    }

    [Fact]
    public void A_quote_just_typed_starts_a_quoted_tag()
    {
        Check("---\ntags:\n  - \"$0\n---\n", """
            range 2:4-2:5
            ml => "ml" (used in 3 notes)
            """ + "\n" + string.Join("\n", WorkspaceFixture.Lines(AllButMl).Select(Quoted)));
        Check("---\ntags: [nlp, '$0']\n---\n", """
            range 1:12-1:14
            ml => 'ml' (used in 3 notes)
            time-series => 'time-series' (used in 2 notes)
            a: b => 'a: b' (used in 1 note)
            c++ => 'c++' (used in 1 note)
            deep learning => 'deep learning' (used in 1 note)
            machine-learning => 'machine-learning' (used in 1 note)
            yes => 'yes' (used in 1 note)
            """);
        Check("---\ntags: \"$0\n---\n", """
            range 1:7-1:7
            ml (used in 3 notes)
            time-series (used in 2 notes)
            c++ (used in 1 note)
            machine-learning (used in 1 note)
            nlp (used in 1 note)
            yes (used in 1 note)
            """);
        Check("---\ntags: [ml \"$0]\n---\n", string.Empty);
    }

    /// <summary>An expected line of <see cref="AllButMl"/> with its inserted text double quoted.</summary>
    private static string Quoted(string line)
    {
        var label = line[..line.IndexOf(" (", StringComparison.Ordinal)].Split(" => ")[0];
        return $"{label} => \"{label}\"{line[line.IndexOf(" (", StringComparison.Ordinal)..]}";
    }
}
