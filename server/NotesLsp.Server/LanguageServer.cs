// Layer invariant: NotesLsp.Server is the only project that knows LSP and JSON. It owns the connection,
// the request queue and all I/O (files, settings, progress); every answer is computed by NotesLsp.Analysis
// from an immutable snapshot and converted to protocol types in Convert.
using System.Text.Json;
using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>
/// The LSP endpoint. Handlers live in partial files by concern (LanguageServer.Documents.cs, .Symbols.cs,
/// .Workspace.cs, ...). Each request handler checks the lifecycle state, then enqueues its work on the
/// <see cref="RequestQueue"/> synchronously, before any await, so that arrival order is preserved.
/// </summary>
// The RPC target's methods are described by a source-generated PolyType shape (RpcTargetMetadata.FromShape in
// LspHost), which NativeAOT needs. Kind = None leaves the constructor and properties out of the shape: they
// are not RPC surface, and their types (JsonRpc) would pull reflection-based code into the native image.
[PolyType.GenerateShape]
[PolyType.TypeShape(Kind = PolyType.TypeShapeKind.None, IncludeMethods = PolyType.MethodShapeFlags.PublicInstance)]
public sealed partial class LanguageServer : IDisposable
{
    private readonly JsonRpc rpc;
    private readonly ServerLog log;
    private readonly RequestQueue queue;
    private WorkspaceScanner scanner;
    private readonly DiagnosticsPublisher diagnostics;
    private readonly WatchedFileBatcher watchedFiles;
    private readonly CancellationTokenSource lifetime = new();
    private readonly TaskCompletionSource<int> exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource indexed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock statusGate = new();
    private NotesStatusParams? lastStatus;
    private bool headingSymbols = true;
    private volatile LifecycleState state = LifecycleState.Created;
    private ClientCapabilitiesReader clientCapabilities = new(null);
    private IReadOnlyList<string> workspaceFolders = [];

    public LanguageServer(JsonRpc rpc, ServerLog log)
    {
        this.rpc = rpc;
        this.log = log;
        queue = new RequestQueue(WorkspaceSnapshot.Empty, log);
        scanner = new WorkspaceScanner(log);
        diagnostics = new DiagnosticsPublisher(queue, log, PublishAsync, lifetime.Token, (s, n) => PaperDiagnostics(s, n));
        queue.SnapshotChanged += (_, _) => diagnostics.Schedule();
        watchedFiles = new WatchedFileBatcher(ApplyWatchedFilesAsync, log, lifetime.Token);
    }

    private enum LifecycleState
    {
        Created,
        Initialized,
        ShutDown,
    }

    /// <summary>Completes with the process exit code when the client sends <c>exit</c>.</summary>
    public Task<int> ExitCode => exit.Task;

    /// <summary>Completes when the start-up scan of the workspace folders has been indexed.</summary>
    public Task Indexed => indexed.Task;

    public bool ShutdownRequested => state == LifecycleState.ShutDown;

    internal RequestQueue Queue => queue;

    /// <summary>Completes once every file event received so far has been applied.</summary>
    internal Task WatchedFilesIdle => watchedFiles.Idle;

    /// <summary>How many coalesced batches of file events have been applied.</summary>
    internal int WatchedFileBatches => watchedFiles.Batches;

    [JsonRpcIgnore]
    public Task RunQueueAsync() => queue.RunAsync(lifetime.Token);

    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public InitializeResult Initialize(InitializeParams? parameters)
    {
        if (state != LifecycleState.Created)
        {
            throw Error(ErrorCodes.InvalidRequest, "initialize was already called");
        }

        parameters ??= new InitializeParams();
        clientCapabilities = new ClientCapabilitiesReader(parameters.Capabilities);
        workspaceFolders = WorkspaceFolderPaths(parameters);
        scanner = new WorkspaceScanner(log, new WorkspaceFiles(workspaceFolders));
        if (parameters.InitializationOptions is { ValueKind: JsonValueKind.Object } options)
        {
            ApplySettingsJson(options.TryGetProperty("settings", out var nested) ? nested : options, "initializationOptions");

            // A client whose editor already lists Markdown headings (VS Code with its built-in Markdown
            // extension) asks for the outline and workspace symbols without them, so nothing shows twice.
            if (options.TryGetProperty("headingSymbols", out var headings) && headings.ValueKind == JsonValueKind.False)
            {
                headingSymbols = false;
            }
        }

        if (parameters.ProcessId is { } processId)
        {
            WatchParentProcess(processId);
        }

        state = LifecycleState.Initialized;
        // Logged beside the answer rather than before it: the line goes to stderr and to the client as a
        // notification, whose first serialization would otherwise delay the answer (issue 11's start-up figure).
        var started = $"notes-lsp {Program.Version} initialized for {parameters.ClientInfo?.Name ?? "an unnamed client"}; folders: {string.Join(", ", workspaceFolders)}";
        _ = Task.Run(() => log.Info(started));
        return new InitializeResult(BuildCapabilities(), new ServerInfo("notes-lsp", Program.Version));
    }

    private static ServerCapabilities BuildCapabilities() => new()
    {
        DocumentSymbolProvider = true,
        WorkspaceSymbolProvider = true,
        FoldingRangeProvider = true,
        CompletionProvider = new CompletionOptions(CompletionTriggerCharacters, ResolveProvider: false),
        HoverProvider = true,
        CodeActionProvider = new CodeActionOptions(["quickfix", "refactor.rewrite"], ResolveProvider: false),
        ReferencesProvider = true,
        RenameProvider = new RenameOptions(PrepareProvider: true),
        ExecuteCommandProvider = new ExecuteCommandOptions([DownloadVenueCommand, SearchPapersCommand, LinkHeadingsCommand]),
        InlayHintProvider = true,
    };

    [JsonRpcMethod("initialized", UseSingleObjectParameterDeserialization = true)]
    public void Initialized(JsonElement? parameters)
    {
        _ = parameters;

        // The bundled catalogs load in the background once the client has its initialize answer (loading them
        // beside that answer took both cores from it on a two-core machine).
        Papers.Warm();
        Guard(() => _ = OnInitializedAsync());
    }

    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        EnsureInitialized();
        state = LifecycleState.ShutDown;
        log.Info("shutdown requested");
        return null;
    }

    [JsonRpcMethod("exit")]
    public void Exit()
    {
        var code = state == LifecycleState.ShutDown ? 0 : 1;
        exit.TrySetResult(code);
    }

    [JsonRpcMethod("$/setTrace", UseSingleObjectParameterDeserialization = true)]
    public void SetTrace(SetTraceParams? parameters) => _ = parameters;

    /// <summary>The input filter turns malformed messages into this method: an error answer for requests, a log line otherwise.</summary>
    [JsonRpcMethod(Transport.LspInputFilter.InvalidMessageMethod, UseSingleObjectParameterDeserialization = true)]
    public object? InvalidMessage(JsonElement? parameters)
    {
        var code = ErrorCodes.InvalidRequest;
        var reason = "invalid message";
        if (parameters is { ValueKind: JsonValueKind.Object } p)
        {
            if (p.TryGetProperty("code", out var c) && c.TryGetInt32(out var parsed))
            {
                code = parsed;
            }

            if (p.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String)
            {
                reason = r.GetString() ?? reason;
            }
        }

        throw Error(code, reason);
    }

    /// <summary>Throws the LSP error for requests before initialize (-32002) or after shutdown.</summary>
    private void EnsureInitialized()
    {
        switch (state)
        {
            case LifecycleState.Created:
                throw Error(ErrorCodes.ServerNotInitialized, "the server is not initialized yet");
            case LifecycleState.ShutDown:
                throw Error(ErrorCodes.InvalidRequest, "the server is shutting down");
        }
    }

    /// <summary>For notifications: drop them before initialize or after shutdown, and never let one throw silently.</summary>
    private void Guard(Action action, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        if (state != LifecycleState.Initialized)
        {
            log.Warning($"ignored {name}: the server is {(state == LifecycleState.Created ? "not initialized" : "shutting down")}");
            return;
        }

        try
        {
            action();
        }
        catch (Exception exception)
        {
            log.Error($"{name} failed: {exception}");
        }
    }

    private static LocalRpcException Error(int code, string message) => new(message) { ErrorCode = code };

    /// <summary>Enqueues a read of the current snapshot; the answer is computed off the queue.</summary>
    private Task<T> Read<T>(string name, Func<WorkspaceSnapshot, CancellationToken, T> read, CancellationToken cancellationToken)
    {
        EnsureInitialized();
        return queue.EnqueueRead(name, read, cancellationToken);
    }

    private Task<T> ReadAsync<T>(string name, Func<WorkspaceSnapshot, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        EnsureInitialized();
        return queue.EnqueueRead(name, read, cancellationToken);
    }

    private static List<string> WorkspaceFolderPaths(InitializeParams parameters)
    {
        var uris = parameters.WorkspaceFolders is { Length: > 0 } folders
            ? folders.Select(f => f.Uri)
            : parameters.RootUri is { } root ? [root] : [];
        var paths = uris.Select(DocumentUris.ToPath).Where(p => p is not null).Select(p => p!).ToList();
        if (paths.Count == 0 && parameters.RootPath is { Length: > 0 } rootPath)
        {
            paths.Add(rootPath);
        }

        return paths;
    }

    private void WatchParentProcess(int processId)
    {
        _ = Task.Run(async () =>
        {
            while (!lifetime.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), lifetime.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!IsProcessAlive(processId))
                {
                    log.Warning($"the client process {processId} is gone; exiting");
                    exit.TrySetResult(state == LifecycleState.ShutDown ? 0 : 1);
                    return;
                }
            }
        });
    }

    private static bool IsProcessAlive(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private Task PublishAsync(PublishDiagnosticsParams parameters) =>
        rpc.SendNotificationAsync("textDocument/publishDiagnostics", parameters);

    [JsonRpcIgnore]
    public void Dispose()
    {
        // The index is a cache, but a first scan's index is worth the wait (bounded: a wedged disk must not hang exit).
        if (!IndexSaved.Wait(TimeSpan.FromSeconds(30)))
        {
            log.Warning("exiting before the note index was saved; the next start re-reads what is missing");
        }

        indexes.Dispose();
        lifetime.Cancel();
        queue.Complete();
        diagnostics.Dispose();
        paperService?.Dispose();
        lifetime.Dispose();
    }
}
