using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;

namespace NotesLsp.Analysis.Tests.Papers;

public class PaperChecksTests
{
    private static void CheckDiagnostics(string fixture, string expected)
    {
        var (snapshot, uri, _) = PaperFixtures.Workspace(fixture + "$0");
        var text = snapshot.Find(uri)!.Text;
        var note = snapshot.Find(uri)!;
        var lines = PaperChecks.CatalogDiagnostics(note, new PaperCatalogSet([PaperFixtures.Icml.Value])).Concat(PaperChecks.Diagnostics(note))
            .OrderBy(d => d.Span.Start)
            .Select(d => $"{text.GetRange(d.Span)} {d.Severity} {d.Code} {d.Message}");
        Assert.Equal(expected.ReplaceLineEndings("\n").Trim(), string.Join("\n", lines));
    }

    /// <summary>Applies each offered action at the cursor and shows the resulting note.</summary>
    private static void CheckActions(string fixture, string expected)
    {
        var (snapshot, uri, offset) = PaperFixtures.Workspace(fixture);
        var text = snapshot.Find(uri)!.Text.Text;
        var rendered = PaperChecks.CodeActions(snapshot, uri, new NotesLsp.Text.TextSpan(offset, 0), new PaperCatalogSet([PaperFixtures.Icml.Value]))
            .Select(fix => $"{fix.Title}\n{NotesLsp.Text.TextEdit.Apply(text, fix.Change.Edits[uri]).TrimEnd()}");
        Assert.Equal(expected.ReplaceLineEndings("\n").Trim(), string.Join("\n---\n", rendered));
    }

    [Fact]
    public void Malformed_ids_warn_and_link_text_other_than_the_title_is_a_hint() => CheckDiagnostics(
        """
        - [DCMHA](https://openreview.net/forum?id=RbiBKPtuHp)
        - [improving transformers with dynamically composable multi head attention!](https://openreview.net/forum?id=RbiBKPtuHp)
        - https://openreview.net/pdf?id=abc
        - [Unknown](https://openreview.net/forum?id=Unknown001)
        - [Typo](https://openreview.net/forum?id=RbiBKPtuHq&referrer=%5BICML%202024%20Conference%5D(%2Fgroup%3Fid%3DICML.cc%2F2024%2FConference))
        - [Elsewhere](https://openreview.net/forum?id=RbiBKPtuHq&referrer=%5BICLR%5D(%2Fgroup%3Fid%3DICLR.cc%2F2024%2FConference))
        """,
        """
        0:3-0:8 Hint paper-title The paper's title is "Improving Transformers with Dynamically Composable Multi-Head Attention".
        2:2-2:35 Warning openreview-id 'abc' is not an OpenReview paper id (7 to 14 letters, digits, '-' or '_').
        4:9-4:136 Warning paper-unknown No paper RbiBKPtuHq among the 2610 cached papers of ICML 2024, which this link says it came from; check the id.
        """);

    [Fact]
    public void Use_the_title_replaces_the_link_text() => CheckActions(
        "- [DC$0MHA](https://openreview.net/forum?id=RbiBKPtuHp)",
        """
        Use the title
        - [Improving Transformers with Dynamically Composable Multi-Head Attention](https://openreview.net/forum?id=RbiBKPtuHp)
        """);

    [Fact]
    public void Add_title_turns_bare_urls_and_autolinks_into_titled_links()
    {
        CheckActions(
            "see https://openreview.net/forum?id=6XH8R7$0YrSk",
            """
            Add title
            see [Is DPO Superior to PPO for LLM Alignment? A Comprehensive Study](https://openreview.net/forum?id=6XH8R7YrSk)
            """);
        CheckActions(
            "<https://openreview.net/pdf?id=6XH8R7$0YrSk>",
            """
            Add title
            [Is DPO Superior to PPO for LLM Alignment? A Comprehensive Study](https://openreview.net/pdf?id=6XH8R7YrSk)
            """);
    }

    [Fact]
    public void Link_to_paper_appends_the_link_to_a_heading_that_names_one()
    {
        CheckActions(
            "# Potential of Transformers for Timeseries prediction: SAMFormer$0\n- notes",
            """
            Link to paper: SAMformer: Unlocking the Potential of Transformers in Time Series Forecasting with Sharpness-Aware Minimization and Channel-Wise Attention
            # Potential of Transformers for Timeseries prediction: SAMFormer [SAMformer: Unlocking the Potential of Transformers in Time Series Forecasting with Sharpness-Aware Minimization and Channel-Wise Attention](https://openreview.net/forum?id=8kLzL5QBh2)
            - notes
            """);
        CheckActions("# Montag Vormittag$0\n", "");
    }

    [Fact]
    public void Inlay_hints_show_titles_after_bare_urls_only_and_follow_the_setting()
    {
        const string fixture = "$0see https://openreview.net/forum?id=6XH8R7YrSk and <https://openreview.net/pdf?id=RbiBKPtuHp>\n[Titled](https://openreview.net/forum?id=RbiBKPtuHp) https://openreview.net/forum?id=Unknown001\n";
        var (snapshot, uri, _) = PaperFixtures.Workspace(fixture);
        var note = snapshot.Find(uri)!;
        var catalogs = new PaperCatalogSet([PaperFixtures.Icml.Value]);
        var hints = PaperChecks.InlayHints(snapshot, note, new NotesLsp.Text.TextSpan(0, note.Text.Length), catalogs)
            .Select(h => $"{note.Text.GetPosition(h.Offset)} {h.Label} | {h.Tooltip}");
        Assert.Equal(
            [
                "0:46 Is DPO Superior to PPO for LLM Alignment? A Comprehensive Study | Oral · ICML 2024 · Shusheng Xu, Wei Fu, Jiaxuan Gao, …",
                "0:93 Improving Transformers with Dynamically Composable Multi-Head Attention | Oral · ICML 2024 · Da Xiao, Qingye Meng, Shengping Li, …",
            ],
            hints);
        var off = snapshot.WithSettings(new NotesSettings { Papers = new PaperSettings { InlayHints = false } });
        Assert.Empty(PaperChecks.InlayHints(off, note, new NotesLsp.Text.TextSpan(0, note.Text.Length), catalogs));
    }
}
