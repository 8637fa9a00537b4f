using System.Collections.Immutable;
using NotesLsp.Papers;
using NotesLsp.Syntax;

namespace NotesLsp.Analysis.Papers;

/// <summary>An OpenReview link found in a note.</summary>
public sealed record PaperCitation(string Uri, LinkSyntax Link, OpenReviewLink Target);

/// <summary>The papers the notes themselves link to: a catalog source (titles from link text) and citations.</summary>
public static class WorkspacePapers
{
    /// <summary>The catalog name of papers known only from the notes.</summary>
    public const string SourceName = "notes";

    /// <summary>Every OpenReview link in every note, in note URI order (from the snapshot's citation index).</summary>
    public static IEnumerable<PaperCitation> Citations(WorkspaceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Citations.All;
    }

    /// <summary>
    /// A catalog of the papers linked from notes, titled by their link text (<c>[Title](forum?id=X)</c>).
    /// Link text that is the URL itself or empty gives no title, so those papers are left out. The snapshot's
    /// citation index keeps it, rebuilding it only when a titled link changes.
    /// </summary>
    public static PaperCatalog Catalog(WorkspaceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Citations.Catalog;
    }

    /// <summary>The notes (other than <paramref name="exceptUri"/>) that cite the paper, each once, in URI order.</summary>
    public static ImmutableArray<string> NotesCiting(WorkspaceSnapshot snapshot, string paperId, string? exceptUri)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var notes = snapshot.Citations.NotesCiting(paperId);
        return exceptUri is not null && notes.Contains(exceptUri) ? notes.Remove(exceptUri) : notes;
    }

    /// <summary>
    /// Venues the notes point at: group links (<c>group?id=ICML.cc/2024/Conference</c>) and the venue a paper link
    /// says it came from (<c>&amp;referrer=</c>), each with the number of notes that do, most linked first.
    /// </summary>
    public static ImmutableArray<(string VenueId, int Notes)> LinkedVenues(WorkspaceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return [.. snapshot.Citations.All
            .Select(c => (c.Uri, Venue: c.Target.Kind == OpenReviewLinkKind.Group ? c.Target.Id : c.Target.ReferrerVenueId))
            .Where(c => c.Venue is not null && OpenReviewLink.IsWellFormedVenueId(c.Venue))
            .GroupBy(c => c.Venue!, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(c => c.Uri).Distinct(StringComparer.Ordinal).Count()))
            .OrderByDescending(v => v.Item2)
            .ThenBy(v => v.Key, StringComparer.Ordinal)];
    }

    /// <summary>The title a citation gives its paper in the notes' catalog, or null when its link text is not a title.</summary>
    public static string? CatalogTitle(PaperCitation citation)
    {
        ArgumentNullException.ThrowIfNull(citation);
        return citation.Target.IsPaper && OpenReviewLink.IsWellFormedNoteId(citation.Target.Id) && citation.Link.Label is { } label
            ? LabelTitle(label)
            : null;
    }

    private static string? LabelTitle(string label)
    {
        var trimmed = label.Trim().Trim('*', '_', '`').Trim();
        if (trimmed.Length < 3 || trimmed.StartsWith("http", StringComparison.OrdinalIgnoreCase) || OpenReviewLink.IsWellFormedNoteId(trimmed) && !trimmed.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        return trimmed;
    }
}
