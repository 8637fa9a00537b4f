using System.Collections.Immutable;
using NotesLsp.Papers;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Papers;

/// <summary>A paper offered for a heading: the edit that links it, in the line shape heading completion writes.</summary>
public sealed record HeadingLink(HeadingSyntax Heading, PaperRecord Paper, double Score, TextEdit Edit);

/// <summary>
/// Which paper a talk heading is about, read from the heading together with its section's own text (the bullets
/// under it, up to the next heading) against titles, abstracts and keywords, with the note's venue ranked first.
/// Feeds the "Link to paper" action (up to three candidates, the best preferred) and the command that links every
/// talk heading of a note at once (confident matches only).
/// </summary>
public static class PaperHeadings
{
    public const int MaxCandidates = 3;

    /// <summary>The least combined score at which a heading is offered a paper at all.</summary>
    private const double OfferThreshold = 0.3;

    /// <summary>How sure the linking of every heading must be: the best match's score from the heading alone...</summary>
    private const double ConfidentScore = 0.55;

    /// <summary>...and how far ahead of the second it must be.</summary>
    private const double ConfidentLead = 1.35;

    private const int MaxSectionWords = 60;

    /// <summary>The venue a note is about, from its front matter (venue, conference, title, tags) or its first heading.</summary>
    public static SearchContext? Venue(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (note.FrontMatter?.Root is { } root)
        {
            var values = new List<string>();
            foreach (var key in (ReadOnlySpan<string>)["venue", "conference", "title", "tags", "categories"])
            {
                switch (root.Find(key)?.Value)
                {
                    case YamlScalar scalar:
                        values.Add(scalar.Value);
                        break;
                    case YamlSequence sequence:
                        values.AddRange(sequence.Items.OfType<YamlScalar>().Select(s => s.Value));
                        break;
                }
            }

            if (SearchContext.FromText(string.Join(" ; ", values)) is { } fromFrontMatter)
            {
                return fromFrontMatter;
            }
        }

        return note.Syntax.Headings.FirstOrDefault() is { } first ? SearchContext.FromText(first.Text) : null;
    }

    /// <summary>Up to three papers for a heading, best first; empty when nothing matches well enough.</summary>
    public static ImmutableArray<HeadingLink> Candidates(Note note, HeadingSyntax heading, PaperCatalogSet catalogs, SearchContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(heading);
        ArgumentNullException.ThrowIfNull(catalogs);
        if (!IsLinkable(note, heading))
        {
            return [];
        }

        context ??= Venue(note);
        var byHeading = catalogs.Search(heading.Text, 10, context);
        var section = SectionText(note, heading);
        var bySection = section.Length == 0 ? [] : catalogs.Search(heading.Text + " " + section, 10, context);

        // The heading says which paper; the section's words confirm it or pick among close ones.
        var combined = new Dictionary<string, (PaperRecord Paper, double Heading, double Section)>(StringComparer.Ordinal);
        foreach (var m in byHeading)
        {
            combined[m.Paper.Id] = (m.Paper, m.Score, 0);
        }

        foreach (var m in bySection)
        {
            combined[m.Paper.Id] = combined.TryGetValue(m.Paper.Id, out var c) ? c with { Section = m.Score } : (m.Paper, 0, m.Score);
        }

        return [.. combined.Values
            .Select(c => (c.Paper, Score: (0.75 * c.Heading) + (0.35 * c.Section)))
            .Where(c => c.Score >= OfferThreshold)
            .OrderByDescending(c => c.Score)
            .ThenBy(c => Decisions.Rank(c.Paper.Decision))
            .Take(MaxCandidates)
            .Select(c => new HeadingLink(heading, c.Paper, Math.Round(c.Score, 4), LinkEdit(heading, c.Paper)))];
    }

    /// <summary>
    /// A link for every talk heading of the note whose paper is clear (confident and well ahead of the next
    /// candidate), in document order. Headings that already hold a link, and day/session headings without text of
    /// their own, are left alone.
    /// </summary>
    public static ImmutableArray<HeadingLink> LinkAll(Note note, PaperCatalogSet catalogs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(catalogs);
        var context = Venue(note);
        var links = ImmutableArray.CreateBuilder<HeadingLink>();
        foreach (var heading in note.Syntax.Headings)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsLinkable(note, heading))
            {
                continue;
            }

            var candidates = Candidates(note, heading, catalogs, context);
            var byHeading = catalogs.Search(heading.Text, 2, context);
            // In a note about one venue, only that venue's papers are linked without a look (others are offered).
            if (candidates.Length > 0 && byHeading.Length > 0 && byHeading[0].Paper.Id == candidates[0].Paper.Id
                && (context?.VenueFamily is not { } family || InVenue(candidates[0].Paper, family, context.Year))
                && byHeading[0].Score >= ConfidentScore
                && (byHeading.Length == 1 || byHeading[0].Score >= byHeading[1].Score * ConfidentLead)
                && (candidates.Length == 1 || candidates[0].Score >= candidates[1].Score * ConfidentLead))
            {
                links.Add(candidates[0]);
            }
        }

        return links.ToImmutable();
    }

    private static bool InVenue(PaperRecord paper, string family, int? year) =>
        SearchContext.FromText(paper.VenueName) is { } venue && venue.VenueFamily == family && (year is null || venue.Year == year);

    /// <summary>The heading's text replaced by <c>[Title](forum url)</c>, as heading completion writes it.</summary>
    public static TextEdit LinkEdit(HeadingSyntax heading, PaperRecord paper)
    {
        ArgumentNullException.ThrowIfNull(heading);
        ArgumentNullException.ThrowIfNull(paper);
        return new TextEdit(heading.TextSpan, PaperCompletion.TitleLink(paper));
    }

    private static bool IsLinkable(Note note, HeadingSyntax heading)
    {
        if (heading.Text.Trim().Length < 3 || heading.Text.Contains("](", StringComparison.Ordinal) || note.Syntax.Links.Any(l => heading.Span.Contains(l.Span.Start)))
        {
            return false;
        }

        // A day or session heading: nothing of its own before the next heading, which is deeper.
        var index = note.Syntax.Headings.IndexOf(heading);
        if (index >= 0 && index + 1 < note.Syntax.Headings.Length && note.Syntax.Headings[index + 1].Level > heading.Level && SectionText(note, heading).Length == 0)
        {
            return false;
        }

        return true;
    }

    /// <summary>The section's own words: from the end of the heading to the next heading, at most a few dozen words.</summary>
    private static string SectionText(Note note, HeadingSyntax heading)
    {
        var headings = note.Syntax.Headings;
        var index = headings.IndexOf(heading);
        var end = index >= 0 && index + 1 < headings.Length ? headings[index + 1].Span.Start : note.Text.Length;
        var start = Math.Min(heading.Span.End, end);
        var text = note.Text.Text.AsSpan(start, end - start);
        var words = new List<string>();
        foreach (var range in text.SplitAny(" \t\r\n"))
        {
            var word = text[range].Trim("-*+>#`$()[]{}|".AsSpan());
            if (word.Length == 0 || word.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            words.Add(word.ToString());
            if (words.Count >= MaxSectionWords)
            {
                break;
            }
        }

        return string.Join(' ', words);
    }
}
