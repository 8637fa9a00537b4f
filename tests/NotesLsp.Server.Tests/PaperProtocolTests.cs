using NotesLsp.Papers.Tests;

namespace NotesLsp.Server.Tests;

public sealed class PaperProtocolTests : IDisposable
{
    private readonly string cache = Directory.CreateTempSubdirectory("notes-lsp-cache-").FullName;

    public void Dispose() => Directory.Delete(cache, recursive: true);

    /// <summary>Settings that keep the server off the real network: offline, or pointed at a loopback fake.</summary>
    private object Settings(string? baseUrl = null) => new
    {
        settings = new
        {
            openReview = new { online = baseUrl is not null, baseUrl = baseUrl ?? "http://127.0.0.1:9", fallbackBaseUrl = "" },
            papers = new { cacheDirectory = cache },
        },
    };

    [Fact]
    public async Task A_user_catalog_named_relative_to_the_workspace_is_searched_first()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string>
        {
            ["refs/mine.jsonl"] = """{"id":"Mine000001","title":"Platypus Attention for Reading Lists","decision":"Poster","venue":"Workshop 2026 Poster"}""" + "\n{broken\n",
        });
        await harness.InitializeAsync(initializationOptions: new
        {
            settings = new { openReview = new { online = false }, papers = new { cacheDirectory = cache, catalogs = new[] { "refs/mine.jsonl" } } },
        });
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "[platypus read\n");
        var list = await harness.Client.RequestAsync("textDocument/completion", At(uri, 0, 14));
        Assert.Equal("Platypus Attention for Reading Lists", (string?)list!["items"]![0]!["label"]);
        Assert.Contains("skipped 1 lines that are not papers", harness.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_heading_begun_but_too_short_to_search_is_an_incomplete_list_so_the_editor_asks_again()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync(initializationOptions: Settings());
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "## Di\n");
        var early = await harness.Client.RequestAsync("textDocument/completion", At(uri, 0, 5));
        Assert.True((bool)early!["isIncomplete"]!);
        Assert.DoesNotContain(early["items"]!.AsArray(), i => ((string?)i!["label"] ?? "").StartsWith("DiJiang", StringComparison.Ordinal));
        await harness.Client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version = 2 }, contentChanges = new object[] { new { text = "## DiJiang Efficient\n" } } });
        var later = await harness.Client.RequestAsync("textDocument/completion", At(uri, 0, 20));
        Assert.Equal("DiJiang: Efficient Large Language Models through Compact Kernelization", (string?)later!["items"]![0]!["label"]);
    }

    [Fact]
    public async Task The_search_command_answers_ranked_papers_for_the_clients_picker()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        var init = await harness.InitializeAsync(initializationOptions: Settings());
        Assert.Contains("notes.papers.search", init!["capabilities"]!["executeCommandProvider"]!["commands"]!.AsArray().Select(c => (string?)c));
        var result = await harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.search", arguments = new object[] { "stealing production llm", 2 } });
        var rows = result!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Equal(("VE3yWXt3KB", "Stealing part of a production language model", "ICML 2024", "Oral"),
            ((string?)rows[0]!["id"], (string?)rows[0]!["title"], (string?)rows[0]!["venue"], (string?)rows[0]!["decision"]));
        Assert.True((double)rows[0]!["score"]! > (double)rows[1]!["score"]!);
    }

    [Fact]
    public async Task A_failed_download_is_an_error_with_the_login_message_and_caches_nothing()
    {
        await using var fake = new FakeOpenReview((_, _) => new FakeResponse(403, Fixtures.Challenge));
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync(initializationOptions: Settings(fake.BaseUrl));
        var error = await Assert.ThrowsAsync<NotesLsp.LspDriver.LspErrorException>(() =>
            harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.downloadVenue", arguments = new[] { "ICLR.cc/2025/Conference" } }));
        Assert.Equal(-32803, error.Code);
        Assert.Contains("OpenReview asks for a login (ChallengeRequiredError)", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cache, "*", SearchOption.AllDirectories));
    }

    // Issue 16: 60 endless pages took the server to 4.3 GB. Now the default bound (50,000 papers) stops the
    // download with a clear error, the pages streamed to a temporary file are deleted, and the server answers on.
    [Fact]
    public async Task A_download_of_endless_full_pages_stops_at_the_bound_with_a_clear_error_and_caches_nothing()
    {
        await using var fake = new FakeOpenReview((target, _) => FakeResponse.Json(Fixtures.FullPage(target)));
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync(initializationOptions: Settings(fake.BaseUrl));
        var error = await Assert.ThrowsAsync<NotesLsp.LspDriver.LspErrorException>(() =>
            harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.downloadVenue", arguments = new[] { "ICLR.cc/2025/Conference" } }));
        Assert.Equal(-32803, error.Code);
        Assert.Contains("OpenReview sent more papers for ICLR.cc/2025/Conference, more than the limit of 50,000; the download stopped there and nothing was kept", error.Message, StringComparison.Ordinal);
        Assert.Equal(51, fake.Requests.Count);
        Assert.Empty(Directory.GetFiles(cache, "*", SearchOption.AllDirectories));

        var result = await harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.search", arguments = new object[] { "stealing production llm", 1 } });
        Assert.Equal("VE3yWXt3KB", (string?)result!.AsArray()[0]!["id"]);
    }

    private static object At(string uri, int line, int character) => new { textDocument = new { uri }, position = new { line, character } };

    [Fact]
    public async Task Link_text_completion_replaces_the_typed_text_with_a_titled_forum_link()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        var init = await harness.InitializeAsync(initializationOptions: Settings());
        Assert.Equal("[", (string?)init!["capabilities"]!["completionProvider"]!["triggerCharacters"]![0]);
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "# Day 1\n- [dynamically comp\n");

        var list = await harness.Client.RequestAsync("textDocument/completion", At(uri, 1, 19));
        Assert.True((bool)list!["isIncomplete"]!);
        var first = list["items"]![0]!;
        Assert.Equal("Improving Transformers with Dynamically Composable Multi-Head Attention", (string?)first["label"]);
        Assert.Equal("[dynamically comp", (string?)first["filterText"]);
        Assert.Equal("0000", (string?)first["sortText"]);
        Assert.Equal("""{"range":{"start":{"line":1,"character":2},"end":{"line":1,"character":19}},"newText":"[Improving Transformers with Dynamically Composable Multi-Head Attention](https://openreview.net/forum?id=RbiBKPtuHp)"}""",
            first["textEdit"]!.ToJsonString());
    }

    [Fact]
    public async Task Hover_on_the_example_notes_links_is_markdown_and_offline_unknown_ids_say_so()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(withExamples: true);
        await harness.InitializeAsync(initializationOptions: Settings());
        var uri = harness.Uri("icml2024-oral-papers.md");
        var text = await File.ReadAllTextAsync(Path.Combine(harness.Workspace!, "icml2024-oral-papers.md"));
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("id=6XH8R7YrSk", StringComparison.Ordinal));

        var hover = await harness.Client.RequestAsync("textDocument/hover", At(uri, line, 10));
        Assert.Equal("markdown", (string?)hover!["contents"]!["kind"]);
        Assert.StartsWith("**Is DPO Superior to PPO for LLM Alignment? A Comprehensive Study**", (string?)hover["contents"]!["value"], StringComparison.Ordinal);

        var venueLine = Array.FindIndex(lines, l => l.Contains("linkpreview", StringComparison.Ordinal));
        var venue = await harness.Client.RequestAsync("textDocument/hover", At(uri, venueLine, 30));
        Assert.Contains("2610 papers of this venue are cached.", (string?)venue!["contents"]!["value"], StringComparison.Ordinal);

        var other = harness.Uri("b.md");
        await harness.OpenAsync(other, "https://openreview.net/forum?id=Unknown001\n");
        var unknown = await harness.Client.RequestAsync("textDocument/hover", At(other, 0, 5));
        Assert.Contains("Not in any catalog and not cached. Online lookups are off (notes.openreview.online).", (string?)unknown!["contents"]!["value"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_id_is_fetched_from_openreview_for_the_hover_and_cached()
    {
        await using var fake = new FakeOpenReview((_, _) => FakeResponse.Json(Fixtures.Notes(Fixtures.V2Note("Fetched001", "A Freshly Fetched Paper"))));
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync(initializationOptions: Settings(fake.BaseUrl));
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "[x](https://openreview.net/forum?id=Fetched001)\n");

        var hover = await harness.Client.RequestAsync("textDocument/hover", At(uri, 0, 1));
        Assert.StartsWith("**A Freshly Fetched Paper**", (string?)hover!["contents"]!["value"], StringComparison.Ordinal);
        Assert.Equal("/notes?id=Fetched001", Assert.Single(fake.Requests).Target);
        Assert.Equal("A Freshly Fetched Paper", new NotesLsp.Papers.PaperCache(cache).ReadPaper("Fetched001")!.Papers[0].Title);
    }

    [Fact]
    public async Task A_slow_openreview_does_not_hold_the_hover_past_two_seconds()
    {
        await using var fake = new FakeOpenReview((_, _) => FakeResponse.Json(Fixtures.Notes(Fixtures.V2Note("Slowpoke01", "Slow"))) with { Delay = TimeSpan.FromSeconds(8) });
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync(initializationOptions: Settings(fake.BaseUrl));
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "https://openreview.net/pdf?id=Slowpoke01\n");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var hover = await harness.Client.RequestAsync("textDocument/hover", At(uri, 0, 5));
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(4));
        Assert.Contains("Not in any catalog and not cached. Looking it up on OpenReview", (string?)hover!["contents"]!["value"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_venue_reports_cancellable_progress_and_makes_the_papers_searchable()
    {
        await using var fake = new FakeOpenReview((_, _) => FakeResponse.Json(Fixtures.Page(2, [Fixtures.V2Note("Venue00001", "Quokka Graph Networks", "ICLR 2025 oral", "ICLR.cc/2025/Conference"), Fixtures.V2Note("Venue00002", "Wombat Diffusion", "ICLR 2025 poster", "ICLR.cc/2025/Conference")])));
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync(capabilities: new { window = new { workDoneProgress = true } }, initializationOptions: Settings(fake.BaseUrl));

        var result = await harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.downloadVenue", arguments = new[] { "ICLR.cc/2025/Conference" } });
        Assert.Equal("""{"venueId":"ICLR.cc/2025/Conference","count":2,"success":true,"message":"Downloaded 2 papers of ICLR.cc/2025/Conference."}""", result!.ToJsonString());
        var begin = harness.Client.WaitForNotification("$/progress", TimeSpan.FromSeconds(5), m => (string?)m["params"]!["value"]!["title"] == "Downloading ICLR.cc/2025/Conference");
        Assert.True((bool)begin["params"]!["value"]!["cancellable"]!);
        harness.Client.WaitForNotification("$/progress", TimeSpan.FromSeconds(5), m => (string?)m["params"]!["value"]!["message"] == "Downloaded 2 papers of ICLR.cc/2025/Conference.");

        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "## quokka graph\n");
        var list = await harness.Client.RequestAsync("textDocument/completion", At(uri, 0, 15));
        Assert.Equal("Quokka Graph Networks", (string?)list!["items"]![0]!["label"]);
        Assert.Equal("Oral · ICLR 2025 · A. Author, B. Author", (string?)list["items"]![0]!["detail"]);
    }

    [Fact]
    public async Task Download_venue_without_a_venue_id_is_invalid_params()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync(initializationOptions: Settings());
        var error = await Assert.ThrowsAsync<NotesLsp.LspDriver.LspErrorException>(() =>
            harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.downloadVenue", arguments = Array.Empty<string>() }));
        Assert.Equal(-32602, error.Code);
    }

    [Fact]
    public async Task Title_mismatch_is_a_hint_with_a_use_the_title_quick_fix_and_bare_urls_get_add_title()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync(initializationOptions: Settings());
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "- [DCMHA](https://openreview.net/forum?id=RbiBKPtuHp)\n- https://openreview.net/forum?id=6XH8R7YrSk\n- https://openreview.net/pdf?id=abc\n");

        var published = harness.Client.WaitForNotification("textDocument/publishDiagnostics", TimeSpan.FromSeconds(10), m => m["params"]!["diagnostics"]!.AsArray().Count > 0);
        var diagnostics = published["params"]!["diagnostics"]!.AsArray().Select(d => $"{d!["range"]!["start"]!["line"]} {d["severity"]} {d["code"]}")
            .Where(d => d.Contains("paper", StringComparison.Ordinal) || d.Contains("openreview", StringComparison.Ordinal)).ToList();
        Assert.Equal(["2 2 openreview-id", "0 4 paper-title"], diagnostics);

        var actions = await harness.Client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri },
            range = new { start = new { line = 0, character = 4 }, end = new { line = 1, character = 10 } },
            context = new { diagnostics = Array.Empty<object>() },
        });
        // Other features (front matter) may offer their own actions here too; the paper ones come in this order.
        var paperActions = actions!.AsArray().Where(a => (string?)a!["title"] is "Use the title" or "Add title").ToList();
        Assert.Equal(["Use the title", "Add title"], paperActions.Select(a => (string?)a!["title"]));
        Assert.Equal("[Is DPO Superior to PPO for LLM Alignment? A Comprehensive Study](https://openreview.net/forum?id=6XH8R7YrSk)",
            (string?)paperActions[1]!["edit"]!["changes"]![uri]![0]!["newText"]);
    }

    [Fact]
    public async Task Inlay_hints_put_the_title_after_a_bare_url()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        var init = await harness.InitializeAsync(initializationOptions: Settings());
        Assert.True((bool)init!["capabilities"]!["inlayHintProvider"]!);
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "# 論文 🎉\nhttps://openreview.net/forum?id=UpSe7ag34v\n");
        var hints = await harness.Client.RequestAsync("textDocument/inlayHint", new { textDocument = new { uri }, range = new { start = new { line = 0, character = 0 }, end = new { line = 2, character = 0 } } });
        var hint = Assert.Single(hints!.AsArray())!;
        Assert.Equal("""{"line":1,"character":42}""", hint["position"]!.ToJsonString());
        Assert.Equal("Arrows of Time for Large Language Models", (string?)hint["label"]);
        Assert.Equal("Oral · ICML 2024 · Vassilis Papadopoulos, Jérémie Wenger, Clément Hongler", (string?)hint["tooltip"]!["value"]);
        Assert.True((bool)hint["paddingLeft"]!);
    }
}
