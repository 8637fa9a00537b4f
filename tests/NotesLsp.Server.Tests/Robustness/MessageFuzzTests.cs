using System.Text;
using System.Text.Json.Nodes;
using NotesLsp.LspDriver;

namespace NotesLsp.Server.Tests.Robustness;

/// <summary>
/// Random and mutated JSON-RPC messages written raw to the server: after every one, a valid request is still
/// answered correctly. The seed is fixed so a failure replays exactly.
/// </summary>
public class MessageFuzzTests
{
    private static readonly string[] Methods =
    [
        "textDocument/didOpen", "textDocument/didChange", "textDocument/didClose", "textDocument/documentSymbol",
        "textDocument/foldingRange", "textDocument/completion", "textDocument/hover", "textDocument/codeAction",
        "textDocument/rename", "workspace/symbol", "workspace/didChangeConfiguration", "$/cancelRequest",
        "$/setTrace", "notes/unknown", "initialize", "shutdown", string.Empty, "\u0000", "textDocument/\uD800",
    ];

    private static readonly string[] Values =
    [
        "null", "true", "0", "-1", "1e308", "123456789012345678901234567890", "\"\"", "\"file:///x.md\"", "[]", "{}",
        "\"\\uD800\"", "{\"uri\":5}", "{\"uri\":\"file:///fuzz.md\",\"version\":\"x\"}", "[1,[2,[3]]]",
        "{\"line\":-5,\"character\":99999999}", "\"" + new string('x', 10_000) + "\"",
    ];

    [Fact]
    public async Task Random_and_mutated_messages_never_stop_the_server()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(new Dictionary<string, string> { ["a.md"] = "---\ntitle: Alpha note\n---\n# Heading\n" });
        await harness.InitializeAsync();
        var random = new Random(20261123);
        for (var i = 0; i < 150; i++)
        {
            var raw = Message(random, i);
            await harness.Client.WriteRawAsync(raw);

            // Straight after the message, with nothing in between to end a half-read header block.
            var result = (JsonArray)(await harness.Client.RequestAsync("workspace/symbol", new { query = "Alpha" }).WaitAsync(TimeSpan.FromSeconds(20)))!;
            Assert.True(result.Any(s => (string?)s!["name"] == "Alpha note"), $"message {i}: {Shorten(Encoding.UTF8.GetString(raw))}; got {result.ToJsonString()}");
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300];

    private static byte[] Message(Random random, int index)
    {
        var method = Methods[random.Next(Methods.Length)];
        var id = random.Next(4) switch
        {
            0 => string.Empty,
            1 => $"\"id\":{-1_000_000 - index},",
            2 => $"\"id\":\"fuzz-{index}\",",
            _ => "\"id\":" + Values[random.Next(Values.Length)] + ",",
        };
        var parameters = random.Next(5) switch
        {
            0 => string.Empty,
            1 => ",\"params\":" + new string('[', 2_000 + random.Next(8_000)) + new string(']', 2_000),
            _ => ",\"params\":{\"textDocument\":" + Values[random.Next(Values.Length)] + ",\"position\":" + Values[random.Next(Values.Length)] + ",\"query\":" + Values[random.Next(Values.Length)] + "}",
        };
        var body = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",{id}\"method\":{System.Text.Json.JsonSerializer.Serialize(method)}{parameters}}}");
        body = random.Next(3) switch
        {
            0 => Mutate(random, body),
            _ => body,
        };
        return random.Next(6) switch
        {
            // Header faults: a frame shorter than its body, a non-number, no length at all.
            0 => [.. Encoding.ASCII.GetBytes($"Content-Length: {random.Next(body.Length)}\r\n\r\n"), .. body],
            1 => [.. "Content-Length: -3\r\n\r\n"u8, .. body],
            2 => [.. "Content-Type: application/json\r\n\r\n"u8, .. body],
            _ => LspClient.Frame(Encoding.UTF8.GetString(body)),
        };
    }

    private static byte[] Mutate(Random random, byte[] body)
    {
        var bytes = body.ToList();
        for (var n = random.Next(1, 6); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 20)));
                    break;
                default:
                    bytes.InsertRange(at, "{[\":,\0\\"u8.ToArray().Take(random.Next(1, 8)));
                    break;
            }
        }

        return [.. bytes];
    }
}
