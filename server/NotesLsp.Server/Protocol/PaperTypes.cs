namespace NotesLsp.Server.Protocol;

public sealed record InlayHintParams(TextDocumentIdentifier TextDocument, Range Range);

/// <summary>An LSP 3.17 inlay hint with a plain string label.</summary>
public sealed record InlayHint(Position Position, string Label, int? Kind, MarkupContent? Tooltip, bool? PaddingLeft, bool? PaddingRight);

/// <summary>
/// <c>notes/status</c>, a NotesLsp notification: how many notes the index holds and how many papers the
/// catalogs know. Sent after the start-up scan and whenever either count changes (notes created or deleted
/// outside the editor, a venue downloaded).
/// </summary>
public sealed record NotesStatusParams(int Notes, int Papers, bool Indexing);
