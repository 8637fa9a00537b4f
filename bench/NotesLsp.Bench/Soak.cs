using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NotesLsp.LspDriver;

namespace NotesLsp.Bench;

/// <summary>
/// The soak run: a scripted user types into a 2,000-line note at a fixed rate while asking for completion after
/// every edit and hover after every fifth, in a large workspace. It reports the server's RSS over time, the
/// completion p95 per minute and every error, so a leak or a slowdown that only shows after minutes is visible.
/// </summary>
internal static class Soak
{
    private const int NoteLines = 2000;
    private const int TypingLine = 1000;

    // Typed one character per edit, then the line is cleared, so the note's size stays bounded.
    private const string Phrase = "- see #transformers and #diffusion for [[";

    public static async Task<int> RunAsync(string server, string folder, TimeSpan duration, int editsPerSecond)
    {
        await using var client = LspClient.Start("dotnet", [server]);
        var processId = client.Process!.Id;
        var rootUri = new Uri(Path.GetFullPath(folder)).AbsoluteUri;
        await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri, capabilities = new { } });
        var indexing = Stopwatch.StartNew();
        await client.NotifyAsync("initialized", new { });
        var status = client.WaitForNotification("notes/status", TimeSpan.FromMinutes(5));
        Console.WriteLine($"indexed {status["params"]!["notes"]} notes in {indexing.Elapsed.TotalSeconds:F1} s, RSS {Rss(processId):F0} MB");

        // The note lives in the workspace folder only as an open document, so the shared corpus is not modified.
        var uri = new Uri(Path.Combine(Path.GetFullPath(folder), "soak-note-not-on-disk.md")).AbsoluteUri;
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "markdown", version = 1, text = Note() } });

        var version = 1;
        var typed = 0;
        var errors = new List<string>();
        var latencies = new List<(double Minute, double Milliseconds)>();
        var rss = new List<(double Seconds, double Megabytes)>();
        var interval = TimeSpan.FromSeconds(1.0 / editsPerSecond);
        var clock = Stopwatch.StartNew();
        var nextSample = TimeSpan.Zero;
        var edits = 0;
        var cancelled = 0;
        var hovers = 0;
        (long Id, Task<JsonNode?> Answer)? pendingCompletion = null;
        var answers = new List<Task>();
        while (clock.Elapsed < duration)
        {
            var due = interval * edits;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            edits++;
            if (typed == Phrase.Length)
            {
                await Change(new { start = new { line = TypingLine, character = 0 }, end = new { line = TypingLine, character = typed } }, string.Empty);
                typed = 0;
                continue;
            }

            await Change(new { start = new { line = TypingLine, character = typed }, end = new { line = TypingLine, character = typed } }, Phrase[typed].ToString());
            typed++;

            // Like an editor, the typist does not wait for answers: a completion still running when the next key
            // comes is cancelled ($/cancelRequest), and only answered completions are timed.
            if (pendingCompletion is { } previous && !previous.Answer.IsCompleted)
            {
                await client.NotifyAsync("$/cancelRequest", new { id = previous.Id });
                cancelled++;
            }

            var started = Stopwatch.GetTimestamp();
            var minuteOfRequest = clock.Elapsed.TotalMinutes;
            var request = client.StartRequest("textDocument/completion", new { textDocument = new { uri }, position = new { line = TypingLine, character = typed } });
            pendingCompletion = request;
            answers.Add(Observe(request.Answer, () => latencies.Add((minuteOfRequest, Stopwatch.GetElapsedTime(started).TotalMilliseconds)), $"completion at {clock.Elapsed.TotalSeconds:F0} s"));
            if (edits % 5 == 0)
            {
                // Alternate between a tag and a paper link; both are on fixed lines above the typing line.
                var line = edits % 10 == 0 ? 12 : 13;
                var hover = client.StartRequest("textDocument/hover", new { textDocument = new { uri }, position = new { line, character = 12 } });
                answers.Add(Observe(hover.Answer, () => hovers++, $"hover at {clock.Elapsed.TotalSeconds:F0} s"));
            }

            // Diagnostics pile up in the driver otherwise; they are not measured here.
            client.DrainNotifications();
            if (clock.Elapsed >= nextSample)
            {
                rss.Add((clock.Elapsed.TotalSeconds, Rss(processId)));
                nextSample += TimeSpan.FromSeconds(10);
            }
        }

        var all = Task.WhenAll(answers);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all)
        {
            errors.Add($"{answers.Count(a => !a.IsCompleted)} requests still unanswered 30 s after the last edit");
        }

        rss.Add((clock.Elapsed.TotalSeconds, Rss(processId)));
        if (client.ProtocolViolation is { } violation)
        {
            errors.Add("protocol violation: " + violation);
        }

        await client.RequestAsync("shutdown", null);
        await client.NotifyAsync("exit", null);

        Console.WriteLine($"duration {clock.Elapsed.TotalSeconds:F0} s, {edits} edits ({edits / clock.Elapsed.TotalSeconds:F1}/s), {latencies.Count} completions answered, {cancelled} cancelled by the typist, {hovers} hovers");
        Console.WriteLine("RSS over time (MB): " + string.Join(", ", rss.Select(r => $"{r.Seconds:F0}s={r.Megabytes:F0}")));

        // Warm-up is the first minute, or the first fifth of a shorter run.
        var warmUp = Math.Min(60, duration.TotalSeconds / 5);
        var afterWarmUp = rss.First(r => r.Seconds >= warmUp).Megabytes;
        var end = rss[^1].Megabytes;
        var growth = (end - afterWarmUp) / afterWarmUp * 100;
        Console.WriteLine($"RSS after warm-up ({warmUp:F0} s) {afterWarmUp:F0} MB, at end {end:F0} MB, growth {growth:F1}% (target <= 20%)");
        foreach (var minute in latencies.GroupBy(l => (int)l.Minute).OrderBy(g => g.Key))
        {
            var sorted = minute.Select(l => l.Milliseconds).Order().ToList();
            Console.WriteLine($"minute {minute.Key + 1}: completion n={sorted.Count} median {sorted[sorted.Count / 2]:F1} ms, p95 {sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1]:F1} ms, max {sorted[^1]:F1} ms");
        }

        Console.WriteLine($"errors: {errors.Count}");
        foreach (var error in errors.Take(20))
        {
            Console.WriteLine("  " + error);
        }

        return errors.Count == 0 && growth <= 20 ? 0 : 1;

        async Task Observe(Task<JsonNode?> answer, Action onAnswer, string what)
        {
            try
            {
                await answer;
                lock (errors)
                {
                    onAnswer();
                }
            }
            catch (LspErrorException e) when (e.Code == -32800)
            {
                // RequestCancelled: the answer to a request the typist cancelled.
            }
            catch (Exception e) when (e is LspErrorException or InvalidOperationException or IOException)
            {
                lock (errors)
                {
                    errors.Add($"{what}: {e.Message}");
                }
            }
        }

        Task Change(object range, string text)
        {
            version++;
            return client.NotifyAsync("textDocument/didChange", new
            {
                textDocument = new { uri, version },
                contentChanges = new[] { new { range, text } },
            });
        }
    }

    private static string Note()
    {
        var text = new StringBuilder();
        text.Append("---\ntitle: Soak note\ntags: [transformers, diffusion, soak]\nvenue: ICML 2024\n---\n\n# Soak note\n\n");
        text.Append("## Links\n\nSome words first.\n\n");
        text.Append("Tagged with #transformers and more words.\n");
        text.Append("Paper: [Dynamic Heads](https://openreview.net/forum?id=RbiBKPtuHp) and more words.\n");
        for (var line = 14; line < NoteLines; line++)
        {
            text.Append(line % 50 == 0
                ? string.Create(CultureInfo.InvariantCulture, $"\n## Section {line / 50}\n")
                : string.Create(CultureInfo.InvariantCulture, $"Line {line}: notes about #attention, $O(n^2)$ cost and [a link](https://openreview.net/forum?id=Abc{line:D7}).\n"));
        }

        return text.ToString();
    }

    private static double Rss(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
