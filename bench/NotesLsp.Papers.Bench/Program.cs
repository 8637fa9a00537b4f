// A latency benchmark for the paper features (not a test): catalog load, title completion and cached hover,
// at the size of the bundled ICML 2024 catalog and at a synthetic 100,000-paper catalog.
// Run: dotnet run -c Release --project bench/NotesLsp.Papers.Bench
using System.Diagnostics;
using System.Globalization;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;
using NotesLsp.Text;

// With `-- --workspace DIR` it measures instead paper completion and hover in a workspace of notes (such as
// the 10,000 notes of the shared `gen-corpus.mjs --out /tmp/corpus-10k --n 10000`) right after a note edit.
const int Requests = 200;
var culture = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(culture, $"NotesLsp paper benchmark; {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {(Debugger.IsAttached ? "debugger" : "no debugger")}"));
if (args is ["--workspace", var workspaceDirectory])
{
    WorkspaceBench.Run(workspaceDirectory);
    return;
}

// With `-- --load` it measures only what a fresh server pays once: reading the bundled catalogs and building
// their search indexes in this new process (JIT included), as `PaperService.Warm` does, then exits.
// With `-- --load-index DIR` the same, from the precomputed index files in DIR (as the server embeds them; write
// them with `dotnet run -c Release --project tools/NotesLsp.Papers.IndexBuilder -- DIR`).
if (args is ["--load"] or ["--load-index", _])
{
    var folder = args.Length == 2 ? args[1] : null;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var loaded = PaperCatalog.LoadAllBundled(folder is null ? null : name => File.Exists(Path.Combine(folder, name)) ? File.OpenRead(Path.Combine(folder, name)) : null);
    var read = clock.Elapsed.TotalMilliseconds;
    Parallel.ForEach(loaded, c => c.Warm());
    var total = clock.Elapsed.TotalMilliseconds;
    var source = loaded.All(c => c.IsPrecomputed) ? "precomputed index" : loaded.Any(c => c.IsPrecomputed) ? "partly precomputed" : "JSON Lines";
    Console.WriteLine(string.Create(culture, $"Bundled catalogs ({loaded.Sum(c => c.Count)} papers, {loaded.Length} venues, from the {source}) in a fresh process: read {read:0} ms, + index {total - read:0} ms, total {total:0} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:0} ms CPU"));
    var again = Enumerable.Range(0, 3).Select(_ =>
    {
        var cpuAgain = Process.GetCurrentProcess().TotalProcessorTime;
        var clockAgain = Stopwatch.StartNew();
        var reloaded = PaperCatalog.LoadAllBundled(folder is null ? null : name => File.Exists(Path.Combine(folder, name)) ? File.OpenRead(Path.Combine(folder, name)) : null);
        Parallel.ForEach(reloaded, c => c.Warm());
        return (Wall: clockAgain.Elapsed.TotalMilliseconds, Cpu: (Process.GetCurrentProcess().TotalProcessorTime - cpuAgain).TotalMilliseconds);
    }).ToList();
    Console.WriteLine(string.Create(culture, $"  loaded again in the same process (code compiled): best {again.Min(a => a.Wall):0} ms wall, {again.Min(a => a.Cpu):0} ms CPU of 3"));
    GC.Collect();
    Console.WriteLine(string.Create(culture, $"  managed heap after loading: {GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0:0.0} MB = {GC.GetTotalMemory(false) / (double)loaded.Sum(c => c.Count) / 1024.0:0.00} KB per paper (records and index, with the runtime's own)"));
    return;
}

// With `-- --search QUERY` it prints the ranked matches over the bundled catalogs (for looking at one query).
if (args is ["--search", var searchQuery])
{
    var bundled = PaperCatalog.LoadAllBundled();
    foreach (var one in bundled)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{one.Name}: {one.Search(searchQuery, 3).Length} matches, first {one.Search(searchQuery, 1).FirstOrDefault()?.Paper.Title}"));
    }

    var all = new PaperCatalogSet(bundled);
    foreach (var m in all.Search(searchQuery, 8))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Score:0.000} {m.Paper.Id} {m.Paper.VenueName} {m.Paper.Title}"));
    }

    return;
}

// With `-- --link NOTE` it prints what "link every talk heading" would link in a note, and each heading's candidates.
if (args is ["--link", var notePath])
{
    var catalogs = new PaperCatalogSet(PaperCatalog.LoadAllBundled());
    var linkNote = new Note(new Uri(Path.GetFullPath(notePath)).AbsoluteUri, SourceText.From(File.ReadAllText(notePath)));
    var linked = PaperHeadings.LinkAll(linkNote, catalogs).ToDictionary(l => l.Heading);
    foreach (var heading in linkNote.Syntax.Headings)
    {
        var candidates = PaperHeadings.Candidates(linkNote, heading, catalogs);
        var mark = linked.TryGetValue(heading, out var l) ? "LINK" : "    ";
        Console.WriteLine($"{mark} {new string('#', heading.Level)} {heading.Text}");
        foreach (var c in candidates)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"       {c.Score:0.000} {c.Paper.VenueName} {c.Paper.Title}"));
        }
    }

    return;
}

// With `-- --phrases [FILE] [--verbose]` it scores search and the heading action on the real-phrase fixture.
if (args is ["--phrases", ..])
{
    var fixture = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : Path.Combine(FindRoot(), "tests", "fixtures", "papers", "icml2024-phrases.tsv");
    PhraseBench.Run(fixture, args.Contains("--verbose"));
    return;
}

// Load the bundled catalogs: the first load includes JIT and is what a fresh server pays once (in the background).
var watch = Stopwatch.StartNew();
var bundledSet = PaperCatalog.LoadAllBundled();
var bundledRead = watch.Elapsed.TotalMilliseconds;
Parallel.ForEach(bundledSet, c => c.Warm());
var bundledCold = watch.Elapsed.TotalMilliseconds;
var loadCpuStart = Process.GetCurrentProcess().TotalProcessorTime;
var bundledWarm = Median(Enumerable.Range(0, 5).Select(_ => Time(() => Parallel.ForEach(PaperCatalog.LoadAllBundled(), c => c.Warm()))));
Console.WriteLine(string.Create(culture, $"Bundled load + index: {(Process.GetCurrentProcess().TotalProcessorTime - loadCpuStart).TotalMilliseconds / 5:0} ms of CPU per load (both cores together)"));
var bundledCount = bundledSet.Sum(c => c.Count);
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
var before = GC.GetTotalMemory(forceFullCollection: true);
var kept = PaperCatalog.LoadAllBundled();
Parallel.ForEach(kept, c => c.Warm());
var after = GC.GetTotalMemory(forceFullCollection: true);
GC.KeepAlive(kept);
Console.WriteLine(string.Create(culture, $"Bundled catalogs ({bundledCount} papers, 4 venues): read {bundledRead:0.0} ms + index, {bundledCold:0.0} ms first (with JIT), {bundledWarm:0.0} ms median of 5 after; managed memory {(after - before) / 1024.0 / 1024.0:0.0} MB = {(after - before) / (double)bundledCount / 1024.0:0.00} KB per paper (records and index)"));
var icml = bundledSet[0];

// The bundled catalogs as the server has them: each venue's precomputed index file (PaperIndexFile), written here
// from the JSON Lines by the same code as the server's build, and opened; the server reads its embedded copy in
// place, this reads a pinned copy of the same bytes. Searched below like the JSON Lines ones.
var indexFiles = bundledSet.Select(PaperIndexFile.Write).ToList();
var indexBytes = indexFiles.Sum(f => (long)f.Length);
GC.Collect();
var beforeOpen = GC.GetTotalMemory(forceFullCollection: true);
var openCpu = Process.GetCurrentProcess().TotalProcessorTime;
var opened = Stopwatch.StartNew();
var indexedSet = indexFiles.Select(f => PaperIndexFile.Read(f)!).ToList();
var openMs = opened.Elapsed.TotalMilliseconds;
var openCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - openCpu).TotalMilliseconds;
var afterOpen = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine(string.Create(culture, $"Bundled index files ({indexBytes / 1024.0 / 1024.0:0.0} MB = {indexBytes / (double)bundledCount / 1024.0:0.00} KB per paper): opened in {openMs:0.00} ms ({openCpuMs:0} ms CPU), managed heap +{(afterOpen - beforeOpen - indexBytes) / 1024.0:0} KB besides the file's bytes"));
// A synthetic catalog of 200,000 papers: titles drawn from the ICML vocabulary so the index has realistic
// word frequencies, written as a JSON Lines file and loaded like a user's catalog.
var random = new Random(20240710);
var words = icml.Papers.SelectMany(p => p.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
var decisions = new[] { PaperDecision.Oral, PaperDecision.Spotlight, PaperDecision.Poster, PaperDecision.Poster, PaperDecision.Poster };
var synthetic = Enumerable.Range(0, 200_000).Select(i => new PaperRecord(
    string.Create(culture, $"S{i:D9}"),
    string.Join(' ', Enumerable.Range(0, random.Next(5, 14)).Select(_ => words[random.Next(words.Length)])))
{
    Authors = ["A. Author", "B. Author"],
    Venue = $"SYN {2000 + (i % 25)} Poster",
    VenueId = $"SYN.cc/{2000 + (i % 25)}/Conference",
    Decision = decisions[i % decisions.Length],
    Abstract = "A synthetic abstract for benchmarking.",
}).Concat(icml.Papers).ToList();
var file = Path.Combine(Path.GetTempPath(), $"notes-lsp-bench-{Environment.ProcessId}.jsonl");
File.WriteAllBytes(file, PaperJson.WriteCatalog(synthetic));
PaperCatalog big;
try
{
    watch.Restart();
    big = PaperCatalog.LoadFile(file).Value!;
    var bigRead = watch.Elapsed.TotalMilliseconds;
    big.Warm();
    var bigTotal = watch.Elapsed.TotalMilliseconds;
    Console.WriteLine(string.Create(culture, $"Synthetic catalog ({big.Count} papers, {new FileInfo(file).Length / 1024 / 1024} MB JSON Lines): read {bigRead:0} ms, + index {bigTotal - bigRead:0} ms, total {bigTotal:0} ms"));
}
finally
{
    File.Delete(file);
}

// Completion requests: a few words of real titles as typed (prefixes of words, missing words, typos).
var queries = Queries(random, icml, Requests);

// Queries of the same kind for warming up (another seed: the timed ones find no string or record already decoded).
var warmUpQueries = Queries(new Random(7), icml, Requests);
var configurations = new[] { ("the bundled 13k (precomputed index)", new PaperCatalogSet(indexedSet)), ("the bundled 13k (JSON Lines)", new PaperCatalogSet(bundledSet)), ("200k", new PaperCatalogSet([big])) };

// With `-- --slowest` it prints instead the 20 slowest of the timed queries at 200k (best of 5 runs each, after a
// warm-up), search and completion, for finding what makes the tail.
if (args.Contains("--slowest"))
{
    foreach (var query in warmUpQueries.Concat(warmUpQueries))
    {
        _ = Complete(configurations[2].Item2, query);
        _ = configurations[2].Item2.Search(query, 30);
    }

    Thread.Sleep(500);
    var timed = queries.Select(q => (Query: q, Search: Enumerable.Range(0, 5).Min(_ => Time(() => configurations[2].Item2.Search(q, 30))), Completion: Enumerable.Range(0, 5).Min(_ => Time(() => Complete(configurations[2].Item2, q))))).ToList();
    Console.WriteLine(string.Create(culture, $"200k, best of 5: search p50 {Percentile([.. timed.Select(t => t.Search)], 50):0.00} ms, p95 {Percentile([.. timed.Select(t => t.Search)], 95):0.00} ms; completion p50 {Percentile([.. timed.Select(t => t.Completion)], 50):0.00} ms, p95 {Percentile([.. timed.Select(t => t.Completion)], 95):0.00} ms"));
    foreach (var t in timed.OrderByDescending(t => t.Search + t.Completion).Take(20))
    {
        Console.WriteLine(string.Create(culture, $"  search {t.Search,7:0.00} ms  completion {t.Completion,7:0.00} ms  {t.Query}"));
    }

    return;
}

// The server is compiled ahead of time; here the JIT compiles the code first, in tiers, so every configuration
// is warmed up (twice over, with a pause for the background compiler) before any is timed.
for (var round = 0; round < 2; round++)
{
    foreach (var (_, catalogs) in configurations)
    {
        foreach (var query in warmUpQueries)
        {
            _ = Complete(catalogs, query);
            _ = catalogs.Search(query, 30);
        }
    }

    Thread.Sleep(500);
}

foreach (var (name, catalogs) in configurations)
{
    var latencies = new List<double>();
    foreach (var query in queries)
    {
        latencies.Add(Time(() => Complete(catalogs, query)));
    }

    Console.WriteLine(string.Create(culture, $"Title completion at {name}: p50 {Percentile(latencies, 50):0.00} ms, p95 {Percentile(latencies, 95):0.00} ms, max {latencies.Max():0.00} ms over {Requests} requests"));
    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    var searches = queries.Select(q => Time(() => catalogs.Search(q, 30))).ToList();
    var cpuPerSearch = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds / queries.Count;
    Console.WriteLine(string.Create(culture, $"Search at {name}: {cpuPerSearch:0.00} ms of CPU per query on average (less sensitive to the machine's load than the wall-clock figures)"));
    Console.WriteLine(string.Create(culture, $"Search at {name}: p50 {Percentile(searches, 50):0.00} ms, p95 {Percentile(searches, 95):0.00} ms, max {searches.Max():0.00} ms over {Requests} queries"));
}

// Cached hover: a link whose paper the catalog knows, in a workspace with the two example notes.
var examples = FindExamples();
var snapshot = WorkspaceSnapshot.Empty.WithNotes(examples.Select(p => new Note(new Uri(p).AbsoluteUri, SourceText.From(File.ReadAllText(p)))));
var hoverNote = new Note("file:///bench/hover.md", SourceText.From("- [DCMHA](https://openreview.net/forum?id=RbiBKPtuHp)\n"));
snapshot = snapshot.WithNote(hoverNote);
foreach (var (name, catalog) in new[] { ("ICML 2024", icml), ("200k", big) })
{
    var catalogs = new PaperCatalogSet([catalog, WorkspacePapers.Catalog(snapshot)]);
    _ = PaperHover.Hover(snapshot, hoverNote.Uri, 5, catalogs);
    var latencies = Enumerable.Range(0, Requests).Select(_ => Time(() => PaperHover.Hover(snapshot, hoverNote.Uri, 5, catalogs))).ToList();
    Console.WriteLine(string.Create(culture, $"Cached hover at {name} ({snapshot.Notes.Count} notes): p50 {Percentile(latencies, 50):0.000} ms, p95 {Percentile(latencies, 95):0.000} ms over {Requests} requests"));
}

static List<string> Queries(Random random, PaperCatalog icml, int count) => [.. Enumerable.Range(0, count).Select(i =>
{
    var title = icml.Papers[random.Next(icml.Count)].Title.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var start = random.Next(Math.Max(1, title.Length - 3));
    var taken = title.Skip(start).Take(random.Next(2, 4)).ToList();
    var last = taken[^1];
    taken[^1] = last[..Math.Max(1, Math.Min(last.Length, random.Next(2, last.Length + 1)))];
    if (i % 5 == 0 && taken[0].Length > 5)
    {
        taken[0] = taken[0].Remove(2, 1); // a typo
    }

    return string.Join(' ', taken);
})];

static CompletionResult Complete(PaperCatalogSet catalogs, string query)
{
    var note = new Note("file:///bench/a.md", SourceText.From("- [" + query));
    var snapshot = WorkspaceSnapshot.Empty.WithNote(note);
    return PaperCompletion.Complete(snapshot, note.Uri, note.Text.Length, catalogs);
}

static double Time(Action action)
{
    var start = Stopwatch.GetTimestamp();
    action();
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

static double Median(IEnumerable<double> values) => Percentile([.. values], 50);

static double Percentile(List<double> values, int percent)
{
    var sorted = values.Order().ToList();
    var index = (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1;
    return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "NotesLsp.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

static string[] FindExamples()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var examples = Path.Combine(dir.FullName, "examples");
        if (File.Exists(Path.Combine(dir.FullName, "NotesLsp.sln")) && Directory.Exists(examples))
        {
            return Directory.GetFiles(examples, "*.md");
        }
    }

    return [];
}
