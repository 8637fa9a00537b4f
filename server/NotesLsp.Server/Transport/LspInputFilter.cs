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
/// it mid-talk. This filter reads LSP frames itself, checks that each body is a well-formed JSON-RPC message,
/// and forwards only those. A bad message becomes a synthetic <c>$/notes/invalidMessage</c>: a request carrying
/// the original id when one can be recovered (so the client gets an error answer), a notification otherwise (so
/// the server logs it).
/// <para>
/// Framing never trusts a header alone, so one lying frame cannot make the connection deaf:
/// a body is a JSON object, and its end is found from the JSON structure as the bytes arrive (strings, escapes
/// and nesting tracked), with <c>Content-Length</c> as the expected size. A frame that says too much is answered
/// as soon as its object closes; one that says too little is read on while more bytes are already there; one with
/// no usable length (<c>-5</c>, <c>abc</c>, 2^31-1, missing) is read by structure alone, up to the message limit.
/// A body that breaks the structure (a byte no JSON can hold there, such as the <c>C</c> of the next frame's
/// header, or a raw line break inside a string) is rejected and its bytes are scanned again for the next
/// <c>Content-Length:</c>, which is found anywhere, also inside a line of garbage. Nothing waits for bytes a
/// header promised: only the JSON structure decides when a message is complete.
/// </para>
/// </summary>
public sealed partial class LspInputFilter(Stream input, PipeWriter output, Action<string> log, LspInputLimits? limits = null)
{
    public const string InvalidMessageMethod = "$/notes/invalidMessage";

    private const int InitialBufferBytes = 64 * 1024;

    private static readonly byte[] ContentLengthName = "content-length"u8.ToArray();
    private static readonly byte[] ContentLengthHeader = "Content-Length:"u8.ToArray();
    private static readonly byte[] ContentLengthHeaderLower = "content-length:"u8.ToArray();

    private readonly LspInputLimits limits = limits ?? LspInputLimits.Default;
    private byte[] buffer = new byte[InitialBufferBytes];
    private int start;
    private int end;
    private bool endOfInput;
    private long skippedBytes;

    /// <summary>Copies frames until the input ends, then completes the output so the JSON-RPC connection ends too.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var header = await ReadHeaderBlockAsync(cancellationToken);
                if (header is null)
                {
                    break;
                }

                var outcome = await ReadBodyAsync(header.Value, cancellationToken);
                if (outcome is null)
                {
                    log($"input ended inside a message body ({Describe(header.Value)}); dropped it");
                    break;
                }

                var (length, code, broken) = outcome.Value;
                if (broken is { } reason)
                {
                    // Start again at the body: the next frame may begin inside it (a header that said too much).
                    // The id is looked for only in the broken part, never in a frame after it.
                    await RejectAsync(reason, buffer.AsSpan(start, Math.Min(length, 4096)).ToArray(), code, cancellationToken);
                    continue;
                }

                var body = buffer.AsSpan(start, length).ToArray();
                start += length;
                if (header.Value.Length is { } declared && declared != length)
                {
                    log($"a frame said Content-Length {declared} for a message of {length} bytes; read it by its JSON structure");
                }
                else if (header.Value.Length is null)
                {
                    log($"a frame had {Describe(header.Value)}; read its message of {length} bytes by its JSON structure");
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

    /// <summary>A header block: the Content-Length when it was usable, else why not.</summary>
    private readonly record struct HeaderBlock(int? Length, string? Problem);

    private static string Describe(HeaderBlock header) => header.Length is { } length ? $"Content-Length {length}" : header.Problem ?? "no Content-Length";

    /// <summary>
    /// Reads header lines up to the blank line (or up to a line that starts a JSON object: a missing blank line).
    /// Lines that are not headers are garbage: they are dropped, and a <c>Content-Length:</c> inside one starts a
    /// new header block there. Returns null at the end of the input; <see cref="start"/> is then at the body.
    /// </summary>
    private async ValueTask<HeaderBlock?> ReadHeaderBlockAsync(CancellationToken cancellationToken)
    {
        int? length = null;
        string? problem = null;
        var headers = 0;
        while (true)
        {
            var lineEnd = await FindLineEndAsync(cancellationToken);
            if (lineEnd is null)
            {
                ReportSkipped();
                if (headers > 0 || end > start)
                {
                    log("input ended inside a header block");
                }

                return null;
            }

            var line = buffer.AsSpan(start, lineEnd.Value - start);
            var next = lineEnd.Value + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            // A header inside a line of garbage (or after a broken body): resynchronise at it.
            var resync = IndexOfContentLength(line);
            if (resync > 0)
            {
                Skip(resync);
                headers = 0;
                length = null;
                problem = null;
                continue;
            }

            if (line.IsEmpty)
            {
                start = next;
                if (headers > 0)
                {
                    ReportSkipped();
                    return new HeaderBlock(length, length is null ? problem ?? "no Content-Length" : null);
                }

                continue; // Stray blank lines between frames are harmless.
            }

            if (headers > 0 && line[0] == '{')
            {
                ReportSkipped();
                log("a header block did not end with a blank line; read the message that follows it");
                return new HeaderBlock(length, length is null ? problem ?? "no Content-Length" : null);
            }

            var colon = line.IndexOf((byte)':');
            var name = colon > 0 ? line[..colon].Trim((byte)' ') : default;
            if (colon <= 0 || !IsToken(name))
            {
                // Garbage, not a header: dropped (a Content-Length before it still counts).
                Skip(next - start);
                continue;
            }

            headers++;
            if (Ascii.EqualsIgnoreCase(name, ContentLengthName))
            {
                var value = Encoding.ASCII.GetString(line[(colon + 1)..]).Trim();
                if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed <= limits.MaxMessageBytes)
                {
                    length = parsed;
                    problem = null;
                }
                else
                {
                    length = null;
                    problem = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var big)
                        ? $"Content-Length {big} over the limit of {limits.MaxMessageBytes} bytes"
                        : $"a bad Content-Length '{Truncate(value, 40)}'";
                }
            }

            start = next;
        }
    }

    /// <summary>
    /// Finds the end of the JSON object that starts the body. Returns its length, or a reason the body is broken
    /// with the length of the broken part (then <see cref="start"/> stays at the body so its bytes are scanned
    /// again), or null at the end of input.
    /// </summary>
    private async ValueTask<(int Length, int Code, string? Broken)?> ReadBodyAsync(HeaderBlock header, CancellationToken cancellationToken)
    {
        var scanner = new JsonExtent();
        var scanned = 0;
        while (true)
        {
            while (start + scanned < end)
            {
                var state = scanner.Next(buffer[start + scanned]);
                scanned++;
                switch (state)
                {
                    case JsonExtent.State.Complete:
                        return (scanned, 0, null);
                    case JsonExtent.State.Invalid when !scanner.Started:
                        return (scanned - 1, ErrorCodesForFilter.InvalidRequest, $"the body ({Describe(header)}) is not a JSON object");
                    case JsonExtent.State.Invalid:
                        return (scanned - 1, ErrorCodesForFilter.ParseError, $"invalid JSON: the body ({Describe(header)}) breaks off after {scanned - 1} bytes");
                }

                if (scanned > limits.MaxMessageBytes)
                {
                    return (scanned, ErrorCodesForFilter.InvalidRequest, $"message exceeds the limit of {limits.MaxMessageBytes} bytes");
                }

                if (header.Length is { } declared && scanned == declared && start + scanned == end)
                {
                    // All the header promised has arrived and nothing more is there: the frame was too short.
                    return (scanned, ErrorCodesForFilter.ParseError, $"invalid JSON: the body ends before its JSON does (Content-Length {declared})");
                }
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    /// <summary>Where the next '\n' is in the buffer, reading more as needed; overlong lines are skipped but still searched for a header.</summary>
    private async ValueTask<int?> FindLineEndAsync(CancellationToken cancellationToken)
    {
        var searched = start;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', searched, end - searched);
            if (newline >= 0)
            {
                return newline;
            }

            searched = end;
            if (end - start >= limits.MaxHeaderLineBytes)
            {
                // A line this long is no header. Keep only a tail that may hold the start of one.
                var line = buffer.AsSpan(start, end - start);
                var resync = IndexOfContentLength(line);
                if (resync > 0)
                {
                    Skip(resync);
                    searched = start;
                    continue;
                }

                var keep = ContentLengthHeader.Length - 1;
                Skip(end - start - keep);
                searched = start;
            }

            // Filling moves the buffered bytes to the front: keep the search position relative to the line.
            var searchedInLine = searched - start;
            if (!await FillAsync(cancellationToken))
            {
                return null;
            }

            searched = start + searchedInLine;
        }
    }

    /// <summary>The first <c>Content-Length:</c> (as spelled by clients: capitalised or lower case) in a line, or -1.</summary>
    private static int IndexOfContentLength(ReadOnlySpan<byte> line)
    {
        var capitalised = line.IndexOf(ContentLengthHeader);
        var lower = line.IndexOf(ContentLengthHeaderLower);
        return capitalised < 0 ? lower : lower < 0 ? capitalised : Math.Min(capitalised, lower);
    }

    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b == '-' || b == '_'))
            {
                return false;
            }
        }

        return !name.IsEmpty;
    }

    /// <summary>Drops bytes that are no frame; whitespace alone is not worth a log line.</summary>
    private void Skip(int count)
    {
        if (buffer.AsSpan(start, count).IndexOfAnyExcept(" \t\r\n"u8) >= 0)
        {
            skippedBytes += count;
        }

        start += count;
    }

    private void ReportSkipped()
    {
        if (skippedBytes > 0)
        {
            log($"dropped {skippedBytes} bytes that were not part of a frame");
            skippedBytes = 0;
        }
    }

    /// <summary>Reads more input after what is buffered, moving or growing the buffer (up to a message and a line).</summary>
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

        if (end == buffer.Length)
        {
            var grown = new byte[(int)Math.Min((long)buffer.Length * 2, (long)limits.MaxMessageBytes + limits.MaxHeaderLineBytes + InitialBufferBytes)];
            if (grown.Length <= buffer.Length)
            {
                throw new InvalidOperationException("the input buffer cannot grow beyond the message limit");
            }

            Buffer.BlockCopy(buffer, 0, grown, 0, end);
            buffer = grown;
        }
        else if (buffer.Length > 4 * InitialBufferBytes && end < InitialBufferBytes / 2)
        {
            // A big message has gone: give its memory back.
            var shrunk = new byte[InitialBufferBytes];
            Buffer.BlockCopy(buffer, 0, shrunk, 0, end);
            buffer = shrunk;
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

    /// <summary>
    /// Follows a JSON value byte by byte far enough to know where a top-level object ends, and to notice early
    /// that bytes cannot be JSON (a letter outside the literals, a control character inside a string). Full
    /// validation is <see cref="Validate"/>'s job once the extent is known.
    /// </summary>
    private struct JsonExtent
    {
        private int depth;
        private bool inString;
        private bool escaped;

        public enum State
        {
            More,
            Complete,
            Invalid,
        }

        public bool Started { get; private set; }

        public State Next(byte b)
        {
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == '\\')
                {
                    escaped = true;
                }
                else if (b == '"')
                {
                    inString = false;
                }
                else if (b < 0x20)
                {
                    return State.Invalid;
                }

                return State.More;
            }

            if (!Started)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    return State.More;
                }

                if (b != '{')
                {
                    return State.Invalid;
                }

                Started = true;
            }

            switch (b)
            {
                case (byte)'{' or (byte)'[':
                    depth++;
                    return depth > 10_000 ? State.Invalid : State.More;
                case (byte)'}' or (byte)']':
                    depth--;
                    return depth == 0 ? State.Complete : depth < 0 ? State.Invalid : State.More;
                case (byte)'"':
                    inString = true;
                    return State.More;
                case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)':' or (byte)',' or (byte)'-' or (byte)'+' or (byte)'.':
                case >= (byte)'0' and <= (byte)'9':
                case (byte)'e' or (byte)'E' or (byte)'t' or (byte)'r' or (byte)'u' or (byte)'f' or (byte)'a' or (byte)'l' or (byte)'s' or (byte)'n':
                    return State.More;
                default:
                    return State.Invalid;
            }
        }
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
