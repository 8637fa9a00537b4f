using System.Text.Json.Nodes;
using NotesLsp.Papers.Tests;

namespace NotesLsp.Server.Tests;

/// <summary>Linking every talk heading through one reviewed workspace edit, and the offer to download a linked venue.</summary>
public sealed class PaperLinkProtocolTests : IDisposable
{
    private readonly string cache = Directory.CreateTempSubdirectory("notes-lsp-cache-").FullName;

    public void Dispose() => Directory.Delete(cache, recursive: true);

    private object Settings(string? baseUrl = null) => new
    {
        settings = new
        {
            openReview = new { online = baseUrl is not null, baseUrl = baseUrl ?? "http://127.0.0.1:9", fallbackBaseUrl = "" },
            papers = new { cacheDirectory = cache },
        },
    };

    private const string TalkNotes = """
        ---
        title: ICML 2024
        ---
        # Montag Vormittag
        ## Genie
        - generative interactive environments from videos
        ## GNNs
        - message passing
        ## Stealing part of a production LLM
        - the embedding projection layer
        """;

    [Fact]
    public async Task Linking_every_heading_sends_one_edit_whose_changes_need_confirmation()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        JsonNode? applied = null;
        harness.Client.ServerRequestHandler = (method, parameters) =>
        {
            if (method == "workspace/applyEdit")
            {
                applied = parameters?.DeepClone();
                return new JsonObject { ["applied"] = true };
            }

            return null;
        };
        var init = await harness.InitializeAsync(
            capabilities: new { workspace = new { workspaceEdit = new { documentChanges = true, changeAnnotationSupport = new { groupsOnLabel = true } } } },
            initializationOptions: Settings());
        Assert.Contains("notes.papers.linkHeadings", init!["capabilities"]!["executeCommandProvider"]!["commands"]!.AsArray().Select(c => (string?)c));
        var uri = harness.Uri("talks.md");
        await harness.OpenAsync(uri, TalkNotes, version: 7);

        // On a heading, the action carries the command; nothing is computed until it is chosen.
        var actions = await harness.Client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri },
            range = new { start = new { line = 4, character = 3 }, end = new { line = 4, character = 3 } },
            context = new { diagnostics = Array.Empty<object>() },
        });
        var command = actions!.AsArray().Single(a => (string?)a!["command"]?["command"] == "notes.papers.linkHeadings")!;
        Assert.Null(command["edit"]);

        var result = await harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.linkHeadings", arguments = command["command"]!["arguments"] });
        Assert.Equal(2, (int)result!["linked"]!);
        var edit = applied!["edit"]!;
        Assert.Null(edit["changes"]);
        var document = edit["documentChanges"]!.AsArray().Single()!;
        Assert.Equal((uri, 7), ((string?)document["textDocument"]!["uri"], (int)document["textDocument"]!["version"]!));
        var edits = document["edits"]!.AsArray();
        Assert.Equal(
            ["[Genie: Generative Interactive Environments](https://openreview.net/forum?id=bJbSbJskOS)", "[Stealing part of a production language model](https://openreview.net/forum?id=VE3yWXt3KB)"],
            edits.Select(e => (string?)e!["newText"]));
        Assert.Equal([4, 8], edits.Select(e => (int)e!["range"]!["start"]!["line"]!));
        foreach (var e in edits)
        {
            var annotation = edit["changeAnnotations"]![(string)e!["annotationId"]!]!;
            Assert.True((bool)annotation["needsConfirmation"]!);
            Assert.Contains("→", (string?)annotation["label"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_annotation_support_the_edit_is_plain_changes_and_nothing_to_link_says_so()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        JsonNode? applied = null;
        harness.Client.ServerRequestHandler = (method, parameters) =>
        {
            applied = method == "workspace/applyEdit" ? parameters?.DeepClone() : applied;
            return method == "workspace/applyEdit" ? new JsonObject { ["applied"] = true } : null;
        };
        await harness.InitializeAsync(initializationOptions: Settings());
        var uri = harness.Uri("talks.md");
        await harness.OpenAsync(uri, TalkNotes);
        var result = await harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.linkHeadings", arguments = new[] { uri } });
        Assert.Equal(2, (int)result!["linked"]!);
        Assert.Equal(2, applied!["edit"]!["changes"]![uri]!.AsArray().Count);

        var other = harness.Uri("days.md");
        await harness.OpenAsync(other, "# Montag\n## Mittagessen\n- Schnitzel\n");
        applied = null;
        var none = await harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.linkHeadings", arguments = new[] { other } });
        Assert.Equal(0, (int)none!["linked"]!);
        Assert.Null(applied);
    }

    [Fact]
    public async Task A_linked_venue_no_catalog_holds_is_offered_once_and_downloaded_only_when_accepted()
    {
        var requests = 0;
        await using var fake = new FakeOpenReview((target, _) =>
        {
            Interlocked.Increment(ref requests);
            return FakeResponse.Json(Fixtures.Page(1, [Fixtures.V2Note("Neu2024001", "A NeurIPS Paper", venue: "NeurIPS 2024 poster", venueId: "NeurIPS.cc/2024/Conference")]));
        });
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string>
        {
            ["neurips.md"] = "- [A paper](https://openreview.net/forum?id=Neu2024001&referrer=%5BNeurIPS%202024%5D(%2Fgroup%3Fid%3DNeurIPS.cc%2F2024%2FConference))\n",
            ["icml.md"] = "{% linkpreview \"https://openreview.net/group?id=ICML.cc/2024/Conference\" %}\n",
        });
        var offers = new List<string>();
        var answer = "Not now";
        harness.Client.ServerRequestHandler = (method, parameters) =>
        {
            if (method != "window/showMessageRequest")
            {
                return null;
            }

            lock (offers)
            {
                offers.Add((string)parameters!["message"]!);
            }

            return new JsonObject { ["title"] = answer };
        };
        await harness.InitializeAsync(initializationOptions: Settings(fake.BaseUrl));
        await WaitFor(() => offers.Count > 0);

        // ICML 2024 is bundled; NeurIPS 2024 is not, and declining downloads nothing.
        var offer = Assert.Single(offers);
        Assert.Contains("NeurIPS 2024 (NeurIPS.cc/2024/Conference)", offer, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref requests));

        // Opening a note again does not ask again.
        answer = "Download";
        await harness.OpenAsync(harness.Uri("neurips.md"), "- [A paper](https://openreview.net/forum?id=Neu2024001&referrer=%5BNeurIPS%202024%5D(%2Fgroup%3Fid%3DNeurIPS.cc%2F2024%2FConference))\n");
        await Task.Delay(500);
        Assert.Single(offers);
        Assert.Equal(0, Volatile.Read(ref requests));
    }

    [Fact]
    public async Task Accepting_the_offer_downloads_the_venue_into_the_cache()
    {
        await using var fake = new FakeOpenReview((target, _) =>
            FakeResponse.Json(Fixtures.Page(1, [Fixtures.V2Note("Neu2024001", "A NeurIPS Paper", venue: "NeurIPS 2024 poster", venueId: "NeurIPS.cc/2024/Conference")])));
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string>
        {
            ["neurips.md"] = "see https://openreview.net/group?id=NeurIPS.cc/2024/Conference\n",
        });
        harness.Client.ServerRequestHandler = (method, _) => method == "window/showMessageRequest" ? new JsonObject { ["title"] = "Download" } : null;
        await harness.InitializeAsync(initializationOptions: Settings(fake.BaseUrl));
        await WaitFor(() => Directory.Exists(cache) && Directory.GetFiles(cache, "*.jsonl", SearchOption.AllDirectories).Length > 0);

        // The server loads the written file after the download ends: a loaded machine may answer a search or two
        // from the catalogs it had before, so ask until the downloaded paper comes first (or the wait times out).
        string? first = null;
        await WaitFor(async () =>
        {
            var result = await harness.Client.RequestAsync("workspace/executeCommand", new { command = "notes.papers.search", arguments = new object[] { "a neurips paper", 1 } });
            first = (string?)result?.AsArray().FirstOrDefault()?["id"];
            return first == "Neu2024001";
        });
        Assert.Equal("Neu2024001", first);
    }

    private static Task WaitFor(Func<bool> condition) => WaitFor(() => Task.FromResult(condition()));

    private static async Task WaitFor(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
