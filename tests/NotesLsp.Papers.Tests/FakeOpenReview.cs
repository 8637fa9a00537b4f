using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NotesLsp.Papers.Tests;

/// <summary>What the fake server sends back for one request.</summary>
internal sealed record FakeResponse(int Status, string Body, string ContentType = "application/json; charset=utf-8")
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Waits this long before sending anything (to exceed the client's timeout).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Announces the full length but sends only this many bytes, then closes.</summary>
    public int? TruncateAt { get; init; }

    /// <summary>Sends the body one byte per this interval (headers at once), like a stalled link.</summary>
    public TimeSpan? DripInterval { get; init; }

    /// <summary>Sends this many body bytes, then resets the connection (TCP RST) instead of closing it.</summary>
    public int? ResetAt { get; init; }

    /// <summary>Pads the body with JSON white space up to this many bytes, streamed, so huge answers cost no memory here.</summary>
    public long? PadTo { get; init; }

    /// <summary>Leaves out Content-Length: the body ends when the connection closes.</summary>
    public bool OmitLength { get; init; }

    public static FakeResponse Json(string body) => new(200, body);
}

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 for the client tests: one connection per request, answers chosen by a
/// function of the path and query, every request recorded (with its Authorization header).
/// </summary>
internal sealed class FakeOpenReview : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, int, FakeResponse> respond;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int requestCount;

    /// <param name="respond">Given the request target (path and query) and the request number (from 0), the answer.</param>
    public FakeOpenReview(Func<string, int, FakeResponse> respond)
    {
        this.respond = respond;
        listener.Start();
        loop = Task.Run(AcceptLoopAsync);
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    public ConcurrentQueue<(string Target, string? Authorization)> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                var lines = head.Split("\r\n");
                var target = lines[0].Split(' ')[1];
                var authorization = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))?["Authorization:".Length..].Trim();
                Requests.Enqueue((target, authorization));
                var response = respond(target, Interlocked.Increment(ref requestCount) - 1);
                if (response.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(response.Delay, stop.Token);
                }

                var body = Encoding.UTF8.GetBytes(response.Body);
                var length = Math.Max(body.Length, response.PadTo ?? 0);
                var builder = new StringBuilder();
                builder.Append($"HTTP/1.1 {response.Status} X\r\nContent-Type: {response.ContentType}\r\nConnection: close\r\n");
                if (!response.OmitLength)
                {
                    builder.Append($"Content-Length: {length}\r\n");
                }

                foreach (var (name, value) in response.Headers)
                {
                    builder.Append($"{name}: {value}\r\n");
                }

                builder.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(builder.ToString()), stop.Token);
                if (response.DripInterval is { } drip)
                {
                    foreach (var b in body)
                    {
                        await stream.WriteAsync(new[] { b }, stop.Token);
                        await Task.Delay(drip, stop.Token);
                    }
                }
                else if (response.ResetAt is { } resetAt)
                {
                    await stream.WriteAsync(body.AsMemory(0, Math.Min(body.Length, resetAt)), stop.Token);
                    await stream.FlushAsync(stop.Token);

                    // Linger 0 makes the close send RST: the client sees "connection reset", not a clean end.
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Client.Close();
                    return;
                }
                else
                {
                    await stream.WriteAsync(body.AsMemory(0, Math.Min(body.Length, response.TruncateAt ?? body.Length)), stop.Token);
                    var padding = new byte[64 * 1024];
                    Array.Fill(padding, (byte)' ');
                    for (var sent = (long)body.Length; sent < length && response.TruncateAt is null; sent += padding.Length)
                    {
                        await stream.WriteAsync(padding.AsMemory(0, (int)Math.Min(padding.Length, length - sent)), stop.Token);
                    }
                }

                await stream.FlushAsync(stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away (for example after its timeout); nothing to answer.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!(buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                break;
            }

            buffer.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. buffer]);
    }
}
