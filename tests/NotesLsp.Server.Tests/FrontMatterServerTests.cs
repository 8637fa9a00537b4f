using System.Text.Json.Nodes;

namespace NotesLsp.Server.Tests;

public class FrontMatterServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static List<string> Codes(JsonObject published) =>
        [.. ((JsonArray)published["params"]!["diagnostics"]!).Select(d => (string?)d!["code"] ?? string.Empty)];

    [Fact]
    public async Task Code_actions_return_quick_fixes_with_their_diagnostics_and_edits()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var uri = "file:///tmp/fix.md";
        await harness.OpenAsync(uri, "---\ntitel: BERT\n---\n");
        var actions = (JsonArray)(await harness.Client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri },
            range = new { start = new { line = 1, character = 2 }, end = new { line = 1, character = 2 } },
            context = new { diagnostics = Array.Empty<object>() },
        }))!;
        var action = actions.Single()!;
        Assert.Equal("Rename to `title`", (string?)action["title"]);
        Assert.Equal("quickfix", (string?)action["kind"]);
        Assert.Equal("unknown-key", (string?)action["diagnostics"]![0]!["code"]);
        var edit = action["edit"]!["changes"]![uri]![0]!;
        Assert.Equal("title", (string?)edit["newText"]);
        Assert.Equal((1, 0, 1, 5), ((int)edit["range"]!["start"]!["line"]!, (int)edit["range"]!["start"]!["character"]!, (int)edit["range"]!["end"]!["line"]!, (int)edit["range"]!["end"]!["character"]!));

        var refactorOnly = (JsonArray)(await harness.Client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri },
            range = new { start = new { line = 1, character = 2 }, end = new { line = 1, character = 2 } },
            context = new { diagnostics = Array.Empty<object>(), only = new[] { "refactor" } },
        }))!;
        Assert.Empty(refactorOnly);
    }

    [Fact]
    public async Task Completion_inside_front_matter_offers_missing_keys_and_today_for_dates()
    {
        await using var harness = new ServerHarness();
        var initialize = await harness.InitializeAsync();
        Assert.NotNull(initialize!["capabilities"]!["completionProvider"]);
        Assert.Equal("quickfix", (string?)initialize["capabilities"]!["codeActionProvider"]!["codeActionKinds"]![0]);
        var uri = "file:///tmp/complete.md";
        await harness.OpenAsync(uri, "---\ntitle: x\nda\ndate: \n---\n");
        var keys = await harness.Client.RequestAsync("textDocument/completion", new { textDocument = new { uri }, position = new { line = 2, character = 2 } });
        var labels = ((JsonArray)keys!["items"]!).Select(i => (string?)i!["label"]).ToList();
        Assert.Contains("tags", labels);
        Assert.DoesNotContain("title", labels);

        var dates = await harness.Client.RequestAsync("textDocument/completion", new { textDocument = new { uri }, position = new { line = 3, character = 6 } });
        var first = ((JsonArray)dates!["items"]!).Select(i => (string?)i!["label"]).First();
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", first);
    }

    [Fact]
    public async Task The_workspace_schema_file_applies_and_is_reread_when_it_changes()
    {
        await using var harness = new ServerHarness();
        var folder = harness.CreateWorkspace(new Dictionary<string, string>
        {
            [".notes/schema.yaml"] = "keys:\n  title: { type: string, required: true }\n  date: year-or-date\n  mood: { type: feelings }\n",
        });
        var schemaUri = harness.Uri(".notes/schema.yaml");
        await harness.InitializeAsync();
        var schemaDiagnostics = harness.Client.WaitForNotification("textDocument/publishDiagnostics", Timeout, m => (string?)m["params"]!["uri"] == schemaUri);
        Assert.Equal(["schema-invalid"], Codes(schemaDiagnostics));

        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "---\ndate: 2024\n---\n");
        var published = harness.Client.WaitForNotification("textDocument/publishDiagnostics", Timeout, m => (string?)m["params"]!["uri"] == uri);
        Assert.Equal(["missing-key"], Codes(published));

        File.WriteAllText(Path.Combine(folder, ".notes", "schema.yaml"), "keys:\n  date: { type: date, required: true }\n");
        await harness.Client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = new[] { new { uri = schemaUri, type = 2 } } });
        var cleared = harness.Client.WaitForNotification("textDocument/publishDiagnostics", Timeout, m => (string?)m["params"]!["uri"] == schemaUri);
        Assert.Empty(Codes(cleared));
        var republished = harness.Client.WaitForNotification("textDocument/publishDiagnostics", Timeout, m => (string?)m["params"]!["uri"] == uri);
        Assert.Equal(["year-only-date"], Codes(republished));
    }

    [Fact]
    public async Task Settings_changes_keep_the_schema_file_and_switch_presets()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync();
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "---\ndate: 2024\n---\n");
        var published = harness.Client.WaitForNotification("textDocument/publishDiagnostics", Timeout, m => (string?)m["params"]!["uri"] == uri);
        Assert.Empty(Codes(published));

        await harness.Client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { notes = new { frontMatter = new { preset = "jekyll" } } } });
        var jekyll = harness.Client.WaitForNotification("textDocument/publishDiagnostics", Timeout, m => (string?)m["params"]!["uri"] == uri);
        Assert.Equal(["year-only-date"], Codes(jekyll));
    }
}
