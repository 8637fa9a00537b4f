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

    /// <summary>Every OpenReview link in every note, in note URI order.</summary>
    public static IEnumerable<PaperCitation> Citations(WorkspaceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var note in snapshot.Notes.Values.OrderBy(n => n.Uri, StringComparer.Ordinal))
        {
            foreach (var link in note.Syntax.Links)
            {
                if (OpenReviewLink.Parse(link.Url) is { } target)
                {
                    yield return new PaperCitation(note.Uri, link, target);
                }
            }
        }
    }

    /// <summary>
    /// A catalog of the papers linked from notes, titled by their link text (<c>[Title](forum?id=X)</c>).
    /// Link text that is the URL itself or empty gives no title, so those papers are left out.
    /// </summary>
    public static PaperCatalog Catalog(WorkspaceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var papers = new List<PaperRecord>();
        foreach (var citation in Citations(snapshot))
        {
            if (citation.Target.IsPaper && OpenReviewLink.IsWellFormedNoteId(citation.Target.Id)
                && citation.Link.Label is { } label && LabelTitle(label) is { } title)
            {
                papers.Add(new PaperRecord(citation.Target.Id, title) { Source = SourceName });
            }
        }

        return PaperCatalog.Create(SourceName, papers);
    }

    /// <summary>The notes (other than <paramref name="exceptUri"/>) that cite the paper, each once, in URI order.</summary>
    public static ImmutableArray<string> NotesCiting(WorkspaceSnapshot snapshot, string paperId, string? exceptUri)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return [.. Citations(snapshot)
            .Where(c => c.Target.IsPaper && c.Target.Id == paperId && c.Uri != exceptUri)
            .Select(c => c.Uri)
            .Distinct(StringComparer.Ordinal)];
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
