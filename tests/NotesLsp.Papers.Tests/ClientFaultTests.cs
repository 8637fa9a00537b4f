using System.Diagnostics;

namespace NotesLsp.Papers.Tests;

/// <summary>
/// Faults of the network itself, beyond the ones OpenReview sends on purpose: a stalled link, a reset connection
/// and an answer too large to hold. Each must end in a bounded time with a clear failure and cache nothing.
/// </summary>
/// <remarks>
/// Run alone: the 50 MB cases count the process's allocations to show the body was not buffered, and a test of
/// another class running meanwhile once allocated past the margin (a red CI on an unrelated change).
/// </remarks>
[Collection(MeasuredAlone.Name)]
public sealed class ClientFaultTests : IDisposable
{
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

    [Fact]
    public void The_default_cap_leaves_room_for_a_full_page_but_not_for_50_MB() =>
        Assert.Equal(16L << 20, new OpenReviewClientOptions().MaxResponseBytes);

    [Theory]
    [InlineData("drip", "Timeout: OpenReview did not answer within 1.5 s.")]
    [InlineData("reset", "Malformed: OpenReview's answer was cut short.")]
    [InlineData("50MB", "Malformed: OpenReview's answer is larger than 1 MB; it was not read.")]
    [InlineData("50MB-unannounced", "Malformed: OpenReview's answer is larger than 1 MB; it was not read.")]
    public async Task Network_faults_fail_in_bounded_time_with_a_clear_message_and_cache_nothing(string fault, string expected)
    {
        var good = Fixtures.Notes(Fixtures.V2Note("RbiBKPtuHp", "T"));
        await using var server = new FakeOpenReview((_, _) => fault switch
        {
            "drip" => FakeResponse.Json(good) with { DripInterval = TimeSpan.FromSeconds(1) },
            "reset" => FakeResponse.Json(good) with { ResetAt = 40 },
            "50MB" => FakeResponse.Json(good) with { PadTo = 50L << 20 },
            "50MB-unannounced" => FakeResponse.Json(good) with { PadTo = 50L << 20, OmitLength = true },
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        });
        var client = new OpenReviewClient(http, new OpenReviewClientOptions
        {
            BaseUrl = server.BaseUrl + "/v2",
            FallbackBaseUrl = null,
            RequestTimeout = TimeSpan.FromSeconds(1.5),
            MaxResponseBytes = 1L << 20,
        });
        var cache = new PaperCache(cacheDirectory);
        var downloads = new PaperDownloads(client, cache);
        var before = GC.GetTotalAllocatedBytes(precise: false);
        var clock = Stopwatch.StartNew();

        var paper = await downloads.FetchPaperAsync("RbiBKPtuHp", CancellationToken.None);

        Assert.Equal(expected, Describe(paper));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        if (fault.StartsWith("50MB", StringComparison.Ordinal))
        {
            // The cap bounds what is read: far less than the 50 MB sent (other tests may allocate meanwhile).
            Assert.True(GC.GetTotalAllocatedBytes(precise: false) - before < 30L << 20, "the body must not be buffered whole");
        }

        var venue = await downloads.DownloadVenueAsync("ICML.cc/2024/Conference", null, CancellationToken.None);
        Assert.Equal(expected, Describe(venue));
        Assert.Empty(cache.ReadAll());
        Assert.False(Directory.Exists(cacheDirectory) && Directory.EnumerateFiles(cacheDirectory, "*", SearchOption.AllDirectories).Any());
    }
}

/// <summary>Tests that measure the whole process (its allocations) run with no other test alongside.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "Measured alone (not parallel)";
}
