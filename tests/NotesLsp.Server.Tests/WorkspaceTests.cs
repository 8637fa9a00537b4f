using System.Text.Json.Nodes;

namespace NotesLsp.Server.Tests;

public class WorkspaceTests
{
    private static async Task<List<string>> SymbolNames(ServerHarness harness, string query)
    {
        var result = (JsonArray)(await harness.Client.RequestAsync("workspace/symbol", new { query }))!;
        return [.. result.Select(s => (string?)s!["name"] ?? string.Empty)];
    }

    [Fact]
    public async Task The_startup_scan_indexes_notes_and_skips_git_node_modules_and_excluded_globs()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string>
        {
            ["a.md"] = "---\ntitle: Alpha note\n---\n",
            ["sub/b.markdown"] = "---\ntitle: Beta note\n---\n",
            [".git/c.md"] = "---\ntitle: Gamma note\n---\n",
            ["node_modules/pkg/d.md"] = "---\ntitle: Delta note\n---\n",
            ["archive/e.md"] = "---\ntitle: Epsilon note\n---\n",
            ["f.txt"] = "---\ntitle: Zeta note\n---\n",
        });
        await harness.InitializeAsync(initializationOptions: new { exclude = new[] { "archive/**" } });
        Assert.Equal(["Alpha note", "Beta note"], (await SymbolNames(harness, "")).Order());
    }

    [Fact]
    public async Task Workspace_symbols_find_titles_and_headings_of_unopened_notes()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(withExamples: true);
        await harness.InitializeAsync();
        Assert.Equal(["ICML 2024", "ICML2024 の気になる論文 (WIP)"], (await SymbolNames(harness, "")).Order());
        Assert.Contains("Strategic Learning & behaviour", await SymbolNames(harness, "strategic"));
        Assert.Contains("みんな好きそう", await SymbolNames(harness, "みんな"));
    }

    [Fact]
    public async Task Watched_file_events_add_change_and_remove_notes()
    {
        await using var harness = new ServerHarness();
        var folder = harness.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = "---\ntitle: First\n---\n" });
        await harness.InitializeAsync();
        Assert.Equal(["First"], await SymbolNames(harness, ""));

        File.WriteAllText(Path.Combine(folder, "b.md"), "---\ntitle: Second\n---\n");
        File.WriteAllText(Path.Combine(folder, "a.md"), "---\ntitle: First renamed\n---\n");
        await harness.FileEventsAsync(new
        {
            changes = new[] { new { uri = harness.Uri("b.md"), type = 1 }, new { uri = harness.Uri("a.md"), type = 2 } },
        });
        Assert.Equal(["First renamed", "Second"], (await SymbolNames(harness, "")).Order());

        File.Delete(Path.Combine(folder, "b.md"));
        await harness.FileEventsAsync(new { changes = new[] { new { uri = harness.Uri("b.md"), type = 3 } } });
        Assert.Equal(["First renamed"], await SymbolNames(harness, ""));
    }

    [Fact]
    public async Task Deleting_a_folder_removes_its_notes()
    {
        await using var harness = new ServerHarness();
        var folder = harness.CreateWorkspace(new Dictionary<string, string>
        {
            ["keep.md"] = "---\ntitle: Keep\n---\n",
            ["talks/a.md"] = "---\ntitle: Talk A\n---\n",
            ["talks/deep/b.md"] = "---\ntitle: Talk B\n---\n",
        });
        await harness.InitializeAsync();
        Directory.Delete(Path.Combine(folder, "talks"), recursive: true);
        await harness.FileEventsAsync(new { changes = new[] { new { uri = harness.Uri("talks"), type = 3 } } });
        Assert.Equal(["Keep"], await SymbolNames(harness, ""));
    }

    [Fact]
    public async Task Open_documents_win_over_disk_and_closing_reverts_to_disk()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = "---\ntitle: On disk\n---\n" });
        await harness.InitializeAsync();
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "---\ntitle: In editor\n---\n");
        await harness.FileEventsAsync(new { changes = new[] { new { uri, type = 2 } } });
        Assert.Equal(["In editor"], await SymbolNames(harness, ""));
        await harness.Client.NotifyAsync("textDocument/didClose", new { textDocument = new { uri } });
        Assert.Equal(["On disk"], await SymbolNames(harness, ""));
    }

    [Fact]
    public async Task Settings_are_pulled_with_workspace_configuration_and_reapplied_on_change()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string>
        {
            ["a.md"] = "---\ntitle: Kept\n---\n",
            ["drafts/b.md"] = "---\ntitle: Draft\n---\n",
        });
        var exclude = new JsonArray();
        harness.Client.ServerRequestHandler = (method, _) => method == "workspace/configuration"
            ? new JsonArray(new JsonObject { ["exclude"] = exclude.DeepClone() })
            : null;
        await harness.InitializeAsync(capabilities: new { workspace = new { configuration = true } });
        Assert.Equal(["Draft", "Kept"], (await SymbolNames(harness, "")).Order());

        exclude.Add("drafts/**");
        await harness.Client.NotifyAsync("workspace/didChangeConfiguration", new { settings = (object?)null });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<string> names;
        do
        {
            await Task.Delay(50);
            names = await SymbolNames(harness, "");
        }
        while (names.Count != 1 && DateTime.UtcNow < deadline);
        Assert.Equal(["Kept"], names);
    }
}
