using System.Collections.Immutable;
using System.Text.Json;
using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using NotesLsp.Text;
using Range = NotesLsp.Server.Protocol.Range;

namespace NotesLsp.Server;

/// <summary>
/// The one place where analysis results become LSP: offsets become UTF-16 line/character positions through
/// the note's own text, enums become protocol numbers.
/// </summary>
public static class Convert
{
    public static Position ToPosition(SourceText text, int offset)
    {
        var position = text.GetPosition(offset);
        return new Position(position.Line, position.Character);
    }

    public static Range ToRange(SourceText text, TextSpan span) => new(ToPosition(text, span.Start), ToPosition(text, span.End));

    public static int ToOffset(SourceText text, Position position) => text.GetOffset(new LinePosition(position.Line, position.Character));

    public static TextSpan ToSpan(SourceText text, Range range) => text.GetSpan(new LineRange(new LinePosition(range.Start.Line, range.Start.Character), new LinePosition(range.End.Line, range.End.Character)));

    public static LineRange ToLineRange(Range range) => new(new LinePosition(range.Start.Line, range.Start.Character), new LinePosition(range.End.Line, range.End.Character));

    public static Diagnostic ToDiagnostic(WorkspaceSnapshot snapshot, SourceText text, NoteDiagnostic diagnostic)
    {
        DiagnosticRelatedInformation[]? related = null;
        if (!diagnostic.RelatedOrEmpty.IsEmpty)
        {
            related = [.. diagnostic.RelatedOrEmpty.Select(r =>
                new DiagnosticRelatedInformation(new Location(r.Uri, ToRange(snapshot.Find(r.Uri)?.Text ?? text, r.Span)), r.Message))];
        }

        JsonElement? data = diagnostic.Data is { Count: > 0 } values ? LspJson.SerializeToElement(new SortedDictionary<string, string>(values, StringComparer.Ordinal)) : null;
        return new Diagnostic(
            ToRange(text, diagnostic.Span),
            (int)diagnostic.Severity,
            diagnostic.Code,
            "notes",
            diagnostic.Message,
            related,
            diagnostic.Unnecessary ? [1] : null,
            data);
    }

    /// <summary>Edits per note, converted against each note's current text; notes the snapshot lacks are skipped.</summary>
    public static WorkspaceEdit ToWorkspaceEdit(WorkspaceSnapshot snapshot, WorkspaceChange change)
    {
        var changes = new Dictionary<string, Protocol.TextEdit[]>(StringComparer.Ordinal);
        foreach (var (uri, edits) in change.Edits)
        {
            if (snapshot.Find(uri) is not { } note)
            {
                continue;
            }

            changes[uri] = [.. edits.Select(e => new Protocol.TextEdit(ToRange(note.Text, e.Span), e.NewText))];
        }

        return new WorkspaceEdit(changes);
    }

    public static CompletionList ToCompletionList(SourceText text, CompletionResult result) =>
        new(result.IsIncomplete, [.. result.Items.Select(item => ToCompletionItem(text, item))]);

    public static CompletionItem ToCompletionItem(SourceText text, Completion item) => new()
    {
        Label = item.Label,
        Kind = item.Kind switch
        {
            CompletionKind.Tag => 20, // EnumMember
            CompletionKind.Key => 10, // Property
            CompletionKind.Value => 12, // Value
            CompletionKind.Date => 12,
            CompletionKind.Paper => 18, // Reference
            CompletionKind.PaperId => 18,
            CompletionKind.Url => 18,
            CompletionKind.Snippet => 15, // Snippet
            _ => 1,
        },
        Detail = item.Detail,
        Documentation = item.Documentation is { Length: > 0 } doc ? MarkupContent.Markdown(doc) : null,
        SortText = item.SortText,
        FilterText = item.FilterText,
        InsertTextFormat = item.IsSnippet ? 2 : 1,
        TextEdit = new Protocol.TextEdit(ToRange(text, item.ReplaceSpan), item.NewText),
    };

    public static Hover ToHover(SourceText text, HoverResult hover) => new(MarkupContent.Markdown(hover.Markdown), ToRange(text, hover.Span));

    public static CodeAction ToCodeAction(WorkspaceSnapshot snapshot, SourceText text, CodeFix fix) => new(
        fix.Title,
        fix.Kind,
        fix.Fixes.IsDefaultOrEmpty ? null : [.. fix.Fixes.Select(d => ToDiagnostic(snapshot, text, d))],
        fix.IsPreferred ? true : null,
        ToWorkspaceEdit(snapshot, fix.Change),
        null);

    /// <summary>
    /// A location in a note of the snapshot. A summarised (closed) note answers the spans its summary keeps (title,
    /// headings, tags) from the summary: no disk read per result, and the positions are those of the text the
    /// spans came from even when the file changed since (until its change is read).
    /// </summary>
    public static Location ToLocation(WorkspaceSnapshot snapshot, NoteLocation location) =>
        new(location.Uri, snapshot.Find(location.Uri) is { } note ? ToRange(note.GetRange(location.Span)) : ToRange(SourceText.Empty, location.Span));

    public static Range ToRange(LineRange range) => new(new Position(range.Start.Line, range.Start.Character), new Position(range.End.Line, range.End.Character));

    public static ImmutableArray<T> OrEmpty<T>(this ImmutableArray<T> array) => array.IsDefault ? [] : array;
}
