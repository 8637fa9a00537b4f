using System.Collections.Immutable;

namespace NotesLsp.Analysis;

/// <summary>
/// Every diagnostic for one note, from every feature. Each feature adds one call here; the server publishes
/// the result (debounced, with the document version) and the <c>check</c> command prints it.
/// </summary>
public static class NoteDiagnostics
{
    public static ImmutableArray<NoteDiagnostic> Compute(WorkspaceSnapshot snapshot, Note note, CancellationToken cancellationToken)
    {
        var parts = ComputeParts(snapshot, note, cancellationToken);
        return [.. parts.FrontMatter, .. parts.Tags, .. parts.Papers];
    }

    /// <summary>
    /// <see cref="Compute"/> in its three parts, in output order. The last depends only on the note's text, the
    /// first also on the settings and the workspace's front matter key counts, the middle one (tag hygiene) on the
    /// whole workspace's tags; so <c>notes-lsp check --cache</c> keeps the outer two of an unchanged note while the
    /// settings and key counts are the same, and computes the middle one again every run.
    /// </summary>
    public static (ImmutableArray<NoteDiagnostic> FrontMatter, ImmutableArray<NoteDiagnostic> Tags, ImmutableArray<NoteDiagnostic> Papers) ComputeParts(
        WorkspaceSnapshot snapshot, Note note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        cancellationToken.ThrowIfCancellationRequested();
        return (
            FrontMatter.FrontMatterValidator.Validate(note, snapshot.Settings, snapshot.FrontMatterKeys),
            Tags.TagHygiene.Diagnostics(snapshot, note, cancellationToken),
            Papers.PaperChecks.Diagnostics(note));
    }
}
