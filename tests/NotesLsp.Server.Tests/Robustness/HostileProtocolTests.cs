using System.Text.Json.Nodes;
using NotesLsp.Analysis;

namespace NotesLsp.Server.Tests.Robustness;

/// <summary>
/// Notifications that cannot be read, storms of exclude changes, slow file reads and renames that would write
/// through a link: the server logs, recovers and keeps answering, and never writes outside the workspace.
/// </summary>
public sealed class HostileProtocolTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static async Task<string[]> OutlineNames(ServerHarness harness, string uri)
    {
        var result = (JsonArray)(await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } }).WaitAsync(Bound))!;
        return [.. result.Select(s => (string?)s!["name"] ?? string.Empty)];
    }

    [Fact]
    public async Task A_didChange_that_cannot_be_read_is_logged_and_the_document_is_unknown_until_its_full_text_comes()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = "# On disk\n" });
        await harness.InitializeAsync();
        var uri = harness.Uri("a.md");
        await harness.OpenAsync(uri, "# First\n");
        Assert.Equal(["First"], await OutlineNames(harness, uri));

        // The editor's text now starts with a lone surrogate, escaped as JSON allows; the server cannot read that change.
        await harness.Client.WriteRawAsync(NotesLsp.LspDriver.LspClient.Frame(
            $"{{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{{\"textDocument\":{{\"uri\":\"{uri}\",\"version\":2}},\"contentChanges\":[{{\"range\":{{\"start\":{{\"line\":0,\"character\":0}},\"end\":{{\"line\":0,\"character\":0}}}},\"text\":\"\\ud800\"}}]}}}}"));

        // Later edits must not be applied to the text the server still has (it would answer "Second" at the wrong place).
        await harness.Client.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = 3 },
            contentChanges = new[] { new { range = new { start = new { line = 0, character = 3 }, end = new { line = 0, character = 8 } }, text = "Second" } },
        });
        Assert.Empty(await OutlineNames(harness, uri));
        Assert.Contains("didChange for " + uri + " could not be read", harness.Log.ToString(), StringComparison.Ordinal);

        // The whole text again: known again, and later incremental edits apply to it.
        await harness.Client.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = 4 },
            contentChanges = new object[]
            {
                new { text = "# Third\n" },
                new { range = new { start = new { line = 0, character = 2 }, end = new { line = 0, character = 7 } }, text = "Fourth" },
            },
        });
        Assert.Equal(["Fourth"], await OutlineNames(harness, uri));
    }

    [Fact]
    public async Task A_didOpen_that_cannot_be_read_leaves_no_document_answered_from_disk()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = "# On disk\n" });
        await harness.InitializeAsync();
        var uri = harness.Uri("a.md");
        await harness.Client.WriteRawAsync(NotesLsp.LspDriver.LspClient.Frame(
            $"{{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{{\"textDocument\":{{\"uri\":\"{uri}\",\"languageId\":\"markdown\",\"version\":1,\"text\":\"# Edited\\udc00\\n\"}}}}}}"));
        Assert.Empty(await OutlineNames(harness, uri));
        Assert.Contains("didOpen for " + uri + " could not be read", harness.Log.ToString(), StringComparison.Ordinal);
        await harness.OpenAsync(uri, "# Reopened\n", version: 2);
        Assert.Equal(["Reopened"], await OutlineNames(harness, uri));
    }

    [Fact]
    public async Task Twenty_quick_exclude_changes_run_one_scan_at_a_time_and_end_with_the_last()
    {
        await using var harness = new ServerHarness();
        var files = new Dictionary<string, string>();
        for (var i = 0; i < 200; i++)
        {
            files[$"{(char)('a' + (i % 20))}/n{i}.md"] = $"---\ntitle: Note {i}\n---\n";
        }

        harness.CreateWorkspace(files);
        await harness.InitializeAsync();
        for (var change = 0; change < 20; change++)
        {
            await harness.Client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { notes = new { exclude = new[] { $"{(char)('a' + change)}/**" } } } });
        }

        // The last change excludes t/: its 20 notes go, and every other folder is back.
        var deadline = DateTime.UtcNow + Bound;
        int count;
        do
        {
            await Task.Delay(100);
            count = ((JsonArray)(await harness.Client.RequestAsync("workspace/symbol", new { query = "Note" }).WaitAsync(Bound))!).Count;
        }
        while (count != 190 && DateTime.UtcNow < deadline);
        Assert.Equal(190, count);
        await Task.Delay(500);
        var log = harness.Log.ToString();
        var scans = log.Split('\n').Count(line => line.Contains("] indexed ", StringComparison.Ordinal));
        var superseded = log.Split('\n').Count(line => line.Contains("a newer scan of the workspace", StringComparison.Ordinal));
        Assert.True(scans <= 4, $"{scans} scans ran to the end for 20 changes (plus the start-up scan)");
        Assert.True(superseded >= 16, $"only {superseded} scans were cancelled or replaced");
    }

    [Fact]
    public async Task A_slow_prepared_read_does_not_stop_the_queue_and_is_applied_when_done()
    {
        var queue = new RequestQueue(WorkspaceSnapshot.Empty, new ServerLog(new StringWriter()));
        using var stop = new CancellationTokenSource();
        var running = queue.RunAsync(stop.Token);
        using var release = new ManualResetEventSlim();
        var note = new Note("file:///slow.md", NotesLsp.Text.SourceText.From("# Slow\n"));
        var mutation = queue.EnqueuePreparedMutation("slow read", () =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return s => s.WithNote(note);
        });

        // A read behind it is served once the queue stops waiting, without the slow note.
        var before = await queue.EnqueueRead("read", (s, _) => s.Find(note.Uri) is null, CancellationToken.None).WaitAsync(Bound);
        Assert.True(before);
        release.Set();
        await mutation.WaitAsync(Bound);
        Assert.NotNull(await queue.EnqueueRead("read", (s, _) => s.Find(note.Uri), CancellationToken.None).WaitAsync(Bound));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task A_prepared_mutation_keeps_its_place_in_the_order()
    {
        var queue = new RequestQueue(WorkspaceSnapshot.Empty, new ServerLog(new StringWriter()));
        using var stop = new CancellationTokenSource();
        var running = queue.RunAsync(stop.Token);
        var note = new Note("file:///a.md", NotesLsp.Text.SourceText.From("# A\n"));
        _ = queue.EnqueuePreparedMutation("read a.md", () =>
        {
            Thread.Sleep(300);
            return s => s.WithNote(note);
        });
        Assert.NotNull(await queue.EnqueueRead("read", (s, _) => s.Find(note.Uri), CancellationToken.None).WaitAsync(Bound));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task A_rename_never_edits_a_file_outside_the_workspace_through_a_link()
    {
        using var workspace = HostileWorkspace.Create();
        File.WriteAllText(Path.Combine(workspace.Root, "good.md"), "---\ntitle: Good note\ntags: [shared]\n---\n");
        File.WriteAllText(Path.Combine(workspace.Outside, "secret.md"), "---\ntitle: Secret\ntags: [shared]\n---\n");
        await using var harness = new ServerHarness();
        harness.UseWorkspace(workspace.Root);
        await harness.InitializeAsync();

        // Opened through the link (an editor may follow it), it is in the snapshot: still, no edit may reach it.
        await harness.OpenAsync(harness.Uri("secret.md"), "---\ntitle: Secret\ntags: [shared]\n---\n");
        var rename = await harness.Client.RequestAsync("textDocument/rename", new
        {
            textDocument = new { uri = harness.Uri("good.md") },
            position = new { line = 2, character = 8 },
            newName = "renamed",
        }).WaitAsync(Bound);
        var changed = rename!["changes"]!.AsObject().Select(c => Path.GetFileName(c.Key)).Order(StringComparer.Ordinal);
        Assert.Equal(["good.md"], changed);
        Assert.Contains("outside the workspace", harness.Log.ToString(), StringComparison.Ordinal);
    }
}
