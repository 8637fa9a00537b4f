using System.Collections.Concurrent;
using System.Collections.Immutable;
using NotesLsp.Analysis.Papers;
using NotesLsp.Analysis.Tags;
using NotesLsp.Papers;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis;

/// <summary>
/// What the workspace-wide features need of one closed note, read once from its text: the title, the headings,
/// the tags (with spans, under the tag keys they were read for), the OpenReview links and the top-level front
/// matter keys, each with the line positions a result needs. This is what a closed note keeps in memory instead of
/// its text, and what the persistent index stores; the note's text is read again from disk when a request needs
/// more (rename, references, hover context).
/// </summary>
/// <param name="Title">The front matter title (see <see cref="Note.Title"/>), or null.</param>
/// <param name="TitleSpan">Where the title's YAML scalar stands; empty when there is no title.</param>
/// <param name="TitleRange">The line positions of <paramref name="TitleSpan"/>.</param>
/// <param name="BodyStart">Where the Markdown body starts (after the front matter).</param>
/// <param name="Headings">The headings, as the body parse gives them.</param>
/// <param name="HeadingRanges">The line positions of each heading's span, in the same order.</param>
/// <param name="TagKeys">The tag keys <paramref name="Tags"/> were read under.</param>
/// <param name="Tags">Every tag occurrence, in text order.</param>
/// <param name="TagRanges">The line positions of each tag occurrence's span, in the same order.</param>
/// <param name="Links">The OpenReview links (the links the citation index keeps), in text order.</param>
/// <param name="FrontMatterKeys">The top-level front matter keys as written, distinct, in order (<see cref="FrontMatter.FrontMatterKeySummary"/>).</param>
public sealed record NoteSummary(
    string? Title,
    TextSpan TitleSpan,
    LineRange TitleRange,
    int BodyStart,
    ImmutableArray<HeadingSyntax> Headings,
    ImmutableArray<LineRange> HeadingRanges,
    ImmutableArray<string> TagKeys,
    ImmutableArray<TagOccurrence> Tags,
    ImmutableArray<LineRange> TagRanges,
    ImmutableArray<LinkSyntax> Links,
    ImmutableArray<string> FrontMatterKeys)
{
    /// <summary>
    /// Reads the summary of a note (parsing its front matter and body), with tags under <paramref name="tagKeys"/>.
    /// Strings that repeat across notes (tags, heading texts) go through <paramref name="pool"/> when given, so a
    /// hundred thousand notes tagged <c>transformers</c> share one string.
    /// </summary>
    /// <param name="note">The note.</param>
    /// <param name="tagKeys">The tag keys.</param>
    /// <param name="pool">Shares repeated strings, or null.</param>
    /// <param name="withHeadings">False leaves the headings out (no Markdown body parse): the start-up scan does that for
    /// very large notes and fills them in afterwards, so one 10 MB note does not hold up the workspace.</param>
    public static NoteSummary Of(Note note, ImmutableArray<string> tagKeys, StringPool? pool = null, bool withHeadings = true)
    {
        ArgumentNullException.ThrowIfNull(note);
        var keys = tagKeys.IsDefault ? [] : tagKeys;
        var text = note.Text;
        var frontMatter = note.FrontMatter;
        var title = note.Title;
        var titleSpan = title is null ? default : frontMatter?.Root?.GetScalar("title")?.Span ?? default;
        var headings = withHeadings ? note.Headings : [];
        var headingList = ImmutableArray.CreateBuilder<HeadingSyntax>(headings.Length);
        var headingRanges = ImmutableArray.CreateBuilder<LineRange>(headings.Length);
        foreach (var heading in headings)
        {
            headingList.Add(pool is null ? heading : heading with { Text = pool.Intern(heading.Text) });
            headingRanges.Add(text.GetRange(heading.Span));
        }

        var occurrences = TagScanner.Occurrences(text, keys);
        var tags = ImmutableArray.CreateBuilder<TagOccurrence>(occurrences.Length);
        var tagRanges = ImmutableArray.CreateBuilder<LineRange>(occurrences.Length);
        foreach (var occurrence in occurrences)
        {
            tags.Add(pool is null ? occurrence : occurrence with { Key = pool.Intern(occurrence.Key), Value = pool.Intern(occurrence.Value) });
            tagRanges.Add(text.GetRange(occurrence.Span));
        }

        var links = CitationIndex.Extract(note).Select(c => c.Link).ToImmutableArray();
        var frontMatterKeys = FrontMatter.FrontMatterKeySummary.Read(note).Keys.Select(k => pool is null ? k : pool.Intern(k)).ToImmutableArray();
        return new NoteSummary(
            title,
            titleSpan,
            text.GetRange(titleSpan),
            frontMatter?.Span.End ?? 0,
            headingList.MoveToImmutable(),
            headingRanges.MoveToImmutable(),
            keys,
            tags.MoveToImmutable(),
            tagRanges.MoveToImmutable(),
            links,
            frontMatterKeys);
    }

    /// <summary>The distinct tags, in order of first appearance (what <see cref="TagIndex"/> keeps of a note).</summary>
    public ImmutableArray<TagKey> DistinctTags()
    {
        if (Tags.IsEmpty)
        {
            return [];
        }

        var distinct = ImmutableArray.CreateBuilder<TagKey>(Tags.Length);
        foreach (var occurrence in Tags)
        {
            var tag = new TagKey(occurrence.Key, occurrence.Value);
            if (!distinct.Contains(tag))
            {
                distinct.Add(tag);
            }
        }

        return distinct.ToImmutable();
    }

    /// <summary>The citations of the note at <paramref name="uri"/>, read from <see cref="Links"/> as the citation index reads links.</summary>
    public ImmutableArray<PaperCitation> CitationsFor(string uri)
    {
        if (Links.IsEmpty)
        {
            return [];
        }

        var citations = ImmutableArray.CreateBuilder<PaperCitation>(Links.Length);
        foreach (var link in Links)
        {
            if (OpenReviewLink.Parse(link.Url) is { } target)
            {
                citations.Add(new PaperCitation(uri, link, target));
            }
        }

        return citations.DrainToImmutable();
    }
}

/// <summary>A thread-safe pool of equal strings (for one scan; dropping the pool lets unused strings go).</summary>
public sealed class StringPool
{
    private readonly ConcurrentDictionary<string, string> strings = new(StringComparer.Ordinal);

    public string Intern(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return strings.GetOrAdd(value, value);
    }
}
