using System.Collections.Concurrent;
using System.Collections.Immutable;
using NotesLsp.Analysis.Papers;
using NotesLsp.Analysis.Tags;
using NotesLsp.Papers;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis;

/// <summary>One heading of a summarised note, with the line positions of its span: a value in the summary's one array (no object per heading).</summary>
/// <param name="Level">1 to 6.</param>
/// <param name="Text">The heading's text (shared with equal headings of other notes).</param>
/// <param name="Span">The heading's whole line(s).</param>
/// <param name="TextSpan">Where the text stands.</param>
/// <param name="Range">The line positions of <paramref name="Span"/>.</param>
public readonly record struct SummaryHeading(int Level, string Text, TextSpan Span, TextSpan TextSpan, LineRange Range)
{
    /// <summary>The heading as the body parse gives it (made on each call).</summary>
    public HeadingSyntax ToSyntax() => new(Level, Text, Span, TextSpan);
}

/// <summary>One tag occurrence of a summarised note, with the line positions of its span: a value in the summary's one array.</summary>
/// <param name="Key">The tag key it was read under (shared).</param>
/// <param name="Value">The tag (shared with equal tags of other notes).</param>
/// <param name="Span">The tag as written.</param>
/// <param name="Quote">How it is quoted.</param>
/// <param name="Range">The line positions of <paramref name="Span"/>.</param>
public readonly record struct SummaryTag(string Key, string Value, TextSpan Span, TagQuote Quote, LineRange Range)
{
    /// <summary>The occurrence as <see cref="TagScanner"/> gives it (made on each call).</summary>
    public TagOccurrence ToOccurrence() => new(Key, Value, Span, Quote);
}

/// <summary>
/// What the workspace-wide features need of one closed note, read once from its text: the title, the headings,
/// the tags (with spans, under the tag keys they were read for), the OpenReview links and the top-level front
/// matter keys, each with the line positions a result needs. This is what a closed note keeps in memory instead of
/// its text, and what the persistent index stores; the note's text is read again from disk when a request needs
/// more (rename, references, hover context).
/// </summary>
/// <remarks>
/// Compact on purpose (a hundred thousand of these are the server's memory): headings and tags are one array of
/// values each, span and line range side by side, not an object per heading or tag plus a parallel array of
/// ranges; strings that repeat across notes (heading texts, tags, keys, link URLs and labels) are shared through a
/// <see cref="StringPool"/>. Callers that want the syntax objects (<see cref="HeadingSyntax"/>,
/// <see cref="TagOccurrence"/>) make them on demand.
/// </remarks>
/// <param name="Title">The front matter title (see <see cref="Note.Title"/>), or null.</param>
/// <param name="TitleSpan">Where the title's YAML scalar stands; empty when there is no title.</param>
/// <param name="TitleRange">The line positions of <paramref name="TitleSpan"/>.</param>
/// <param name="BodyStart">Where the Markdown body starts (after the front matter).</param>
/// <param name="Headings">The headings, as the body parse gives them, with their line positions.</param>
/// <param name="TagKeys">The tag keys <paramref name="Tags"/> were read under.</param>
/// <param name="Tags">Every tag occurrence, in text order, with its line positions.</param>
/// <param name="Links">The OpenReview links (the links the citation index keeps), in text order.</param>
/// <param name="FrontMatterKeys">The top-level front matter keys as written, distinct, in order (<see cref="FrontMatter.FrontMatterKeySummary"/>).</param>
public sealed record NoteSummary(
    string? Title,
    TextSpan TitleSpan,
    LineRange TitleRange,
    int BodyStart,
    ImmutableArray<SummaryHeading> Headings,
    ImmutableArray<string> TagKeys,
    ImmutableArray<SummaryTag> Tags,
    ImmutableArray<LinkSyntax> Links,
    ImmutableArray<string> FrontMatterKeys)
{
    /// <summary>
    /// Reads the summary of a note (parsing its front matter and body), with tags under <paramref name="tagKeys"/>.
    /// Strings that repeat across notes (tags, heading texts, link URLs) go through <paramref name="pool"/> when
    /// given, so a hundred thousand notes tagged <c>transformers</c> share one string.
    /// </summary>
    /// <param name="note">The note.</param>
    /// <param name="tagKeys">The tag keys.</param>
    /// <param name="pool">Shares repeated strings, or null.</param>
    /// <param name="withHeadings">False leaves the headings out (no Markdown body parse): the start-up scan does that for
    /// very large notes and fills them in afterwards, so one 10 MB note does not hold up the workspace.</param>
    public static NoteSummary Of(Note note, ImmutableArray<string> tagKeys, StringPool? pool = null, bool withHeadings = true)
    {
        ArgumentNullException.ThrowIfNull(note);
        var frontMatter = note.FrontMatter;
        var citations = CitationIndex.Extract(note);
        var links = ImmutableArray.CreateBuilder<LinkSyntax>(citations.Length);
        foreach (var citation in citations)
        {
            links.Add(citation.Link);
        }

        return Build(note.Text, frontMatter, withHeadings ? note.ReadHeadings() : [], links.MoveToImmutable(), linksPooled: false, tagKeys, pool);
    }

    /// <summary>
    /// <see cref="Of(Note, ImmutableArray{string}, StringPool?, bool)"/> of a note's text that is read once and not
    /// kept (the start-up scan): the same readers over the same text, without a <see cref="Note"/> and the memos it
    /// keeps (three lazies, the citations with their targets) that the scan dropped at once. SummaryOfTextTests
    /// compares the two.
    /// </summary>
    public static NoteSummary OfText(SourceText text, ImmutableArray<string> tagKeys, StringPool? pool = null, bool withHeadings = true) =>
        OfText(text, tagKeys, pool, withHeadings, out _);

    /// <summary><see cref="OfText(SourceText, ImmutableArray{string}, StringPool?, bool)"/>, with what each of <see cref="Links"/> points at.</summary>
    internal static NoteSummary OfText(SourceText text, ImmutableArray<string> tagKeys, StringPool? pool, bool withHeadings, out ImmutableArray<OpenReviewLink> targets)
    {
        ArgumentNullException.ThrowIfNull(text);
        var frontMatter = FrontMatterParser.Parse(text);
        var headings = withHeadings ? NoteParser.ParseHeadings(text, frontMatter) : [];

        // The scanner takes the URLs and labels from the pool itself (Build then has nothing to pool).
        var found = CitationScanner.ScanWithTargets(text.Text, frontMatter?.Span.End ?? 0, pool);
        var links = ImmutableArray.CreateBuilder<LinkSyntax>(found.Length);
        var pointed = ImmutableArray.CreateBuilder<OpenReviewLink>(found.Length);
        foreach (var (link, target) in found)
        {
            links.Add(link);
            pointed.Add(target);
        }

        targets = pointed.MoveToImmutable();
        return Build(text, frontMatter, headings, links.MoveToImmutable(), linksPooled: true, tagKeys, pool);
    }

    /// <summary>The summary from what was read of the text: the front matter, the headings and the OpenReview links.</summary>
    private static NoteSummary Build(
        SourceText text, FrontMatterSyntax? frontMatter, ImmutableArray<HeadingSyntax> headings, ImmutableArray<LinkSyntax> links, bool linksPooled, ImmutableArray<string> tagKeys, StringPool? pool)
    {
        var keys = tagKeys.IsDefault ? [] : tagKeys;
        var title = Note.TitleOf(frontMatter);
        var titleSpan = title is null ? default : frontMatter?.Root?.GetScalar("title")?.Span ?? default;
        var headingList = ImmutableArray.CreateBuilder<SummaryHeading>(headings.Length);
        foreach (var heading in headings)
        {
            headingList.Add(new SummaryHeading(heading.Level, Pooled(pool, heading.Text), heading.Span, heading.TextSpan, text.GetRange(heading.Span)));
        }

        // The tags of the front matter block already found (TagScanner.Occurrences would look for it again).
        var occurrences = frontMatter is null ? [] : TagScanner.Occurrences(text, frontMatter.Content, keys);
        var tags = ImmutableArray.CreateBuilder<SummaryTag>(occurrences.Length);
        foreach (var occurrence in occurrences)
        {
            tags.Add(new SummaryTag(Pooled(pool, occurrence.Key), Pooled(pool, occurrence.Value), occurrence.Span, occurrence.Quote, text.GetRange(occurrence.Span)));
        }

        if (pool is not null && !linksPooled && !links.IsEmpty)
        {
            var pooledLinks = ImmutableArray.CreateBuilder<LinkSyntax>(links.Length);
            foreach (var link in links)
            {
                pooledLinks.Add(link with { Url = pool.Intern(link.Url), Label = link.Label is { } label ? pool.Intern(label) : null });
            }

            links = pooledLinks.MoveToImmutable();
        }

        var read = FrontMatter.FrontMatterKeySummary.Read(text, frontMatter).Keys;
        var frontMatterKeys = pool is not null ? pool.InternList(read) : read;
        return new NoteSummary(
            title,
            titleSpan,
            text.GetRange(titleSpan),
            frontMatter?.Span.End ?? 0,
            headingList.MoveToImmutable(),
            keys,
            tags.MoveToImmutable(),
            links,
            frontMatterKeys);
    }

    /// <summary>The headings as the body parse gives them (made on each call: the summary keeps values, not these objects).</summary>
    public ImmutableArray<HeadingSyntax> HeadingSyntaxes()
    {
        var result = ImmutableArray.CreateBuilder<HeadingSyntax>(Headings.Length);
        foreach (var heading in Headings)
        {
            result.Add(heading.ToSyntax());
        }

        return result.MoveToImmutable();
    }

    /// <summary>The tag occurrences as <see cref="TagScanner.Occurrences"/> gives them (made on each call).</summary>
    public ImmutableArray<TagOccurrence> TagOccurrences()
    {
        var result = ImmutableArray.CreateBuilder<TagOccurrence>(Tags.Length);
        foreach (var tag in Tags)
        {
            result.Add(tag.ToOccurrence());
        }

        return result.MoveToImmutable();
    }

    private static string Pooled(StringPool? pool, string value) => pool is null ? value : pool.Intern(value);

    /// <summary>The distinct tags, in order of first appearance (what <see cref="TagIndex"/> keeps of a note).</summary>
    public ImmutableArray<TagKey> DistinctTags() => TagIndex.DistinctInOrder(Tags.Select(t => new TagKey(t.Key, t.Value)), Tags.Length);

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
    private readonly ConcurrentDictionary<string, string> strings;
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    private readonly ConcurrentDictionary<string, ImmutableArray<string>> lists = new(StringComparer.Ordinal);

    public StringPool()
    {
        strings = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        bySpan = strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Intern(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return strings.GetOrAdd(value, value);
    }

    /// <summary>
    /// The pooled list equal to <paramref name="values"/> (its strings pooled too): most notes of a workspace write
    /// the same front matter keys in the same order, and share one array of them.
    /// </summary>
    public ImmutableArray<string> InternList(ImmutableArray<string> values)
    {
        if (values.IsDefaultOrEmpty)
        {
            return [];
        }

        // No YAML key holds a NUL (a file with one is not indexed), so the joined form names the list.
        var name = string.Join('\0', values);
        if (lists.TryGetValue(name, out var known))
        {
            return known;
        }

        var pooled = values.Select(Intern).ToImmutableArray();
        return lists.GetOrAdd(name, pooled);
    }

    /// <summary>The pooled string equal to <paramref name="value"/>; a string is made only the first time (decoding an index allocates nothing for repeats).</summary>
    public string Intern(ReadOnlySpan<char> value)
    {
        if (bySpan.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        var made = value.ToString();
        return strings.GetOrAdd(made, made);
    }
}
