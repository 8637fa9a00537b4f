using System.Text;
using System.Text.Json.Nodes;

namespace NotesLsp.Server.Tests;

public class DocumentTests
{
    /// <summary>Renders documentSymbol results as an indented tree of `name line:char-line:char`.</summary>
    internal static string RenderSymbols(JsonNode? symbols)
    {
        var builder = new StringBuilder();
        void Walk(JsonArray? items, int depth)
        {
            foreach (var item in items ?? [])
            {
                var range = item!["range"]!;
                var selection = item["selectionRange"]!;
                builder.Append(new string(' ', depth * 2))
                    .Append((string?)item["name"])
                    .Append($" {Pos(range["start"])}-{Pos(range["end"])} sel {Pos(selection["start"])}-{Pos(selection["end"])}\n");
                Walk(item["children"] as JsonArray, depth + 1);
            }
        }

        Walk(symbols as JsonArray, 0);
        return builder.ToString().TrimEnd();
    }

    private static string Pos(JsonNode? position) => $"{(int)position!["line"]!}:{(int)position["character"]!}";

    [Fact]
    public async Task Document_symbols_of_the_talk_notes_are_the_day_session_talk_tree()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(withExamples: true);
        await harness.InitializeAsync();
        var symbols = await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = harness.Uri("icml2024-talk-notes.md") } });
        var rendered = RenderSymbols(symbols);
        var days = (symbols as JsonArray)!.Select(s => (string?)s!["name"]).ToList();
        Assert.Equal(["Montag Vormittag", "Montag Nachmittag", "Dienstag Vormittag"], days.Take(3));
        Assert.StartsWith("""
            Montag Vormittag 5:0-22:41 sel 5:2-5:18
              Predictive attribution 6:0-8:82 sel 6:3-6:25
              NN operator learning 9:0-12:37 sel 9:3-9:23
              Strategic Learning & behaviour 13:0-22:41 sel 13:3-13:33
            Montag Nachmittag 23:0-46:41 sel 23:2-23:19
              Distribution-Free UCQ 24:0-30:71 sel 24:3-24:24
              GNNs 31:0-46:41 sel 31:3-31:7
            Dienstag Vormittag 47:0-63:70 sel 47:2-47:20
              Unapologetic Openness 48:0-52:114 sel 48:3-48:24
              Genie 53:0-55:41 sel 53:3-53:8
              Arrows in time 56:0-63:70 sel 56:3-56:17
            """.Replace("\r\n", "\n", StringComparison.Ordinal), rendered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Japanese_headings_have_utf16_ranges()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var uri = "file:///tmp/jp.md";
        await harness.OpenAsync(uri, "---\ntitle: ICML2024 の気になる論文 😀\n---\n## みんな好きそう😀\n- x\n");
        var symbols = await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
        Assert.Equal("みんな好きそう😀 3:0-4:3 sel 3:3-3:12", RenderSymbols(symbols));
    }

    [Fact]
    public async Task A_burst_of_200_changes_is_applied_in_order_before_a_following_request()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var uri = "file:///tmp/burst.md";
        await harness.OpenAsync(uri, "");
        for (var i = 0; i < 200; i++)
        {
            // Each change appends a heading at the end of the previous text, so order matters.
            _ = harness.Client.NotifyAsync("textDocument/didChange", new
            {
                textDocument = new { uri, version = i + 2 },
                contentChanges = new[] { new { range = new { start = new { line = i, character = 0 }, end = new { line = i, character = 0 } }, text = $"# H{i}\n" } },
            });
        }

        var symbols = (JsonArray)(await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } }))!;
        Assert.Equal(200, symbols.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"H{i}"), symbols.Select(s => (string?)s!["name"]));
    }

    [Fact]
    public async Task Incremental_changes_with_crlf_and_emoji_and_full_replacement()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var uri = "file:///tmp/edit.md";
        await harness.OpenAsync(uri, "# 😀A\r\n# B\r\n");
        await harness.Client.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = 2 },
            contentChanges = new object[]
            {
                new { range = new { start = new { line = 0, character = 4 }, end = new { line = 0, character = 5 } }, text = "Z" },
                new { range = new { start = new { line = 1, character = 2 }, end = new { line = 1, character = 3 } }, text = "C" },
            },
        });
        var symbols = await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
        Assert.Equal("😀Z 0:0-0:5 sel 0:2-0:5\nC 1:0-1:3 sel 1:2-1:3", RenderSymbols(symbols));

        await harness.Client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version = 3 }, contentChanges = new[] { new { text = "# Only\n" } } });
        symbols = await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
        Assert.Equal("Only 0:0-0:6 sel 0:2-0:6", RenderSymbols(symbols));
    }

    [Fact]
    public async Task Folding_ranges_cover_front_matter_and_sections()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var uri = "file:///tmp/fold.md";
        await harness.OpenAsync(uri, "---\ntitle: x\n---\n# A\ntext\n## B\nmore\n");
        var ranges = (JsonArray)(await harness.Client.RequestAsync("textDocument/foldingRange", new { textDocument = new { uri } }))!;
        var rendered = ranges.Select(r => $"{(int)r!["startLine"]!}-{(int)r["endLine"]!}{((string?)r["kind"] is { } k ? " " + k : string.Empty)}");
        Assert.Equal(["0-2 region", "3-6", "5-6"], rendered);
    }

    [Fact]
    public async Task Diagnostics_are_published_with_the_document_version_and_cleared_on_close()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var uri = "file:///tmp/broken.md";
        await harness.OpenAsync(uri, "---\ntitle: BERT: Pre-training\n---\n# Body\n", version: 7);
        var published = harness.Client.WaitForNotification("textDocument/publishDiagnostics", TimeSpan.FromSeconds(10), m => (string?)m["params"]!["uri"] == uri);
        Assert.Equal(7, (int)published["params"]!["version"]!);
        var diagnostic = ((JsonArray)published["params"]!["diagnostics"]!).Single()!;
        Assert.Equal(1, (int)diagnostic["severity"]!);
        Assert.Equal(1, (int)diagnostic["range"]!["start"]!["line"]!);

        await harness.Client.NotifyAsync("textDocument/didClose", new { textDocument = new { uri } });
        var cleared = harness.Client.WaitForNotification("textDocument/publishDiagnostics", TimeSpan.FromSeconds(10), m => (string?)m["params"]!["uri"] == uri);
        Assert.Empty((JsonArray)cleared["params"]!["diagnostics"]!);
    }
}
