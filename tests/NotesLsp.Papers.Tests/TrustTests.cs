namespace NotesLsp.Papers.Tests;

/// <summary>What an answer from OpenReview (or a server posing as it) may and may not do to the user's cache.</summary>
public sealed class TrustTests : IDisposable
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

    private OpenReviewClient Client(FakeOpenReview server) =>
        new(http, new OpenReviewClientOptions { BaseUrl = server.BaseUrl + "/v2", FallbackBaseUrl = null, MaxRetries = 1 });

    [Fact]
    public async Task A_fetch_stores_only_the_paper_that_was_asked_for()
    {
        // The answer names another paper (a catalog paper, with a planted title): nothing is cached under its id.
        await using var server = new FakeOpenReview((_, _) => FakeResponse.Json(Fixtures.Notes(Fixtures.V2Note("OtherPaper1", "Planted title"))));
        var cache = new PaperCache(cacheDirectory);
        var result = await new PaperDownloads(Client(server), cache).FetchPaperAsync("RbiBKPtuHp", CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(PaperErrorKind.NotFound, result.Error!.Kind);
        Assert.Null(cache.ReadPaper("OtherPaper1"));
        Assert.Null(cache.ReadPaper("RbiBKPtuHp"));
    }

    [Fact]
    public void A_cached_paper_file_holding_another_paper_is_not_read_as_that_paper()
    {
        // A file written before the id check (or planted by hand) under one id with another paper inside.
        var cache = new PaperCache(cacheDirectory);
        Assert.True(cache.WritePaper(new PaperRecord("OtherPaper1", "Planted title"), DateTimeOffset.UnixEpoch).IsSuccess);
        File.Move(Path.Combine(cacheDirectory, "papers", "OtherPaper1.jsonl"), Path.Combine(cacheDirectory, "papers", "RbiBKPtuHp.jsonl"));

        Assert.DoesNotContain(cache.ReadAll(), c => c.Papers.Any(p => p.Id == "OtherPaper1"));
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("Infinity")]
    [InlineData("NaN")]
    [InlineData("79228162514264337593543950335")]
    public async Task A_huge_rate_limit_reset_is_reported_not_thrown(string reset)
    {
        await using var server = new FakeOpenReview((_, _) => new FakeResponse(429, """{"name":"RateLimitError"}""")
        {
            Headers = new Dictionary<string, string> { ["ratelimit-reset"] = reset },
        });

        var result = await Client(server).GetPaperAsync("RbiBKPtuHp", CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(PaperErrorKind.RateLimited, result.Error!.Kind);
    }

    [Fact]
    public void Stale_temporary_files_of_crashed_writes_are_removed_at_start_and_fresh_ones_kept()
    {
        var papers = Path.Combine(cacheDirectory, "papers");
        Directory.CreateDirectory(papers);
        var stale = Path.Combine(papers, "RbiBKPtuHp.jsonl.0123456789abcdef0123456789abcdef.tmp");
        var fresh = Path.Combine(papers, "Other.jsonl.fedcba9876543210fedcba9876543210.tmp");
        var unrelated = Path.Combine(papers, "notes.tmp");
        File.WriteAllText(stale, "half a write");
        File.WriteAllText(fresh, "a write in progress");
        File.WriteAllText(unrelated, "not ours");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromHours(2));
        File.SetLastWriteTimeUtc(unrelated, DateTime.UtcNow - TimeSpan.FromHours(2));

        var removed = new PaperCache(cacheDirectory).RemoveStaleTemporaryFiles(TimeSpan.FromHours(1));

        Assert.Equal(1, removed);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(unrelated));
    }
}

public sealed class TokenHostTests : IDisposable
{
    private readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task The_token_goes_only_to_official_hosts_unless_the_user_chose_the_url()
    {
        await using var server = new FakeOpenReview((_, _) => FakeResponse.Json(Fixtures.Notes(Fixtures.V2Note("RbiBKPtuHp", "T"))));
        var planted = new OpenReviewClient(http, new OpenReviewClientOptions { BaseUrl = server.BaseUrl, FallbackBaseUrl = server.BaseUrl, Token = "user-secret" });
        Assert.True((await planted.GetPaperAsync("RbiBKPtuHp", CancellationToken.None)).IsSuccess);
        Assert.All(server.Requests, r => Assert.Null(r.Authorization));

        var chosen = new OpenReviewClient(http, new OpenReviewClientOptions { BaseUrl = server.BaseUrl, FallbackBaseUrl = null, Token = "user-secret", TokenForAnyHost = true });
        Assert.True((await chosen.GetPaperAsync("RbiBKPtuHp", CancellationToken.None)).IsSuccess);
        Assert.Equal("Bearer user-secret", server.Requests.Last().Authorization);
    }

    [Theory]
    [InlineData("https://api2.openreview.net", true)]
    [InlineData("https://api.openreview.net/", true)]
    [InlineData("http://api2.openreview.net", false)]
    [InlineData("https://api2.openreview.net.evil.example", false)]
    [InlineData("https://evil.example/api2.openreview.net", false)]
    [InlineData("https://api2.openreview.net:8443", false)]
    [InlineData("https://user@api2.openreview.net", false)]
    [InlineData("not a url", false)]
    public void Official_hosts_are_exactly_the_openreview_apis_over_https(string baseUrl, bool official) =>
        Assert.Equal(official, OpenReviewClientOptions.IsOfficialHost(baseUrl));
}
