using System.Collections.Immutable;
using NotesLsp.Analysis.FrontMatter;
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
    /// <param name="today">The user's date, for date values (analysis reads no clock).</param>
    public static CompletionResult Complete(WorkspaceSnapshot snapshot, Note note, int offset, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (TagCompletion.Complete(snapshot, note, offset, cancellationToken) is { Items.IsEmpty: false } tags)
        {
            return tags;
        }

        if (FrontMatterCompletion.Complete(note, offset, snapshot.Settings, today) is { Items.IsEmpty: false } frontMatter)
        {
            return frontMatter;
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
    public static ImmutableArray<CodeFix> For(WorkspaceSnapshot snapshot, Note note, TextSpan span, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var fixes = ImmutableArray.CreateBuilder<CodeFix>();
        fixes.AddRange(FrontMatterFixes.Compute(note, span, snapshot.Settings, today, snapshot.FrontMatterKeys));
        fixes.AddRange(TagHygiene.Fixes(snapshot, note, span, cancellationToken));
        return fixes.ToImmutable();
    }
}
