using System.Text.Json.Nodes;
using NotesLsp.Text;

namespace NotesLsp.Server.Tests.Robustness;

/// <summary>
/// Random incremental edits over LSP leave the server with the same answers as a fresh server that opened the
/// final text: the document model, the outline, folding and diagnostics never drift. Fixed seeds.
/// </summary>
public class IncrementalEditTests
{
    private static readonly string[] Inserts =
    [
        "", "x", "\n", "\r\n", "# Head\n", "---\n", "tags: [a, b]\n", "[", "]", ":", "😀", "\t", "## 論文\n", "title: t\n",
        "- item\n", "```\n", "[l](https://openreview.net/forum?id=abc)",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_edit_batches_match_a_fresh_parse(int seed)
    {
        var random = new Random(seed);
        var examples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.md").Order(StringComparer.Ordinal).ToArray();
        var text = File.ReadAllText(examples[seed % examples.Length]);
        const string uri = "file:///tmp/edited.md";

        await using var edited = new ServerHarness();
        await edited.InitializeAsync();
        await edited.OpenAsync(uri, text);
        var version = 1;
        for (var batch = 0; batch < 6; batch++)
        {
            for (var notification = random.Next(1, 4); notification > 0; notification--)
            {
                var changes = new List<object>();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    // Each change is applied to the text left by the previous one, as LSP specifies.
                    var source = SourceText.From(text);
                    var start = random.Next(text.Length + 1);
                    var end = Math.Min(text.Length, start + (random.Next(3) == 0 ? random.Next(200) : random.Next(4)));
                    var insert = Inserts[random.Next(Inserts.Length)];
                    changes.Add(new { range = new { start = Position(source, start), end = Position(source, end) }, text = insert });
                    var (from, to) = (source.GetOffset(source.GetPosition(start)), source.GetOffset(source.GetPosition(end)));
                    text = string.Concat(text.AsSpan(0, from), insert, text.AsSpan(to));
                }

                version++;
                await edited.Client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version }, contentChanges = changes });
            }

            await using var fresh = new ServerHarness();
            await fresh.InitializeAsync();
            await fresh.OpenAsync(uri, text, version);
            foreach (var method in new[] { "textDocument/documentSymbol", "textDocument/foldingRange" })
            {
                var expected = await fresh.Client.RequestAsync(method, new { textDocument = new { uri } });
                var actual = await edited.Client.RequestAsync(method, new { textDocument = new { uri } });
                Assert.Equal(expected?.ToJsonString(), actual?.ToJsonString());
            }

            var expectedDiagnostics = Diagnostics(fresh, uri, version);
            var actualDiagnostics = Diagnostics(edited, uri, version);
            Assert.Equal(expectedDiagnostics, actualDiagnostics);
        }
    }

    private static object Position(SourceText source, int offset)
    {
        var position = source.GetPosition(offset);
        return new { line = position.Line, character = position.Character };
    }

    private static string Diagnostics(ServerHarness harness, string uri, int version)
    {
        var published = harness.Client.WaitForNotification("textDocument/publishDiagnostics", TimeSpan.FromSeconds(20),
            m => (string?)m["params"]!["uri"] == uri && (int?)m["params"]!["version"] == version);
        return published["params"]!["diagnostics"]!.ToJsonString();
    }
}
