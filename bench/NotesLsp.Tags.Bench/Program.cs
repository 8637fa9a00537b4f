// Tag feature benchmark on a generated corpus (node ../shared/tools/gen-corpus.mjs --out DIR --n 10000).
// Not a test: it prints figures to compare with the targets of issue 4 and records nothing by itself.
//
//   dotnet run -c Release --project bench/NotesLsp.Tags.Bench -- --corpus /tmp/corpus-10k [--server path/to/notes-lsp.dll]
//
// In-process, it times what the server does: the start-up scan (find + read + front matter, tags and
// citations of each note on all cores), the snapshot's indexes, completion requests (didChange-style
// snapshot update, completion, conversion to LSP JSON), and a rename of a tag used in about 1,000 notes.
// The in-process peak RSS is this bench's own process, with the default GC settings, not the server's
// runtimeconfig. With --server it also drives the real server over stdio: index time until its
// notes/status notification, completion round trips, rename, and the server process's peak RSS.
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Tags;
using NotesLsp.LspDriver;
using NotesLsp.Server;
using NotesLsp.Text;
using Convert = NotesLsp.Server.Convert;

var corpus = Argument(args, "--corpus") ?? "/tmp/corpus-10k";
var serverPath = Argument(args, "--server");
var requests = int.Parse(Argument(args, "--requests") ?? "200", System.Globalization.CultureInfo.InvariantCulture);
var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(corpus, "manifest.json")))!;
var probePath = Path.Combine(corpus, (string)manifest["probe"]!["note"]!);

InProcess(corpus, probePath, requests);
if (serverPath is not null)
{
    await OverLsp(serverPath, corpus, probePath, requests);
}

return 0;

static void InProcess(string corpus, string probePath, int requests)
{
    Console.WriteLine($"== in process: {corpus}");
    var log = new ServerLog(TextWriter.Null);
    var scanner = new WorkspaceScanner(log);
    var total = Stopwatch.StartNew();
    var paths = scanner.FindNotes([corpus], [], CancellationToken.None);
    var notes = scanner.ReadNotes(paths, NotesSettings.Default.Tags.Keys, null, CancellationToken.None).Select(n => n.Note).ToList();
    var scanMs = total.Elapsed.TotalMilliseconds;
    var index = Stopwatch.StartNew();
    var snapshot = WorkspaceSnapshot.Empty.WithNotes(notes);
    var indexMs = index.Elapsed.TotalMilliseconds;
    var totalMs = total.Elapsed.TotalMilliseconds;
    Console.WriteLine($"initial index: {totalMs:F0} ms total for {notes.Count} notes (find+read+prepare {scanMs:F0} ms, tag and citation indexes {indexMs:F0} ms; {snapshot.Tags.TagCount} distinct tags)");
    var peakAfterIndex = ReadStatusKb("VmHWM");
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    Console.WriteLine($"memory after indexing: peak RSS {peakAfterIndex / 1024} MB, RSS after a full GC {ReadStatusKb("VmRSS") / 1024} MB, managed heap {GC.GetTotalMemory(false) / (1024 * 1024)} MB");

    // The tag index's own share: a second build beside the first (from the tags each note remembers), and the
    // heap it adds.
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    var again = Stopwatch.StartNew();
    var second = TagIndex.Create(snapshot.Tags.Keys).WithNotes(notes);
    var againMs = again.Elapsed.TotalMilliseconds;
    var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
    GC.KeepAlive(second);
    Console.WriteLine($"tag index alone: rebuilt from the notes' remembered tags in {againMs:F0} ms, {(heapAfter - heapBefore) / 1024} KB of heap");

    // Completion: each request edits the probe note (a new list item with a growing prefix), as didChange
    // would, then completes at the end of the item and converts the answer to LSP JSON.
    var uri = DocumentUris.FromPath(probePath);
    var original = snapshot.Find(uri)!.Text.Text;
    var tags = snapshot.Tags.TagsIn("tags").Select(t => t.Tag).Order(StringComparer.Ordinal).ToArray();
    var update = new List<double>();
    var complete = new List<double>();
    var items = 0L;
    for (var i = -20; i < requests; i++)
    {
        var tag = tags[(i + 20) * 7 % tags.Length];
        var prefix = tag[..Math.Min(tag.Length, (i + 20) % 4)];
        var (text, offset) = WithNewItem(original, snapshot.Tags.Keys, prefix);
        var watch = Stopwatch.StartNew();
        var edited = snapshot.WithNote(new Note(uri, SourceText.From(text), i + 2, isOpen: true));
        var updateMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var note = edited.Find(uri)!;
        var result = NoteCompletion.Complete(edited, note, offset, new DateOnly(2024, 7, 10), CancellationToken.None);
        var json = JsonSerializer.Serialize(Convert.ToCompletionList(note.Text, result), LspJson.Options);
        var completeMs = watch.Elapsed.TotalMilliseconds;
        if (i >= 0)
        {
            update.Add(updateMs);
            complete.Add(completeMs);
            items += result.Items.Length;
            _ = json.Length;
        }
    }

    Console.WriteLine($"completion over {requests} requests ({items / requests} items on average): {Percentiles(complete)}; snapshot update per edit: {Percentiles(update)}");

    // Rename: the tag whose use is closest to 1,000 notes.
    var (target, count) = snapshot.Tags.TagsIn("tags").OrderBy(t => Math.Abs(t.Count - 1000)).First();
    var user = TagNavigation.Occurrences(snapshot, new TagKey("tags", target), CancellationToken.None).First();
    var userNote = snapshot.Find(user.Uri)!;
    var times = new List<double>();
    var changed = 0;
    for (var i = 0; i < 6; i++)
    {
        var watch = Stopwatch.StartNew();
        var outcome = TagNavigation.Rename(snapshot, userNote, user.Occurrence.Span.Start, target + "-renamed", CancellationToken.None);
        var edit = Convert.ToWorkspaceEdit(snapshot, outcome.Change!);
        var json = JsonSerializer.Serialize(edit, LspJson.Options);
        times.Add(watch.Elapsed.TotalMilliseconds);
        changed = edit.Changes.Count;
        _ = json.Length;
    }

    Console.WriteLine($"rename of `{target}` (used in {count} notes, {changed} files edited): first {times[0]:F1} ms, then {Percentiles(times.Skip(1).ToList())}");
}


static async Task OverLsp(string serverPath, string corpus, string probePath, int requests)
{
    Console.WriteLine($"== over LSP: {serverPath}");
    var isDll = serverPath.EndsWith(".dll", StringComparison.Ordinal);
    await using var client = LspClient.Start(isDll ? "dotnet" : serverPath, isDll ? [serverPath] : []);
    var watch = Stopwatch.StartNew();
    await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = DocumentUris.FromPath(corpus), capabilities = new { } });
    await client.NotifyAsync("initialized", new { });
    client.WaitForNotification("notes/status", TimeSpan.FromMinutes(2), n => n["params"]?["indexing"]?.GetValue<bool>() == false);
    Console.WriteLine($"spawn to indexed (notes/status): {watch.Elapsed.TotalMilliseconds:F0} ms; server peak RSS after indexing {ReadStatusKb("VmHWM", client.Process!.Id) / 1024} MB, RSS {ReadStatusKb("VmRSS", client.Process!.Id) / 1024} MB");

    var uri = DocumentUris.FromPath(probePath);
    var original = File.ReadAllText(probePath);
    var version = 1;
    await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "markdown", version, text = original } });
    var tagsKey = System.Collections.Immutable.ImmutableArray.Create("tags", "categories");
    var prefixes = new[] { "", "t", "tr", "ml", "d", "di", "re", "co", "s", "ll" };
    var times = new List<double>();
    var items = 0L;
    for (var i = -20; i < requests; i++)
    {
        var prefix = prefixes[(i + 20) % prefixes.Length];
        var (text, offset) = WithNewItem(original, tagsKey, prefix);
        var position = SourceText.From(text).GetPosition(offset);
        await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version = ++version }, contentChanges = new[] { new { text } } });
        var request = Stopwatch.StartNew();
        var result = await client.RequestAsync("textDocument/completion", new { textDocument = new { uri }, position = new { line = position.Line, character = position.Character } });
        if (i >= 0)
        {
            times.Add(request.Elapsed.TotalMilliseconds);
            items += result!["items"]!.AsArray().Count;
        }
    }

    Console.WriteLine($"completion round trips after didChange over {requests} requests ({items / requests} items on average): {Percentiles(times)}");

    // Rename a tag used in about 1,000 notes: `#` workspace symbols list every tag with its use count.
    var symbols = (await client.RequestAsync("workspace/symbol", new { query = "#" }))!.AsArray();
    var best = symbols
        .Select(symbol => (Symbol: symbol!, Count: int.Parse(System.Text.RegularExpressions.Regex.Match((string?)symbol!["containerName"] ?? string.Empty, @"used in (\d+) note").Groups[1].Value is { Length: > 0 } n ? n : "0", System.Globalization.CultureInfo.InvariantCulture)))
        .Where(s => ((string?)s.Symbol["containerName"])?.StartsWith("tags,", StringComparison.Ordinal) == true)
        .OrderBy(s => Math.Abs(s.Count - 1000))
        .First();
    var bestName = ((string)best.Symbol["name"]!)[1..];
    var bestCount = best.Count;
    var location = best.Symbol["location"]!;
    var renameUri = (string)location["uri"]!;
    var start = location["range"]!["start"]!;
    var renameTimes = new List<double>();
    var files = 0;
    for (var i = 0; i < 6; i++)
    {
        var request = Stopwatch.StartNew();
        var edit = await client.RequestAsync("textDocument/rename", new { textDocument = new { uri = renameUri }, position = new { line = (int)start["line"]!, character = (int)start["character"]! }, newName = bestName + "-renamed" });
        renameTimes.Add(request.Elapsed.TotalMilliseconds);
        files = edit!["changes"]!.AsObject().Count;
    }

    Console.WriteLine($"rename of `{bestName}` (used in {bestCount} notes, {files} files edited) round trip: first {renameTimes[0]:F1} ms, then {Percentiles(renameTimes.Skip(1).ToList())}");
    Console.WriteLine($"server peak RSS at the end: {ReadStatusKb("VmHWM", client.Process!.Id) / 1024} MB");
    await client.RequestAsync("shutdown", null);
    await client.NotifyAsync("exit", null);
}

static (string Text, int Offset) WithNewItem(string text, System.Collections.Immutable.ImmutableArray<string> keys, string prefix)
{
    var field = TagScanner.Scan(SourceText.From(text), keys).First(f => f.Key == "tags");
    if (field.Shape == TagFieldShape.FlowList && field.FlowClose >= 0)
    {
        var insert = ", " + prefix;
        return (text.Insert(field.FlowClose, insert), field.FlowClose + insert.Length);
    }

    var end = field.ValueSpan.End;
    var item = "\n  - " + prefix;
    return (text.Insert(end, item), end + item.Length);
}

static string Percentiles(List<double> values)
{
    var sorted = values.Order().ToArray();
    double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    return $"p50 {At(0.5):F2} ms, p95 {At(0.95):F2} ms, max {sorted[^1]:F2} ms";
}

static long ReadStatusKb(string field, int? pid = null)
{
    foreach (var line in File.ReadLines($"/proc/{(pid is { } id ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "self")}/status"))
    {
        if (line.StartsWith(field + ":", StringComparison.Ordinal))
        {
            return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    return 0;
}

static string? Argument(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
