namespace NotesLsp.Server.Protocol;

public sealed record InlayHintParams(TextDocumentIdentifier TextDocument, Range Range);

/// <summary>An LSP 3.17 inlay hint with a plain string label.</summary>
public sealed record InlayHint(Position Position, string Label, int? Kind, MarkupContent? Tooltip, bool? PaddingLeft, bool? PaddingRight);

/// <summary>One answer of the <c>notes.papers.search</c> command (and of <c>notes-lsp papers search --json</c>).</summary>
public sealed record PaperSearchRow(string Id, string Title, string? Venue, string? VenueId, string? Decision, System.Collections.Immutable.ImmutableArray<string> Authors, double Score);

/// <summary>The answer of the <c>notes.papers.downloadVenue</c> command.</summary>
public sealed record VenueDownloadResult(string VenueId, int Count, bool Success, string Message);
