// The LSP 3.17 types this server uses, written by hand (no LSP library is served here). Property names
// are camelCase through the serializer options in LspJson; null properties are omitted on the wire.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotesLsp.Server.Protocol;

public sealed record Position(int Line, int Character);

public sealed record Range(Position Start, Position End);

public sealed record Location(string Uri, Range Range);

public sealed record TextDocumentIdentifier(string Uri);

public sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

public sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

public sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);

public sealed record TextEdit(Range Range, string NewText);

public sealed record MarkupContent(string Kind, string Value)
{
    public static MarkupContent Markdown(string value) => new("markdown", value);
}

public sealed record WorkspaceEdit(Dictionary<string, TextEdit[]> Changes);

public sealed record Command(string Title, string CommandName, JsonElement[]? Arguments)
{
    [JsonPropertyName("command")]
    public string CommandName { get; init; } = CommandName;
}

public static class ErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int ServerNotInitialized = -32002;
    public const int RequestFailed = -32803;
    public const int RequestCancelled = -32800;
    public const int ContentModified = -32801;
}
