using System.Text.Json;

namespace NotesLsp.Server.Protocol;

public sealed record WorkspaceFolder(string Uri, string Name);

public sealed record ClientInfo(string Name, string? Version);

public sealed record InitializeParams
{
    public int? ProcessId { get; init; }

    public ClientInfo? ClientInfo { get; init; }

    public string? RootUri { get; init; }

    public string? RootPath { get; init; }

    public WorkspaceFolder[]? WorkspaceFolders { get; init; }

    /// <summary>Kept as JSON: the server asks it a handful of yes/no questions (see <see cref="ClientCapabilitiesReader"/>).</summary>
    public JsonElement? Capabilities { get; init; }

    public JsonElement? InitializationOptions { get; init; }

    public string? Trace { get; init; }
}

public sealed record ServerInfo(string Name, string Version);

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

public sealed record TextDocumentSyncOptions(bool OpenClose, int Change, SaveOptions? Save);

public sealed record SaveOptions(bool IncludeText);

public sealed record CompletionOptions(string[]? TriggerCharacters, bool ResolveProvider);

public sealed record RenameOptions(bool PrepareProvider);

public sealed record ExecuteCommandOptions(string[] Commands);

public sealed record CodeActionOptions(string[] CodeActionKinds, bool ResolveProvider);

/// <summary>What the server can do. Each feature fills in its own capability.</summary>
public sealed record ServerCapabilities
{
    public string PositionEncoding { get; init; } = "utf-16";

    public TextDocumentSyncOptions TextDocumentSync { get; init; } = new(true, 2, new SaveOptions(false));

    public bool? DocumentSymbolProvider { get; init; }

    public bool? WorkspaceSymbolProvider { get; init; }

    public bool? FoldingRangeProvider { get; init; }

    public CompletionOptions? CompletionProvider { get; init; }

    public bool? HoverProvider { get; init; }

    public CodeActionOptions? CodeActionProvider { get; init; }

    public bool? ReferencesProvider { get; init; }

    public RenameOptions? RenameProvider { get; init; }

    public ExecuteCommandOptions? ExecuteCommandProvider { get; init; }

    public bool? InlayHintProvider { get; init; }
}

/// <summary>Answers yes/no questions about the client's capabilities, tolerating any shape.</summary>
public sealed class ClientCapabilitiesReader(JsonElement? capabilities)
{
    public bool Has(params string[] path)
    {
        if (capabilities is not { ValueKind: JsonValueKind.Object } current)
        {
            return false;
        }

        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return false;
            }
        }

        return current.ValueKind == JsonValueKind.True;
    }

    /// <summary>A positive whole number at the path (like <c>textDocument.foldingRange.rangeLimit</c>); null when absent.</summary>
    public int? PositiveInt(params string[] path)
    {
        if (capabilities is not { ValueKind: JsonValueKind.Object } current)
        {
            return null;
        }

        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Number && current.TryGetInt32(out var value) && value > 0 ? value : null;
    }

    /// <summary>True when the capability is given at all (an object such as <c>changeAnnotationSupport</c>, or <c>true</c>).</summary>
    public bool Supports(params string[] path)
    {
        if (capabilities is not { ValueKind: JsonValueKind.Object } current)
        {
            return false;
        }

        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return false;
            }
        }

        return current.ValueKind is JsonValueKind.True or JsonValueKind.Object;
    }
}

public sealed record LogMessageParams(int Type, string Message);

public static class MessageType
{
    public const int Error = 1;
    public const int Warning = 2;
    public const int Info = 3;
    public const int Log = 4;
}

public sealed record ShowMessageParams(int Type, string Message);

public sealed record WorkDoneProgressCreateParams(string Token);

public sealed record ProgressParams(string Token, object Value);

public sealed record WorkDoneProgressBegin(string Title, bool Cancellable, string? Message, int? Percentage)
{
    public string Kind { get; } = "begin";
}

public sealed record WorkDoneProgressReport(string? Message, int? Percentage)
{
    public string Kind { get; } = "report";
}

public sealed record WorkDoneProgressEnd(string? Message)
{
    public string Kind { get; } = "end";
}

public sealed record ConfigurationItem(string? ScopeUri, string? Section);

public sealed record ConfigurationParams(ConfigurationItem[] Items);

public sealed record DidChangeConfigurationParams(JsonElement? Settings);

public sealed record FileEvent(string Uri, int Type);

public static class FileChangeType
{
    public const int Created = 1;
    public const int Changed = 2;
    public const int Deleted = 3;
}

public sealed record DidChangeWatchedFilesParams(FileEvent[] Changes);

public sealed record FileSystemWatcher(string GlobPattern, int? Kind);

public sealed record DidChangeWatchedFilesRegistrationOptions(FileSystemWatcher[] Watchers);

public sealed record Registration(string Id, string Method, object? RegisterOptions);

public sealed record RegistrationParams(Registration[] Registrations);

public sealed record SetTraceParams(string Value);

public sealed record WorkDoneProgressCancelParams(string Token);

