using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Analysis;

// The plain records every feature answers with. The server layer is the only place that turns them into
// LSP: spans become UTF-16 ranges through the note's SourceText, enums become protocol numbers.

public enum Severity
{
    Error = 1,
    Warning = 2,
    Information = 3,
    Hint = 4,
}

/// <summary>Another place that explains a diagnostic (for example the first of two duplicate keys).</summary>
public sealed record RelatedLocation(string Uri, TextSpan Span, string Message);

/// <summary>A problem in one note.</summary>
/// <param name="Span">Where it is, in the note's offsets.</param>
/// <param name="Code">A stable, kebab-case identifier (for example <c>yaml-syntax</c>, <c>duplicate-key</c>); quick fixes key on it.</param>
/// <param name="Message">A sentence a person understands.</param>
/// <param name="Data">Optional plain strings a quick fix needs later (for example the suggested key).</param>
public sealed record NoteDiagnostic(
    TextSpan Span,
    Severity Severity,
    string Code,
    string Message,
    ImmutableArray<RelatedLocation> Related = default,
    ImmutableDictionary<string, string>? Data = null,
    bool Unnecessary = false)
{
    public ImmutableArray<RelatedLocation> RelatedOrEmpty => Related.IsDefault ? [] : Related;
}

/// <summary>Edits to one or more notes, keyed by note URI. Edits within a note do not overlap.</summary>
public sealed record WorkspaceChange(ImmutableDictionary<string, ImmutableArray<TextEdit>> Edits)
{
    public static WorkspaceChange ForNote(string uri, params TextEdit[] edits) =>
        new(ImmutableDictionary<string, ImmutableArray<TextEdit>>.Empty.Add(uri, [.. edits]));
}

/// <summary>A quick fix or refactoring offered for a span.</summary>
/// <param name="Kind">An LSP code action kind string such as <c>quickfix</c> (a plain label here).</param>
/// <param name="Fixes">The diagnostics this action resolves.</param>
public sealed record CodeFix(string Title, string Kind, WorkspaceChange Change, ImmutableArray<NoteDiagnostic> Fixes, bool IsPreferred = false);

public enum CompletionKind
{
    Tag,
    Key,
    Value,
    Date,
    Paper,
    PaperId,
    Url,
    Snippet,
}

/// <summary>One completion: replacing <see cref="ReplaceSpan"/> with <see cref="NewText"/>.</summary>
/// <param name="FilterText">What the editor matches the typed text against; set it when the label is not what the user types.</param>
/// <param name="SortText">Server ranking, as a string that sorts; null keeps the label order.</param>
/// <param name="Documentation">Markdown, already escaped.</param>
public sealed record Completion(
    string Label,
    CompletionKind Kind,
    TextSpan ReplaceSpan,
    string NewText,
    string? Detail = null,
    string? Documentation = null,
    string? FilterText = null,
    string? SortText = null,
    bool IsSnippet = false);

/// <summary>Completions; <see cref="IsIncomplete"/> asks the editor to ask again as the user types (server-narrowed results).</summary>
public sealed record CompletionResult(bool IsIncomplete, ImmutableArray<Completion> Items)
{
    public static CompletionResult None { get; } = new(false, []);
}

/// <summary>A hover: Markdown (escaped by whoever built it) for a span.</summary>
public sealed record HoverResult(string Markdown, TextSpan Span);

/// <summary>A location in a note.</summary>
public sealed record NoteLocation(string Uri, TextSpan Span);

/// <summary>A short label shown inline after <see cref="Offset"/> (for example a paper's title after its bare URL).</summary>
/// <param name="Tooltip">Markdown, already escaped.</param>
public sealed record InlayHintResult(int Offset, string Label, string? Tooltip = null);
