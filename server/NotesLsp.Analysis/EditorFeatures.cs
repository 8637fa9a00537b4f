using System.Collections.Immutable;
using NotesLsp.Analysis.Tags;
using NotesLsp.Text;

namespace NotesLsp.Analysis;

// One entry point per editor request that several features answer, in the style of NoteDiagnostics: each
// feature adds one line here, and the server's handler calls only these, so features never compete for a
// JSON-RPC method name.

/// <summary>Completion at a cursor, from every feature.</summary>
public static class NoteCompletion
{
    /// <summary>The features' contexts do not overlap (a tag value, a key, a paper link), so the first answer wins.</summary>
    public static CompletionResult Complete(WorkspaceSnapshot snapshot, Note note, int offset, CancellationToken cancellationToken)
    {
        if (TagCompletion.Complete(snapshot, note, offset, cancellationToken) is { Items.IsEmpty: false } tags)
        {
            return tags;
        }

        return CompletionResult.None;
    }
}

/// <summary>Hover at a cursor, from every feature.</summary>
public static class NoteHover
{
    public static HoverResult? Hover(WorkspaceSnapshot snapshot, Note note, int offset, CancellationToken cancellationToken)
    {
        return TagNavigation.Hover(snapshot, note, offset, cancellationToken);
    }
}

/// <summary>Quick fixes and refactorings for a span, from every feature.</summary>
public static class NoteCodeFixes
{
    public static ImmutableArray<CodeFix> For(WorkspaceSnapshot snapshot, Note note, TextSpan span, CancellationToken cancellationToken)
    {
        var fixes = ImmutableArray.CreateBuilder<CodeFix>();
        fixes.AddRange(TagHygiene.Fixes(snapshot, note, span, cancellationToken));
        return fixes.ToImmutable();
    }
}
