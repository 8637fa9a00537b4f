using System.Globalization;
using System.Text;

namespace NotesLsp.Papers.Tests;

/// <summary>
/// The search gives exactly the answers it gave when <c>fixtures/papers/search-answers.tsv</c> was written: the
/// same papers, in the same order, with the same scores, for every query of <see cref="PaperIndexFileTests.Queries"/>
/// over the bundled catalogs (built from their JSON Lines and read from their precomputed index), in several venue
/// contexts. It guards a change of how the index is stored or read (a faster layout must not change one answer);
/// a change meant to rank differently writes the file anew (<c>NOTESLSP_WRITE_SEARCH_ANSWERS=1</c>, then this test)
/// and the diff shows what moved.
/// </summary>
public sealed class SearchAnswerTests
{
    private const string FileName = "search-answers.tsv";

    private static string Answers(PaperCatalog[] catalogs)
    {
        var set = new PaperCatalogSet(catalogs);
        var contexts = new[] { null, new SearchContext("icml", 2024), new SearchContext("neurips", 2023) };
        var output = new StringBuilder();
        foreach (var (query, n) in PaperIndexFileTests.Queries().Select((q, n) => (q, n)))
        {
            var context = contexts[n % contexts.Length];
            var one = catalogs[n % catalogs.Length];
            output.Append(CultureInfo.InvariantCulture, $"{query.Replace('\t', ' ')}\t{context?.VenueFamily}{context?.Year}\t");
            output.AppendJoin(' ', set.Search(query, 12, context).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Paper.Id}:{m.Score:R}")));
            output.Append('\t');
            output.AppendJoin(' ', one.Search(query, 4).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Paper.Id}:{m.Score:R}")));
            output.Append('\n');
        }

        return output.ToString();
    }

    [Fact]
    public void Every_query_gets_the_answer_recorded_in_the_fixture_from_the_json_lines_and_from_the_precomputed_index()
    {
        var built = PaperCatalog.LoadAllBundled().ToArray();
        var fromJson = Answers(built);
        if (Environment.GetEnvironmentVariable("NOTESLSP_WRITE_SEARCH_ANSWERS") == "1")
        {
            File.WriteAllText(Path.Combine(SourceFixtures(), FileName), fromJson);
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", FileName)).ReplaceLineEndings("\n");
        Assert.True(expected.Count(c => c == '\n') > 200, "the fixture holds the answers of over 200 queries");
        AssertSameLines(expected, fromJson);
        var read = built.Select(c => PaperIndexFile.Read(PaperIndexFile.Write(c)) ?? throw new InvalidOperationException($"{c.Name} did not read back")).ToArray();
        AssertSameLines(expected, Answers(read));
    }

    private static void AssertSameLines(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        for (var i = 0; i < Math.Min(want.Length, got.Length); i++)
        {
            Assert.Equal(want[i], got[i]);
        }

        Assert.Equal(want.Length, got.Length);
    }

    /// <summary>tests/fixtures/papers in the source tree (where re-recorded answers are written).</summary>
    internal static string SourceFixtures()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var fixtures = Path.Combine(dir.FullName, "tests", "fixtures", "papers");
            if (Directory.Exists(fixtures))
            {
                return fixtures;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures/papers not found above the test's folder");
    }
}
