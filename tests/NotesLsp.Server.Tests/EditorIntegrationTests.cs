using System.Text.Json.Nodes;

namespace NotesLsp.Server.Tests;

/// <summary>
/// What the server does differently for a client that lives beside another Markdown provider, and the
/// <c>notes/status</c> notification the VS Code status bar shows.
/// </summary>
public class EditorIntegrationTests
{
    private const string Note = "---\ntitle: Reading list\ntags: [reading-list, ML]\n---\n# Intro\n## Details\ntext\n";

    [Fact]
    public async Task Without_heading_symbols_the_outline_has_only_the_title_and_tags()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = Note });
        await harness.InitializeAsync(initializationOptions: new { headingSymbols = false, settings = new { } });
        var symbols = await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = harness.Uri("a.md") } });
        Assert.Equal(
            "Reading list 0:0-4:0 sel 1:7-1:19\n  #reading-list 2:7-2:19 sel 2:7-2:19\n  #ML 2:21-2:23 sel 2:21-2:23",
            DocumentTests.RenderSymbols(symbols));
    }

    [Fact]
    public async Task By_default_the_outline_lists_the_headings()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = Note });
        await harness.InitializeAsync();
        var symbols = await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = harness.Uri("a.md") } });
        Assert.Equal(["Intro"], (symbols as JsonArray)!.Select(s => (string?)s!["name"]));
    }

    [Fact]
    public async Task Without_heading_symbols_workspace_symbols_keep_titles_and_tags_but_not_headings()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = Note });
        await harness.InitializeAsync(initializationOptions: new { headingSymbols = false });
        Assert.Empty(await Names(harness, "Details"));
        Assert.Equal(["Reading list"], await Names(harness, "Reading"));
        Assert.Contains("#reading-list", await Names(harness, "#read"));

        await using var full = new ServerHarness();
        full.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = Note });
        await full.InitializeAsync();
        Assert.Equal(["Details"], await Names(full, "Details"));
    }

    [Fact]
    public async Task Status_counts_notes_and_papers_and_follows_notes_created_outside_the_editor()
    {
        await using var harness = new ServerHarness();
        var folder = harness.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = Note });
        await harness.InitializeAsync();
        // The first status follows the start-up scan and the bundled catalogs (slow on a loaded CI machine).
        var first = harness.StartupStatus ?? harness.Client.WaitForNotification("notes/status", TimeSpan.FromSeconds(60));
        Assert.Equal(1, (int)first["params"]!["notes"]!);
        var papers = (int)first["params"]!["papers"]!;
        Assert.True(papers >= 2000, $"the bundled ICML 2024 catalog should count, got {papers}");

        File.WriteAllText(Path.Combine(folder, "b.md"), "---\ntitle: Made in a terminal\n---\n");
        await harness.Client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = new[] { new { uri = harness.Uri("b.md"), type = 1 } } });
        var second = harness.Client.WaitForNotification("notes/status", TimeSpan.FromSeconds(30), m => (int)m["params"]!["notes"]! == 2);
        Assert.Equal(papers, (int)second["params"]!["papers"]!);

        // A change that keeps the count sends nothing new.
        File.WriteAllText(Path.Combine(folder, "b.md"), "---\ntitle: Edited in a terminal\n---\n");
        await harness.Client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = new[] { new { uri = harness.Uri("b.md"), type = 2 } } });
        File.Delete(Path.Combine(folder, "b.md"));
        await harness.Client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = new[] { new { uri = harness.Uri("b.md"), type = 3 } } });
        var third = harness.Client.WaitForNotification("notes/status", TimeSpan.FromSeconds(30));
        Assert.Equal(1, (int)third["params"]!["notes"]!);
    }

    private static async Task<List<string>> Names(ServerHarness harness, string query)
    {
        var result = await harness.Client.RequestAsync("workspace/symbol", new { query });
        return [.. (result as JsonArray)!.Select(s => (string)s!["name"]!)];
    }
}
