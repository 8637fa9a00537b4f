using System.Globalization;

namespace NotesLsp.Papers.Tests;

/// <summary>
/// The precomputed index (<see cref="PaperIndexFile"/>) is the same reading of the bundled catalogs as the one
/// built from their JSON Lines: every record alike, and every query answered alike (the same papers, in the same
/// order, with the same scores), for the kinds of query people type. A damaged file reads as null, never a crash.
/// </summary>
public sealed class PaperIndexFileTests
{
    private static readonly Lazy<(PaperCatalog[] Built, PaperCatalog[] Read)> Catalogs = new(() =>
    {
        var built = PaperCatalog.LoadAllBundled().ToArray();
        return (built, [.. built.Select(c => PaperIndexFile.Read(PaperIndexFile.Write(c)) ?? throw new InvalidOperationException($"{c.Name} did not read back"))]);
    });

    private static string Answer(IEnumerable<PaperMatch> matches) =>
        string.Join("\n", matches.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Paper.Id} {m.Score:R}")));

    [Fact]
    public void Every_record_reads_back_as_the_json_lines_gave_it()
    {
        var (built, read) = Catalogs.Value;
        Assert.Equal(built.Select(c => (c.Name, c.Count, c.SkippedLines)), read.Select(c => (c.Name, c.Count, c.SkippedLines)));
        for (var i = 0; i < built.Length; i++)
        {
            Assert.Equal(PaperJson.WriteCatalog(built[i].Papers), PaperJson.WriteCatalog(read[i].Papers));
            Assert.Equal(built[i].Papers.Select(p => p.Source), read[i].Papers.Select(p => p.Source));
            Assert.Equal(built[i].VenueIds.Order(StringComparer.Ordinal), read[i].VenueIds.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Writing_what_was_read_gives_the_same_bytes()
    {
        var (built, read) = Catalogs.Value;
        Assert.Equal(PaperIndexFile.Write(built[2]), PaperIndexFile.Write(read[2]));
    }

    /// <summary>Queries of every kind the search reads, drawn from the catalogs themselves and the real-phrase fixture.</summary>
    public static IEnumerable<string> Queries()
    {
        var random = new Random(13);
        var papers = PaperCatalog.LoadAllBundled().SelectMany(c => c.Papers).ToArray();
        for (var i = 0; i < 160; i++)
        {
            var paper = papers[random.Next(papers.Length)];
            var words = paper.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var start = random.Next(Math.Max(1, words.Length - 3));
            var taken = words.Skip(start).Take(random.Next(1, 4)).ToList();
            switch (i % 8)
            {
                case 0: // the word being typed
                    taken[^1] = taken[^1][..Math.Max(1, taken[^1].Length / 2)];
                    break;
                case 1 when taken[0].Length > 5: // a typo
                    taken[0] = taken[0].Remove(2, 1);
                    break;
                case 2: // an acronym of the title's words
                    taken = [string.Concat(words.Take(4).Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0])))];
                    break;
                case 3 when !paper.Authors.IsDefaultOrEmpty: // a citation
                    taken = [$"{paper.Authors[0].Split(' ')[^1]} et al.", paper.VenueName ?? string.Empty];
                    break;
                case 4: // joined words
                    taken = [string.Concat(taken)];
                    break;
                case 5: // lower case, no punctuation
                    taken = [.. taken.Select(w => new string([.. w.Where(char.IsLetterOrDigit)]).ToLowerInvariant())];
                    break;
            }

            yield return string.Join(' ', taken);
        }

        var fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "icml2024-phrases.tsv");
        foreach (var line in File.ReadLines(fixture).Where(l => l.Length > 0 && l[0] != '#'))
        {
            yield return line.Split('\t')[2];
        }

        yield return "注意力机制 transformer";
        yield return "大規模言語モデル";
        yield return "ICML'24";
        yield return "x";
        yield return string.Empty;
    }

    [Fact]
    public void Every_query_gets_the_same_answer_from_the_precomputed_index_as_from_the_json_lines()
    {
        var (built, read) = Catalogs.Value;
        var fromJson = new PaperCatalogSet(built);
        var fromFile = new PaperCatalogSet(read);
        var contexts = new[] { null, new SearchContext("icml", 2023), new SearchContext("iclr", 2023) };
        var compared = 0;
        foreach (var (query, n) in Queries().Select((q, n) => (q, n)))
        {
            var context = contexts[n % contexts.Length];
            Assert.Equal(Answer(fromJson.Search(query, 20, context)), Answer(fromFile.Search(query, 20, context)));
            var one = n % built.Length;
            Assert.Equal(Answer(built[one].Search(query, 5)), Answer(read[one].Search(query, 5)));
            compared++;
        }

        Assert.True(compared > 200, $"{compared} queries");
    }

    [Fact]
    public void Finding_by_id_and_by_pdf_path_works_on_the_read_catalog()
    {
        var (built, read) = Catalogs.Value;
        foreach (var paper in built[1].Papers.Where((_, i) => i % 97 == 0))
        {
            Assert.Equal(PaperJson.WriteCatalog([paper]), PaperJson.WriteCatalog([read[1].Find(paper.Id)!]));
        }

        Assert.Equal(built[0].CountInVenue("ICML.cc/2024/Conference"), read[0].CountInVenue("ICML.cc/2024/Conference"));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("another version")]
    [InlineData("flipped length")]
    [InlineData("garbage")]
    [InlineData("empty")]
    [InlineData("trailing bytes")]
    public void A_damaged_file_reads_as_null(string damage)
    {
        var bytes = PaperIndexFile.Write(PaperCatalog.Create("t", [new PaperRecord("AAAAAAAAAA", "Gated Linear Attention") { Authors = ["A. B"] }]));
        byte[] damaged = damage switch
        {
            "truncated" => bytes[..(bytes.Length - 9)],
            "another version" => [.. bytes[..4], 99, 0, 0, 0, .. bytes[8..]],
            "flipped length" => [.. bytes[..12], 0xff, 0xff, 0xff, 0x7f, .. bytes[16..]],
            "garbage" => [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))],
            "empty" => [],
            _ => [.. bytes, 0],
        };
        Assert.Null(PaperIndexFile.Read(damaged));
        Assert.Equal("AAAAAAAAAA", PaperIndexFile.Read(bytes)!.Search("gla", 1)[0].Paper.Id);
    }
    /// <summary>
    /// The file is read in place, so every id and offset in it is checked when it opens: a file with any byte
    /// changed either reads as null or gives a catalog whose searches and lookups answer without an exception.
    /// </summary>
    [Fact]
    public void A_file_with_any_byte_changed_reads_as_null_or_answers_without_an_exception()
    {
        var papers = PaperCatalog.LoadAllBundled()[2].Papers.Take(40).ToList();
        var bytes = PaperIndexFile.Write(PaperCatalog.Create("small", papers));
        var random = new Random(7);
        var opened = 0;
        for (var trial = 0; trial < 400; trial++)
        {
            var damaged = (byte[])bytes.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            if (PaperIndexFile.Read(damaged) is not { } catalog)
            {
                continue;
            }

            opened++;
            foreach (var query in new[] { "learning", "GLA", "neural netwroks", "Smith et al. ICML 2023", "trans", "注意力" })
            {
                _ = catalog.Search(query, 5, new SearchContext("icml", 2023));
            }

            _ = catalog.Find(papers[trial % papers.Count].Id);
            _ = catalog.FindByPdfPath("/pdf/x.pdf");
            _ = catalog.CountInVenue("ICML.cc/2023/Conference");
            Assert.Equal(catalog.Count, catalog.Papers.Count(p => p.Id.Length >= 0));
        }

        Assert.True(opened > 0, "some changed bytes (in text, weights) leave a readable file");
    }
    /// <summary>A search reuses the per-paper arrays of the last one; searches at once on one index must not see each other's.</summary>
    [Fact]
    public void Searches_running_at_once_answer_as_they_do_one_at_a_time()
    {
        var (_, read) = Catalogs.Value;
        var catalog = read[0];
        var queries = Queries().Take(120).ToList();
        var alone = queries.Select(q => Answer(catalog.Search(q, 10))).ToList();
        var together = new string[queries.Count * 4];
        Parallel.For(0, together.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => together[i] = Answer(catalog.Search(queries[i % queries.Count], 10)));
        for (var i = 0; i < together.Length; i++)
        {
            Assert.Equal(alone[i % queries.Count], together[i]);
        }
    }
}
