using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;

namespace NotesLsp.Papers.Tests;

/// <summary>
/// A venue download against a server that never stops sending full pages (issue 16: 60 pages held 3.6 GB in the
/// CLI and 4.3 GB in the server): the total is bounded in bytes and in papers, each page goes to disk as it
/// arrives and is not kept, and a download that does not finish leaves no file behind.
/// </summary>
public sealed class VenueDownloadBoundTests : IDisposable
{
    private const string Venue = "ICML.cc/2024/Conference";
    private readonly HttpClient http = new();
    private readonly string cacheDirectory = Path.Combine(Path.GetTempPath(), "notes-lsp-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        http.Dispose();
        if (Directory.Exists(cacheDirectory))
        {
            Directory.Delete(cacheDirectory, recursive: true);
        }
    }

    private static string Describe<T>(PaperResult<T> result) => result.IsSuccess ? "ok" : $"{result.Error!.Kind}: {result.Error.Message}";

    private OpenReviewClient Client(FakeOpenReview server, int pageSize = 100, int maxPapers = 50_000, long maxBytes = 256L << 20) => new(http, new OpenReviewClientOptions
    {
        BaseUrl = server.BaseUrl + "/v2",
        FallbackBaseUrl = null,
        RequestTimeout = TimeSpan.FromSeconds(30),
        PageSize = pageSize,
        MaxVenuePapers = maxPapers,
        MaxVenueBytes = maxBytes,
    });

    private string[] CacheFiles() => Directory.Exists(cacheDirectory) ? Directory.GetFiles(cacheDirectory, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public void The_default_bounds_leave_room_for_the_largest_real_venues()
    {
        var options = new OpenReviewClientOptions();
        Assert.Equal(50_000, options.MaxVenuePapers);
        Assert.Equal(256L << 20, options.MaxVenueBytes);
    }

    [Fact]
    public async Task Endless_full_pages_stop_at_the_paper_bound_with_a_clear_message_and_leave_no_cache_file()
    {
        await using var server = new FakeOpenReview((target, _) => FakeResponse.Json(Fixtures.FullPage(target)));
        var downloads = new PaperDownloads(Client(server, pageSize: 100, maxPapers: 1000), new PaperCache(cacheDirectory));

        var result = await downloads.DownloadVenueAsync(Venue, null, CancellationToken.None);

        Assert.Equal($"Malformed: OpenReview sent more papers for {Venue}, more than the limit of 1,000; the download stopped there and nothing was kept (no venue is that large, so the answer is likely broken).", Describe(result));
        Assert.Equal(11, server.Requests.Count);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public async Task Endless_large_pages_stop_at_the_byte_bound_with_a_clear_message_and_leave_no_cache_file()
    {
        // Each page is a short list padded to 300 KB, well under the per-page cap: only the total can stop it.
        await using var server = new FakeOpenReview((target, _) => FakeResponse.Json(Fixtures.FullPage(target)) with { PadTo = 300_000 });
        var downloads = new PaperDownloads(Client(server, pageSize: 10, maxBytes: 1L << 20), new PaperCache(cacheDirectory));

        var result = await downloads.DownloadVenueAsync(Venue, null, CancellationToken.None);

        Assert.Equal($"Malformed: OpenReview sent more than 1 MB for {Venue}; the download stopped there and nothing was kept (no venue is that large, so the answer is likely broken).", Describe(result));
        Assert.Equal(4, server.Requests.Count);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public async Task A_listed_count_above_the_bound_fails_at_the_first_page()
    {
        await using var server = new FakeOpenReview((target, _) => FakeResponse.Json(Fixtures.FullPage(target, count: 10_000_000)));
        var downloads = new PaperDownloads(Client(server, maxPapers: 1000), new PaperCache(cacheDirectory));

        var result = await downloads.DownloadVenueAsync(Venue, null, CancellationToken.None);

        Assert.Equal($"Malformed: OpenReview lists 10,000,000 papers for {Venue}, more than the limit of 1,000; the download stopped there and nothing was kept (no venue is that large, so the answer is likely broken).", Describe(result));
        Assert.Single(server.Requests);
        Assert.Empty(CacheFiles());
    }

    /// <summary>
    /// What the client holds while it downloads: each page is handed over as it arrives, and once the next pages
    /// have come, no earlier page's papers are reachable from the client any more (they were collected).
    /// </summary>
    [Fact]
    public async Task The_client_hands_over_each_page_and_keeps_none_of_the_earlier_ones()
    {
        const int pages = 8;
        await using var server = new FakeOpenReview((target, _) => FakeResponse.Json(Fixtures.FullPage(target, count: pages * 100)));
        var handed = new List<WeakReference>();
        var sizes = new List<int>();
        var aliveEarlier = new List<int>();

        var result = await Client(server, pageSize: 100).GetVenuePapersAsync(Venue, page =>
        {
            sizes.Add(page.Length);
            aliveEarlier.Add(CountAlive(handed));
            Remember(handed, page);
            return null;
        }, null, CancellationToken.None);

        Assert.Equal("ok", Describe(result));
        Assert.Equal(pages * 100, result.Value);
        Assert.Equal(Enumerable.Repeat(100, pages), sizes);

        // At page k, the papers of pages 0..k-2 are gone; the one just before may still be on the way out.
        Assert.All(aliveEarlier, alive => Assert.InRange(alive, 0, 100));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Remember(List<WeakReference> handed, ImmutableArray<PaperRecord> page) =>
        handed.AddRange(page.Select(p => new WeakReference(p)));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CountAlive(List<WeakReference> handed)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return handed.Count(w => w.IsAlive);
    }

    [Theory]
    [InlineData("500 on the third page")]
    [InlineData("cancelled on the third page")]
    [InlineData("broken third page")]
    public async Task A_download_that_does_not_finish_deletes_its_temporary_file_and_keeps_the_previous_cache(string fault)
    {
        var cache = new PaperCache(cacheDirectory);
        Assert.True(cache.WriteVenue(Venue, [new PaperRecord("AAAAAAAAAA", "Kept")], DateTimeOffset.UnixEpoch).IsSuccess);
        using var cancel = new CancellationTokenSource();
        await using var server = new FakeOpenReview((target, n) =>
        {
            if (n < 2)
            {
                return FakeResponse.Json(Fixtures.FullPage(target, count: 1000));
            }

            switch (fault)
            {
                case "500 on the third page":
                    return new FakeResponse(500, Fixtures.ServerError);
                case "broken third page":
                    return FakeResponse.Json("""{"notes":[{"id":""");
                default:
                    cancel.Cancel();
                    return FakeResponse.Json(Fixtures.FullPage(target, count: 1000)) with { Delay = TimeSpan.FromSeconds(5) };
            }
        });
        var temporaryFilesSeen = 0;
        var progress = new SynchronousProgress<VenueDownloadProgress>(_ =>
            temporaryFilesSeen = Math.Max(temporaryFilesSeen, Directory.GetFiles(cacheDirectory, "*.tmp", SearchOption.AllDirectories).Length));

        var result = await new PaperDownloads(Client(server), cache).DownloadVenueAsync(Venue, progress, cancel.Token);

        Assert.False(result.IsSuccess);
        Assert.Equal(1, temporaryFilesSeen);
        Assert.Equal(["Kept"], cache.ReadVenue(Venue)!.Papers.Select(p => p.Title));
        Assert.Empty(Directory.GetFiles(cacheDirectory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_venue_streamed_page_by_page_reads_back_whole_in_order()
    {
        await using var server = new FakeOpenReview((target, _) =>
        {
            var offset = Fixtures.QueryNumber(target, "offset");
            var notes = Enumerable.Range(offset, Math.Min(100, 250 - offset)).Select(i => Fixtures.V2Note($"S{i:D9}", $"Streamed {i}"));
            return FakeResponse.Json(Fixtures.Page(250, notes));
        });
        var cache = new PaperCache(cacheDirectory);

        var result = await new PaperDownloads(Client(server), cache).DownloadVenueAsync(Venue, null, CancellationToken.None);

        Assert.Equal("ok", Describe(result));
        Assert.Equal(250, result.Value!.Count);
        var cached = cache.ReadVenue(Venue);
        Assert.NotNull(cached);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"Streamed {i}"), cached.Papers.Select(p => p.Title));
        Assert.Equal(result.Value.FetchedAt.ToUnixTimeMilliseconds(), cached.FetchedAt.ToUnixTimeMilliseconds());
        Assert.Equal(result.Value.Path, Assert.Single(CacheFiles()));
    }

    [Fact]
    public void A_cache_file_written_before_streaming_with_an_unpadded_header_still_reads()
    {
        var payload = Encoding.UTF8.GetBytes("""{"id":"AAAAAAAAAA","title":"Old Format"}""" + "\n");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload));
        var path = Path.Combine(cacheDirectory, "venues", Uri.EscapeDataString(Venue) + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes($"notes-lsp-cache/1 1714610512428 {payload.Length} {sha}\n"), .. payload]);

        var cached = new PaperCache(cacheDirectory).ReadVenue(Venue);

        Assert.Equal(["Old Format"], cached!.Papers.Select(p => p.Title));
        Assert.Equal(1714610512428, cached.FetchedAt.ToUnixTimeMilliseconds());
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
