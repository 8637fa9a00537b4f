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

    private static readonly Lazy<PaperCatalogSet> AllVenues = new(() => new PaperCatalogSet(PaperCatalog.LoadAllBundled()));

    [Fact]
    public void Link_to_paper_writes_the_heading_as_heading_completion_does_and_prefers_the_best()
    {
        var (snapshot, uri, offset) = PaperFixtures.Workspace("# Potential of Transformers for Timeseries prediction: SAMFormer$0\n- notes");
        var text = snapshot.Find(uri)!.Text.Text;
        var fixes = PaperChecks.CodeActions(snapshot, uri, new NotesLsp.Text.TextSpan(offset, 0), new PaperCatalogSet([PaperFixtures.Icml.Value]));
        Assert.InRange(fixes.Length, 1, PaperHeadings.MaxCandidates);
        var best = fixes[0];
        Assert.True(best.IsPreferred);
        Assert.All(fixes.Skip(1), f => Assert.False(f.IsPreferred));
        Assert.Equal(
            "# [SAMformer: Unlocking the Potential of Transformers in Time Series Forecasting with Sharpness-Aware Minimization and Channel-Wise Attention](https://openreview.net/forum?id=8kLzL5QBh2)\n- notes",
            NotesLsp.Text.TextEdit.Apply(text, best.Change.Edits[uri]));

        // Heading completion writes the same line.
        var (typing, typingUri, typingOffset) = PaperFixtures.Workspace("# samformer sharpness$0\n- notes");
        var completion = PaperCompletion.Complete(typing, typingUri, typingOffset, new PaperCatalogSet([PaperFixtures.Icml.Value])).Items[0];
        var typed = typing.Find(typingUri)!.Text.Text;
        Assert.Equal(NotesLsp.Text.TextEdit.Apply(text, best.Change.Edits[uri]), typed[..completion.ReplaceSpan.Start] + completion.NewText + typed[completion.ReplaceSpan.End..]);

        CheckActions("# Montag Vormittag$0\n## Genie\n- world model\n", "");
    }

    [Theory]
    [InlineData("- persuasive experts, judges are non-experts\n- truthful answers", "iLCZtl7FTa")] // Khan et al.
    [InlineData("- several model instances propose and argue over rounds\n- improves factuality and reasoning", "zj7YuTE4t8")] // Du et al.
    public void The_section_text_under_a_heading_picks_among_papers_the_heading_alone_leaves_open(string bullets, string expected)
    {
        var (snapshot, uri, offset) = PaperFixtures.Workspace($"## Debate$0\n{bullets}\n## Next talk\n");
        var fixes = PaperChecks.CodeActions(snapshot, uri, new NotesLsp.Text.TextSpan(offset, 0), AllVenues.Value);
        Assert.Contains("?id=" + expected + ")", fixes[0].Change.Edits[uri][0].NewText, StringComparison.Ordinal);
        Assert.True(fixes[0].IsPreferred);
    }

    [Fact]
    public void Linking_every_heading_links_only_confident_talks_of_the_notes_venue()
    {
        var note = new Note("file:///notes/talks.md", NotesLsp.Text.SourceText.From("""
            ---
            title: ICML 2024
            ---
            # Montag Vormittag
            ## Genie
            - generative interactive environments from videos
            ## Stealing part of a production LLM
            - recovers the embedding projection layer
            ## GNNs
            - message passing, oversmoothing
            ## [Already linked](https://openreview.net/forum?id=UpSe7ag34v)
            ## Arrows in time
            - forward vs backward next-token prediction
            """));
        var links = PaperHeadings.LinkAll(note, AllVenues.Value);
        Assert.Equal(
            ["Genie -> bJbSbJskOS", "Stealing part of a production LLM -> VE3yWXt3KB", "Arrows in time -> UpSe7ag34v"],
            links.Select(l => $"{l.Heading.Text} -> {l.Paper.Id}"));
        Assert.All(links, l => Assert.Equal(l.Heading.TextSpan, l.Edit.Span));
    }

    [Fact]
    public void A_note_about_a_venue_ranks_that_venues_papers_first_in_completion()
    {
        // "weak to strong" titles exist in several venues; the note's front matter says which one it is about.
        static string First(string frontMatterTitle)
        {
            var (snapshot, uri, offset) = PaperFixtures.Workspace($"---\ntitle: {frontMatterTitle}\n---\n- [weak to strong$0\n");
            return PaperCompletion.Complete(snapshot, uri, offset, AllVenues.Value).Items[0].Detail!;
        }

        Assert.Contains("ICML 2024", First("ICML 2024 talks"), StringComparison.Ordinal);
        Assert.Contains("ICML 2023", First("Notes from ICML 2023"), StringComparison.Ordinal);
        Assert.Equal("ICML", PaperHeadings.Venue(new Note("file:///n.md", NotesLsp.Text.SourceText.From("---\ntags: [ICML, reading]\n---\n")))?.VenueFamily?.ToUpperInvariant());
        Assert.Null(PaperHeadings.Venue(new Note("file:///n.md", NotesLsp.Text.SourceText.From("# Reading list\n"))));
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
