// Measures front matter checking from the inside (not a test: it prints numbers; bench/RESULTS-check.md records
// them with the commands that produced them).
//
//   notes-lsp-check-bench throughput FOLDER [--runs N] [--preset P]   `check` over a folder: notes per second
//   notes-lsp-check-bench keystroke [--kb 100] [--runs N]              re-validating one large note after one keystroke
//   notes-lsp-check-bench frontmatter FOLDER [--runs N]                 reading every note's front matter YAML: the
//                                                                       parser (fast reader + fallback) vs YamlDotNet alone
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NotesLsp.Analysis;
using NotesLsp.Server;
using NotesLsp.Text;

var arguments = args.ToList();
var runs = int.Parse(TakeOption(arguments, "--runs") ?? "5", CultureInfo.InvariantCulture);
var preset = TakeOption(arguments, "--preset");
var kilobytes = int.Parse(TakeOption(arguments, "--kb") ?? "100", CultureInfo.InvariantCulture);
return arguments.ElementAtOrDefault(0) switch
{
    "throughput" when arguments.Count == 2 => await Throughput(arguments[1], runs, preset),
    "keystroke" => Keystroke(kilobytes, Math.Max(runs, 200)),
    "phases" when arguments.Count == 2 => Phases(arguments[1], runs),
    "frontmatter" when arguments.Count == 2 => FrontMatterYaml(arguments[1], runs),
    "allocation" when arguments.Count == 2 => Allocation(arguments[1], runs),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: notes-lsp-check-bench throughput FOLDER [--runs N] [--preset P] | keystroke [--kb 100] [--runs N]");
    return 2;
}

// The whole `check` pipeline in process (find files, read, strict UTF-8 check, parse, validate, format text),
// with output discarded; the first run includes JIT, later runs are what a long CI job sees.
static async Task<int> Throughput(string folder, int runs, string? preset)
{
    var count = new WorkspaceScanner(new ServerLog(TextWriter.Null)).FindNotes([Path.GetFullPath(folder)], [], CancellationToken.None).Count;
    var options = new CheckOptions([folder], preset);
    var times = new List<double>();
    var exit = 0;
    for (var run = 0; run < runs; run++)
    {
        var output = new StringWriter();
        var stopwatch = Stopwatch.StartNew();
        exit = await CheckCommand.RunAsync(options, output, TextWriter.Null, CancellationToken.None);
        stopwatch.Stop();
        times.Add(stopwatch.Elapsed.TotalSeconds);
        var lines = output.ToString().Count(c => c == '\n');
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run + 1}: {count} notes in {stopwatch.Elapsed.TotalMilliseconds:F0} ms = {count / stopwatch.Elapsed.TotalSeconds:F0} notes/s ({lines} diagnostics, exit {exit})"));
        var memory = GC.GetGCMemoryInfo(GCKind.Any);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  GC: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections (gen0/1/2, so far), {GC.GetTotalAllocatedBytes() / 1024 / 1024} MB allocated so far, last GC: heap {memory.HeapSizeBytes / 1024 / 1024} MB, committed {memory.TotalCommittedBytes / 1024 / 1024} MB, promoted {memory.PromotedBytes / 1024 / 1024} MB, gen{memory.Generation}; peak working set {Environment.WorkingSet / 1024 / 1024} MB now, {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MB peak"));
    }

    var warm = times.Skip(1).DefaultIfEmpty(times[0]).Order().ToList();
    var median = warm[warm.Count / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"first run (cold JIT): {count / times[0]:F0} notes/s; warm median: {count / median:F0} notes/s on {Environment.ProcessorCount} cores (target >= 5000)"));
    return 0;
}

// Where a check's time goes: reading, parsing (front matter + Markdig) and front matter validation, per run.
static int Phases(string folder, int runs)
{
    var paths = new WorkspaceScanner(new ServerLog(TextWriter.Null)).FindNotes([Path.GetFullPath(folder)], [], CancellationToken.None);
    for (var run = 0; run < runs; run++)
    {
        var stopwatch = Stopwatch.StartNew();
        var texts = paths.Select(p => SourceText.From(Utf8Text.Decode(File.ReadAllBytes(p)))).ToList();
        var read = stopwatch.Elapsed.TotalMilliseconds;
        var notes = texts.Select((t, i) => new Note(paths[i], t)).ToList();
        stopwatch.Restart();
        foreach (var note in notes)
        {
            _ = NotesLsp.Syntax.FrontMatterParser.Parse(note.Text);
        }

        var frontMatter = stopwatch.Elapsed.TotalMilliseconds;
        stopwatch.Restart();
        foreach (var note in notes)
        {
            _ = note.Syntax;
        }

        var parse = stopwatch.Elapsed.TotalMilliseconds;
        stopwatch.Restart();
        foreach (var note in notes)
        {
            _ = NotesLsp.Analysis.FrontMatter.FrontMatterValidator.Validate(note, NotesSettings.Default);
        }

        var validate = stopwatch.Elapsed.TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run + 1} (one thread): read {read:F0} ms, front matter only {frontMatter:F0} ms, full parse {parse:F0} ms, validate {validate:F0} ms for {paths.Count} notes"));
    }

    return 0;
}

// The front matter's YAML of every note of FOLDER, read on one thread, alternately by FrontMatterParser's own path
// (the fast reader, YamlDotNet when the text is outside its subset) and by YamlDotNet alone: time and bytes
// allocated per pass (the texts are decoded and their blocks found beforehand, outside the timing).
static int FrontMatterYaml(string folder, int runs)
{
    var paths = new WorkspaceScanner(new ServerLog(TextWriter.Null)).FindNotes([Path.GetFullPath(folder)], [], CancellationToken.None);
    var blocks = new List<(SourceText Text, TextSpan Content)>();
    foreach (var path in paths)
    {
        var text = SourceText.From(Utf8Text.Decode(File.ReadAllBytes(path)));
        if (NotesLsp.Syntax.FrontMatterParser.FindBlock(text) is { } block)
        {
            blocks.Add((text, block.Content));
        }
    }

    var fast = new List<(double Ms, long Bytes)>();
    var yamlDotNet = new List<(double Ms, long Bytes)>();
    for (var run = 0; run < runs + 1; run++)
    {
        foreach (var fastPath in new[] { true, false })
        {
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var stopwatch = Stopwatch.StartNew();
            var nodes = 0;
            foreach (var (text, content) in blocks)
            {
                var document = fastPath
                    ? NotesLsp.Syntax.FrontMatterParser.ParseYaml(text, content)
                    : NotesLsp.Syntax.FrontMatterParser.ParseYamlWithYamlDotNet(text.Text, content);
                nodes += document.Root is NotesLsp.Syntax.YamlMapping mapping ? mapping.Entries.Length : 0;
            }

            stopwatch.Stop();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
            if (run > 0)
            {
                (fastPath ? fast : yamlDotNet).Add((stopwatch.Elapsed.TotalMilliseconds, allocated));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}{(run == 0 ? " (warm-up)" : string.Empty)} {(fastPath ? "parser   " : "YamlDotNet")}: {stopwatch.Elapsed.TotalMilliseconds:F0} ms, {allocated / 1024 / 1024} MB allocated, {nodes} top-level entries, {blocks.Count} front matters"));
        }
    }

    static string Median(List<(double Ms, long Bytes)> runs) => string.Create(CultureInfo.InvariantCulture,
        $"{runs.Select(r => r.Ms).Order().ElementAt(runs.Count / 2):F0} ms, {runs.Select(r => r.Bytes).Order().ElementAt(runs.Count / 2) / 1024 / 1024} MB");
    Console.WriteLine($"median: parser {Median(fast)}; YamlDotNet alone {Median(yamlDotNet)}");
    return 0;
}

// What each step of `check`'s first pass costs a note, on one thread: bytes allocated and time, summed over every note
// of FOLDER (the files are read beforehand, outside the figures). The steps run in the order `check` runs them, each
// on the note the step before made, so a memoised part (the front matter) is counted once, where it is first read.
static int Allocation(string folder, int runs)
{
    var paths = new WorkspaceScanner(new ServerLog(TextWriter.Null)).FindNotes([Path.GetFullPath(folder)], [], CancellationToken.None);
    var files = paths.Select(File.ReadAllBytes).ToList();
    var schema = NotesLsp.Analysis.FrontMatter.FrontMatterPresets.Notes;
    var tagKeys = NotesSettings.Default.Tags.Keys;
    string[] names = ["decode", "line index + note", "front matter", "tags", "citations", "key summary", "summary (rest)", "validate", "papers"];
    for (var run = 0; run < runs + 1; run++)
    {
        var bytes = new long[names.Length];
        var ticks = new long[names.Length];
        var pool = new StringPool();
        for (var i = 0; i < files.Count; i++)
        {
            var step = 0;
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            void Next()
            {
                var now = Stopwatch.GetTimestamp();
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                bytes[step] += allocated - allocatedBefore;
                ticks[step] += now - started;
                step++;
                allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                started = Stopwatch.GetTimestamp();
            }

            var decoded = Encoding.UTF8.GetString(files[i]);
            Next();
            var note = new Note(paths[i], SourceText.From(decoded));
            Next();
            _ = note.FrontMatter;
            Next();
            _ = NotesLsp.Analysis.Tags.TagScanner.Occurrences(note.Text, tagKeys);
            Next();
            _ = NotesLsp.Analysis.Papers.CitationIndex.Extract(note);
            Next();
            _ = NotesLsp.Analysis.FrontMatter.FrontMatterKeySummary.Read(note);
            Next();
            _ = NoteSummary.Of(note, tagKeys, pool, withHeadings: false);
            Next();
            _ = NotesLsp.Analysis.FrontMatter.FrontMatterValidator.Validate(note, schema, null, out _);
            Next();
            _ = NotesLsp.Analysis.Papers.PaperChecks.Diagnostics(note);
            Next();
        }

        var total = bytes.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run}{(run == 0 ? " (warm-up)" : string.Empty)}: {files.Count} notes, {total / 1024 / 1024} MB allocated, {ticks.Sum() * 1000.0 / Stopwatch.Frequency:F0} ms"));
        for (var s = 0; s < names.Length; s++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {names[s],-18} {bytes[s] / 1024.0 / 1024:F1} MB ({bytes[s] / files.Count} B a note), {ticks[s] * 1000.0 / Stopwatch.Frequency:F0} ms"));
        }
    }

    return 0;
}

// One 100 KB note (front matter + a long body of conference notes); each run applies one keystroke in the front
// matter and recomputes the note's diagnostics from scratch, as the server does after its debounce: new text,
// new line index, full parse (front matter and Markdown), validation.
static int Keystroke(int kilobytes, int runs)
{
    var text = BuildNote(kilobytes * 1024);
    var snapshot = WorkspaceSnapshot.Empty;
    var source = SourceText.From(text);
    var titleEnd = text.IndexOf('\n', text.IndexOf("title:", StringComparison.Ordinal));
    var position = source.GetPosition(titleEnd);
    var times = new List<double>();
    for (var run = 0; run < runs + 20; run++)
    {
        var stopwatch = Stopwatch.StartNew();
        source = source.WithChange(new TextChange(new LineRange(position, position), run % 2 == 0 ? "x" : string.Empty));
        var note = new Note("file:///bench/large.md", source, run, isOpen: true);
        var diagnostics = NoteDiagnostics.Compute(snapshot.WithNote(note), note, CancellationToken.None);
        stopwatch.Stop();
        if (run >= 20)
        {
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        if (run % 2 == 1)
        {
            // Undo the keystroke so the note does not grow: the next run types at the same place.
            source = SourceText.From(text);
        }

        GC.KeepAlive(diagnostics);
    }

    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{text.Length / 1024} KB note, {runs} keystrokes, all diagnostics (NoteDiagnostics.Compute): median {times[times.Count / 2]:F2} ms, p95 {times[(int)(times.Count * 0.95)]:F2} ms, max {times[^1]:F2} ms (target <= 5 ms)"));

    // The front matter's own share: find the block, read its YAML and validate, on the same edited text.
    var schema = NotesLsp.Analysis.FrontMatter.FrontMatterPresets.Notes;
    var frontMatterTimes = new List<double>();
    for (var run = 0; run < runs + 20; run++)
    {
        var stopwatch = Stopwatch.StartNew();
        var edited = SourceText.From(text).WithChange(new TextChange(new LineRange(position, position), "x"));
        var diagnostics = NotesLsp.Analysis.FrontMatter.FrontMatterValidator.Validate("file:///bench/large.md", edited, NotesLsp.Syntax.FrontMatterParser.Parse(edited), schema);
        stopwatch.Stop();
        if (run >= 20)
        {
            frontMatterTimes.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        GC.KeepAlive(diagnostics);
    }

    frontMatterTimes.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  front matter only (new text + line index + block + YAML + validation): median {frontMatterTimes[frontMatterTimes.Count / 2]:F3} ms, p95 {frontMatterTimes[(int)(frontMatterTimes.Count * 0.95)]:F3} ms"));
    return 0;
}

static string BuildNote(int size)
{
    var builder = new StringBuilder("""
        ---
        title: ICML 2024 の気になる論文 (WIP)
        date: 2024-07-10 00:00:00 +0900
        categories:
          - memo
        tags: [ML, conference, icml2024]
        math: true
        published: true
        ---

        """);
    var section = 0;
    while (builder.Length < size)
    {
        section++;
        builder.Append(CultureInfo.InvariantCulture, $"## Talk {section}: Strategic Learning & behaviour\n\n");
        builder.Append("- [Improving Transformers with Dynamically Composable Multi-Head Attention](https://openreview.net/forum?id=RbiBKPtuHp)\n");
        builder.Append("  - attention head が独立してると冗長になることがあるから、動的に合成してる？ $`\\mathcal{O}(n^2)`$\n");
        builder.Append("  - classifiers: transparent or opaque (e.g. Schufa? what are the merits) see <https://arxiv.org/abs/2401.01234>\n\n");
        builder.Append("```python\nfor x in range(10):\n    print(x)\n```\n\n");
    }

    return builder.ToString();
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
