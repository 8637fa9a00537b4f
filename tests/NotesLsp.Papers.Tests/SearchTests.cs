namespace NotesLsp.Papers.Tests;

public class SearchTests
{
    // Loading once per test class keeps the suite fast; the catalog is immutable, so sharing it is safe.
    private static readonly Lazy<PaperCatalog> Icml = new(PaperCatalog.LoadBundled);

    private static void CheckFirst(string query, string expectedId)
    {
        var matches = Icml.Value.Search(query, 5);
        Assert.True(matches.Length > 0, $"no match for '{query}'");
        Assert.True(
            matches[0].Paper.Id == expectedId,
            $"'{query}' ranked first: {string.Join(" | ", matches.Select(m => $"{m.Paper.Id} {m.Score} {m.Paper.Title}"))}");
    }

    [Fact]
    public void Bundled_catalog_holds_every_accepted_icml_2024_paper()
    {
        var catalog = Icml.Value;
        Assert.Equal(2610, catalog.Count);
        Assert.Equal(0, catalog.SkippedLines);
        var paper = catalog.Find("RbiBKPtuHp");
        Assert.NotNull(paper);
        Assert.Equal("Improving Transformers with Dynamically Composable Multi-Head Attention", paper.Title);
        Assert.Equal(PaperDecision.Oral, paper.Decision);
        Assert.Equal("ICML 2024", paper.VenueName);
        Assert.Equal(2610, catalog.CountInVenue("ICML.cc/2024/Conference"));
    }

    // The 12 papers linked in examples/icml2024-oral-papers.md, each from a few words of its title.
    [Theory]
    [MemberData(nameof(Fixtures.OralPaperQueries), MemberType = typeof(Fixtures))]
    public void Each_linked_oral_note_paper_is_first_for_a_few_title_words(string query, string id) => CheckFirst(query, id);

    [Theory]
    [InlineData("Dynamically Comp", "RbiBKPtuHp")] // partial word, as typed
    [InlineData("attention multi-head composable dynamically", "RbiBKPtuHp")] // word order
    [InlineData("dynamicaly composible atention", "RbiBKPtuHp")] // typos
    [InlineData("DYNAMICALLY, composable!", "RbiBKPtuHp")] // case and punctuation
    [InlineData("dcmha", "RbiBKPtuHp")] // acronym of consecutive title words
    [InlineData("samformer", "8kLzL5QBh2")]
    [InlineData("stealing production llm", "VE3yWXt3KB")]
    [InlineData("multihead composable", "RbiBKPtuHp")] // hyphenated words written as one
    [InlineData("Arrows in time", "UpSe7ag34v")] // a short word ("in") must not win through rare words it prefixes
    [InlineData("Genie", "bJbSbJskOS")]
    public void Search_is_robust_to_how_people_type(string query, string id) => CheckFirst(query, id);

    [Fact]
    public void Nonsense_and_empty_queries_find_nothing()
    {
        Assert.Empty(Icml.Value.Search("", 10));
        Assert.Empty(Icml.Value.Search("  ,;  ", 10));
        Assert.Empty(Icml.Value.Search("qqqqzzzzxxxx", 10));
    }

    [Fact]
    public void Ties_go_to_orals_first()
    {
        var catalog = PaperCatalog.Create("test", [
            new PaperRecord("AAAAAAAAAA", "Graph Learning") { Decision = PaperDecision.Poster },
            new PaperRecord("BBBBBBBBBB", "Graph Learning") { Decision = PaperDecision.Oral },
            new PaperRecord("CCCCCCCCCC", "Graph Learning") { Decision = PaperDecision.Spotlight },
        ]);
        Assert.Equal(["BBBBBBBBBB", "CCCCCCCCCC", "AAAAAAAAAA"], catalog.Search("graph learning", 10).Select(m => m.Paper.Id));
    }

    [Fact]
    public void Catalog_sets_merge_records_for_the_same_id_and_earlier_sources_win()
    {
        var notes = PaperCatalog.Create("notes", [new PaperRecord("RbiBKPtuHp", "my link text")]);
        var set = new PaperCatalogSet([Icml.Value, notes]);
        var paper = set.Find("RbiBKPtuHp")!;
        Assert.Equal("Improving Transformers with Dynamically Composable Multi-Head Attention", paper.Title);
        var onlyNotes = PaperCatalog.Create("notes", [new PaperRecord("zzzzzzzzzz", "A Paper Only In My Notes")]);
        var both = new PaperCatalogSet([Icml.Value, onlyNotes]);
        Assert.Equal("zzzzzzzzzz", both.Search("only in my notes", 3)[0].Paper.Id);
        Assert.Equal("RbiBKPtuHp", both.Search("dynamically composable", 3)[0].Paper.Id);
    }
}
