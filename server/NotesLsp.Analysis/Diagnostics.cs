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
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        var diagnostics = ImmutableArray.CreateBuilder<NoteDiagnostic>();
        cancellationToken.ThrowIfCancellationRequested();

        diagnostics.AddRange(FrontMatter.FrontMatterValidator.Validate(note, snapshot.Settings, snapshot.FrontMatterKeys));

        diagnostics.AddRange(Tags.TagHygiene.Diagnostics(snapshot, note, cancellationToken));

        diagnostics.AddRange(Papers.PaperChecks.Diagnostics(note));
        return diagnostics.ToImmutable();
    }
}
