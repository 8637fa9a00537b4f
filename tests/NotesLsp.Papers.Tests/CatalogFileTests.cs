using System.IO.Compression;
using System.Text;

namespace NotesLsp.Papers.Tests;

public sealed class CatalogFileTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "notes-lsp-tests-" + Guid.NewGuid().ToString("N"));

    public CatalogFileTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private const string UserCatalog = """
        # my reading list
        {"id":"AAAAAAAAAA","title":"  A   Paper\nwith spaces ","authors":["X"],"decision":"oral","venue":"ICLR 2024 oral","venueid":"ICLR.cc/2024/Conference","tldr":"t","keywords":["k1","k2"],"published":1714610512428}
        {"id":"BBBBBBBBBB","title":"Authors As Objects","authors":[{"fullname":"Ada Lovelace","username":"~Ada1"}],"venue":"ICLR 2024 poster"}

        {"id":"CCCCCCCCCC"}
        {not json
        ["an array"]
        {"id":"DDDDDDDDDD","content":{"title":{"value":"An API Note"},"venue":{"value":"NeurIPS 2024 spotlight"}}}
        """;

    [Fact]
    public void A_user_catalog_reads_papers_and_counts_the_lines_it_skipped()
    {
        var path = Path.Combine(directory, "mine.jsonl");
        File.WriteAllText(path, UserCatalog);
        var result = PaperCatalog.LoadFile(path);
        Assert.True(result.IsSuccess);
        var catalog = result.Value!;
        Assert.Equal(3, catalog.SkippedLines);
        Assert.Equal(["AAAAAAAAAA A Paper with spaces Oral", "BBBBBBBBBB Authors As Objects Poster", "DDDDDDDDDD An API Note Spotlight"],
            catalog.Papers.Select(p => $"{p.Id} {p.Title} {p.Decision}"));
        Assert.Equal("Ada Lovelace", catalog.Find("BBBBBBBBBB")!.Authors[0]);
        Assert.Equal(["k1", "k2"], catalog.Find("AAAAAAAAAA")!.Keywords.ToArray());
    }

    [Fact]
    public void A_gzip_catalog_reads_the_same_and_a_missing_file_is_a_message()
    {
        var path = Path.Combine(directory, "mine.jsonl.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(UserCatalog));
        }

        Assert.Equal(3, PaperCatalog.LoadFile(path).Value!.Count);
        var missing = PaperCatalog.LoadFile(Path.Combine(directory, "nope.jsonl"));
        Assert.Equal(PaperErrorKind.Io, missing.Error!.Kind);
        Assert.StartsWith("Could not read the paper catalog", missing.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_lines_round_trip_through_the_writer()
    {
        var paper = new PaperRecord("AAAAAAAAAA", "T") { Authors = ["A", "B"], Venue = "ICML 2024 Oral", VenueId = "ICML.cc/2024/Conference", Decision = PaperDecision.Oral, Abstract = "x", Tldr = "y", Keywords = ["k"], PdfUrl = "/pdf/1.pdf", Published = DateTimeOffset.FromUnixTimeMilliseconds(1000) };
        var back = PaperJson.ReadCatalog(PaperJson.WriteCatalog([paper]), null, out var skipped);
        Assert.Equal(0, skipped);
        var read = Assert.Single(back);
        Assert.Equal(paper with { Authors = [], Keywords = [] }, read with { Authors = [], Keywords = [] });
        Assert.Equal(["A", "B"], read.Authors.ToArray());
    }

    [Fact]
    public void The_cache_ignores_damaged_files_and_keeps_fetch_times()
    {
        var cache = new PaperCache(directory);
        var fetched = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        Assert.True(cache.WriteVenue("ICML.cc/2024/Conference", [new PaperRecord("AAAAAAAAAA", "One"), new PaperRecord("BBBBBBBBBB", "Two")], fetched).IsSuccess);
        Assert.True(cache.WritePaper(new PaperRecord("CCCCCCCCCC", "Three"), fetched).IsSuccess);
        var venue = cache.ReadVenue("ICML.cc/2024/Conference")!;
        Assert.Equal((fetched, 2), (venue.FetchedAt, venue.Papers.Length));
        Assert.Equal(3, cache.LoadCatalog().Count);

        // Half-written (cut short), flipped byte, and garbage files are all ignored, never a crash.
        var path = Directory.GetFiles(Path.Combine(directory, "venues")).Single();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        Assert.Null(cache.ReadVenue("ICML.cc/2024/Conference"));
        bytes[^5] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        Assert.Null(cache.ReadVenue("ICML.cc/2024/Conference"));
        File.WriteAllText(path, "garbage");
        Assert.Null(cache.ReadVenue("ICML.cc/2024/Conference"));
        File.WriteAllBytes(path, []);
        Assert.Null(cache.ReadVenue("ICML.cc/2024/Conference"));
        Assert.Equal(["Three"], cache.LoadCatalog().Papers.Select(p => p.Title));
    }

    [Fact]
    public void The_cache_folder_follows_xdg_then_home()
    {
        Assert.Equal(Path.Combine("/x/cache", "notes-lsp"), PaperCache.DefaultDirectory(name => name == "XDG_CACHE_HOME" ? "/x/cache" : null));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal("/home/u/.cache/notes-lsp", PaperCache.DefaultDirectory(name => name == "HOME" ? "/home/u" : null));
            Assert.Equal("/home/u/.cache/notes-lsp", PaperCache.DefaultDirectory(name => name switch { "HOME" => "/home/u", "XDG_CACHE_HOME" => "relative", _ => null }));
        }
    }
}
