using System.Text.Json;

namespace NotesLsp.Server.Protocol;

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

public sealed record TextDocumentContentChangeEvent(Range? Range, int? RangeLength, string Text);

public sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, TextDocumentContentChangeEvent[] ContentChanges);

public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

public sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument, string? Text);

public sealed record DocumentSymbolParams(TextDocumentIdentifier TextDocument);

public sealed record DocumentSymbol(string Name, string? Detail, int Kind, Range Range, Range SelectionRange, DocumentSymbol[]? Children);

public static class SymbolKinds
{
    public const int File = 1;
    public const int Module = 2;
    public const int Namespace = 3;
    public const int String = 15;
    public const int Key = 20;
}

public sealed record WorkspaceSymbolParams(string Query);

public sealed record SymbolInformation(string Name, int Kind, Location Location, string? ContainerName);

public sealed record FoldingRangeParams(TextDocumentIdentifier TextDocument);

public sealed record FoldingRange(int StartLine, int EndLine, string? Kind);

public sealed record DiagnosticRelatedInformation(Location Location, string Message);

public sealed record Diagnostic(
    Range Range,
    int Severity,
    string Code,
    string Source,
    string Message,
    DiagnosticRelatedInformation[]? RelatedInformation,
    int[]? Tags,
    JsonElement? Data);

public sealed record PublishDiagnosticsParams(string Uri, int? Version, Diagnostic[] Diagnostics);

public sealed record CompletionParams(TextDocumentIdentifier TextDocument, Position Position, CompletionContext? Context);

public sealed record CompletionContext(int TriggerKind, string? TriggerCharacter);

public sealed record CompletionItem
{
    public required string Label { get; init; }

    public int? Kind { get; init; }

    public string? Detail { get; init; }

    public MarkupContent? Documentation { get; init; }

    public string? SortText { get; init; }

    public string? FilterText { get; init; }

    public int? InsertTextFormat { get; init; }

    public TextEdit? TextEdit { get; init; }
}

public sealed record CompletionList(bool IsIncomplete, CompletionItem[] Items);

public sealed record HoverParams(TextDocumentIdentifier TextDocument, Position Position);

public sealed record Hover(MarkupContent Contents, Range? Range);

public sealed record CodeActionContext(Diagnostic[] Diagnostics, string[]? Only);

public sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext Context);

public sealed record CodeAction(string Title, string Kind, Diagnostic[]? Diagnostics, bool? IsPreferred, WorkspaceEdit? Edit, Command? Command);

public sealed record ReferenceContext(bool IncludeDeclaration);

public sealed record ReferenceParams(TextDocumentIdentifier TextDocument, Position Position, ReferenceContext? Context);

public sealed record RenameParams(TextDocumentIdentifier TextDocument, Position Position, string NewName);

public sealed record PrepareRenameParams(TextDocumentIdentifier TextDocument, Position Position);

public sealed record PrepareRenameResult(Range Range, string Placeholder);

public sealed record ExecuteCommandParams(string Command, JsonElement[]? Arguments, string? WorkDoneToken);
