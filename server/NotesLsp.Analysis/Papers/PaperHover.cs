using System.Globalization;
using System.Text;
using NotesLsp.Papers;
using NotesLsp.Syntax;

namespace NotesLsp.Analysis.Papers;

/// <summary>What the server learned while trying to complete a hover (for example a failed online fetch).</summary>
/// <param name="LookupNote">A sentence explaining why the paper is not known (already plain text; it is escaped here).</param>
public sealed record PaperHoverOptions(string? LookupNote = null);

/// <summary>
/// Hover Markdown for OpenReview links in every form a note may hold (inline links, autolinks, bare URLs,
/// Liquid tags). All text that comes from a catalog or from OpenReview goes through <see cref="MarkdownText.Escape"/>;
/// the only links are ones built here from well-formed ids.
/// </summary>
public static class PaperHover
{
    private const int MaxAuthors = 8;
    private const int MaxAbstract = 600;
    private const int MaxCitingNotes = 5;

    /// <summary>The OpenReview link under the offset, if any.</summary>
    public static (LinkSyntax Link, OpenReviewLink Target)? FindLink(WorkspaceSnapshot snapshot, string uri, int offset)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Find(uri) is not { } note)
        {
            return null;
        }

        foreach (var link in note.Syntax.Links)
        {
            if (link.Span.ContainsOrTouches(offset) && OpenReviewLink.Parse(link.Url) is { } target)
            {
                return (link, target);
            }
        }

        return null;
    }

    /// <summary>The hover at the offset, or null when no OpenReview link is there.</summary>
    public static HoverResult? Hover(WorkspaceSnapshot snapshot, string uri, int offset, PaperCatalogSet catalogs, PaperHoverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        if (FindLink(snapshot, uri, offset) is not var (link, target))
        {
            return null;
        }

        var markdown = target.Kind switch
        {
            OpenReviewLinkKind.Group => Venue(target, catalogs),
            OpenReviewLinkKind.Profile => Profile(target),
            OpenReviewLinkKind.PdfFile => catalogs.FindByPdfPath(target.Id) is { } byPdf
                ? Paper(byPdf, snapshot, uri, options)
                : "**OpenReview PDF**\n\nNo catalog knows which paper this PDF belongs to.",
            _ when !OpenReviewLink.IsWellFormedNoteId(target.Id) => $"**OpenReview link**\n\n{MarkdownText.Escape(target.Id)} is not the shape of an OpenReview paper id; check the link.",
            _ => catalogs.Find(target.Id) is { } paper
                ? Paper(paper, snapshot, uri, options, target)
                : Unknown(target.Id, snapshot, uri, options),
        };
        return new HoverResult(markdown, link.Span);
    }

    /// <summary>The Markdown for a known paper.</summary>
    public static string Paper(PaperRecord paper, WorkspaceSnapshot snapshot, string uri, PaperHoverOptions? options = null, OpenReviewLink? target = null)
    {
        ArgumentNullException.ThrowIfNull(paper);
        var builder = new StringBuilder();
        builder.Append("**").Append(MarkdownText.Escape(paper.Title)).Append("**\n\n");
        if (!paper.Authors.IsDefaultOrEmpty)
        {
            builder.Append(Authors(paper)).Append("\n\n");
        }

        var venueLine = string.Join(" · ", new[] { paper.VenueName, Decisions.Label(paper.Decision) }.Where(s => !string.IsNullOrEmpty(s)).Select(MarkdownText.Escape));
        if (venueLine.Length > 0)
        {
            builder.Append(venueLine).Append("\n\n");
        }

        if (target is { Kind: OpenReviewLinkKind.Attachment, Detail: { } name })
        {
            builder.Append("Attachment: ").Append(MarkdownText.Escape(name)).Append("\n\n");
        }

        if (!string.IsNullOrWhiteSpace(paper.Tldr))
        {
            builder.Append("**TL;DR** ").Append(MarkdownText.FromSimpleHtml(paper.Tldr)).Append("\n\n");
        }

        if (!string.IsNullOrWhiteSpace(paper.Abstract))
        {
            builder.Append(MarkdownText.FromSimpleHtml(MarkdownText.Trim(paper.Abstract, MaxAbstract))).Append("\n\n");
        }

        if (!paper.Keywords.IsDefaultOrEmpty)
        {
            builder.Append("*Keywords:* ").Append(string.Join(", ", paper.Keywords.Select(MarkdownText.Escape))).Append("\n\n");
        }

        if (paper.Source == WorkspacePapers.SourceName)
        {
            builder.Append("*Known only from link text in your notes; not cached.*\n\n");
        }

        if (options?.LookupNote is { } lookup)
        {
            builder.Append('*').Append(MarkdownText.Escape(lookup)).Append("*\n\n");
        }

        AppendLinksAndCitations(builder, paper.Id, snapshot, uri);
        return builder.ToString().TrimEnd('\n');
    }

    private static string Unknown(string id, WorkspaceSnapshot snapshot, string uri, PaperHoverOptions? options)
    {
        var builder = new StringBuilder();
        builder.Append("**OpenReview paper ").Append(MarkdownText.Escape(id)).Append("**\n\n");
        builder.Append("Not in any catalog and not cached.");
        if (options?.LookupNote is { } lookup)
        {
            builder.Append(' ').Append(MarkdownText.Escape(lookup));
        }

        builder.Append("\n\n");
        AppendLinksAndCitations(builder, id, snapshot, uri);
        return builder.ToString().TrimEnd('\n');
    }

    private static void AppendLinksAndCitations(StringBuilder builder, string id, WorkspaceSnapshot snapshot, string uri)
    {
        // Ids reaching here are well formed ([A-Za-z0-9_-]), so the URLs need no escaping.
        builder.Append("[Forum](").Append(OpenReviewLink.ForumUrl(id)).Append(") · [PDF](").Append(OpenReviewLink.PdfUrlFor(id)).Append(")\n\n");
        var citing = WorkspacePapers.NotesCiting(snapshot, id, uri);
        if (citing.Length > 0)
        {
            var names = citing.Take(MaxCitingNotes).Select(u => $"[{MarkdownText.Escape(snapshot.Find(u)?.DisplayName ?? Note.FileNameOf(u))}]({MarkdownText.Destination(u)})");
            builder.Append("Also in your notes: ").Append(string.Join(", ", names));
            if (citing.Length > MaxCitingNotes)
            {
                builder.Append(CultureInfo.InvariantCulture, $" and {citing.Length - MaxCitingNotes} more");
            }

            builder.Append("\n\n");
        }
    }

    private static string Authors(PaperRecord paper)
    {
        var shown = string.Join(", ", paper.Authors.Take(MaxAuthors).Select(MarkdownText.Escape));
        return paper.Authors.Length > MaxAuthors
            ? string.Create(CultureInfo.InvariantCulture, $"{shown} and {paper.Authors.Length - MaxAuthors} more")
            : shown;
    }

    private static string Venue(OpenReviewLink target, PaperCatalogSet catalogs)
    {
        if (!OpenReviewLink.IsWellFormedVenueId(target.Id))
        {
            return "**OpenReview venue**\n\nThis is not the shape of a venue id (like ICML\\.cc/2024/Conference); check the link.";
        }

        var name = Decisions.VenueNameFromId(target.Id) ?? target.Id;
        var count = catalogs.CountInVenue(target.Id);
        var builder = new StringBuilder();
        builder.Append("**Venue: ").Append(MarkdownText.Escape(name)).Append("** `").Append(target.Id).Append("`\n\n");
        builder.Append(count switch
        {
            0 => "No papers of this venue are cached. Download them with the command **Notes: Download venue papers** (`notes.papers.downloadVenue`).",
            1 => "1 paper of this venue is cached.",
            _ => string.Create(CultureInfo.InvariantCulture, $"{count} papers of this venue are cached."),
        });
        builder.Append("\n\n[Open on OpenReview](").Append(OpenReviewLink.GroupUrl(target.Id)).Append(')');
        return builder.ToString();
    }

    private static string Profile(OpenReviewLink target) =>
        $"**OpenReview profile** {MarkdownText.Escape(target.Id)}";
}
