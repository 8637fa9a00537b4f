using System.Collections.Immutable;
using System.Text;
using NotesLsp.Papers;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Papers;

/// <summary>
/// Checks on OpenReview links (malformed ids, link text that is not the paper's title) and the paper code
/// actions: "Use the title", "Add title" for a bare URL, and "Link to paper" on a heading that names one.
/// </summary>
public static class PaperChecks
{
    public const string MalformedIdCode = "openreview-id";
    public const string TitleMismatchCode = "paper-title";
    public const string UnknownInVenueCode = "paper-unknown";
    public const string TitleDataKey = "title";

    /// <summary>
    /// Checks that need no catalog (malformed ids); part of every note's diagnostics. The links are the note's
    /// citations (<see cref="CitationIndex.Extract"/>: a text scan that agrees with the Markdown parse, see
    /// CitationScannerTests), read once per note and shared with the citation index, not scanned again here.
    /// </summary>
    public static ImmutableArray<NoteDiagnostic> Diagnostics(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var diagnostics = ImmutableArray.CreateBuilder<NoteDiagnostic>();
        foreach (var (_, link, target) in CitationIndex.Extract(note))
        {
            if (target.IsPaper && !OpenReviewLink.IsWellFormedNoteId(target.Id))
            {
                diagnostics.Add(new NoteDiagnostic(link.UrlSpan, Severity.Warning, MalformedIdCode,
                    $"'{target.Id}' is not an OpenReview paper id (7 to 14 letters, digits, '-' or '_')."));
            }
        }

        return diagnostics.ToImmutable();
    }

    /// <summary>
    /// Checks against the catalogs (which live beside the snapshot, in the server): ids a venue's cached catalog
    /// does not know, and link text that is not the paper's title.
    /// </summary>
    public static ImmutableArray<NoteDiagnostic> CatalogDiagnostics(Note note, PaperCatalogSet catalogs)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(catalogs);
        var diagnostics = ImmutableArray.CreateBuilder<NoteDiagnostic>();
        foreach (var (_, link, target) in CitationIndex.Extract(note))
        {
            if (!target.IsPaper || !OpenReviewLink.IsWellFormedNoteId(target.Id))
            {
                continue;
            }

            var paper = catalogs.Find(target.Id);
            if (paper is null && target.ReferrerVenueId is { } venueId && catalogs.CountInVenue(venueId) is var count and > 0)
            {
                diagnostics.Add(new NoteDiagnostic(link.UrlSpan, Severity.Warning, UnknownInVenueCode,
                    $"No paper {target.Id} among the {count} cached papers of {Decisions.VenueNameFromId(venueId)}, which this link says it came from; check the id."));
            }
            else if (paper is not null && paper.Source != WorkspacePapers.SourceName
                && link is { Kind: LinkKind.Inline, Label: { } label, LabelSpan: { } labelSpan }
                && !SameWords(label, paper.Title))
            {
                diagnostics.Add(new NoteDiagnostic(labelSpan, Severity.Hint, TitleMismatchCode,
                    $"The paper's title is \"{paper.Title}\".",
                    Data: ImmutableDictionary<string, string>.Empty.Add(TitleDataKey, paper.Title)));
            }
        }

        return diagnostics.ToImmutable();
    }

    /// <summary>The paper code actions for a span of a note.</summary>
    public static ImmutableArray<CodeFix> CodeActions(WorkspaceSnapshot snapshot, string uri, TextSpan span, PaperCatalogSet catalogs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(catalogs);
        if (snapshot.Find(uri) is not { } note)
        {
            return [];
        }

        var fixes = ImmutableArray.CreateBuilder<CodeFix>();
        foreach (var diagnostic in CatalogDiagnostics(note, catalogs))
        {
            if (diagnostic.Code == TitleMismatchCode && Touches(diagnostic.Span, span) && diagnostic.Data?.GetValueOrDefault(TitleDataKey) is { } title)
            {
                fixes.Add(new CodeFix("Use the title", "quickfix", WorkspaceChange.ForNote(uri, new TextEdit(diagnostic.Span, LinkText(title))), [diagnostic], IsPreferred: true));
            }
        }

        foreach (var link in note.Syntax.Links)
        {
            if (link.Kind is LinkKind.Bare or LinkKind.Autolink && Touches(link.Span, span)
                && OpenReviewLink.Parse(link.Url) is { IsPaper: true } target && catalogs.Find(target.Id) is { } paper)
            {
                fixes.Add(new CodeFix("Add title", "refactor.rewrite", WorkspaceChange.ForNote(uri, new TextEdit(link.Span, $"[{LinkText(paper.Title)}]({link.Url})")), []));
            }
        }

        // A heading that names a paper: up to three candidates, the best preferred, each written as heading
        // completion writes it.
        foreach (var heading in note.Syntax.Headings)
        {
            if (!Touches(heading.Span, span))
            {
                continue;
            }

            foreach (var (link, rank) in PaperHeadings.Candidates(note, heading, catalogs).Select((l, i) => (l, i)))
            {
                fixes.Add(new CodeFix($"Link to paper: {link.Paper.Title}", "refactor.rewrite", WorkspaceChange.ForNote(uri, link.Edit), [], IsPreferred: rank == 0));
            }
        }

        return fixes.ToImmutable();
    }

    /// <summary>Titles after bare and autolinked OpenReview paper URLs within <paramref name="span"/>, when the setting is on.</summary>
    public static ImmutableArray<InlayHintResult> InlayHints(WorkspaceSnapshot snapshot, Note note, TextSpan span, PaperCatalogSet catalogs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(catalogs);
        if (!snapshot.Settings.Papers.InlayHints)
        {
            return [];
        }

        var hints = ImmutableArray.CreateBuilder<InlayHintResult>();
        foreach (var link in note.Syntax.Links)
        {
            if (link.Kind is LinkKind.Bare or LinkKind.Autolink && Touches(link.Span, span)
                && OpenReviewLink.Parse(link.Url) is { IsPaper: true } target && catalogs.Find(target.Id) is { } paper)
            {
                var tooltip = PaperCompletion.Detail(paper);
                hints.Add(new InlayHintResult(link.Span.End, MarkdownText.Trim(paper.Title, 80), tooltip.Length == 0 ? null : MarkdownText.Escape(tooltip)));
            }
        }

        return hints.ToImmutable();
    }

    private static bool Touches(TextSpan a, TextSpan b) => a.Start <= b.End && b.Start <= a.End;

    private static string LinkText(string title) => title.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    /// <summary>True when both texts have the same words, ignoring case, punctuation and spacing.</summary>
    private static bool SameWords(string a, string b) => Normalise(a) == Normalise(b);

    private static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}
