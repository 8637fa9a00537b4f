using System.Globalization;
using System.Text;

namespace NotesLsp.Papers.Tests;

/// <summary>
/// The answers over a generated catalog where common words touch thousands of papers at once and many papers tie
/// (repeated titles, a small vocabulary): the case where the search keeps only the best few hundred candidates for
/// re-scoring, so which ones it keeps, and in what order among equals, decides the answer. The answers (ids and
/// scores) in <c>fixtures/papers/common-word-answers.tsv</c> were recorded from the code before the search chose
/// those candidates with a bounded heap instead of sorting all of them (main at ebf11a3); a change meant to rank
/// differently writes the file anew (<c>NOTESLSP_WRITE_SEARCH_ANSWERS=1</c>, then this test).
/// </summary>
public sealed class CommonWordAnswerTests
{
    private const string FileName = "common-word-answers.tsv";

    private static readonly string[] Vocabulary =
    [
        "for", "learning", "models", "of", "the", "in", "with", "a", "and", "neural", "language", "large", "efficient",
        "graph", "networks", "training", "diffusion", "optimization", "reinforcement", "via", "transformers", "data",
        "towards", "robust", "generalization", "attention", "sparse", "linear", "gradient", "policy", "adversarial",
        "federated", "contrastive", "bayesian", "inference", "sampling", "scaling", "forward", "formal", "forecasting",
        "format", "form", "formulation", "lowrank", "adaptation", "quantization", "compression", "kernel", "stochastic",
        "convergence", "online", "offline", "memory", "retrieval", "reasoning", "alignment", "benchmark", "dataset",
        "causal", "discovery",
    ];

    /// <summary>A small linear congruential generator, so the catalog is the same on every runtime.</summary>
    private sealed class Lcg(ulong seed)
    {
        private ulong state = seed;

        public int Next(int bound)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            return (int)((state >> 33) % (ulong)bound);
        }

        // Skewed toward the first words of the vocabulary, as word frequencies are.
        public string Word() => Vocabulary[Math.Min(Next(Vocabulary.Length), Next(Vocabulary.Length))];
    }

    private static PaperCatalog Catalog()
    {
        var random = new Lcg(13);
        var titles = new List<string>();
        var papers = new List<PaperRecord>();
        for (var i = 0; i < 12_000; i++)
        {
            // One title in four repeats an earlier one, so that many papers score exactly alike.
            var title = titles.Count > 0 && random.Next(4) == 0
                ? titles[random.Next(titles.Count)]
                : string.Join(' ', Enumerable.Range(0, 3 + random.Next(6)).Select(_ => random.Word()));
            titles.Add(title);
            papers.Add(new PaperRecord(string.Create(CultureInfo.InvariantCulture, $"G{i:D6}"), title)
            {
                Authors = [$"Author{random.Next(50)} Name{random.Next(40)}"],
                Venue = string.Create(CultureInfo.InvariantCulture, $"GEN {2020 + random.Next(5)} Poster"),
                VenueId = "GEN.cc/Conference",
                Decision = random.Next(5) == 0 ? PaperDecision.Oral : PaperDecision.Poster,
            });
        }

        return PaperCatalog.Create("generated", papers);
    }

    private static List<string> Queries()
    {
        var random = new Lcg(2024);
        var queries = new List<string> { "for", "fo", "f", "a", "of the", "in a", "for the", "learning for", "models of the", "form", "forwrd", "Lowrank adaptation fo" };
        for (var i = 0; i < 150; i++)
        {
            var words = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => random.Word()).ToList();
            if (random.Next(2) == 0)
            {
                // A word still being typed.
                words[^1] = words[^1][..Math.Max(1, random.Next(words[^1].Length) + 1)];
            }

            if (random.Next(5) == 0 && words[0].Length > 4)
            {
                words[0] = words[0].Remove(2, 1);
            }

            queries.Add(string.Join(' ', words));
        }

        return queries;
    }

    private static string Answers(PaperCatalog catalog)
    {
        var contexts = new[] { null, new SearchContext("gen", 2022) };
        var output = new StringBuilder();
        foreach (var (query, n) in Queries().Select((q, n) => (q, n)))
        {
            var context = contexts[n % contexts.Length];
            output.Append(CultureInfo.InvariantCulture, $"{query}\t{context?.VenueFamily}{context?.Year}\t");
            output.AppendJoin(' ', catalog.Search(query, 12, context).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Paper.Id}:{m.Score:R}")));
            output.Append('\n');
        }

        return output.ToString();
    }

    [Fact]
    public void Queries_of_common_words_over_thousands_of_tied_papers_get_the_recorded_answers()
    {
        var catalog = Catalog();
        var answers = Answers(catalog);
        if (Environment.GetEnvironmentVariable("NOTESLSP_WRITE_SEARCH_ANSWERS") == "1")
        {
            File.WriteAllText(Path.Combine(SearchAnswerTests.SourceFixtures(), FileName), answers);
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", FileName)).ReplaceLineEndings("\n").Split('\n');
        var got = answers.Split('\n');
        Assert.True(expected.Length > 150, "the fixture holds the answers of over 150 queries");
        Assert.True(expected.Count(line => line.Split('\t')[^1].Split(' ').Length == 12) > 100, "most queries fill the 12 answers");
        for (var i = 0; i < Math.Min(expected.Length, got.Length); i++)
        {
            Assert.Equal(expected[i], got[i]);
        }

        Assert.Equal(expected.Length, got.Length);

        // The same catalog read back from its index file answers alike.
        var read = PaperIndexFile.Read(PaperIndexFile.Write(catalog)) ?? throw new InvalidOperationException("the generated catalog did not read back");
        Assert.Equal(answers, Answers(read));
    }

    /// <summary>Papers that match a query exactly alike come in catalog order, however many there are.</summary>
    [Fact]
    public void Among_many_equal_matches_the_earlier_papers_come_first_in_catalog_order()
    {
        var papers = Enumerable.Range(0, 2_000).Select(i => new PaperRecord(string.Create(CultureInfo.InvariantCulture, $"T{i:D5}"), "Sparse Attention for Long Sequences")
        {
            Venue = "GEN 2023 Poster",
            VenueId = "GEN.cc/Conference",
            Decision = PaperDecision.Poster,
        });
        var catalog = PaperCatalog.Create("ties", papers);
        foreach (var query in new[] { "sparse attention", "for", "atten", "sprase attention" })
        {
            var found = catalog.Search(query, 20);
            Assert.Equal(Enumerable.Range(0, 20).Select(i => string.Create(CultureInfo.InvariantCulture, $"T{i:D5}")), found.Select(m => m.Paper.Id));
        }
    }
}
