namespace NotesLsp.Server.Protocol;

public sealed record InlayHintParams(TextDocumentIdentifier TextDocument, Range Range);

/// <summary>An LSP 3.17 inlay hint with a plain string label.</summary>
public sealed record InlayHint(Position Position, string Label, int? Kind, MarkupContent? Tooltip, bool? PaddingLeft, bool? PaddingRight);

/// <summary>A change annotation (LSP 3.16): the client shows the label and, with NeedsConfirmation, asks before applying.</summary>
public sealed record ChangeAnnotation(string Label, bool NeedsConfirmation, string? Description);

public sealed record OptionalVersionedTextDocumentIdentifier(string Uri, int? Version)
{
    // The protocol wants "version": null for a note that is not open, not a missing property.
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public int? Version { get; init; } = Version;
}

public sealed record AnnotatedTextEdit(Range Range, string NewText, string AnnotationId);

public sealed record TextDocumentEdit(OptionalVersionedTextDocumentIdentifier TextDocument, AnnotatedTextEdit[] Edits);

/// <summary>A workspace edit as document changes with change annotations, or plain changes for clients without them.</summary>
public sealed record AnnotatedWorkspaceEdit(TextDocumentEdit[]? DocumentChanges, Dictionary<string, ChangeAnnotation>? ChangeAnnotations, Dictionary<string, TextEdit[]>? Changes);

public sealed record ApplyWorkspaceEditParams(string? Label, AnnotatedWorkspaceEdit Edit);

public sealed record ApplyWorkspaceEditResult(bool Applied, string? FailureReason);

public sealed record MessageActionItem(string Title);

public sealed record ShowMessageRequestParams(int Type, string Message, MessageActionItem[] Actions);

/// <summary>
/// <c>notes/status</c>, a NotesLsp notification: how many notes the index holds and how many papers the
/// catalogs know. Sent after the start-up scan and whenever either count changes (notes created or deleted
/// outside the editor, a venue downloaded).
/// </summary>
public sealed record NotesStatusParams(int Notes, int Papers, bool Indexing);

/// <summary>One answer of the <c>notes.papers.search</c> command (and of <c>notes-lsp papers search --json</c>).</summary>
public sealed record PaperSearchRow(string Id, string Title, string? Venue, string? VenueId, string? Decision, System.Collections.Immutable.ImmutableArray<string> Authors, double Score);

/// <summary>The answer of the <c>notes.papers.downloadVenue</c> command.</summary>
public sealed record VenueDownloadResult(string VenueId, int Count, bool Success, string Message);

/// <summary>The answer of the <c>notes.papers.linkHeadings</c> command.</summary>
public sealed record LinkHeadingsResult(int Linked, bool Applied, string Message);
