using System.Text.Json.Nodes;

namespace NotesLsp.Server.Tests;

/// <summary>Tags over the wire: capabilities, completion, hover, references, rename, code actions, #tag symbols.</summary>
public class TagProtocolTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["a.md"] = "---\ntitle: Alpha\ntags: [ml, time-series]\n---\n",
        ["b.md"] = "---\ntitle: Beta\ntags:\n  - ml\n  - nlp\n---\n",
        ["c.md"] = "---\ntitle: Gamma\ntags: ml time-series\n---\n",
        ["d.md"] = "---\ntitle: Delta\ntags: [ML]\n---\n",
    };

    private static object At(ServerHarness harness, string file, int line, int character) =>
        new { textDocument = new { uri = harness.Uri(file) }, position = new { line, character } };

    [Fact]
    public async Task Tag_features_answer_over_lsp()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(Files);
        var initialize = await harness.InitializeAsync();
        var capabilities = initialize!["capabilities"]!;
        Assert.True((bool)capabilities["hoverProvider"]!);
        Assert.True((bool)capabilities["referencesProvider"]!);
        Assert.True((bool)capabilities["renameProvider"]!["prepareProvider"]!);
        Assert.NotNull(capabilities["completionProvider"]);

        // Completion while typing a new list item in an opened note; its own half-typed word is not offered.
        await harness.OpenAsync(harness.Uri("new.md"), "---\ntags:\n  - ml\n  - ti\n---\n");
        var completion = await harness.Client.RequestAsync("textDocument/completion", At(harness, "new.md", 3, 6));
        Assert.True((bool)completion!["isIncomplete"]!);
        var item = completion["items"]!.AsArray().Single()!;
        Assert.Equal("time-series", (string?)item["label"]);
        Assert.Equal("used in 2 notes", (string?)item["detail"]);
        Assert.Equal("time-series", (string?)item["textEdit"]!["newText"]);
        Assert.Equal(4, (int)item["textEdit"]!["range"]!["start"]!["character"]!);
        Assert.Equal(6, (int)item["textEdit"]!["range"]!["end"]!["character"]!);

        var hover = await harness.Client.RequestAsync("textDocument/hover", At(harness, "a.md", 2, 8));
        Assert.StartsWith("**ml** (`tags`): used in 4 notes", (string?)hover!["contents"]!["value"], StringComparison.Ordinal);

        var references = (await harness.Client.RequestAsync("textDocument/references", new
        {
            textDocument = new { uri = harness.Uri("a.md") },
            position = new { line = 2, character = 8 },
            context = new { includeDeclaration = true },
        }))!.AsArray();
        Assert.Equal(["a.md 2:7", "b.md 3:4", "c.md 2:6", "new.md 2:4"], references.Select(r => $"{Path.GetFileName((string)r!["uri"]!)} {(int)r["range"]!["start"]!["line"]!}:{(int)r["range"]!["start"]!["character"]!}"));

        var prepare = await harness.Client.RequestAsync("textDocument/prepareRename", At(harness, "a.md", 2, 8));
        Assert.Equal("ml", (string?)prepare!["placeholder"]);
        Assert.Null(await harness.Client.RequestAsync("textDocument/prepareRename", At(harness, "a.md", 1, 8)));

        var rename = await harness.Client.RequestAsync("textDocument/rename", new
        {
            textDocument = new { uri = harness.Uri("a.md") },
            position = new { line = 2, character = 8 },
            newName = "machine-learning",
        });
        var changes = rename!["changes"]!.AsObject();
        Assert.Equal(["a.md", "b.md", "c.md", "new.md"], changes.Select(c => Path.GetFileName(c.Key)).Order(StringComparer.Ordinal));

        var refused = await Assert.ThrowsAsync<NotesLsp.LspDriver.LspErrorException>(() => harness.Client.RequestAsync("textDocument/rename", new
        {
            textDocument = new { uri = harness.Uri("a.md") },
            position = new { line = 1, character = 8 },
            newName = "x",
        }));
        Assert.Contains("tag", refused.Message, StringComparison.Ordinal);

        // The rarer spelling ML gets a hint whose quick fix replaces it with ml.
        var actions = (await harness.Client.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri = harness.Uri("d.md") },
            range = new { start = new { line = 2, character = 7 }, end = new { line = 2, character = 7 } },
            context = new { diagnostics = Array.Empty<object>() },
        }))!.AsArray();
        var action = actions.Single()!;
        Assert.Equal("Replace with `ml`", (string?)action["title"]);
        Assert.Equal("ml", (string?)action["edit"]!["changes"]![harness.Uri("d.md")]![0]!["newText"]);

        var symbols = (await harness.Client.RequestAsync("workspace/symbol", new { query = "#time" }))!.AsArray();
        Assert.Equal("#time-series", (string?)symbols[0]!["name"]);
        Assert.Equal("a.md", Path.GetFileName((string)symbols[0]!["location"]!["uri"]!));
    }

    [Fact]
    public async Task Deleting_and_changing_files_on_disk_updates_tag_counts()
    {
        await using var harness = new ServerHarness();
        var folder = harness.CreateWorkspace(Files);
        await harness.InitializeAsync();
        await harness.OpenAsync(harness.Uri("new.md"), "---\ntags: [ti]\n---\n");

        async Task<string?> Detail()
        {
            var completion = await harness.Client.RequestAsync("textDocument/completion", At(harness, "new.md", 1, 9));
            return (string?)completion!["items"]!.AsArray().SingleOrDefault()?["detail"];
        }

        Assert.Equal("used in 2 notes", await Detail());

        File.Delete(Path.Combine(folder, "a.md"));
        await harness.FileEventsAsync(new { changes = new[] { new { uri = harness.Uri("a.md"), type = 3 } } });
        Assert.Equal("used in 1 note", await Detail());

        File.WriteAllText(Path.Combine(folder, "c.md"), "---\ntags: [nlp]\n---\n");
        await harness.FileEventsAsync(new { changes = new[] { new { uri = harness.Uri("c.md"), type = 2 } } });
        Assert.Null(await Detail());
    }

    [Fact]
    public async Task The_allowed_tags_file_turns_unknown_tags_into_warnings()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string>
        {
            [".notes/tags.txt"] = "# the vocabulary\nml\ntime-series\n",
            ["a.md"] = "---\ntags: [ml, zebra]\n---\n",
        });
        await harness.InitializeAsync(initializationOptions: new { tags = new { allowedFile = ".notes/tags.txt" } });
        await harness.OpenAsync(harness.Uri("a.md"), "---\ntags: [ml, zebra]\n---\n");
        var published = harness.Client.WaitForNotification("textDocument/publishDiagnostics", TimeSpan.FromSeconds(10),
            n => (string?)n["params"]?["uri"] == harness.Uri("a.md") && n["params"]!["diagnostics"]!.AsArray().Count > 0);
        var diagnostic = published["params"]!["diagnostics"]!.AsArray().Single()!;
        Assert.Equal("unknown-tag", (string?)diagnostic["code"]);
        Assert.Equal(2, (int)diagnostic["severity"]!);
        Assert.Equal(11, (int)diagnostic["range"]!["start"]!["character"]!);
    }
}
