using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace NotesLsp.Server.Tests.Robustness;

/// <summary>
/// The hostile-workspace fixture (FIFO, device link, links out of the root, loops) indexes the regular notes and
/// nothing else, for the server (start-up scan and watched-file events) and for <c>notes-lsp check</c>, and
/// nothing hangs. Each await is bounded, so a regression fails instead of hanging the test run.
/// </summary>
public sealed class HostileWorkspaceTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly HostileWorkspace workspace = HostileWorkspace.Create();

    public void Dispose() => workspace.Dispose();

    private static async Task<List<string>> SymbolNames(ServerHarness harness)
    {
        var result = (JsonArray)(await harness.Client.RequestAsync("workspace/symbol", new { query = "" }).WaitAsync(Bound))!;
        return [.. result.Select(s => (string?)s!["name"] ?? string.Empty).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task The_start_up_scan_indexes_the_regular_notes_and_nothing_else()
    {
        await using var harness = new ServerHarness();
        harness.UseWorkspace(workspace.Root);
        var stopwatch = Stopwatch.StartNew();
        await harness.InitializeAsync().WaitAsync(Bound);
        Assert.True(stopwatch.Elapsed < Bound, $"scan took {stopwatch.Elapsed}");
        Assert.Equal(HostileWorkspace.IndexedTitles, await SymbolNames(harness));
        var log = harness.Log.ToString();
        Assert.DoesNotContain(HostileWorkspace.Secret, log, StringComparison.Ordinal);
        Assert.Contains("fifo.md: it is a FIFO (named pipe), not a regular file", log, StringComparison.Ordinal);
        Assert.Contains("secret.md: it links outside the workspace", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watched_file_events_for_hostile_entries_do_not_block_the_queue_or_index_them()
    {
        await using var harness = new ServerHarness();
        harness.UseWorkspace(workspace.Root);
        await harness.InitializeAsync().WaitAsync(Bound);
        foreach (var type in new[] { 1, 2 })
        {
            await harness.Client.NotifyAsync("workspace/didChangeWatchedFiles", new
            {
                changes = HostileWorkspace.HostileEntries.Select(e => new { uri = harness.Uri(e), type }).ToArray(),
            });
        }

        Assert.Equal(HostileWorkspace.IndexedTitles, await SymbolNames(harness));
        Assert.DoesNotContain(HostileWorkspace.Secret, harness.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_opened_through_an_outside_link_falls_back_to_nothing_when_closed()
    {
        await using var harness = new ServerHarness();
        harness.UseWorkspace(workspace.Root);
        await harness.InitializeAsync().WaitAsync(Bound);
        var uri = harness.Uri("secret.md");
        await harness.OpenAsync(uri, "---\ntitle: Open copy\n---\n");
        await harness.Client.NotifyAsync("textDocument/didClose", new { textDocument = new { uri } });
        Assert.Equal(HostileWorkspace.IndexedTitles, await SymbolNames(harness));
    }

    [Fact]
    public async Task Check_of_the_folder_reports_the_regular_notes_only_and_never_prints_outside_text()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CheckCommand.RunAsync(new CheckOptions([workspace.Root], Format: "json"), output, errors, CancellationToken.None).WaitAsync(Bound);
        var json = JsonNode.Parse(output.ToString())!;
        Assert.Equal(0, exit);
        Assert.Equal(3, (int)json["files"]!);
        Assert.DoesNotContain(HostileWorkspace.Secret, output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(HostileWorkspace.Secret, errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("fifo.md: it is a FIFO", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_hostile_files_named_explicitly_reports_each_as_unreadable_without_opening_it()
    {
        var output = new StringWriter();
        var names = new[] { "fifo.md", "zero.md", "secret.md", "loop-a.md", "sub/through-folder-link.md" };
        var inputs = names.Select(n => Path.Combine(workspace.Root, n)).ToImmutableArray();
        var exit = await CheckCommand.RunAsync(new CheckOptions(inputs), output, new StringWriter(), CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(1, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names.Length, lines.Length);
        Assert.All(lines, line => Assert.Contains("error unreadable not checked: the file", line, StringComparison.Ordinal));
        Assert.DoesNotContain(HostileWorkspace.Secret, output.ToString(), StringComparison.Ordinal);
    }
}
