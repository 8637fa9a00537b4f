using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using NotesLsp.Analysis;
using NotesLsp.Index;
using NotesLsp.LspDriver;
using NotesLsp.Text;

namespace NotesLsp.Server.Tests;

/// <summary>
/// The persistent index as the server and <c>notes-lsp check</c> use it: a reopened workspace re-reads only what
/// changed, a change storm leaves the same state as a fresh scan, a killed server leaves a usable index, and
/// <c>check --cache</c> prints what <c>check</c> prints.
/// </summary>
[Trait("Host", "InProcess")] // compares the server's snapshot with a fresh scan
public sealed class PersistentIndexTests : IDisposable
{
    private static readonly ImmutableArray<string> TagKeys = NotesSettings.Default.Tags.Keys;
    private readonly string root = Directory.CreateTempSubdirectory("notes-lsp-persist-").FullName;

    private string Workspace => Path.Combine(root, "notes");

    /// <summary>The cache home of the servers (their <c>XDG_CACHE_HOME</c>).</summary>
    private string CacheHome => Path.Combine(root, "cache");

    /// <summary>The servers' index directory: <c>notes-lsp</c> in the cache home, as a server process picks it.</summary>
    private string IndexDirectory => Path.Combine(CacheHome, "notes-lsp");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_reopened_workspace_starts_from_the_index_and_rereads_only_changed_notes()
    {
        WriteCorpus(60);
        await using (var first = await StartAsync())
        {
            Assert.Contains("read 60 new or changed", first.Log.ToString(), StringComparison.Ordinal);
            await (await first.Server).IndexSaved;
        }

        // Changed text, a new note, a deleted note, and a touched note whose bytes did not change.
        Write(NotePath(1), Note(1, "retitled", "fresh-tag"));
        Write(NotePath(2), Note(2, "changed", "other-tag") + "\n## Added heading\n");
        Write(NotePath(100), Note(100, "brand new", "new-tag"));
        File.Delete(NotePath(3));
        File.SetLastWriteTimeUtc(NotePath(4), DateTime.UtcNow.AddMinutes(1));

        await using var second = await StartAsync();
        var log = second.Log.ToString();
        Assert.Contains("loaded 60 notes from the index", log, StringComparison.Ordinal);
        Assert.Contains("read 4 new or changed", log, StringComparison.Ordinal);
        var server = await second.Server;
        await server.IndexSaved;
        AssertSameAsFreshScan(server.Queue.Current);
        AssertIndexSameAsFreshScan();

        // Workspace features answer from the summaries: a heading of a note the server never read this time.
        var symbols = await second.Client.RequestAsync("workspace/symbol", new { query = "Findings of note 7" });
        Assert.Contains(symbols!.AsArray(), s => (string)s!["name"]! == "Findings of note 7" && (int)s["location"]!["range"]!["start"]!["line"]! == 9);
    }

    [Fact]
    public async Task The_scan_shares_one_string_per_tag_and_heading_across_its_batches_and_the_index()
    {
        // More notes than one scan batch, so the notes are read in two batches.
        var count = LanguageServer.ScanBatchSize + 40;
        WriteCorpus(count);
        await using (var first = await StartAsync())
        {
            var server = await first.Server;
            await server.IndexSaved;
            AssertOneStringEach(server.Queue.Current, count);
        }

        // Reopened with a tenth changed: the notes the index gave and the notes read again share them too.
        for (var i = 0; i < count; i += 10)
        {
            Write(NotePath(i), Note(i, $"changed {i}", "transformers") + "\n## Summary\n");
        }

        await using var second = await StartAsync();
        var reopened = await second.Server;
        await reopened.IndexSaved;
        Assert.Contains($"read {(count + 9) / 10} new or changed", second.Log.ToString(), StringComparison.Ordinal);
        AssertOneStringEach(reopened.Queue.Current, count);

        static void AssertOneStringEach(WorkspaceSnapshot snapshot, int count)
        {
            var summaries = snapshot.Notes.Values.Select(n => n.Summary!).ToList();
            Assert.Equal(count, summaries.Count);
            var shared = summaries.SelectMany(s => s.Tags).Where(t => t.Value == "shared").Select(t => t.Value).ToList();
            Assert.Equal(count, shared.Count);
            Assert.All(shared, value => Assert.Same(shared[0], value));
            var keys = summaries.Select(s => s.FrontMatterKeys).ToList();
            Assert.All(keys, list => Assert.Same(keys[0][0], list[0]));
        }
    }

    [Fact]
    public async Task The_workspace_answers_from_the_index_before_the_disk_check_finishes()
    {
        WriteCorpus(60);
        await using (var first = await StartAsync())
        {
            await (await first.Server).IndexSaved;
        }

        // The index is in the cache directory, never in the workspace.
        Assert.True(File.Exists(NoteIndexStore.PathFor(IndexDirectory, Workspace)));
        Assert.Empty(Directory.GetFiles(Workspace, "*.db*", SearchOption.AllDirectories));

        // Changed on disk since: while the disk check is held, the answers are the index's (the old heading).
        Write(NotePath(5), "---\ntitle: \"five\"\ntags: [late-tag]\n---\n\n# Rewritten five\n");
        await using var harness = new ServerHarness(IndexDirectory);
        harness.UseWorkspace(Workspace);
        var server = await harness.Server.WaitAsync(TimeSpan.FromSeconds(30));
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.BeforeDiskCheck = () =>
        {
            reached.TrySetResult();
            return hold.Task;
        };
        try
        {
            await harness.Client.RequestAsync("initialize", new { processId = (int?)null, rootUri = DocumentUris.FromPath(Workspace), capabilities = new { } });
            await harness.Client.NotifyAsync("initialized", new { });
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.False(server.Indexed.IsCompleted);
            Assert.Contains("loaded 60 notes from the index", harness.Log.ToString(), StringComparison.Ordinal);

            Assert.Equal(9, await SymbolLine(harness, "Findings of note 7"));
            Assert.Equal(9, await SymbolLine(harness, "Findings of note 5"));
            Assert.Null(await SymbolLine(harness, "Rewritten five"));

            // Tag completion and hover come from the remembered notes too.
            var open = DocumentUris.FromPath(Path.Combine(Workspace, "open.md"));
            await harness.OpenAsync(open, "---\ntags: [transf\n---\n");
            var completion = await harness.Client.RequestAsync("textDocument/completion", new { textDocument = new { uri = open }, position = new { line = 1, character = 13 } });
            var item = Assert.Single(completion!["items"]!.AsArray(), i => (string?)i!["label"] == "transformers");
            Assert.Equal("used in 20 notes", (string?)item!["detail"]);
            Assert.False(server.Indexed.IsCompleted);
        }
        finally
        {
            hold.TrySetResult();
        }

        await server.Indexed.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Null(await SymbolLine(harness, "Findings of note 5"));
        Assert.Equal(5, await SymbolLine(harness, "Rewritten five"));
        await server.IndexSaved;
        AssertSameAsFreshScan(server.Queue.Current, open: ["open.md"]);
        AssertIndexSameAsFreshScan();
    }

    [Fact]
    public async Task Two_servers_on_one_workspace_share_the_index_at_once()
    {
        WriteCorpus(400);
        var first = new ServerHarness(IndexDirectory);
        var second = new ServerHarness(IndexDirectory);
        try
        {
            first.UseWorkspace(Workspace);
            second.UseWorkspace(Workspace);

            // Both scan and save the same database at the same time, then both apply the same edits.
            await Task.WhenAll(first.InitializeAsync(), second.InitializeAsync());
            var a = await first.Server;
            var b = await second.Server;
            await Task.WhenAll(a.IndexSaved, b.IndexSaved);
            var events = new List<object>();
            for (var i = 0; i < 100; i++)
            {
                Write(NotePath(i), Note(i, $"edited {i}", "edited"));
                events.Add(new { uri = DocumentUris.FromPath(NotePath(i)), type = 2 });
            }

            for (var i = 100; i < 120; i++)
            {
                File.Delete(NotePath(i));
                events.Add(new { uri = DocumentUris.FromPath(NotePath(i)), type = 3 });
            }

            await Task.WhenAll(first.FileEventsAsync(new { changes = events }), second.FileEventsAsync(new { changes = events }));
            await Task.WhenAll(a.IndexSaved, b.IndexSaved);
            AssertSameAsFreshScan(a.Queue.Current);
            AssertSameAsFreshScan(b.Queue.Current);
            foreach (var log in new[] { first.Log.ToString(), second.Log.ToString() })
            {
                Assert.DoesNotContain("moved it to", log, StringComparison.Ordinal);
                Assert.DoesNotContain("index is off", log, StringComparison.Ordinal);
                Assert.DoesNotContain(" error] ", log, StringComparison.Ordinal);
            }
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }

        AssertIndexSameAsFreshScan();
        await using var third = await StartAsync();
        Assert.Contains("read 0 new or changed", third.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_storm_is_coalesced_answered_during_and_leaves_the_index_equal_to_a_fresh_scan()
    {
        WriteCorpus(2000);
        await using var harness = await StartAsync();
        var server = await harness.Server;
        await server.IndexSaved;

        // A checkout of 10,000 files: 1,500 notes rewritten, 500 deleted, 8,000 added, announced in notifications of 500 events.
        var events = new List<object>();
        for (var i = 0; i < 1500; i++)
        {
            Write(NotePath(i), Note(i, $"rewritten {i}", $"storm-{i % 13}") + $"\n## Storm section {i}\n");
            events.Add(new { uri = DocumentUris.FromPath(NotePath(i)), type = 2 });
        }

        for (var i = 1500; i < 2000; i++)
        {
            File.Delete(NotePath(i));
            events.Add(new { uri = DocumentUris.FromPath(NotePath(i)), type = 3 });
        }

        for (var i = 5000; i < 13000; i++)
        {
            Write(NotePath(i), Note(i, $"added {i}", "added"));
            events.Add(new { uri = DocumentUris.FromPath(NotePath(i)), type = 1 });
        }

        Assert.Equal(10_000, events.Count);
        await harness.OpenAsync(harness.Uri("open.md"), "---\ntags: [st\n---\n");
        var answered = 0;
        foreach (var chunk in events.Chunk(500))
        {
            await harness.Client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = chunk });
            var completion = await harness.Client.RequestAsync("textDocument/completion", new { textDocument = new { uri = harness.Uri("open.md") }, position = new { line = 1, character = 10 } });
            Assert.NotNull(completion);
            answered++;
        }

        await server.WatchedFilesIdle.WaitAsync(TimeSpan.FromSeconds(300));
        await server.IndexSaved.WaitAsync(TimeSpan.FromSeconds(300));
        Assert.Equal(20, answered);

        // Coalesced: far fewer snapshot changes than events (batches of up to 500 distinct paths).
        Assert.InRange(server.WatchedFileBatches, 10_000 / WatchedFileBatcher.MaxBatch, 10_000 / 100);
        AssertSameAsFreshScan(server.Queue.Current, open: ["open.md"]);
        AssertIndexSameAsFreshScan();
    }

    [Fact]
    public async Task A_server_killed_while_saving_its_first_index_leaves_a_usable_index()
    {
        WriteCorpus(3000);
        var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = CacheHome };
        await using (var client = LspClient.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "notes-lsp.dll")], environment))
        {
            await client.RequestAsync("initialize", new { processId = (int?)null, rootUri = DocumentUris.FromPath(Workspace), capabilities = new { } });
            await client.NotifyAsync("initialized", new { });
            client.WaitForNotification("notes/status", TimeSpan.FromSeconds(120));

            // The index is saved in transactions of a few thousand rows right after this notification: kill the
            // process while that runs.
            var deadline = Stopwatch.StartNew();
            var wal = Directory.Exists(Path.Combine(IndexDirectory, "index"))
                ? Directory.GetFiles(Path.Combine(IndexDirectory, "index"), "*.db-wal").FirstOrDefault()
                : null;
            while (deadline.Elapsed < TimeSpan.FromSeconds(20) && (wal is null || new FileInfo(wal).Length < 100_000))
            {
                await Task.Delay(5);
                wal = Directory.GetFiles(Path.Combine(IndexDirectory, "index"), "*.db-wal").FirstOrDefault();
            }

            client.Process!.Kill(entireProcessTree: true);
            await client.Process.WaitForExitAsync();
        }

        var database = NoteIndexStore.PathFor(IndexDirectory, Workspace);
        using (var raw = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            raw.Open();
            using var check = raw.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", check.ExecuteScalar() as string);
        }

        var log = new List<string>();
        using (var store = NoteIndexStore.Open(database, new IndexIdentity(Workspace, Program.Version), log.Add)!)
        {
            var kept = store.ReadNotes();
            Assert.InRange(kept.Count, 0, 3000);
            Assert.All(kept, e => Assert.True(File.Exists(e.Path)));
            Assert.Empty(log);
        }

        // The next server takes what was saved and reads the rest.
        await using var next = await StartAsync(IndexDirectory);
        var server = await next.Server;
        await server.IndexSaved;
        AssertSameAsFreshScan(server.Queue.Current);
        AssertIndexSameAsFreshScan(IndexDirectory);
    }

    [Fact]
    public async Task Check_with_cache_prints_what_check_prints_and_rereads_only_changed_notes()
    {
        WriteCorpus(120);
        // Cross-note tag hints: `transformer` (2 notes) is a variant of `transformers` (many).
        Write(NotePath(500), "---\ntitle: BERT: Pre-training\ntags: [transformer]\n---\n# x\n[DCMHA](https://openreview.net/forum?id=RbiBKPtuHp)\n");
        Write(NotePath(501), "---\ntitle: ok\ndate: 2024-02-30\ntags: [transformer, 日本語]\n---\n# 見出し 😀\n");
        var initial = (await RunCheckAsync("text", cache: false)).Output;
        foreach (var format in new[] { "text", "json", "sarif" })
        {
            var plain = await RunCheckAsync(format, cache: false);
            var first = await RunCheckAsync(format, cache: true);
            var second = await RunCheckAsync(format, cache: true);
            Assert.Equal(plain.Output, first.Output);
            Assert.Equal(plain.Output, second.Output);
            Assert.Equal(plain.Exit, second.Exit);
        }

        var warm = await RunCheckAsync("text", cache: true);
        Assert.Equal(0, warm.Read);

        // Now `transformer` is used by a dozen notes, no slip any more: the hints of the unchanged notes 500 and 501
        // change, and --cache follows although it does not read them.
        for (var i = 0; i < 10; i++)
        {
            Write(NotePath(i), Note(i, $"edited {i}", "transformer") + (i == 3 ? "\ndate: nonsense\n" : string.Empty));
        }

        var expected = await RunCheckAsync("text", cache: false);
        var actual = await RunCheckAsync("text", cache: true);
        Assert.Equal(expected.Output, actual.Output);
        Assert.Equal(10, actual.Read);
        static string LinesOf(string output, string note) => string.Join('\n', output.Split('\n').Where(l => l.Contains(note, StringComparison.Ordinal)));
        Assert.Contains("transformers", LinesOf(initial, "n00500"), StringComparison.Ordinal);
        Assert.NotEqual(LinesOf(initial, "n00500"), LinesOf(expected.Output, "n00500"));

        // A deleted note changes how many notes use each front matter key, which front matter checks read: the
        // stored results are then not used (every note is read again), and the output still matches.
        File.Delete(NotePath(7));
        Assert.Equal((await RunCheckAsync("json", cache: false)).Output, (await RunCheckAsync("json", cache: true)).Output);
        Assert.Equal((await RunCheckAsync("text", cache: false)).Output, (await RunCheckAsync("text", cache: true)).Output);
    }

    private async Task<(int Exit, string Output, int Read)> RunCheckAsync(string format, bool cache)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var options = new CheckOptions([Workspace], Format: format, ShowProgress: true, UseCache: cache, CacheDirectory: IndexDirectory);
        var exit = await CheckCommand.RunAsync(options, output, errors, CancellationToken.None);
        Assert.DoesNotContain("notes-lsp check:", errors.ToString(), StringComparison.Ordinal);
        var read = -1;
        if (cache)
        {
            var progress = errors.ToString();
            var at = progress.IndexOf(" notes (", StringComparison.Ordinal);
            Assert.True(at >= 0, progress);
            read = int.Parse(progress[(at + 8)..progress.IndexOf(" read", at, StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        }

        return (exit, output.ToString(), read);
    }

    private async Task<ServerHarness> StartAsync(string? indexDirectory = null)
    {
        var harness = new ServerHarness(indexDirectory ?? IndexDirectory);
        harness.UseWorkspace(Workspace);
        await harness.InitializeAsync();
        return harness;
    }

    private static async Task<int?> SymbolLine(ServerHarness harness, string name)
    {
        var symbols = await harness.Client.RequestAsync("workspace/symbol", new { query = name });
        var match = symbols!.AsArray().FirstOrDefault(s => (string)s!["name"]! == name);
        return match is null ? null : (int)match["location"]!["range"]!["start"]!["line"]!;
    }

    private void WriteCorpus(int count)
    {
        Directory.CreateDirectory(Workspace);
        for (var i = 0; i < count; i++)
        {
            Write(NotePath(i), Note(i, $"note {i}", i % 3 == 0 ? "transformers" : $"topic-{i % 17}"));
        }
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string NotePath(int i) => Path.Combine(Workspace, $"d{i % 7}", $"n{i:D5}.md");

    private static string Note(int i, string title, string tag)
    {
        return $"---\ntitle: \"{title}\"\ntags: [{tag}, shared]\ncategories:\n  - cat-{i % 5}\n---\n\n# Heading {i}\n\n## Findings of note {i}\n\nSee [A paper](https://openreview.net/forum?id=Paper{i % 40:D4}) for details.\n";
    }

    /// <summary>Every closed note of the snapshot equals what reading the disk now gives, and nothing is missing or extra.</summary>
    private void AssertSameAsFreshScan(WorkspaceSnapshot snapshot, IReadOnlyList<string>? open = null)
    {
        var fresh = Fresh();
        var closed = snapshot.Notes.Values.Where(n => !n.IsOpen).ToList();
        Assert.Equal(fresh.Keys.Order(StringComparer.Ordinal), closed.Select(n => DocumentUris.ToPath(n.Uri)!).Order(StringComparer.Ordinal));
        foreach (var note in closed)
        {
            var expected = fresh[DocumentUris.ToPath(note.Uri)!];
            Assert.Equal(SummaryCodec.Encode(expected.Summary), SummaryCodec.Encode(note.Summary!));
            Assert.Equal(expected.Summary.DistinctTags().ToArray(), snapshot.Tags.TagsOf(note.Uri).ToArray());
            Assert.Equal(expected.Summary.CitationsFor(note.Uri).ToArray(), snapshot.Citations.CitationsOf(note.Uri).ToArray());
        }

        Assert.Equal(open?.Count ?? 0, snapshot.Notes.Count - closed.Count);
    }

    private void AssertIndexSameAsFreshScan(string? indexDirectory = null)
    {
        var database = NoteIndexStore.PathFor(indexDirectory ?? IndexDirectory, Workspace);
        using var store = NoteIndexStore.Open(database, new IndexIdentity(Workspace, Program.Version), _ => { })!;
        var stored = store.ReadNotes().ToDictionary(e => e.Path, StringComparer.Ordinal);
        var fresh = Fresh();
        Assert.Equal(fresh.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, entry) in fresh)
        {
            Assert.Equal(entry.Hash, stored[path].Hash);
            Assert.Equal(entry.Size, stored[path].Size);
            Assert.Equal(entry.ModifiedTicks, stored[path].ModifiedTicks);
            Assert.Equal(SummaryCodec.Encode(entry.Summary), SummaryCodec.Encode(stored[path].Summary));
        }
    }

    private Dictionary<string, IndexedNote> Fresh()
    {
        var result = new Dictionary<string, IndexedNote>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(Workspace, "*.md", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(path);
            var info = new FileInfo(path);
            var note = Analysis.Note.FromUtf8(DocumentUris.FromPath(path), bytes);
            result[path] = new IndexedNote(path, info.Length, info.LastWriteTimeUtc.Ticks, NoteIndexStore.HashOf(bytes), NoteSummary.Of(note, TagKeys));
        }

        return result;
    }
}
