namespace NotesLsp.Papers.Tests;

public sealed class ClientTests : IDisposable
{
    private const string Token = "secret-token-123";
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

    private OpenReviewClient Client(FakeOpenReview server, string? token = null, TimeSpan? timeout = null, bool fallback = true) => new(http, new OpenReviewClientOptions
    {
        BaseUrl = server.BaseUrl + "/v2",
        FallbackBaseUrl = fallback ? server.BaseUrl + "/v1" : null,
        Token = token,
        TokenForAnyHost = true,
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(5),
        MaxRetryWait = TimeSpan.FromSeconds(5),
    });

    private static string Describe<T>(PaperResult<T> result) => result.IsSuccess ? "ok" : $"{result.Error!.Kind}: {result.Error.Message}";

    [Fact]
    public async Task A_v2_paper_is_read_with_every_field_and_the_token_is_sent()
    {
        await using var server = new FakeOpenReview((target, _) => FakeResponse.Json(Fixtures.Notes(Fixtures.V2Note("RbiBKPtuHp", "Dynamic Heads", extra: ""","TLDR":{"value":"Short."},"keywords":{"value":["attention"]}"""))));
        var result = await Client(server, Token).GetPaperAsync("RbiBKPtuHp", CancellationToken.None);

        Assert.Equal("ok", Describe(result));
        var paper = result.Value!;
        Assert.Equal(("RbiBKPtuHp", "Dynamic Heads"), (paper.Id, paper.Title));
        Assert.Equal(["A. Author", "B. Author"], paper.Authors.ToArray());
        Assert.Equal(("ICML 2024 Oral", "ICML.cc/2024/Conference", PaperDecision.Oral), (paper.Venue, paper.VenueId, paper.Decision));
        Assert.Equal(("An abstract.", "Short."), (paper.Abstract, paper.Tldr));
        Assert.Equal(["attention"], paper.Keywords.ToArray());
        Assert.Equal("/pdf/e92f71b36bf501a4596d0b0a2285f14e5d15d076.pdf", paper.PdfUrl);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1714610512428), paper.Published);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("/v2/notes?id=RbiBKPtuHp", "Bearer " + Token), request);
    }

    [Fact]
    public async Task Authors_given_as_objects_are_read_by_full_name()
    {
        await using var server = new FakeOpenReview((_, _) => FakeResponse.Json(Fixtures.Notes(Fixtures.V2Note("RbiBKPtuHp", "T", authors: """[{"fullname":"Ada Lovelace","username":"~Ada_Lovelace1"},{"username":"~Only_User1"}]"""))));
        var result = await Client(server).GetPaperAsync("RbiBKPtuHp", CancellationToken.None);
        Assert.Equal(["Ada Lovelace", "~Only_User1"], result.Value!.Authors.ToArray());
        Assert.Null(Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task An_id_unknown_to_v2_is_asked_of_v1_which_has_tldr_and_keywords()
    {
        await using var server = new FakeOpenReview((target, _) => target.StartsWith("/v2/", StringComparison.Ordinal)
            ? new FakeResponse(404, Fixtures.NotFound)
            : FakeResponse.Json(Fixtures.Notes(Fixtures.V1Note("B1ePkHe_x-", "Old Graphs"))));
        var result = await Client(server).GetPaperAsync("B1ePkHe_x-", CancellationToken.None);

        Assert.Equal("ok", Describe(result));
        Assert.Equal(("Old Graphs", "A v1 summary.", PaperDecision.Poster), (result.Value!.Title, result.Value.Tldr, result.Value.Decision));
        Assert.Equal(["graphs", "attention"], result.Value.Keywords.ToArray());
        Assert.Equal(["/v2/notes?id=B1ePkHe_x-", "/v1/notes?id=B1ePkHe_x-"], server.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task A_venue_is_paged_by_offset_with_at_most_1000_per_page()
    {
        const int total = 2500;
        await using var server = new FakeOpenReview((target, _) =>
        {
            var offset = int.Parse(target[(target.IndexOf("offset=", StringComparison.Ordinal) + 7)..], System.Globalization.CultureInfo.InvariantCulture);
            var count = Math.Min(1000, total - offset);
            return FakeResponse.Json(Fixtures.Page(total, Enumerable.Range(offset, count).Select(i => Fixtures.V2Note($"P{i:D9}", $"Paper {i}"))));
        });
        var reports = new List<VenueDownloadProgress>();
        var result = await Client(server).GetVenuePapersAsync("ICML.cc/2024/Conference", new SynchronousProgress<VenueDownloadProgress>(reports.Add), CancellationToken.None);

        Assert.Equal("ok", Describe(result));
        Assert.Equal(total, result.Value.Length);
        Assert.Equal(
            [
                "/v2/notes?content.venueid=ICML.cc%2F2024%2FConference&limit=1000&offset=0",
                "/v2/notes?content.venueid=ICML.cc%2F2024%2FConference&limit=1000&offset=1000",
                "/v2/notes?content.venueid=ICML.cc%2F2024%2FConference&limit=1000&offset=2000",
            ],
            server.Requests.Select(r => r.Target));
        Assert.Equal([new(1000, total), new(2000, total), new VenueDownloadProgress(2500, total)], reports);
    }

    [Fact]
    public async Task Rate_limits_are_waited_out_when_retry_after_is_short()
    {
        await using var server = new FakeOpenReview((_, n) => n == 0
            ? new FakeResponse(429, Fixtures.RateLimit) { Headers = new Dictionary<string, string> { ["Retry-After"] = "1" } }
            : FakeResponse.Json(Fixtures.Notes(Fixtures.V2Note("RbiBKPtuHp", "T"))));
        var started = DateTime.UtcNow;
        var result = await Client(server).GetPaperAsync("RbiBKPtuHp", CancellationToken.None);
        Assert.Equal("ok", Describe(result));
        Assert.Equal(2, server.Requests.Count);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9), "the client must wait for Retry-After");
    }

    // Each fault of OPENREVIEW.md, and what a person is told.
    [Theory]
    [InlineData("slow", "Timeout: OpenReview did not answer within 0.5 s.")]
    [InlineData("429-long", "RateLimited: OpenReview limits how often it answers; try again in 3600 s.")]
    [InlineData("500", "ServerError: OpenReview had an error (500): Something went wrong; try again later.")]
    [InlineData("html", "LoginRequired: OpenReview asks for a login (it answered with a browser check page). Set notes.openreview.token or the OPENREVIEW_TOKEN environment variable.")]
    [InlineData("challenge", "LoginRequired: OpenReview asks for a login (ChallengeRequiredError). Set notes.openreview.token or the OPENREVIEW_TOKEN environment variable.")]
    [InlineData("malformed", "Malformed: OpenReview's answer is not valid JSON (it may have been cut short).")]
    [InlineData("404", "NotFound: OpenReview has no paper with the id RbiBKPtuHp.")]
    [InlineData("truncated", "Malformed: OpenReview's answer was cut short.")]
    [InlineData("wrong-shape", "Malformed: OpenReview's answer has no list of notes.")]
    public async Task Faults_become_failures_with_a_clear_message_and_never_leak_the_token(string fault, string expected)
    {
        var good = Fixtures.Notes(Fixtures.V2Note("RbiBKPtuHp", "T"));
        await using var server = new FakeOpenReview((_, _) => fault switch
        {
            "slow" => FakeResponse.Json(good) with { Delay = TimeSpan.FromSeconds(5) },
            "429-long" => new FakeResponse(429, Fixtures.RateLimit) { Headers = new Dictionary<string, string> { ["Retry-After"] = "3600" } },
            "500" => new FakeResponse(500, Fixtures.ServerError),
            "html" => new FakeResponse(200, Fixtures.BrowserCheck, "text/html; charset=utf-8"),
            "challenge" => new FakeResponse(403, Fixtures.Challenge),
            "malformed" => FakeResponse.Json("""{"notes":[{"id":"RbiBKPtuHp","content":{"title":"""),
            "404" => new FakeResponse(404, Fixtures.NotFound),
            "truncated" => FakeResponse.Json(good) with { TruncateAt = 40 },
            "wrong-shape" => FakeResponse.Json("""{"groups":[]}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        });
        var result = await Client(server, Token, TimeSpan.FromSeconds(fault == "slow" ? 0.5 : 10), fallback: false).GetPaperAsync("RbiBKPtuHp", CancellationToken.None);
        Assert.Equal(expected, Describe(result));
        Assert.DoesNotContain(Token, result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_is_a_failure_result_not_an_exception()
    {
        await using var server = new FakeOpenReview((_, _) => FakeResponse.Json("{}") with { Delay = TimeSpan.FromSeconds(5) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var result = await Client(server).GetVenuePapersAsync("ICML.cc/2024/Conference", null, cancel.Token);
        Assert.Equal("Cancelled: Cancelled.", Describe(result));
    }

    [Fact]
    public void The_token_comes_from_the_setting_else_the_environment_and_is_never_printed()
    {
        Assert.Equal("set", OpenReviewClientOptions.ResolveToken("set", _ => "env"));
        Assert.Equal("env", OpenReviewClientOptions.ResolveToken(" ", name => name == "OPENREVIEW_TOKEN" ? "env" : null));
        Assert.Null(OpenReviewClientOptions.ResolveToken(null, _ => null));
        var printed = new OpenReviewClientOptions { Token = Token }.ToString();
        Assert.DoesNotContain(Token, printed, StringComparison.Ordinal);
        Assert.Contains("(hidden)", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_downloaded_venue_is_cached_and_a_later_failure_leaves_that_cache_intact()
    {
        var fail = false;
        await using var server = new FakeOpenReview((_, _) => fail
            ? new FakeResponse(200, Fixtures.BrowserCheck, "text/html")
            : FakeResponse.Json(Fixtures.Page(2, [Fixtures.V2Note("AAAAAAAAAA", "First"), Fixtures.V2Note("BBBBBBBBBB", "Second")])));
        var cache = new PaperCache(cacheDirectory);
        var downloads = new PaperDownloads(Client(server), cache);

        var first = await downloads.DownloadVenueAsync("ICML.cc/2024/Conference", null, CancellationToken.None);
        Assert.Equal("ok", Describe(first));
        fail = true;
        var second = await downloads.DownloadVenueAsync("ICML.cc/2024/Conference", null, CancellationToken.None);
        Assert.Equal(PaperErrorKind.LoginRequired, second.Error!.Kind);

        var cached = cache.ReadVenue("ICML.cc/2024/Conference");
        Assert.NotNull(cached);
        Assert.Equal(["First", "Second"], cached.Papers.Select(p => p.Title));
        Assert.Equal(first.Value!.FetchedAt.ToUnixTimeMilliseconds(), cached.FetchedAt.ToUnixTimeMilliseconds());
        Assert.Empty(Directory.GetFiles(cacheDirectory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_failed_single_paper_fetch_caches_nothing()
    {
        await using var server = new FakeOpenReview((_, _) => new FakeResponse(500, Fixtures.ServerError));
        var cache = new PaperCache(cacheDirectory);
        var result = await new PaperDownloads(Client(server), cache).FetchPaperAsync("RbiBKPtuHp", CancellationToken.None);
        Assert.False(result.IsSuccess);
        Assert.Null(cache.ReadPaper("RbiBKPtuHp"));
        Assert.Empty(cache.ReadAll());
    }

    /// <summary>Progress that reports on the caller's thread, so the test sees every report in order.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
