using System.Text.Json.Nodes;
using NotesLsp.LspDriver;

namespace NotesLsp.Server.Tests;

public class LifecycleTests
{
    [Fact]
    public async Task Requests_before_initialize_get_server_not_initialized()
    {
        await using var harness = new ServerHarness();
        var error = await Assert.ThrowsAsync<LspErrorException>(() =>
            harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = "file:///x.md" } }));
        Assert.Equal(-32002, error.Code);
    }

    [Fact]
    public async Task Initialize_announces_utf16_incremental_sync_and_server_info()
    {
        await using var harness = new ServerHarness();
        var result = await harness.InitializeAsync();
        Assert.Equal("utf-16", (string?)result!["capabilities"]!["positionEncoding"]);
        Assert.Equal(2, (int)result["capabilities"]!["textDocumentSync"]!["change"]!);
        Assert.Equal("notes-lsp", (string?)result["serverInfo"]!["name"]);
        Assert.True((bool)result["capabilities"]!["documentSymbolProvider"]!);
    }

    [Fact]
    public async Task A_second_initialize_is_an_invalid_request()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var error = await Assert.ThrowsAsync<LspErrorException>(() => harness.Client.RequestAsync("initialize", new { capabilities = new { } }));
        Assert.Equal(-32600, error.Code);
    }

    [Fact]
    public async Task Unknown_requests_are_method_not_found_and_unknown_notifications_are_ignored()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var error = await Assert.ThrowsAsync<LspErrorException>(() => harness.Client.RequestAsync("notes/doesNotExist", new { }));
        Assert.Equal(-32601, error.Code);

        await harness.Client.NotifyAsync("notes/unknownNotification", new { x = 1 });
        await harness.Client.NotifyAsync("$/someClientThing", null);
        var symbols = await harness.Client.RequestAsync("workspace/symbol", new { query = "" });
        Assert.NotNull(symbols);
    }

    [Fact]
    public async Task Shutdown_then_exit_gives_exit_code_zero_and_refuses_further_requests()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        Assert.Null(await harness.Client.RequestAsync("shutdown", null));
        var error = await Assert.ThrowsAsync<LspErrorException>(() => harness.Client.RequestAsync("workspace/symbol", new { query = "" }));
        Assert.Equal(-32600, error.Code);
        await harness.Client.NotifyAsync("exit", null);
        Assert.Equal(0, await harness.ServerTask.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Exit_without_shutdown_gives_exit_code_one()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        await harness.Client.NotifyAsync("exit", null);
        Assert.Equal(1, await harness.ServerTask.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    [Trait("Host", "InProcess")] // closes the client, which kills a server process
    public async Task A_vanished_client_ends_the_server()
    {
        var harness = new ServerHarness();
        await harness.InitializeAsync();
        await harness.Client.DisposeAsync(); // Closes the server's input.
        Assert.Equal(1, await harness.ServerTask.WaitAsync(TimeSpan.FromSeconds(10)));
        await harness.DisposeAsync();
    }

    [Fact]
    [Trait("Host", "InProcess")] // reaches into the server's request queue
    public async Task Cancelled_requests_answer_request_cancelled()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var server = await harness.Server;

        // Hold the queue with a mutation so the read is still waiting when its cancellation arrives.
        using var gate = new ManualResetEventSlim(false);
        var blocked = server.Queue.EnqueueMutation("test gate", s =>
        {
            gate.Wait(TimeSpan.FromSeconds(10));
            return s;
        });
        var (id, answer) = harness.Client.StartRequest("workspace/symbol", new { query = "x" });
        await harness.Client.NotifyAsync("$/cancelRequest", new { id });

        // StreamJsonRpc dispatches in order: once an unknown method is answered, the cancel was processed.
        await Assert.ThrowsAsync<LspErrorException>(() => harness.Client.RequestAsync("notes/barrier", new { }));
        Assert.False(answer.IsCompleted);
        gate.Set();
        await blocked;
        var error = await Assert.ThrowsAsync<LspErrorException>(() => answer.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(-32800, error.Code);
    }

    [Fact]
    public async Task Work_done_progress_is_reported_when_the_client_supports_it()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace(withExamples: true);
        await harness.InitializeAsync(capabilities: new { window = new { workDoneProgress = true } });
        Assert.Contains(harness.Client.ServerRequests, r => (string?)r["method"] == "window/workDoneProgress/create");
        var begin = harness.Client.WaitForNotification("$/progress", TimeSpan.FromSeconds(5), m => (string?)m["params"]!["value"]!["kind"] == "begin");
        Assert.Equal("Indexing notes", (string?)begin["params"]!["value"]!["title"]);
        var end = harness.Client.WaitForNotification("$/progress", TimeSpan.FromSeconds(5), m => (string?)m["params"]!["value"]!["kind"] == "end");
        Assert.Equal("2 notes", (string?)end["params"]!["value"]!["message"]);
    }

    internal static string? Str(JsonNode? node) => (string?)node;
}
