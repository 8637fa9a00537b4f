using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;

namespace NotesLsp.Analysis.Tests.Papers;

public class PaperCompletionTests
{
    /// <summary>Renders a completion list: incomplete flag, then per item the note text after applying it, detail and filter text.</summary>
    private static string Render(string fixture, PaperCatalogSet? catalogs = null, int take = 2, NotesSettings? settings = null)
    {
        var (snapshot, uri, offset) = PaperFixtures.Workspace(fixture, settings);
        var result = PaperCompletion.Complete(snapshot, uri, offset, catalogs ?? new PaperCatalogSet([PaperFixtures.Icml.Value]));
        var text = snapshot.Find(uri)!.Text.Text;
        var lines = new List<string> { $"incomplete: {result.IsIncomplete}, items: {result.Items.Length}" };
        foreach (var item in result.Items.Take(take))
        {
            var applied = text[..item.ReplaceSpan.Start] + item.NewText + text[item.ReplaceSpan.End..];
            lines.Add($"{item.SortText} {item.Kind} {applied.TrimEnd()}");
            lines.Add($"  label: {item.Label}");
            lines.Add($"  detail: {item.Detail}");
            lines.Add($"  filter: {item.FilterText}");
        }

        return string.Join("\n", lines);
    }

    private static void Check(string fixture, string expected, PaperCatalogSet? catalogs = null, int take = 2, NotesSettings? settings = null) =>
        Assert.Equal(expected.ReplaceLineEndings("\n").Trim(), Render(fixture, catalogs, take, settings));

    [Fact]
    public void Link_text_completes_to_the_exact_title_and_forum_url() => Check(
        "- [dynamically comp$0",
        """
        incomplete: True, items: 30
        0000 Paper - [Improving Transformers with Dynamically Composable Multi-Head Attention](https://openreview.net/forum?id=RbiBKPtuHp)
          label: Improving Transformers with Dynamically Composable Multi-Head Attention
          detail: Oral · ICML 2024 · Da Xiao, Qingye Meng, Shengping Li, …
          filter: [dynamically comp
        """,
        take: 1);

    [Fact]
    public void An_auto_closed_bracket_is_replaced_too_and_the_abstract_is_the_documentation()
    {
        var (snapshot, uri, offset) = PaperFixtures.Workspace("[samformer$0]");
        var item = PaperCompletion.Complete(snapshot, uri, offset, new PaperCatalogSet([PaperFixtures.Icml.Value])).Items[0];
        Assert.Equal("[SAMformer: Unlocking the Potential of Transformers in Time Series Forecasting with Sharpness-Aware Minimization and Channel-Wise Attention](https://openreview.net/forum?id=8kLzL5QBh2)",
            TextEditApplied(snapshot.Find(uri)!.Text.Text, item));
        var dcmha = PaperCompletion.Complete(snapshot.WithNote(new Note(uri, NotesLsp.Text.SourceText.From("[dcmha"))), uri, 6, new PaperCatalogSet([PaperFixtures.Small()])).Items[0];
        Assert.Equal("Multi-Head Attention (MHA) is a key component of Transformer.", dcmha.Documentation);
    }

    private static string TextEditApplied(string text, Completion item) => text[..item.ReplaceSpan.Start] + item.NewText + text[item.ReplaceSpan.End..];

    [Fact]
    public void Headings_complete_behind_a_setting_that_is_on_by_default()
    {
        Check(
            "# Day 1\n## stealing production llm$0\n",
            """
            incomplete: True, items: 30
            0000 Paper # Day 1
            ## [Stealing part of a production language model](https://openreview.net/forum?id=VE3yWXt3KB)
              label: Stealing part of a production language model
              detail: Oral · ICML 2024 · Nicholas Carlini, Daniel Paleka, Krishnamurthy Dj Dvijotham, …
              filter: stealing production llm
            """,
            take: 1);
        Check("## stealing production llm$0\n", "incomplete: False, items: 0", settings: new NotesSettings { Papers = new PaperSettings { CompleteInHeadings = false } });
    }

    [Theory]
    [InlineData("## Di$0\n")]
    [InlineData("- [di$0")]
    [InlineData("[Done](https://openreview.net/forum?id=RbiBKPtuHp) and [x$0")]
    [InlineData("## zzzqqq xxyyzz$0\n")]
    public void A_title_too_short_or_unmatched_yet_is_an_empty_list_the_editor_asks_again_for(string fixture) =>
        Check(fixture, "incomplete: True, items: 0");

    [Theory]
    [InlineData("[dynamically$0](https://openreview.net/forum?id=RbiBKPtuHp)")]
    [InlineData("```\n[dynamically comp$0\n```")]
    [InlineData("---\ntitle: [dynamically comp$0\n---\n")]
    [InlineData("plain dynamically comp$0")]
    [InlineData("## [Title](https://openreview.net/forum?id=RbiBKPtuHp) more$0")]
    public void No_paper_completion_outside_its_contexts(string fixture) => Check(fixture, "incomplete: False, items: 0");

    [Fact]
    public void Ids_after_forum_or_pdf_id_are_offered_labelled_with_titles_cited_papers_first() => Check(
        """
        //- /notes/a.md
        [DCMHA](https://openreview.net/forum?id=RbiBKPtuHp)
        //- /notes/b.md
        https://openreview.net/pdf?id=$0
        """,
        """
        incomplete: True, items: 1
        0000 PaperId https://openreview.net/pdf?id=RbiBKPtuHp
          label: Improving Transformers with Dynamically Composable Multi-Head Attention
          detail: RbiBKPtuHp · Oral · ICML 2024 · Da Xiao, Qingye Meng, Shengping Li, …
          filter: RbiBKPtuHp
        """);

    [Fact]
    public void A_typed_id_prefix_narrows_and_the_rest_of_the_id_is_replaced() => Check(
        "[x](https://openreview.net/forum?id=Rbi$0XXX)",
        """
        incomplete: True, items: 1
        0000 PaperId [x](https://openreview.net/forum?id=RbiBKPtuHp)
          label: Improving Transformers with Dynamically Composable Multi-Head Attention
          detail: RbiBKPtuHp · Oral · ICML 2024 · Da Xiao, Qingye Meng, Shengping Li, …
          filter: RbiBKPtuHp
        """);

    [Fact]
    public void Liquid_linkpreview_offers_venue_and_paper_urls() => Check(
        """
        {% linkpreview "https://openreview.net/gr$0" %}
        """,
        """
        incomplete: False, items: 1
        0000 Url {% linkpreview "https://openreview.net/group?id=ICML.cc/2024/Conference" %}
          label: ICML 2024 (venue)
          detail: ICML.cc/2024/Conference
          filter: https://openreview.net/group?id=ICML.cc/2024/Conference
        """);

    [Fact]
    public void Liquid_linkpreview_with_words_searches_titles() => Check(
        """
        {% linkpreview "dpo ppo$0
        """,
        """
        incomplete: True, items: 4
        0000 Url {% linkpreview "https://openreview.net/forum?id=6XH8R7YrSk
          label: Is DPO Superior to PPO for LLM Alignment? A Comprehensive Study
          detail: Oral · ICML 2024 · Shusheng Xu, Wei Fu, Jiaxuan Gao, …
          filter: dpo ppo
        """,
        take: 1);
}
