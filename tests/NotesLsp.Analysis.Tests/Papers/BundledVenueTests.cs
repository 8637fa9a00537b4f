using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;

namespace NotesLsp.Analysis.Tests.Papers;

/// <summary>
/// Hovers and checks over the four bundled venues as the server holds them (issue 13): ICML 2023, ICLR 2023 with
/// its rejected, withdrawn and desk-rejected submissions, and NeurIPS 2023 with Datasets and Benchmarks, next to
/// ICML 2024. The decisions are those of the sources (`Data/README.md`).
/// </summary>
public class BundledVenueTests
{
    private static readonly Lazy<PaperCatalogSet> AllVenues = new(() => new PaperCatalogSet(PaperCatalog.LoadAllBundled()));

    private static string Hover(string fixture)
    {
        var (snapshot, uri, offset) = PaperFixtures.Workspace(fixture);
        var hover = PaperHover.Hover(snapshot, uri, offset, AllVenues.Value);
        return hover is null ? "(none)" : hover.Markdown.ReplaceLineEndings("\n").Trim();
    }

    [Theory]
    [InlineData("0OcEWSMnSh", "**Input Perturbation Reduces Exposure Bias in Diffusion Models**", "ICML 2023 · Poster")]
    [InlineData("0BS36re3Cx", "**Which Features are Learnt by Contrastive Learning? On the Role of Simplicity Bias in Class Collapse and Feature Suppression**", "ICML 2023 · Oral")]
    [InlineData("U2WjB9xxZ9q", "**3D generation on ImageNet**", "ICLR 2023 · Oral")]
    [InlineData("mbxz9Cjehr", "**A CMDP-within-online framework for Meta-Safe Reinforcement Learning**", "ICLR 2023 · Spotlight")]
    [InlineData("b7jXzuQMq8W", "**\\\"Why did the Model Fail?\": Attributing Model Performance Changes to Distribution Shifts**", "ICLR 2023 · Withdrawn")]
    [InlineData("tCPheuUFBC", "**\\$\\$CONVOLUTION AND POOLING OPERATION MODULE WITH ADAPTIVE STRIDE PROCESSING EFFEC\\$\\$**", "ICLR 2023 · Rejected")]
    [InlineData("iy_syzfX6I", "**A Scalable Finite Difference Method for Deep Reinforcement Learning**", "ICLR 2023 · Desk rejected")]
    [InlineData("00EKYYu3fD", "**Complexity Matters: Rethinking the Latent Space for Generative Modeling**", "NeurIPS 2023 · Spotlight")]
    [InlineData("0H5fRQcpQ7", "**RoboHive: A Unified Framework for Robot Learning**", "NeurIPS 2023 Datasets and Benchmarks · Poster")]
    public void A_link_to_a_paper_of_each_bundled_venue_hovers_with_its_title_venue_and_decision(string id, string title, string venueLine)
    {
        var hover = Hover($"- [x](https://openreview.net/forum?id={id[..3]}$0{id[3..]})\n");
        var lines = hover.Split('\n');
        Assert.Equal(title, lines[0]);
        Assert.Contains(venueLine, lines);
        Assert.EndsWith($"[Forum](https://openreview.net/forum?id={id}) · [PDF](https://openreview.net/pdf?id={id})", hover, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hover_shows_the_authors_and_keywords_the_catalog_has()
    {
        var hover = Hover("- [RoboHive](https://openreview.net/forum?id=0H5f$0RQcpQ7)\n");
        Assert.Contains("Vikash Kumar, Rutav Shah, Gaoyue Zhou, Vincent Moens, Vittorio Caggiano, Abhishek Gupta, Aravind Rajeswaran", hover, StringComparison.Ordinal);
        Assert.Contains("*Keywords:* Robot Learning", hover, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_know_the_papers_of_every_bundled_venue()
    {
        const string fixture = """
            - [3D generation](https://openreview.net/forum?id=U2WjB9xxZ9q)
            - [Why did the Model Fail?](https://openreview.net/forum?id=b7jXzuQMq8W)
            - [RoboHive: A Unified Framework for Robot Learning](https://openreview.net/forum?id=0H5fRQcpQ7)
            - [Input Perturbation Reduces Exposure Bias in Diffusion Models](https://openreview.net/forum?id=0OcEWSMnSh)
            - [Typo](https://openreview.net/forum?id=U2WjB9xxZ9Q&referrer=%5BICLR%202023%5D(%2Fgroup%3Fid%3DICLR.cc%2F2023%2FConference))
            - [Typo](https://openreview.net/forum?id=0OcEWSMnSH&referrer=%5BICML%202023%5D(%2Fgroup%3Fid%3DICML.cc%2F2023%2FConference))
            $0
            """;
        var (snapshot, uri, _) = PaperFixtures.Workspace(fixture);
        var note = snapshot.Find(uri)!;
        var lines = PaperChecks.CatalogDiagnostics(note, AllVenues.Value).Concat(PaperChecks.Diagnostics(note))
            .OrderBy(d => d.Span.Start)
            .Select(d => $"{note.Text.GetRange(d.Span).Start.Line} {d.Severity} {d.Code} {d.Message}");
        Assert.Equal(
            [
                "0 Hint paper-title The paper's title is \"3D generation on ImageNet\".",
                "1 Hint paper-title The paper's title is \"\"Why did the Model Fail?\": Attributing Model Performance Changes to Distribution Shifts\".",
                "4 Warning paper-unknown No paper U2WjB9xxZ9Q among the 1575 cached papers of ICLR 2023, which this link says it came from; check the id.",
                "5 Warning paper-unknown No paper 0OcEWSMnSH among the 1828 cached papers of ICML 2023, which this link says it came from; check the id.",
            ],
            lines.ToArray());
    }
}
