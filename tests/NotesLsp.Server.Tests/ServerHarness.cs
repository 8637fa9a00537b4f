using System.IO.Pipelines;
using System.Text.Json.Nodes;
using NotesLsp.LspDriver;

namespace NotesLsp.Server.Tests;

/// <summary>
/// A language server running in this process, connected to a strict client over in-memory pipes; or, when
/// <c>NOTES_LSP_SERVER</c> names a server executable (test.sh sets it to the NativeAOT build), that executable
/// as a child process, so the same protocol tests run against the native binary. Tests that reach into the
/// server object (<see cref="Server"/>) carry <c>[Trait("Host", "InProcess")]</c> and are left out then.
/// </summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    /// <summary>The server executable the tests run against instead of the in-process server, if any.</summary>
    public static string? Executable { get; } = Environment.GetEnvironmentVariable("NOTES_LSP_SERVER") is { Length: > 0 } path ? path : null;

    private readonly Pipe toServer = new();
    private readonly Pipe toClient = new();
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource<LanguageServer> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool ownsIndexDirectory;
    private bool ownsWorkspace = true;
    private long eventsSent;

    /// <param name="indexDirectory">
    /// Where the server keeps its persistent index, a folder named <c>notes-lsp</c> (a server process gets its parent as
    /// <c>XDG_CACHE_HOME</c>); null gives this harness a temporary one, never the user's cache.
    /// </param>
    public ServerHarness(string? indexDirectory = null)
    {
        ownsIndexDirectory = indexDirectory is null;
        IndexDirectory = indexDirectory ?? Path.Combine(Directory.CreateTempSubdirectory("notes-lsp-index-").FullName, "notes-lsp");
        if (Path.GetFileName(IndexDirectory) != "notes-lsp")
        {
            throw new ArgumentException("the index directory of a harness is a folder named notes-lsp (the cache home's)", nameof(indexDirectory));
        }

        if (Executable is { } executable)
        {
            // The process's cache directory is the harness's: its index (and paper cache) never touch the user's.
            Client = LspClient.Start(executable, [], new Dictionary<string, string> { ["XDG_CACHE_HOME"] = Path.GetDirectoryName(IndexDirectory)! });
            var stderr = Client.StandardError!;
            Log = new HarnessLog(() =>
            {
                lock (stderr)
                {
                    return stderr.ToString();
                }
            });
            var process = Client.Process!;
            ServerTask = ExitCodeAsync(process);
            started.TrySetException(new InvalidOperationException("the server runs as a separate process (NOTES_LSP_SERVER); this test needs [Trait(\"Host\", \"InProcess\")]"));
            return;
        }

        var log = new StringWriter();
        Log = new HarnessLog(() => log.ToString());
        ServerTask = Task.Run(() => LspHost.RunAsync(toServer.Reader.AsStream(), toClient.Writer.AsStream(), new ServerLog(TextWriter.Synchronized(log)), stop.Token, s =>
        {
            s.IndexDirectory = IndexDirectory;
            started.TrySetResult(s);
        }));
        Client = new LspClient(toClient.Reader.AsStream(), toServer.Writer.AsStream());
    }

    public LspClient Client { get; }

    /// <summary>The persistent index's directory for this server (<c>$XDG_CACHE_HOME/notes-lsp</c> of a server process).</summary>
    public string IndexDirectory { get; }

    /// <summary>The <c>notes/status</c> that <see cref="InitializeAsync"/> waited for (server process only; in process
    /// it waits for the index itself and the status stays in the client's queue).</summary>
    public JsonObject? StartupStatus { get; private set; }

    /// <summary>The process's exit code; -1 once the client has disposed of the process (at the end of a test).</summary>
    private static async Task<int> ExitCodeAsync(System.Diagnostics.Process process)
    {
        try
        {
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    public Task<int> ServerTask { get; }

    /// <summary>The server's log lines (its stderr when it runs as a process).</summary>
    public HarnessLog Log { get; }

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
        if (Executable is not null)
        {
            // The server sends notes/status once the start-up scan is indexed; tests about the status read it here.
            StartupStatus = await Task.Run(() => Client.WaitForNotification("notes/status", TimeSpan.FromSeconds(60)));
            return result;
        }

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
        if (Executable is null)
        {
            var server = await Server;
            await server.WatchedFilesIdle.WaitAsync(TimeSpan.FromSeconds(30));
            return;
        }

        // A server process says in its log when every event it has received is applied, and how many it had received.
        eventsSent += System.Text.Json.JsonSerializer.SerializeToNode(parameters)?["changes"]?.AsArray().Count ?? 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!AllApplied(Log.ToString(), eventsSent))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the server did not apply {eventsSent} file events in 60 s");
            }

            await Task.Delay(10);
        }

        static bool AllApplied(string log, long sent)
        {
            const string Marker = "file events applied: all ";
            for (var at = log.IndexOf(Marker, StringComparison.Ordinal); at >= 0; at = log.IndexOf(Marker, at + 1, StringComparison.Ordinal))
            {
                var start = at + Marker.Length;
                var end = log.IndexOf(' ', start);
                if (end > start && long.TryParse(log.AsSpan(start, end - start), System.Globalization.CultureInfo.InvariantCulture, out var received) && received >= sent)
                {
                    return true;
                }
            }

            return false;
        }
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
            Directory.Delete(Path.GetDirectoryName(IndexDirectory)!, recursive: true);
        }
    }
}

/// <summary>The server's log as text, read when asked.</summary>
internal sealed class HarnessLog(Func<string> read)
{
    public override string ToString() => read();
}
