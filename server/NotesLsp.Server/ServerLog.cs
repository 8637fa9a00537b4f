namespace NotesLsp.Server;

/// <summary>
/// The server's log. Lines go to stderr always (never stdout: stdout carries only framed messages) and,
/// once connected, to the client as <c>window/logMessage</c>.
/// </summary>
public sealed class ServerLog(TextWriter stderr)
{
    private readonly Lock gate = new();
    private Func<int, string, Task>? clientSink;

    public void AttachClient(Func<int, string, Task> sink) => clientSink = sink;

    public void Error(string message) => Write(Protocol.MessageType.Error, "error", message);

    public void Warning(string message) => Write(Protocol.MessageType.Warning, "warn", message);

    public void Info(string message) => Write(Protocol.MessageType.Info, "info", message);

    private void Write(int type, string level, string message)
    {
        lock (gate)
        {
            stderr.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff} {level}] {message}");
            stderr.Flush();
        }

        if (clientSink is { } sink)
        {
            _ = SendAsync(sink, type, message);
        }
    }

    private async Task SendAsync(Func<int, string, Task> sink, int type, string message)
    {
        try
        {
            await sink(type, message);
        }
        catch (Exception exception)
        {
            // The connection may be closing; stderr already has the line.
            lock (gate)
            {
                stderr.WriteLine($"[log] could not send to client: {exception.GetType().Name}");
            }
        }
    }
}
