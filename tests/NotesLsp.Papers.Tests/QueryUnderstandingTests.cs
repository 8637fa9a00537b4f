namespace NotesLsp.Papers.Tests;

/// <summary>
/// How search reads what people write, each mechanism on a small catalog made for it (so the test shows the
/// mechanism, not a tuned answer), and the project's real-phrase fixture over all bundled venues with a floor.
/// </summary>
public class QueryUnderstandingTests
{
    private static readonly Lazy<PaperCatalogSet> Bundled = new(() => new PaperCatalogSet(PaperCatalog.LoadAllBundled()));

    private static PaperRecord Paper(string id, string title, string venue = "ICML 2024 Poster", params string[] authors) => new(id, title)
    {
        Venue = venue,
        VenueId = venue.StartsWith("ICML 2024", StringComparison.Ordinal) ? "ICML.cc/2024/Conference" : null,
        Decision = PaperDecision.Poster,
        Authors = [.. authors],
    };

    private static readonly PaperCatalog Made = PaperCatalog.Create("made", [
        Paper("Glasses001", "Predicting Energy Barriers of Metallic Glasses with Graph Neural Networks"),
        Paper("GatedLin01", "Gated Linear Attention Transformers with Hardware-Efficient Training"),
        Paper("Sparse2401", "Accelerating Transformer Pre-training with 2:4 Sparsity"),
        Paper("Compiler01", "An LLM Compiler for Parallel Function Calling"),
        Paper("CodeAct001", "Executable Code Actions Elicit Better LLM Agents"),
        Paper("Extend0001", "LLM Maybe LongLM: SelfExtend LLM Context Window Without Tuning"),
        Paper("Debate0001", "Debating with More Persuasive LLMs Leads to More Truthful Answers", "ICML 2024 Oral", "Akbir Khan", "John Hughes"),
        Paper("Debate0002", "Improving Factuality and Reasoning in Language Models through Multiagent Debate", "ICML 2024 Poster", "Yilun Du", "Shuang Li"),
        Paper("Uncert0001", "Kernel Language Entropy: Fine-grained Uncertainty Quantification for LLMs", "ICML 2024 Poster", "Alexander Nikitin"),
        Paper("Moment0001", "MOMENT: A Family of Open Time-series Foundation Models"),
        Paper("Moment0002", "Live in the Moment: Learning Dynamics Model Adapted to Evolving Policy"),
        Paper("LookSam001", "Improving Sharpness-Aware Minimization by Lookahead"),
        Paper("Rejected01", "Gated Linear Attention Revisited", "Submitted to ICLR 2023") with { Decision = PaperDecision.Rejected },
        Paper("Neurips001", "Weak-to-Strong Generalization of Small Models", "NeurIPS 2023 Poster"),
        Paper("Icml240001", "Weak-to-Strong Generalization with Weak Supervision", "ICML 2024 Poster"),
        Paper("Abstract01", "A Family of Samplers", "ICML 2024 Poster") with { Abstract = "We call the method Zebrasampler; it draws from tempered posteriors.", Keywords = ["tempering"] },
        Paper("CodeUrl001", "Planning with Search over Language Agents", "ICML 2023 Poster") with { CodeUrl = "https://github.com/someone/LATS-planner" },
    ]);

    [Theory]
    [InlineData("GLA", "GatedLin01")] // an acronym in capitals beats a word it prefixes ("glasses")
    [InlineData("LLMCompiler(ICML'24)", "Compiler01")] // joined words; '24 is a year, not "2:4"
    [InlineData("CodeAct (Wang et al., 2024)", "CodeAct001")] // CamelCase against "Code Actions"
    [InlineData("codeact", "CodeAct001")] // a lowercase joined word split into two vocabulary words
    [InlineData("Self-Extend", "Extend0001")] // hyphenated query, joined title word
    [InlineData("Khan et al. debate", "Debate0001")] // first author
    [InlineData("Du et al. debate", "Debate0002")]
    [InlineData("multi-agent debating", "Debate0002")] // split word, stem
    [InlineData("truthfulness of persuasive llm debates", "Debate0001")] // stems
    [InlineData("uncertainties of large language models", "Uncert0001")] // stem; large language models = LLMs
    [InlineData("MOMENTを技術的に読む", "Moment0001")] // Latin word out of Japanese text; the paper named MOMENT
    [InlineData("时间序列基础模型 MOMENT", "Moment0001")] // glossary: time series foundation model
    [InlineData("LookSAM", "LookSam001")] // prefix + acronym of title words
    [InlineData("Zebrasampler", "Abstract01")] // the abstract is searched, below the title
    [InlineData("LATS planner", "CodeUrl001")] // the code repository's name is an alias
    [InlineData("weak-to-strong generalization (ICML 2024 Oral)", "Icml240001")] // the venue a query names ranks first
    [InlineData("weak-to-strong generalization NeurIPS'23", "Neurips001")]
    public void Reads_what_people_write(string query, string expected)
    {
        var matches = Made.Search(query, 5);
        Assert.True(matches.Length > 0 && matches[0].Paper.Id == expected, $"'{query}': {string.Join(" | ", matches.Select(m => $"{m.Paper.Id} {m.Score}"))}");
    }

    [Fact]
    public void A_rejected_paper_ranks_after_an_accepted_one_that_matches_as_well_and_context_venues_rank_first()
    {
        Assert.Equal("GatedLin01", Made.Search("gated linear attention", 2)[0].Paper.Id);
        var withContext = Made.Search("weak-to-strong generalization", 2, new SearchContext("neurips", 2023));
        Assert.Equal("Neurips001", withContext[0].Paper.Id);
        Assert.Equal("Icml240001", Made.Search("weak-to-strong generalization", 2, SearchContext.FromText("ICML 2024"))[0].Paper.Id);
    }

    [Fact]
    public void Never_empty_when_some_words_match_and_nothing_for_nonsense()
    {
        Assert.NotEmpty(Made.Search("debate zzqqxxyy wwvvkk", 3));
        Assert.Empty(Made.Search("qqqqzzzzxxxx", 3));
        Assert.Empty(Made.Search("論文", 3));
    }

    // The 12 orals of examples/icml2024-oral-papers.md stay first among all four bundled venues when the
    // search knows the note is about ICML 2024 (its front matter says so).
    [Theory]
    [MemberData(nameof(Fixtures.OralPaperQueries), MemberType = typeof(Fixtures))]
    public void Each_oral_note_paper_is_first_among_all_venues_in_an_icml_2024_note(string query, string id) =>
        Assert.Equal(id, Bundled.Value.Search(query, 3, SearchContext.FromText("ICML 2024"))[0].Paper.Id);

    [Fact]
    public void The_bundled_venues_are_all_there_with_their_decisions()
    {
        var set = Bundled.Value;
        Assert.Equal(2610 + 1828 + 4955 + 3732, set.Count);
        Assert.Equal(1828, set.CountInVenue("ICML.cc/2023/Conference"));
        Assert.Equal(2285, set.Catalogs.SelectMany(c => c.Papers).Count(p => p.VenueId == "ICLR.cc/2023/Conference/Rejected_Submission" && p.Decision == PaperDecision.Rejected));
        Assert.Equal(1077, set.Catalogs.SelectMany(c => c.Papers).Count(p => p.Decision == PaperDecision.Withdrawn));
        Assert.Equal(322, set.Catalogs.SelectMany(c => c.Papers).Count(p => p.VenueId == "NeurIPS.cc/2023/Track/Datasets_and_Benchmarks" && p.Decision != PaperDecision.Rejected));
        Assert.All(set.Catalogs, c => Assert.Equal(0, c.SkippedLines));
        Assert.Contains(set.Catalogs.SelectMany(c => c.Papers), p => p.CodeUrl is not null);
    }

    /// <summary>
    /// The real-phrase fixture (tests/fixtures/papers/icml2024-phrases.tsv, 71 phrases about ICML 2024 papers) over
    /// all 13,125 bundled papers. Before this search (main at 870e6e2, ICML 2024 alone): top-1 40/71, top-5 47/71.
    /// </summary>
    [Fact]
    public void The_real_phrase_fixture_scores_above_its_floor()
    {
        var phrases = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "fixtures", "icml2024-phrases.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .ToList();
        Assert.True(phrases.Count >= 40);
        var ranks = phrases.Select(p => Bundled.Value.Search(p[2], 5).Select(m => m.Paper.Id).ToList().IndexOf(p[0])).ToList();
        var top1 = ranks.Count(r => r == 0);
        var top5 = ranks.Count(r => r >= 0);
        Assert.True(top1 >= 60 && top5 >= 65, $"top-1 {top1}/{phrases.Count}, top-5 {top5}/{phrases.Count}");
    }
}
