using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotesLsp.LspDriver;

/// <summary>An error answer to a request.</summary>
public sealed class LspErrorException(int code, string message) : Exception($"{code}: {message}")
{
    public int Code { get; } = code;
}

/// <summary>
/// A minimal, strict LSP client: it writes frames (or raw bytes, for fault tests), reads frames and fails
/// loudly on anything on the wire that is not a well-formed frame, which is how tests prove stdout is clean.
/// Requests from the server are answered by <see cref="ServerRequestHandler"/> (default: null result).
/// </summary>
public sealed class LspClient : IAsyncDisposable
{
    private readonly Stream input;
    private readonly Stream output;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly BlockingCollection<JsonObject> notifications = [];
    private readonly Task readLoop;
    private long nextId;

    public LspClient(Stream fromServer, Stream toServer)
    {
        input = fromServer;
        output = toServer;
        readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Answers requests the server sends (workspace/configuration, window/workDoneProgress/create, ...).</summary>
    public Func<string, JsonNode?, JsonNode?> ServerRequestHandler { get; set; } = (_, _) => null;

    /// <summary>Every request the server sent, in order.</summary>
    public ConcurrentQueue<JsonObject> ServerRequests { get; } = new();

    /// <summary>Set when the stream carried something that is not a frame.</summary>
    public string? ProtocolViolation { get; private set; }

    public Task Completion => readLoop;

    public Process? Process { get; private init; }

    /// <summary>Starts a server process and connects to its stdio. stderr is collected in <see cref="StandardError"/>.</summary>
    public static LspClient Start(string fileName, IEnumerable<string> arguments) => Start(fileName, arguments, null);

    /// <summary><see cref="Start(string, IEnumerable{string})"/> with extra environment variables (e.g. <c>XDG_CACHE_HOME</c>).</summary>
    public static LspClient Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return new LspClient(process.StandardOutput.BaseStream, process.StandardInput.BaseStream) { Process = process, StandardError = stderr };
    }

    public StringBuilder? StandardError { get; private init; }

    public async Task<JsonNode?> RequestAsync(string method, object? parameters, CancellationToken cancellationToken = default)
    {
        var (id, task) = StartRequest(method, parameters);
        await using var registration = cancellationToken.Register(() => _ = NotifyAsync("$/cancelRequest", new { id }));
        return await task;
    }

    /// <summary>Sends a request and returns its id and pending answer without waiting.</summary>
    public (long Id, Task<JsonNode?> Answer) StartRequest(string method, object? parameters)
    {
        var id = Interlocked.Increment(ref nextId);
        var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = completion;
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = JsonSerializer.SerializeToNode(parameters, JsonOptions);
        }

        _ = WriteMessageAsync(message);
        return (id, completion.Task);
    }

    /// <summary>
    /// An id this client will accept one answer for, without sending anything: for tests that write the request
    /// themselves as raw bytes (broken frames before or around it).
    /// </summary>
    public (long Id, Task<JsonNode?> Answer) ReserveRequest()
    {
        var id = Interlocked.Increment(ref nextId);
        var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = completion;
        return (id, completion.Task);
    }

    public Task NotifyAsync(string method, object? parameters)
    {
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = JsonSerializer.SerializeToNode(parameters, JsonOptions);
        }

        return WriteMessageAsync(message);
    }

    /// <summary>Writes bytes exactly as given: for malformed-input tests.</summary>
    public async Task WriteRawAsync(byte[] bytes)
    {
        await writeLock.WaitAsync();
        try
        {
            await output.WriteAsync(bytes);
            await output.FlushAsync();
        }
        finally
        {
            writeLock.Release();
        }
    }

    public static byte[] Frame(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
    }

    /// <summary>Waits for the next notification with this method (earlier ones of other methods are kept).</summary>
    public JsonObject WaitForNotification(string method, TimeSpan timeout, Func<JsonObject, bool>? predicate = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var skipped = new List<JsonObject>();
        try
        {
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero || !notifications.TryTake(out var message, remaining))
                {
                    throw new TimeoutException($"no {method} notification within {timeout}; protocol violation: {ProtocolViolation ?? "none"}");
                }

                if ((string?)message["method"] == method && (predicate is null || predicate(message)))
                {
                    return message;
                }

                skipped.Add(message);
            }
        }
        finally
        {
            foreach (var message in skipped)
            {
                notifications.Add(message);
            }
        }
    }

    /// <summary>All notifications received so far (drains them).</summary>
    public List<JsonObject> DrainNotifications()
    {
        var list = new List<JsonObject>();
        while (notifications.TryTake(out var message))
        {
            list.Add(message);
        }

        return list;
    }

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private async Task WriteMessageAsync(JsonObject message) => await WriteRawAsync(Frame(message.ToJsonString()));

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var length = await ReadHeadersAsync();
                if (length is null)
                {
                    break;
                }

                var body = new byte[length.Value];
                await input.ReadExactlyAsync(body);
                var message = JsonNode.Parse(body)!.AsObject();
                Dispatch(message);
            }
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException or ObjectDisposedException)
        {
        }
        catch (Exception exception)
        {
            ProtocolViolation ??= exception.Message;
        }
        finally
        {
            foreach (var (_, completion) in pending)
            {
                completion.TrySetException(new IOException($"the server closed the connection; protocol violation: {ProtocolViolation ?? "none"}"));
            }

            notifications.CompleteAdding();
        }
    }

    private void Dispatch(JsonObject message)
    {
        var hasMethod = message.TryGetPropertyValue("method", out var method);
        var hasId = message.TryGetPropertyValue("id", out var id);
        if (hasMethod && hasId)
        {
            ServerRequests.Enqueue(message);
            var result = ServerRequestHandler((string)method!, message["params"]);
            _ = WriteMessageAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["result"] = result?.DeepClone() });
        }
        else if (hasMethod)
        {
            notifications.Add(message);
        }
        else if (hasId && id is JsonValue value && value.TryGetValue<long>(out var key) && pending.TryRemove(key, out var completion))
        {
            if (message["error"] is JsonObject error)
            {
                completion.TrySetException(new LspErrorException((int)error["code"]!, (string?)error["message"] ?? string.Empty));
            }
            else
            {
                completion.TrySetResult(message["result"]);
            }
        }
        else
        {
            ProtocolViolation ??= $"a response for an unknown request: {message.ToJsonString()}";
        }
    }

    private async Task<int?> ReadHeadersAsync()
    {
        int? length = null;
        var line = new List<byte>();
        var single = new byte[1];
        var lines = 0;
        while (true)
        {
            var read = await input.ReadAsync(single);
            if (read == 0)
            {
                if (line.Count > 0 || lines > 0)
                {
                    throw new InvalidDataException("the stream ended inside a header");
                }

                return null;
            }

            if (single[0] != '\n')
            {
                line.Add(single[0]);
                if (line.Count > 1024)
                {
                    throw new InvalidDataException($"not a header line: {Encoding.UTF8.GetString([.. line])[..80]}");
                }

                continue;
            }

            if (line.Count == 0 || line[^1] != '\r')
            {
                throw new InvalidDataException($"header line not ended by CRLF: {Encoding.UTF8.GetString([.. line])}");
            }

            var text = Encoding.ASCII.GetString([.. line])[..^1];
            line.Clear();
            if (text.Length == 0)
            {
                return length ?? throw new InvalidDataException("a frame without Content-Length");
            }

            lines++;
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"not a header line: {text}");
            }

            if (text[..colon].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(text[(colon + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await output.DisposeAsync();
        }
        catch (IOException)
        {
        }

        if (Process is { } process)
        {
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        writeLock.Dispose();
        notifications.Dispose();
    }
}
