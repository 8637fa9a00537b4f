using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NotesLsp.LspDriver;

namespace NotesLsp.Bench;

/// <summary>
/// The scale run of issue 14 on one corpus, measured from outside like an editor sees it. Each run:
/// (1) first open with an empty index directory: spawn -> indexed (<c>notes/status</c>), with a
/// <c>workspace/symbol</c> request every 50 ms while the scan runs (their latencies), and peak RSS;
/// (2) reopen, nothing changed: spawn -> indexed, then tag completion and <c>workspace/symbol</c> latencies,
/// peak RSS; (3) 1,000 notes changed (a line appended), reopen: spawn -> indexed; (4) a change storm:
/// 10,000 notes (or all, if fewer) rewritten and announced as watcher events while completion is requested
/// every 20 ms, until the server is idle again. The corpus is changed by (3) and (4): use a copy.
/// </summary>
internal static class Scale
{
    /// <param name="firstOpenOnly">Only step (1), the first open and the requests during its scan (it changes no file).</param>
    /// <param name="storm">False leaves the change storm out (at 100,000 notes it takes many minutes).</param>
    /// <param name="keepCache">A cache directory kept across runs and invocations (null: a fresh one per run); when it already holds an index, the first open is skipped.</param>
    public static async Task<int> RunAsync(string server, string folder, int runs, bool firstOpenOnly = false, bool storm = true, string? keepCache = null)
    {
        var notes = Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var results = new Dictionary<string, List<double>>();
        void Add(string name, double value)
        {
            if (!results.TryGetValue(name, out var list))
            {
                results[name] = list = [];
            }

            list.Add(value);

            // Printed as measured too, so a run cut off by a time limit still leaves its figures.
            if (!name.EndsWith("(ms)", StringComparison.Ordinal) || name.Contains("spawn", StringComparison.Ordinal) || name.Contains("events", StringComparison.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {value:F1} (load {LoadAverage()})"));
            }
        }

        for (var run = 0; run < runs; run++)
        {
            var cache = keepCache is null ? Directory.CreateTempSubdirectory("notes-lsp-bench-cache-").FullName : Directory.CreateDirectory(keepCache).FullName;
            try
            {
                var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = cache };

                // 1. First open, no index (unless a kept cache directory holds one already).
                var indexed = keepCache is not null && Directory.EnumerateFiles(cache, "*.db", SearchOption.AllDirectories).Any();
                if (!indexed)
                {
                    var (first, firstRss, duringScan) = await OpenAsync(server, folder, environment, notes.Count, probeDuringScan: true);
                    Add("first open: spawn -> indexed (ms)", first);
                    Add("first open: peak RSS (MB)", firstRss);
                    foreach (var latency in duringScan)
                    {
                        Add("workspace/symbol while the start-up scan runs (ms)", latency);
                    }
                }

                if (firstOpenOnly)
                {
                    continue;
                }

                // 2. Reopen, nothing changed, then request latencies on the reopened workspace.
                var (reopen, reopenRss, _) = await OpenAsync(server, folder, environment, notes.Count, probeDuringScan: false, measure: (name, value) => Add(name, value));
                Add("reopen, nothing changed: spawn -> indexed (ms)", reopen);
                Add("reopen: peak RSS after the requests (MB)", reopenRss);

                // 3. 1,000 notes changed since.
                foreach (var path in notes.Where((_, i) => i % Math.Max(1, notes.Count / 1000) == 0).Take(1000))
                {
                    File.AppendAllText(path, $"\nA line added by the scale bench, run {run}.\n");
                }

                var (changed, _, _) = await OpenAsync(server, folder, environment, notes.Count, probeDuringScan: false);
                Add("reopen, 1,000 notes changed: spawn -> indexed (ms)", changed);

                // 4. A change storm on a running server.
                if (!storm)
                {
                    continue;
                }

                foreach (var (name, value) in await StormAsync(server, folder, environment, notes, run))
                {
                    Add(name, value);
                }
            }
            finally
            {
                if (keepCache is null)
                {
                    Directory.Delete(cache, recursive: true);
                }
            }
        }

        foreach (var (name, values) in results)
        {
            Report(name, values);
        }

        return 0;
    }

    private static async Task<(double Elapsed, double PeakRss, List<double> DuringScan)> OpenAsync(
        string server, string folder, Dictionary<string, string> environment, int expected, bool probeDuringScan, Action<string, double>? measure = null)
    {
        var spawn = Stopwatch.StartNew();
        await using var client = Spawn(server, environment);
        await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = FileUri(folder), capabilities = new { } });
        await client.NotifyAsync("initialized", new { });
        var duringScan = new List<double>();
        var status = Task.Run(() => client.WaitForNotification("notes/status", TimeSpan.FromMinutes(10)));
        if (probeDuringScan)
        {
            var queries = new[] { "sum", "attention", "diffusion model", "ke co", "robot" };
            var i = 0;
            while (!status.IsCompleted)
            {
                var request = Stopwatch.StartNew();
                await client.RequestAsync("workspace/symbol", new { query = queries[i++ % queries.Length] });
                if (!status.IsCompleted)
                {
                    duringScan.Add(request.Elapsed.TotalMilliseconds);
                }

                await Task.Delay(50);
            }
        }

        var indexed = (int)(await status)["params"]!["notes"]!;
        var elapsed = spawn.Elapsed.TotalMilliseconds;
        if (indexed != expected)
        {
            Console.Error.WriteLine($"indexed {indexed} notes, expected {expected}");
        }

        if (measure is not null)
        {
            var uri = new Uri(Path.Combine(Path.GetFullPath(folder), "scale-bench-open-not-on-disk.md")).AbsoluteUri;
            await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "markdown", version = 1, text = "---\ntitle: x\ntags: [tr\n---\n" } });
            await client.RequestAsync("textDocument/completion", new { textDocument = new { uri }, position = new { line = 2, character = 9 } });
            var words = new[] { "sum", "attention", "diffusion", "key contributions", "open questions", "graph", "robustness", "transformers", "math", "limit", "towards", "learning", "decoupled", "xq", "efficient" };
            for (var i = 0; i < 200; i++)
            {
                var completion = Stopwatch.StartNew();
                await client.RequestAsync("textDocument/completion", new { textDocument = new { uri }, position = new { line = 2, character = 9 } });
                measure("tag completion (ms)", completion.Elapsed.TotalMilliseconds);
                var symbols = Stopwatch.StartNew();
                await client.RequestAsync("workspace/symbol", new { query = words[i % words.Length] });
                measure("workspace/symbol (ms)", symbols.Elapsed.TotalMilliseconds);
            }
        }

        var peak = PeakRssMegabytes(client.Process!.Id);

        await client.RequestAsync("shutdown", null);
        await client.NotifyAsync("exit", null);
        await client.Process.WaitForExitAsync();

        // The server's own account of where the time went (index load, listing, reading), and whether the index was saved before it exited.
        lock (client.StandardError!)
        {
            foreach (var line in client.StandardError.ToString().Split('\n').Where(l => l.Contains("] loaded ", StringComparison.Ordinal) || l.Contains("] indexed ", StringComparison.Ordinal) || l.Contains("note index", StringComparison.Ordinal) || l.Contains("] saved ", StringComparison.Ordinal)))
            {
                Console.WriteLine($"  server: {line.Trim()}");
            }
        }

        return (elapsed, peak, duringScan);
    }

    private static async Task<List<(string, double)>> StormAsync(string server, string folder, Dictionary<string, string> environment, List<string> notes, int run)
    {
        var results = new List<(string, double)>();
        await using var client = Spawn(server, environment);
        await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = FileUri(folder), capabilities = new { } });
        await client.NotifyAsync("initialized", new { });
        client.WaitForNotification("notes/status", TimeSpan.FromMinutes(10));
        var uri = new Uri(Path.Combine(Path.GetFullPath(folder), "scale-bench-open-not-on-disk.md")).AbsoluteUri;
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "markdown", version = 1, text = "---\ntitle: x\ntags: [tr\n---\n" } });

        var changed = notes.Take(10_000).ToList();
        foreach (var path in changed)
        {
            File.AppendAllText(path, $"\n## Storm {run}\n");
        }

        // A heading only the last file has: found once the whole storm is applied (batches go in order). A heading
        // every changed note has would not do: workspace/symbol answers the best matches only, up to its limit.
        var lastHeading = $"Storm {run} last {Guid.NewGuid():N}";
        File.AppendAllText(changed[^1], $"\n## {lastHeading}\n");

        var storm = Stopwatch.StartNew();
        foreach (var chunk in changed.Chunk(1000))
        {
            await client.NotifyAsync("workspace/didChangeWatchedFiles", new { changes = chunk.Select(p => new { uri = new Uri(p).AbsoluteUri, type = 2 }).ToArray() });
        }

        // Completion every 20 ms until a workspace/symbol search finds the last storm heading, i.e. the
        // re-index is done (the server applies the events in batches, in order).
        var lastUri = new Uri(changed[^1]).AbsoluteUri;
        var latencies = new List<double>();
        while (storm.Elapsed < TimeSpan.FromMinutes(5))
        {
            var completion = Stopwatch.StartNew();
            await client.RequestAsync("textDocument/completion", new { textDocument = new { uri }, position = new { line = 2, character = 9 } });
            latencies.Add(completion.Elapsed.TotalMilliseconds);
            if (latencies.Count % 10 == 0)
            {
                var symbols = (JsonArray?)await client.RequestAsync("workspace/symbol", new { query = lastHeading });
                if (symbols?.Any(s => (string?)s!["location"]!["uri"] == lastUri && (string?)s["name"] == lastHeading) == true)
                {
                    break;
                }
            }

            await Task.Delay(20);
        }

        results.Add(($"change storm ({changed.Count} files): events -> re-indexed (ms)", storm.Elapsed.TotalMilliseconds));
        foreach (var latency in latencies)
        {
            results.Add(("completion during the change storm (ms)", latency));
        }

        results.Add(("change storm: peak RSS (MB)", PeakRssMegabytes(client.Process!.Id)));
        await client.RequestAsync("shutdown", null);
        await client.NotifyAsync("exit", null);
        await client.Process.WaitForExitAsync();
        return results;
    }

    /// <summary>A framework-dependent server (<c>notes-lsp.dll</c>) runs with <c>dotnet</c>; a native one (NativeAOT) by itself.</summary>
    private static LspClient Spawn(string server, Dictionary<string, string> environment) =>
        server.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? LspClient.Start("dotnet", [server], environment) : LspClient.Start(server, [], environment);

    private static string FileUri(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;

    private static double PeakRssMegabytes(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
        {
            return double.NaN;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static void Report(string what, List<double> values)
    {
        values.Sort();
        var median = values[values.Count / 2];
        var p95 = values[Math.Min(values.Count - 1, (int)Math.Ceiling(values.Count * 0.95) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: median {median:F1}, p95 {p95:F1}, min {values[0]:F1}, max {values[^1]:F1} (n={values.Count})"));
    }
}
