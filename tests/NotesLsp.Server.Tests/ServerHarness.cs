using System.IO.Pipelines;
using System.Text.Json.Nodes;
using NotesLsp.LspDriver;

namespace NotesLsp.Server.Tests;

/// <summary>A language server running in this process, connected to a strict client over in-memory pipes.</summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private readonly Pipe toServer = new();
    private readonly Pipe toClient = new();
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource<LanguageServer> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool ownsIndexDirectory;
    private bool ownsWorkspace = true;

    /// <param name="indexDirectory">Where the server keeps its persistent index; null gives this harness a temporary one (never the user's cache).</param>
    public ServerHarness(string? indexDirectory = null)
    {
        Log = new StringWriter();
        IndexDirectory = indexDirectory ?? Directory.CreateTempSubdirectory("notes-lsp-index-").FullName;
        ownsIndexDirectory = indexDirectory is null;
        ServerTask = Task.Run(() => LspHost.RunAsync(toServer.Reader.AsStream(), toClient.Writer.AsStream(), new ServerLog(TextWriter.Synchronized(Log)), stop.Token, s =>
        {
            s.IndexDirectory = IndexDirectory;
            started.TrySetResult(s);
        }));
        Client = new LspClient(toClient.Reader.AsStream(), toServer.Writer.AsStream());
    }

    public LspClient Client { get; }

    /// <summary>The persistent index's directory for this server.</summary>
    public string IndexDirectory { get; }

    public Task<int> ServerTask { get; }

    public StringWriter Log { get; }

    public Task<LanguageServer> Server => started.Task;

    /// <summary>A temporary workspace folder, deleted on dispose.</summary>
    public string? Workspace { get; private set; }

    public string CreateWorkspace(IDictionary<string, string>? files = null, bool withExamples = false)
    {
        Workspace = Directory.CreateTempSubdirectory("notes-lsp-test-").FullName;
        if (withExamples)
        {
            foreach (var example in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.md"))
            {
                File.Copy(example, Path.Combine(Workspace, Path.GetFileName(example)));
            }
        }

        foreach (var (path, text) in files ?? new Dictionary<string, string>())
        {
            var full = Path.Combine(Workspace, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return Workspace;
    }

    /// <summary>Serves a folder the test owns (and deletes itself).</summary>
    public void UseWorkspace(string folder)
    {
        Workspace = folder;
        ownsWorkspace = false;
    }

    public string Uri(string relativePath) => DocumentUris.FromPath(Path.Combine(Workspace!, relativePath));

    /// <summary>initialize + initialized, then waits for the start-up index.</summary>
    public async Task<JsonNode?> InitializeAsync(object? capabilities = null, object? initializationOptions = null)
    {
        var result = await Client.RequestAsync("initialize", new
        {
            processId = (int?)null,
            rootUri = Workspace is null ? null : DocumentUris.FromPath(Workspace),
            capabilities = capabilities ?? new { },
            initializationOptions,
        });
        await Client.NotifyAsync("initialized", new { });
        var server = await Server.WaitAsync(TimeSpan.FromSeconds(10));
        await server.Indexed.WaitAsync(TimeSpan.FromSeconds(30));
        return result;
    }

    /// <summary>
    /// Sends <c>workspace/didChangeWatchedFiles</c> and waits until the server has applied it: file events are
    /// coalesced and applied off the request queue, so a request right after the notification may not see them yet.
    /// </summary>
    public async Task FileEventsAsync(object parameters)
    {
        await Client.NotifyAsync("workspace/didChangeWatchedFiles", parameters);

        // A round trip: the notification's handler (which only records the events) has run once this is answered.
        await Client.RequestAsync("workspace/symbol", new { query = "\u0001" });
        var server = await Server;
        await server.WatchedFilesIdle.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task OpenAsync(string uri, string text, int version = 1) =>
        Client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "markdown", version, text } });

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Client.DisposeAsync();
        try
        {
            await ServerTask.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
        if (Workspace is not null && ownsWorkspace)
        {
            Directory.Delete(Workspace, recursive: true);
        }

        if (ownsIndexDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(IndexDirectory, recursive: true);
        }
    }

}
