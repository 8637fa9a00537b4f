using System.Text;
using System.Text.Json.Nodes;
using NotesLsp.LspDriver;

namespace NotesLsp.Server.Tests;

/// <summary>Whatever arrives on stdin, the server answers with an error or a log line, and keeps serving.</summary>
public class MalformedInputTests
{
    private static async Task AssertStillServing(ServerHarness harness)
    {
        var result = await harness.Client.RequestAsync("workspace/symbol", new { query = "" }).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.IsType<JsonArray>(result);
    }

    private static async Task<ServerHarness> Started()
    {
        var harness = new ServerHarness();
        await harness.InitializeAsync();
        return harness;
    }

    [Fact]
    public async Task Invalid_json_with_a_recoverable_id_gets_a_parse_error_answer()
    {
        await using var harness = await Started();
        var answer = harness.Client.StartRequest("notes/placeholder", null); // Reserve an id the client waits on.
        await harness.Client.WriteRawAsync(LspClient.Frame($"{{\"jsonrpc\":\"2.0\",\"id\":{answer.Id},\"method\":\"workspace/symbol\",\"params\":{{"));
        var error = await Assert.ThrowsAsync<LspErrorException>(() => answer.Answer.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(error.Code is -32601 or -32700, $"code {error.Code}");
        await AssertStillServing(harness);
        Assert.Contains("invalid JSON", harness.Log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Length: abc\r\n\r\n{}")]
    [InlineData("Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}")]
    [InlineData("garbage line without colon\r\n\r\n")]
    [InlineData("\r\n\r\n\r\n")]
    [InlineData("Content-Length: 2\r\n\r\n[]")]
    [InlineData("Content-Length: 12\r\n\r\n\"just text\" ")]
    [InlineData("Content-Length: 45\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"a\"}  ")]
    public async Task Malformed_frames_are_dropped_and_the_server_keeps_serving(string raw)
    {
        await using var harness = await Started();
        await harness.Client.WriteRawAsync(Encoding.UTF8.GetBytes(raw));
        await harness.Client.WriteRawAsync(Encoding.UTF8.GetBytes("\r\n\r\n")); // Ends any half-read header block.
        await AssertStillServing(harness);
    }

    [Fact]
    public async Task Wrong_parameter_types_get_invalid_params()
    {
        await using var harness = await Started();
        var error = await Assert.ThrowsAsync<LspErrorException>(() =>
            harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = 5 }));
        Assert.Equal(-32602, error.Code);
        Assert.DoesNotContain(" at ", error.Message, StringComparison.Ordinal); // No stack traces on the wire.
        await AssertStillServing(harness);
    }

    [Fact]
    public async Task Missing_params_get_invalid_params()
    {
        await using var harness = await Started();
        var error = await Assert.ThrowsAsync<LspErrorException>(() => harness.Client.RequestAsync("textDocument/foldingRange", null));
        Assert.Equal(-32602, error.Code);
        await AssertStillServing(harness);
    }

    [Fact]
    public async Task Huge_ids_and_deep_nesting_are_rejected_without_harm()
    {
        await using var harness = await Started();
        await harness.Client.WriteRawAsync(LspClient.Frame("{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234567890,\"method\":\"workspace/symbol\",\"params\":{\"query\":\"\"}}"));
        var deep = new string('[', 5000) + new string(']', 5000);
        await harness.Client.WriteRawAsync(LspClient.Frame($"{{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{{\"x\":{deep}}}}}"));
        await AssertStillServing(harness);
        Assert.Contains("dropped a message", harness.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_20_megabyte_message_is_handled_and_the_server_keeps_serving()
    {
        await using var harness = await Started();
        var uri = "file:///tmp/huge.md";
        var text = "# Big\n" + new string('x', 20 * 1024 * 1024);
        await harness.OpenAsync(uri, text);
        var symbols = await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } }).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("Big", (string?)symbols![0]!["name"]);
        await AssertStillServing(harness);
    }

    [Fact]
    public async Task Notifications_for_unknown_documents_are_logged_not_fatal()
    {
        await using var harness = await Started();
        await harness.Client.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri = "file:///never-opened.md", version = 2 },
            contentChanges = new[] { new { text = "x" } },
        });
        await harness.Client.NotifyAsync("textDocument/didOpen", new { textDocument = 42 });
        await AssertStillServing(harness);
        Assert.Contains("not open", harness.Log.ToString(), StringComparison.Ordinal);
    }
}
