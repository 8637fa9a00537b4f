// An LSP driver that starts the real notes-lsp binary and measures it from the outside, the way an editor
// sees it. Not a test: it prints numbers (see bench/RESULTS.md for the recorded figures and commands).
//
//   notes-lsp-bench demo    [--server DLL] [FOLDER] [NOTE]   scripted initialize + documentSymbol, printed as an outline
//   notes-lsp-bench startup [--server DLL] [--runs N]         process start -> initialize answer
//   notes-lsp-bench index   [--server DLL] [--runs N] [--settle] FOLDER
//                           initialized -> start-up index done, and peak RSS; with --settle, also the peak RSS
//                           once the background parse of note bodies after indexing has finished
//   notes-lsp-bench scale   [--server DLL or native executable] [--runs N] [--first-open-only] [--no-storm] [--cache DIR] FOLDER
//                           issue 14: first open, reopen (unchanged, 1,000 changed), request latencies, change storm
//                           (--first-open-only: only the first open and the requests during its scan, changes no file;
//                           --no-storm leaves the storm out: at 100,000 notes it takes many minutes; --cache DIR keeps the
//                           index in DIR across invocations and skips the first open when DIR already holds one, to
//                           measure reopens alone); changes the corpus (use a copy)
//   notes-lsp-bench soak    [--server DLL] [--minutes M] [--rate EDITS_PER_S] FOLDER
//                           types into a 2,000-line note; RSS over time, completion p95 per minute, errors
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NotesLsp.LspDriver;

var arguments = args.ToList();
var server = TakeOption(arguments, "--server") ?? DefaultServer();
var runs = int.Parse(TakeOption(arguments, "--runs") ?? "10", CultureInfo.InvariantCulture);
var minutes = double.Parse(TakeOption(arguments, "--minutes") ?? "10", CultureInfo.InvariantCulture);
var rate = int.Parse(TakeOption(arguments, "--rate") ?? "10", CultureInfo.InvariantCulture);
var settle = arguments.Remove("--settle");
var firstOpenOnly = arguments.Remove("--first-open-only");
var noStorm = arguments.Remove("--no-storm");
var keepCache = TakeOption(arguments, "--cache");
// Options are taken out above; anything still starting with '-' (--help included) is not one this driver knows.
var unknown = arguments.Find(a => a.StartsWith('-'));
if (unknown is not (null or "--help" or "-h"))
{
    Console.Error.WriteLine($"unknown option: {unknown}");
}

if (arguments.Count == 0 || unknown is not null)
{
    return Usage();
}

if (!File.Exists(server))
{
    Console.Error.WriteLine($"server not found: {server} (build it first, or pass --server)");
    return 2;
}

var command = arguments[0];
arguments.RemoveAt(0);
if (command is "index" or "scale" or "soak" && !Directory.Exists(arguments.ElementAtOrDefault(0)))
{
    Console.Error.WriteLine($"{command} needs an existing notes folder: {arguments.ElementAtOrDefault(0) ?? "(none given)"}");
    return 2;
}

return command switch
{
    "demo" => await Demo(server, arguments.ElementAtOrDefault(0) ?? "examples", arguments.ElementAtOrDefault(1) ?? "icml2024-talk-notes.md"),
    "startup" => await Startup(server, runs),
    "index" => await Index(server, runs, settle, arguments[0]),
    "scale" => await NotesLsp.Bench.Scale.RunAsync(server, arguments[0], runs, firstOpenOnly, storm: !noStorm, keepCache),
    "soak" => await NotesLsp.Bench.Soak.RunAsync(server, arguments[0], TimeSpan.FromMinutes(minutes), rate),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: notes-lsp-bench demo|startup|index|scale|soak [--server DLL] [--runs N] [--settle] [--first-open-only] [--no-storm] [--cache DIR] [--minutes M] [--rate N] [FOLDER] [NOTE]");
    Console.Error.WriteLine("(the header of bench/NotesLsp.Bench/Program.cs says what each command measures)");
    return 2;
}

static string? TakeOption(List<string> arguments, string name)
{
    var index = arguments.IndexOf(name);
    if (index < 0 || index + 1 >= arguments.Count)
    {
        return null;
    }

    var value = arguments[index + 1];
    arguments.RemoveRange(index, 2);
    return value;
}

static string DefaultServer()
{
    // The Release build next to this repository's bench folder.
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NotesLsp.sln")))
    {
        directory = directory.Parent;
    }

    var root = directory?.FullName ?? Directory.GetCurrentDirectory();
    return Path.Combine(root, "server", "NotesLsp.Server", "bin", "Release", "net10.0", "notes-lsp.dll");
}

// A .dll runs with dotnet (the framework-dependent build); anything else is a native executable (NativeAOT).
static LspClient Start(string server, IReadOnlyDictionary<string, string>? environment = null) =>
    server.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? LspClient.Start("dotnet", [server], environment) : LspClient.Start(server, [], environment);

static string FileUri(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;

static async Task<int> Demo(string server, string folder, string note)
{
    await using var client = Start(server);
    var init = await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = FileUri(folder), capabilities = new { } });
    Console.WriteLine($"initialize -> {init!["serverInfo"]!["name"]} {init["serverInfo"]!["version"]}, positionEncoding {init["capabilities"]!["positionEncoding"]}");
    await client.NotifyAsync("initialized", new { });

    // workspace/symbol answers from the workspace index: asked before the start-up scan has finished, it can list
    // nothing. The server says when the index is complete (notes/status), as the index benchmark waits for.
    var status = client.WaitForNotification("notes/status", TimeSpan.FromMinutes(1));
    Console.WriteLine($"notes/status -> {status["params"]!["notes"]} notes indexed");
    var uri = FileUri(Path.Combine(folder, note));
    var symbols = await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
    Console.WriteLine($"documentSymbol {Path.Combine(folder, note)}:");
    Print(symbols as JsonArray, 1);
    var titles = (JsonArray)(await client.RequestAsync("workspace/symbol", new { query = "" }))!;
    Console.WriteLine($"workspace/symbol \"\" -> {titles.Count} note titles: {string.Join(" | ", titles.Select(t => (string?)t!["name"]))}");
    await client.RequestAsync("shutdown", null);
    await client.NotifyAsync("exit", null);
    client.Process!.WaitForExit(10_000);
    Console.WriteLine($"shutdown + exit -> exit code {client.Process.ExitCode}");
    return client.Process.ExitCode;

    static void Print(JsonArray? items, int depth)
    {
        foreach (var item in items ?? [])
        {
            var start = item!["range"]!["start"]!;
            var end = item["range"]!["end"]!;
            Console.WriteLine($"{new string(' ', depth * 2)}{item["name"]}  [{start["line"]}:{start["character"]}-{end["line"]}:{end["character"]}]");
            Print(item["children"] as JsonArray, depth + 1);
        }
    }
}

static async Task<int> Startup(string server, int runs)
{
    var times = new List<double>();
    for (var i = 0; i < runs + 1; i++)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var client = Start(server);
        await client.RequestAsync("initialize", new { processId = Environment.ProcessId, capabilities = new { } });
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        if (i > 0)
        {
            times.Add(elapsed); // The first run warms the disk cache and is not counted.
        }

        await client.RequestAsync("shutdown", null);
        await client.NotifyAsync("exit", null);
    }

    Report("process start -> initialize answer", times, "ms");
    return 0;
}

static async Task<int> Index(string server, int runs, bool settle, string folder)
{
    var count = Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Count();
    var times = new List<double>();
    var rss = new List<double>();
    var settledRss = new List<double>();
    for (var i = 0; i < runs + 1; i++)
    {
        // Every run is a first open: an empty cache home, so the persistent index (issue 14) has nothing to reuse
        // (`scale` measures the reopen).
        var cache = Directory.CreateTempSubdirectory("notes-bench-cache-").FullName;
        await using var client = Start(server, new Dictionary<string, string> { ["XDG_CACHE_HOME"] = cache });
        await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = FileUri(folder), capabilities = new { } });
        var stopwatch = Stopwatch.StartNew();
        await client.NotifyAsync("initialized", new { });
        var status = client.WaitForNotification("notes/status", TimeSpan.FromMinutes(2));
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        var indexed = (int)status["params"]!["notes"]!;
        if (indexed != count)
        {
            Console.Error.WriteLine($"indexed {indexed} notes, expected {count}");
            return 1;
        }

        var peak = PeakRssMegabytes(client.Process!.Id);
        var settled = double.NaN;
        if (settle)
        {
            // The server parses note bodies in the background after indexing (for workspace symbols); this is the
            // peak once that is done too.
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromMinutes(2) && !HasLine(client, "in the background"))
            {
                await Task.Delay(50);
            }

            settled = PeakRssMegabytes(client.Process!.Id);
        }
        if (Environment.GetEnvironmentVariable("NOTES_BENCH_VERBOSE") == "1")
        {
            lock (client.StandardError!)
            {
                Console.WriteLine($"  run {i}: {elapsed:F0} ms, peak RSS {peak:F0} MB; server: {client.StandardError.ToString().Split('\n').LastOrDefault(l => l.Contains("indexed ", StringComparison.Ordinal))?.Trim()}");
            }
        }

        if (i > 0)
        {
            times.Add(elapsed);
            rss.Add(peak);
            settledRss.Add(settled);
        }

        await client.RequestAsync("shutdown", null);
        await client.NotifyAsync("exit", null);
        client.Process!.WaitForExit(10_000);
        Directory.Delete(cache, recursive: true);
    }

    Report($"initialized -> {count} notes indexed", times, "ms");
    Report("server peak RSS after indexing", rss, "MB");
    if (settle)
    {
        Report("server peak RSS once the background body parse is done", settledRss, "MB");
    }

    return 0;
}

static bool HasLine(LspClient client, string text)
{
    lock (client.StandardError!)
    {
        return client.StandardError.ToString().Contains(text, StringComparison.Ordinal);
    }
}

static double PeakRssMegabytes(int processId)
{
    var status = $"/proc/{processId}/status";
    if (!File.Exists(status))
    {
        return double.NaN;
    }

    var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    var kilobytes = line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    return kilobytes / 1024;
}

static void Report(string what, List<double> values, string unit)
{
    values.Sort();
    var median = values[values.Count / 2];
    var p95 = values[Math.Min(values.Count - 1, (int)Math.Ceiling(values.Count * 0.95) - 1)];
    Console.WriteLine($"{what}: median {median:F0} {unit}, min {values[0]:F0}, p95 {p95:F0}, max {values[^1]:F0} (n={values.Count})");
}
