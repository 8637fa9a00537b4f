using System.IO.Pipelines;
using NotesLsp.Server.Protocol;
using NotesLsp.Server.Transport;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>Wires a byte stream pair to a <see cref="LanguageServer"/>: the same code serves stdio and in-process tests.</summary>
public static class LspHost
{
    /// <summary>Serves until the client sends <c>exit</c> or disconnects; returns the process exit code.</summary>
    /// <param name="started">Sees the server once it listens (in-process tests use it to wait for indexing).</param>
    public static async Task<int> RunAsync(Stream input, Stream output, ServerLog log, CancellationToken cancellationToken, Action<LanguageServer>? started = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);

        BackgroundThreads.ReserveThreadPool();

        // Start-up (issue 11: spawn -> initialize answer) is mostly one-time work on one thread: reading the target's
        // methods from its shape, building the formatter, and the first JSON type infos of the initialize round trip
        // (each first use of a type also builds the runtime's reflection data for it). The first and the last do not
        // depend on the formatter, so they run on the second core while this thread builds the connection.
        var metadata = Task.Run(RpcTargetMetadata.FromShape<LanguageServer>);
        var warmed = Task.Run(LspJson.WarmInitializeTypes);
        var filtered = new Pipe();
        var filter = new LspInputFilter(input, filtered.Writer, log.Warning);
        var formatter = CreateFormatter();
        var handler = new HeaderDelimitedMessageHandler(PipeWriter.Create(output), filtered.Reader, formatter);
        using var rpc = new LspJsonRpc(handler);
        using var server = new LanguageServer(rpc, log);
        // The target's methods come from its PolyType shape (source-generated), not from reflection.
        rpc.AddLocalRpcTarget(await metadata.ConfigureAwait(false), server, new JsonRpcTargetOptions { NotifyClientOfEvents = false, DisposeOnDisconnect = false });
        log.AttachClient((type, message) => rpc.SendNotificationAsync("window/logMessage", new LogMessageParams(type, message)));
        rpc.StartListening();
        started?.Invoke(server);

        var queue = server.RunQueueAsync();
        var reading = filter.RunAsync(cancellationToken);
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        var finished = await Task.WhenAny(server.ExitCode, rpc.Completion, cancelled);
        int code;
        if (finished == server.ExitCode)
        {
            code = await server.ExitCode;
        }
        else
        {
            code = server.ShutdownRequested ? 0 : 1;
            log.Info(finished == cancelled ? "stopped" : "the client disconnected; exiting");
        }

        log.AttachClient((_, _) => Task.CompletedTask);
        return code;
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The formatter reflects only over user data whose JsonSerializerOptions resolve it, and its TypeInfoResolver here is the source-generated LspJsonContext; StreamJsonRpc's NativeAOT guide prescribes exactly this setup.")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above: every serialized type comes from LspJsonContext, so no code is generated at run time.")]
    private static SystemTextJsonFormatter CreateFormatter()
    {
        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions = new System.Text.Json.JsonSerializerOptions(LspJson.Options)
        {
            PropertyNameCaseInsensitive = true,
        };
        return formatter;
    }
}
