using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NotesLsp.Server.Transport;

/// <summary>Bounds on what the input side accepts.</summary>
public sealed record LspInputLimits(int MaxMessageBytes = 64 * 1024 * 1024, int MaxHeaderLineBytes = 8 * 1024, int MaxJsonDepth = 64)
{
    public static LspInputLimits Default { get; } = new();
}

/// <summary>
/// Sits between the client's raw byte stream and StreamJsonRpc. StreamJsonRpc treats a malformed frame or an
/// unparsable message as fatal and closes the connection, which for a language server means the editor loses
/// it mid-talk. This filter reads LSP frames itself (tolerant of bad headers, wrong lengths and garbage between
/// frames), checks that each body is a well-formed JSON-RPC message, and forwards only those. A bad message
/// becomes a synthetic <c>$/notes/invalidMessage</c>: a request carrying the original id when one can be
/// recovered (so the client gets an error answer), a notification otherwise (so the server logs it).
/// </summary>
public sealed partial class LspInputFilter(Stream input, PipeWriter output, Action<string> log, LspInputLimits? limits = null)
{
    public const string InvalidMessageMethod = "$/notes/invalidMessage";

    private static readonly byte[] ContentLengthName = "content-length"u8.ToArray();

    private readonly LspInputLimits limits = limits ?? LspInputLimits.Default;
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private bool endOfInput;

    /// <summary>Copies frames until the input ends, then completes the output so the JSON-RPC connection ends too.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var contentLength = await ReadHeaderBlockAsync(cancellationToken);
                if (contentLength is null)
                {
                    break;
                }

                if (contentLength.Value < 0)
                {
                    continue;
                }

                if (contentLength.Value > limits.MaxMessageBytes)
                {
                    var prefix = await SkipBodyAsync(contentLength.Value, cancellationToken);
                    await RejectAsync($"message of {contentLength.Value} bytes exceeds the limit of {limits.MaxMessageBytes} bytes", prefix, ErrorCodesForFilter.InvalidRequest, cancellationToken);
                    continue;
                }

                var body = await ReadBodyAsync(contentLength.Value, cancellationToken);
                if (body is null)
                {
                    log($"input ended inside a message body (Content-Length {contentLength.Value}); dropped it");
                    break;
                }

                var problem = Validate(body);
                if (problem is null)
                {
                    await ForwardAsync(body, cancellationToken);
                }
                else
                {
                    await RejectAsync(problem.Value.Message, body.AsSpan(0, Math.Min(body.Length, 4096)).ToArray(), problem.Value.Code, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException exception)
        {
            log($"input stream failed: {exception.Message}");
        }
        finally
        {
            await output.CompleteAsync();
        }
    }

    /// <summary>
    /// Reads header lines up to the blank line. Returns the Content-Length, -1 when the block had none that is
    /// valid (the block is dropped), or null at the end of the input.
    /// </summary>
    private async ValueTask<int?> ReadHeaderBlockAsync(CancellationToken cancellationToken)
    {
        int? contentLength = null;
        var lines = 0;
        var malformed = false;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                if (lines > 0)
                {
                    log("input ended inside a header block");
                }

                return null;
            }

            if (line.Length == 0)
            {
                if (lines == 0)
                {
                    continue; // Stray blank lines between frames are harmless.
                }

                if (contentLength is { } length && !malformed)
                {
                    return length;
                }

                if (contentLength is { } recovered)
                {
                    log("dropped unexpected header lines before a message");
                    return recovered;
                }

                log("dropped a header block without a valid Content-Length");
                return -1;
            }

            lines++;
            var colon = Array.IndexOf(line, (byte)':');
            if (colon <= 0)
            {
                malformed = true;
                continue;
            }

            var name = line.AsSpan(0, colon).Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, ContentLengthName))
            {
                var value = Encoding.ASCII.GetString(line, colon + 1, line.Length - colon - 1).Trim();
                if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    contentLength = parsed;
                }
                else
                {
                    log($"dropped a header block with a bad Content-Length '{Truncate(value, 40)}'");
                    malformed = true;
                    contentLength = null;
                }
            }
        }
    }

    /// <summary>A line without its line break; overlong lines are discarded (returned empty-but-counted as malformed).</summary>
    private async ValueTask<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var discarding = false;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                var lineEnd = newline > start && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                var line = discarding ? "x"u8.ToArray() : buffer.AsSpan(start, lineEnd - start).ToArray();
                start = newline + 1;
                return line;
            }

            if (end - start >= limits.MaxHeaderLineBytes)
            {
                if (!discarding)
                {
                    log($"dropped a header line longer than {limits.MaxHeaderLineBytes} bytes");
                }

                discarding = true;
                start = end; // Keep scanning for the newline without keeping the bytes.
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (endOfInput)
        {
            return false;
        }

        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        var read = await input.ReadAsync(buffer.AsMemory(end), cancellationToken);
        if (read == 0)
        {
            endOfInput = true;
            return false;
        }

        end += read;
        return true;
    }

    private async ValueTask<byte[]?> ReadBodyAsync(int length, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        var copied = Math.Min(length, end - start);
        Buffer.BlockCopy(buffer, start, body, 0, copied);
        start += copied;
        while (copied < length)
        {
            var read = await input.ReadAsync(body.AsMemory(copied), cancellationToken);
            if (read == 0)
            {
                endOfInput = true;
                return null;
            }

            copied += read;
        }

        return body;
    }

    /// <summary>Skips an oversized body without keeping it; returns its first bytes so an id may be recovered.</summary>
    private async ValueTask<byte[]> SkipBodyAsync(int length, CancellationToken cancellationToken)
    {
        var prefix = new List<byte>(4096);
        var remaining = length;
        while (remaining > 0)
        {
            if (start == end && !await FillAsync(cancellationToken))
            {
                break;
            }

            var take = Math.Min(remaining, end - start);
            if (prefix.Count < 4096)
            {
                prefix.AddRange(buffer.AsSpan(start, Math.Min(take, 4096 - prefix.Count)));
            }

            start += take;
            remaining -= take;
        }

        return [.. prefix];
    }

    private readonly record struct Problem(int Code, string Message);

    private Problem? Validate(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException exception)
        {
            return new Problem(ErrorCodesForFilter.ParseError, $"invalid JSON: {Truncate(exception.Message, 200)}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new Problem(ErrorCodesForFilter.InvalidRequest, $"a JSON-RPC message must be an object, not {root.ValueKind}");
            }

            if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
            {
                return new Problem(ErrorCodesForFilter.InvalidRequest, "a JSON-RPC message needs \"jsonrpc\": \"2.0\"");
            }

            var hasId = root.TryGetProperty("id", out var id);
            if (hasId && !IsValidId(id))
            {
                return new Problem(ErrorCodesForFilter.InvalidRequest, "the message id must be a string, an integer or null");
            }

            if (root.TryGetProperty("method", out var method))
            {
                if (method.ValueKind != JsonValueKind.String)
                {
                    return new Problem(ErrorCodesForFilter.InvalidRequest, "\"method\" must be a string");
                }

                if (root.TryGetProperty("params", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                {
                    return new Problem(ErrorCodesForFilter.InvalidParams, "\"params\" must be an object or an array");
                }

                return null;
            }

            if (hasId && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)))
            {
                return null; // A response to one of our requests.
            }

            return new Problem(ErrorCodesForFilter.InvalidRequest, "the message is neither a request, a notification nor a response");
        }
    }

    private static bool IsValidId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Null => true,
        JsonValueKind.Number => id.TryGetInt64(out _),
        _ => false,
    };

    private async ValueTask ForwardAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await output.WriteAsync(header, cancellationToken);
        await output.WriteAsync(body, cancellationToken);
    }

    private async ValueTask RejectAsync(string reason, byte[] prefix, int code, CancellationToken cancellationToken)
    {
        var id = RecoverId(prefix);
        log(id is null ? $"dropped a message: {reason}" : $"rejected request {id}: {reason}");
        // Written by hand (no reflection-based serializer: the server is a NativeAOT executable).
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteString("method", InvalidMessageMethod);
            writer.WriteStartObject("params");
            writer.WriteNumber("code", code);
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
            switch (id)
            {
                case long number:
                    writer.WriteNumber("id", number);
                    break;
                case string text:
                    writer.WriteString("id", text);
                    break;
            }

            writer.WriteEndObject();
        }

        await ForwardAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>Finds a plausible top-level id in the first bytes of a broken message, so its sender gets an answer.</summary>
    private static object? RecoverId(byte[] prefix)
    {
        var text = Encoding.UTF8.GetString(prefix);
        var match = IdPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        if (match.Groups["num"].Success)
        {
            return long.TryParse(match.Groups["num"].Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;
        }

        return match.Groups["str"].Value;
    }

    [GeneratedRegex("\"id\"\\s*:\\s*(?:(?<num>-?\\d{1,18})\\b|\"(?<str>[^\"\\\\]{0,200})\")")]
    private static partial Regex IdPattern();

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length] + "…";

    private static class ErrorCodesForFilter
    {
        public const int ParseError = -32700;
        public const int InvalidRequest = -32600;
        public const int InvalidParams = -32602;
    }
}
