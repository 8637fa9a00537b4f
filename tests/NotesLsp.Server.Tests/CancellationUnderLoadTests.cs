using System.Text.Json.Nodes;
using NotesLsp.LspDriver;

namespace NotesLsp.Server.Tests;

/// <summary>
/// Requests cancelled at random while the note is being edited leave no stale state: afterwards every answer
/// equals the answer of a fresh server given the same final text.
/// </summary>
public sealed class CancellationUnderLoadTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["a.md"] = "---\ntitle: A\ntags: [ml, time-series]\n---\n# A\n\nSee #ml and [B](b.md) and [P](https://openreview.net/forum?id=RbiBKPtuHp).\n",
        ["b.md"] = "---\ntitle: B\ntags: [ml, vision]\n---\n# B\n\n#vision notes\n",
    };

    private const string Start = "---\ntitle: Typed\ntags: [ml, ti]\n---\n# Typed\n\nSee #ml and [A](a.md) and [P](https://openreview.net/forum?id=RbiBKPtuHp).\n\n";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Random_cancels_interleaved_with_edits_leave_answers_equal_to_a_fresh_server(int seed)
    {
        var random = new Random(seed);
        var lines = Start.Split('\n').ToList();
        string finalText;
        List<string> loaded;
        await using (var harness = new ServerHarness())
        {
            harness.CreateWorkspace(Files);
            await harness.InitializeAsync();
            var uri = harness.Uri("typed.md");
            await harness.OpenAsync(uri, Start);
            var pending = new List<(long Id, Task<JsonNode?> Answer)>();
            var version = 1;
            string[] pieces = ["#", "ti", "m", " ", "[", "](", "a.md)", "\n", "tags", "x"];
            for (var step = 0; step < 300; step++)
            {
                // An edit: insert a piece or delete a few characters, somewhere after the front matter.
                var line = random.Next(6, lines.Count);
                var character = random.Next(0, lines[line].Length + 1);
                if (random.Next(3) == 0 && lines[line].Length > 0)
                {
                    var end = Math.Min(lines[line].Length, character + random.Next(1, 4));
                    character = Math.Min(character, end - 1);
                    lines[line] = lines[line].Remove(character, end - character);
                    await Change(line, character, line, end, string.Empty);
                }
                else
                {
                    var piece = pieces[random.Next(pieces.Length)];
                    var text = lines[line].Insert(character, piece);
                    lines.RemoveAt(line);
                    lines.InsertRange(line, text.Split('\n'));
                    await Change(line, character, line, character, piece);
                }

                // Requests at random places, some cancelled at once, some later, most answered.
                var at = random.Next(0, lines.Count);
                var position = new { line = at, character = random.Next(0, lines[at].Length + 1) };
                pending.Add(harness.Client.StartRequest(random.Next(2) == 0 ? "textDocument/completion" : "textDocument/hover", new { textDocument = new { uri }, position }));
                if (random.Next(3) == 0)
                {
                    var victim = pending[random.Next(pending.Count)];
                    await harness.Client.NotifyAsync("$/cancelRequest", new { id = victim.Id });
                }
            }

            var cancelled = 0;
            foreach (var (_, answer) in pending)
            {
                try
                {
                    await answer.WaitAsync(TimeSpan.FromSeconds(30));
                }
                catch (LspErrorException e) when (e.Code == -32800)
                {
                    cancelled++;
                }
            }

            // Both paths ran: some requests were really cancelled, the rest answered without error.
            Assert.InRange(cancelled, 1, pending.Count - 1);

            finalText = string.Join('\n', lines);
            loaded = await AnswersAsync(harness, uri, lines);

            Task Change(int startLine, int startCharacter, int endLine, int endCharacter, string text) =>
                harness.Client.NotifyAsync("textDocument/didChange", new
                {
                    textDocument = new { uri, version = ++version },
                    contentChanges = new[] { new { range = new { start = new { line = startLine, character = startCharacter }, end = new { line = endLine, character = endCharacter } }, text } },
                });
        }

        await using var fresh = new ServerHarness();
        fresh.CreateWorkspace(Files);
        await fresh.InitializeAsync();
        await fresh.OpenAsync(fresh.Uri("typed.md"), finalText);
        var expected = await AnswersAsync(fresh, fresh.Uri("typed.md"), lines);
        Assert.Equal(expected, loaded);
        Assert.Contains(expected, a => a.Contains("\"items\":[{", StringComparison.Ordinal));
        Assert.Contains(expected, a => a.Contains("\"contents\"", StringComparison.Ordinal));
    }

    /// <summary>Completion and hover at the start, middle and end of every line, as text.</summary>
    private static async Task<List<string>> AnswersAsync(ServerHarness harness, string uri, List<string> lines)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(new Uri(uri).LocalPath)!);
        var answers = new List<string>();
        for (var line = 0; line < lines.Count; line++)
        {
            foreach (var character in new[] { 0, lines[line].Length / 2, lines[line].Length }.Distinct())
            {
                var position = new { line, character };
                foreach (var method in new[] { "textDocument/completion", "textDocument/hover" })
                {
                    var answer = await harness.Client.RequestAsync(method, new { textDocument = new { uri }, position });
                    answers.Add($"{method} {line}:{character} {answer?.ToJsonString()}".Replace(folder, "W", StringComparison.Ordinal));
                }
            }
        }

        return answers;
    }
}
