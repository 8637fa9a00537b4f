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
    [InlineData("Content-Length: -5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}")]
    [InlineData("Content-Length: 2147483647\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}")]
    [InlineData("Content-Length: 99999999999999999999\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}")]
    [InlineData("Content-Length: 900\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}")]
    [InlineData("Content-Length: 10\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didCh")]
    [InlineData("Content-Length: 30\r\n\r\n{\"jsonrpc\":\"2.0\",\"params\":{\"text\":\"")]
    [InlineData("Content-Type: application/vscode-jsonrpc\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"no header at all\"}")]
    [InlineData("Content-Length: 40\r\n")]
    [InlineData("Content-Length: 40\r\n\r\n")]
    [InlineData("Content-Length:\r\n\r\n")]
    [InlineData("Content-Length: 7\r\n\r\n{\"a\":{}")]
    [InlineData("\u0000\u0001binary\uFFFD garbage")]
    [InlineData("{{{{{{{{{{{{{{{{{{{{")]
    [InlineData("Content-Length: 60\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"workspace/symbol\",\"params\":{\"query\":\"a")]
    public async Task After_a_broken_frame_the_next_request_sent_back_to_back_is_answered(string raw)
    {
        // The bytes a broken client really sends: the bad frame and the next one in one write, nothing in between.
        await using var harness = await Started();
        var (id, answer) = harness.Client.ReserveRequest();
        await harness.Client.WriteRawAsync([.. Encoding.UTF8.GetBytes(raw), .. SymbolRequest(id)]);
        var result = await answer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<JsonArray>(result);
        await AssertStillServing(harness);
        Assert.Null(harness.Client.ProtocolViolation);
    }

    [Theory]
    [InlineData("Content-Length: -5")]
    [InlineData("Content-Length: abc")]
    [InlineData("Content-Length: 2147483647")]
    [InlineData("Content-Length: 900")]
    [InlineData("Content-Length: 20")]
    [InlineData("Content-Type: application/vscode-jsonrpc")]
    [InlineData("garbage Content-Length: 3")]
    public async Task A_request_under_a_lying_header_is_answered_from_its_JSON(string header)
    {
        await using var harness = await Started();
        var (first, firstAnswer) = harness.Client.ReserveRequest();
        var (second, secondAnswer) = harness.Client.ReserveRequest();
        var body = SymbolRequestBody(first);
        await harness.Client.WriteRawAsync([.. Encoding.ASCII.GetBytes(header + "\r\n\r\n"), .. body, .. SymbolRequest(second)]);
        Assert.IsType<JsonArray>(await firstAnswer.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.IsType<JsonArray>(await secondAnswer.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(harness.Client.ProtocolViolation);
    }

    [Fact]
    public async Task A_header_inside_a_line_of_garbage_is_found()
    {
        await using var harness = await Started();
        var (id, answer) = harness.Client.ReserveRequest();
        await harness.Client.WriteRawAsync([.. "some log output that went to the wrong stream "u8, .. SymbolRequest(id)]);
        Assert.IsType<JsonArray>(await answer.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_cut_request_gets_an_error_answer_and_the_next_one_its_result()
    {
        await using var harness = await Started();
        var (cut, cutAnswer) = harness.Client.ReserveRequest();
        var (next, nextAnswer) = harness.Client.ReserveRequest();
        var body = SymbolRequestBody(cut);
        await harness.Client.WriteRawAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body.AsSpan(0, body.Length - 8), .. SymbolRequest(next)]);
        var error = await Assert.ThrowsAsync<LspErrorException>(() => cutAnswer.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(-32700, error.Code);
        Assert.IsType<JsonArray>(await nextAnswer.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(harness.Client.ProtocolViolation);
    }

    private static byte[] SymbolRequestBody(long id) =>
        Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"workspace/symbol\",\"params\":{{\"query\":\"\"}}}}");

    private static byte[] SymbolRequest(long id) => LspClient.Frame(Encoding.UTF8.GetString(SymbolRequestBody(id)));

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
