using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NotesLsp.Papers;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Papers;

/// <summary>
/// Paper completions: titles while typing link text (<c>[dynamically comp</c>) or a heading, ids after
/// <c>openreview.net/forum?id=</c> or <c>pdf?id=</c>, and OpenReview URLs inside <c>{% linkpreview "</c>.
/// </summary>
/// <remarks>
/// The server ranks the papers, so items carry a <c>SortText</c> in rank order, a <c>FilterText</c> equal to
/// what the editor sees as typed (VS Code would otherwise drop items matched on words other than the label's
/// start), and title completions are marked incomplete so the editor asks again as the user types.
/// </remarks>
public static partial class PaperCompletion
{
    public const int MaxItems = 30;
    private const int MinQueryLength = 3;

    public static CompletionResult Complete(WorkspaceSnapshot snapshot, string uri, int offset, PaperCatalogSet catalogs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(catalogs);
        if (snapshot.Find(uri) is not { } note || offset < note.Syntax.BodyStart || offset > note.Text.Length || note.Syntax.IsInCode(Math.Max(0, offset - 1)))
        {
            return CompletionResult.None;
        }

        var text = note.Text;
        var line = text.GetLineFromOffset(offset);
        var lineStart = text.GetLineStart(line);
        var lineEnd = text.GetLineContentEnd(line);
        var before = text.Text[lineStart..offset];
        var after = text.Text[offset..lineEnd];

        if (IdContext().Match(before) is { Success: true } id)
        {
            var typed = id.Groups["id"];
            var extra = IdChars().Match(after).Length;
            return Ids(snapshot, catalogs, typed.Value, new TextSpan(lineStart + typed.Index, typed.Length + extra), uri);
        }

        if (LiquidContext().Match(before) is { Success: true } liquid)
        {
            var typed = liquid.Groups["typed"];
            return Liquid(snapshot, catalogs, typed.Value, new TextSpan(lineStart + typed.Index, typed.Length));
        }

        if (LinkTextStart(before) is { } bracket && !after.StartsWith("](", StringComparison.Ordinal))
        {
            var typed = before[(bracket + 1)..];
            var end = offset + (after.StartsWith(']') ? 1 : 0);
            var span = TextSpan.FromBounds(lineStart + bracket, end);
            return Titles(catalogs, typed, span, filterText: before[bracket..], PaperHeadings.Venue(note));
        }

        if (snapshot.Settings.Papers.CompleteInHeadings && HeadingContext().Match(before) is { Success: true } heading
            && !before.Contains("](", StringComparison.Ordinal) && !after.Contains("](", StringComparison.Ordinal))
        {
            var typed = heading.Groups["text"];
            return Titles(catalogs, typed.Value, new TextSpan(lineStart + typed.Index, typed.Length), filterText: typed.Value, PaperHeadings.Venue(note));
        }

        return CompletionResult.None;
    }

    /// <summary>The <c>detail</c> line: decision, venue, first authors.</summary>
    public static string Detail(PaperRecord paper)
    {
        ArgumentNullException.ThrowIfNull(paper);
        var authors = paper.Authors.IsDefaultOrEmpty
            ? null
            : string.Join(", ", paper.Authors.Take(3)) + (paper.Authors.Length > 3 ? ", …" : string.Empty);
        return string.Join(" · ", new[] { Decisions.Label(paper.Decision), paper.VenueName, authors }.Where(s => !string.IsNullOrEmpty(s)));
    }

    /// <summary><c>[Title](https://openreview.net/forum?id=…)</c>: what title completion and the heading actions write.</summary>
    public static string TitleLink(PaperRecord paper)
    {
        ArgumentNullException.ThrowIfNull(paper);
        return $"[{LinkText(paper.Title)}]({OpenReviewLink.ForumUrl(paper.Id)})";
    }

    private static CompletionResult Titles(PaperCatalogSet catalogs, string typed, TextSpan span, string filterText, SearchContext? context)
    {
        // Too short to search yet, but still a title being typed: an empty list marked complete would let the
        // editor filter it as the user types on and never ask again (the first letters after `## ` or `[`).
        if (typed.Trim().Length < MinQueryLength)
        {
            return new CompletionResult(IsIncomplete: true, []);
        }

        var matches = catalogs.Search(typed, MaxItems, context);
        var items = matches.Select((m, rank) => new Completion(
            Label: m.Paper.Title,
            Kind: CompletionKind.Paper,
            ReplaceSpan: span,
            NewText: TitleLink(m.Paper),
            Detail: Detail(m.Paper),
            Documentation: Documentation(m.Paper),
            FilterText: filterText,
            SortText: rank.ToString("D4", CultureInfo.InvariantCulture)));
        return new CompletionResult(IsIncomplete: true, [.. items]);
    }

    private static CompletionResult Ids(WorkspaceSnapshot snapshot, PaperCatalogSet catalogs, string typed, TextSpan span, string uri)
    {
        // Papers the notes already cite come first: the likeliest ones to link again. The link being typed
        // is not a citation yet.
        var cited = snapshot.Citations.CitedPaperIds(
            id => OpenReviewLink.IsWellFormedNoteId(id) && id.StartsWith(typed, StringComparison.Ordinal),
            c => c.Uri == uri && c.Link.Span.ContainsOrTouches(span.Start));
        var fromCatalogs = typed.Length == 0
            ? []
            : catalogs.Catalogs.SelectMany(c => c.Ids).Where(id => id.StartsWith(typed, StringComparison.Ordinal));
        var ids = cited.Concat(fromCatalogs).Distinct(StringComparer.Ordinal).Take(MaxItems).ToList();
        var items = new List<Completion>();
        foreach (var id in ids)
        {
            var paper = catalogs.Find(id);
            items.Add(new Completion(
                Label: paper?.Title ?? id,
                Kind: CompletionKind.PaperId,
                ReplaceSpan: span,
                NewText: id,
                Detail: paper is null ? id : $"{id} · {Detail(paper)}",
                Documentation: paper is null ? null : Documentation(paper),
                FilterText: id,
                SortText: items.Count.ToString("D4", CultureInfo.InvariantCulture)));
        }

        // Words after "id=" are a title search: the id replaces them.
        if (items.Count == 0 && typed.Length >= MinQueryLength)
        {
            var matches = catalogs.Search(typed, MaxItems);
            items.AddRange(matches.Select((m, rank) => new Completion(
                m.Paper.Title, CompletionKind.PaperId, span, m.Paper.Id, $"{m.Paper.Id} · {Detail(m.Paper)}", Documentation(m.Paper), typed, rank.ToString("D4", CultureInfo.InvariantCulture))));
        }

        return new CompletionResult(IsIncomplete: true, [.. items]);
    }

    private static CompletionResult Liquid(WorkspaceSnapshot snapshot, PaperCatalogSet catalogs, string typed, TextSpan span)
    {
        var items = new List<Completion>();
        if (typed.Length == 0 || typed.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            var venues = catalogs.VenueIds.Where(OpenReviewLink.IsWellFormedVenueId).Order(StringComparer.Ordinal)
                .Select(v => (Url: OpenReviewLink.GroupUrl(v), Label: $"{Decisions.VenueNameFromId(v)} (venue)", Detail: v));
            var papers = snapshot.Citations.CitedPaperIds(OpenReviewLink.IsWellFormedNoteId)
                .Select(id => (Url: OpenReviewLink.ForumUrl(id), Label: catalogs.Find(id)?.Title ?? id, Detail: id));
            // The cited papers are read lazily, first cited first, so stopping at a full page reads few notes.
            foreach (var (url, label, detail) in venues.Concat(papers))
            {
                if (items.Count >= MaxItems)
                {
                    break;
                }

                if (url.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                {
                    items.Add(new Completion(label, CompletionKind.Url, span, url, detail, null, url, items.Count.ToString("D4", CultureInfo.InvariantCulture)));
                }
            }

            return new CompletionResult(IsIncomplete: false, [.. items]);
        }

        if (typed.Trim().Length < MinQueryLength)
        {
            return CompletionResult.None;
        }

        var matches = catalogs.Search(typed, MaxItems);
        items.AddRange(matches.Select((m, rank) => new Completion(
            m.Paper.Title, CompletionKind.Url, span, OpenReviewLink.ForumUrl(m.Paper.Id), Detail(m.Paper), Documentation(m.Paper), typed, rank.ToString("D4", CultureInfo.InvariantCulture))));
        return new CompletionResult(IsIncomplete: true, [.. items]);
    }

    private static string? Documentation(PaperRecord paper)
    {
        var text = paper.Abstract ?? paper.Tldr;
        return text is null ? null : MarkdownText.Escape(MarkdownText.Trim(text, 1200));
    }

    // Brackets in a title would end the link text early; the title is otherwise inserted as it is.
    private static string LinkText(string title) => title.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    /// <summary>The index of the <c>[</c> that opens the link text being typed, or null.</summary>
    private static int? LinkTextStart(string before)
    {
        for (var i = before.Length - 1; i >= 0; i--)
        {
            switch (before[i])
            {
                case ']':
                    return null;
                case '[' when i > 0 && before[i - 1] == '\\':
                    return null;
                case '[':
                    return i;
            }
        }

        return null;
    }

    [GeneratedRegex(@"openreview\.net/(?:forum|pdf)\?(?:[^\s)""'>]*&)?id=(?<id>[A-Za-z0-9_-]*)$", RegexOptions.IgnoreCase)]
    private static partial Regex IdContext();

    [GeneratedRegex(@"^[A-Za-z0-9_-]*")]
    private static partial Regex IdChars();

    [GeneratedRegex(@"\{%-?\s*linkpreview\s+[""'](?<typed>[^""']*)$")]
    private static partial Regex LiquidContext();

    [GeneratedRegex(@"^ {0,3}#{1,6}[ \t]+(?<text>\S.*)$")]
    private static partial Regex HeadingContext();
}
