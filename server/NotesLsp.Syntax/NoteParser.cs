using System.Buffers;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using NotesLsp.Text;

namespace NotesLsp.Syntax;

/// <summary>Parses a note: front matter by hand (so its rules are ours), the body with Markdig.</summary>
public static partial class NoteParser
{
    // One pipeline for the process: building it is far costlier than parsing a short note.
    // Precise source locations give us offsets for link URLs and labels; BareUrlParser finds bare URLs (Markdig's
    // auto-link extension reads them the same way, in time quadratic in the paragraph).
    private static readonly MarkdownPipeline Pipeline = BuildPipeline();

    private static MarkdownPipeline BuildPipeline()
    {
        var builder = new MarkdownPipelineBuilder().UsePreciseSourceLocation();
        builder.InlineParsers.Add(new BareUrlParser());
        return builder.Build();
    }

    // The same block parsers without any inline parser: the block structure (headings among it) is the full
    // pipeline's, since Markdig finds blocks before it reads inlines and no inline parser changes a block; only
    // the inline reading (emphasis, links, bare URLs), most of a note's parse, is left out.
    private static readonly MarkdownPipeline BlocksPipeline = BuildBlocksPipeline();

    private static MarkdownPipeline BuildBlocksPipeline()
    {
        var builder = new MarkdownPipelineBuilder().UsePreciseSourceLocation();
        builder.InlineParsers.Clear();
        return builder.Build();
    }

    /// <summary>
    /// Markdig refuses inlines nested more than about 10,000 deep (see <see cref="Parse(SourceText, FrontMatterSyntax?)"/>);
    /// each level takes at least one of <c>[</c>, <c>*</c>, <c>_</c>. A body with fewer of them than this cannot reach
    /// the limit, so its block structure is the full parse's.
    /// </summary>
    internal const int MaxOpenersForBlocksOnly = 8_192;

    private static readonly SearchValues<char> Openers = SearchValues.Create("[*_");

    public static NoteSyntax Parse(string text) => Parse(SourceText.From(text));

    public static NoteSyntax Parse(SourceText text, FrontMatterLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text, FrontMatterParser.Parse(text, limits));
    }

    /// <summary>Parses the body of a note whose front matter was already read (it is the cheap half, needed first).</summary>
    public static NoteSyntax Parse(SourceText text, FrontMatterSyntax? frontMatter)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bodyStart = frontMatter?.Span.End ?? 0;
        var markdown = MarkdownOf(text, bodyStart);
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig refuses inlines nested past its depth limit (thousands of `[` on one line, as a paste
            // accident or a generated file makes). That note then has no Markdown structure, rather than
            // failing every feature that asks for its syntax; its front matter and Liquid links still count.
            document = new MarkdownDocument();
        }

        var headings = ImmutableArray.CreateBuilder<HeadingSyntax>();
        var links = ImmutableArray.CreateBuilder<LinkSyntax>();
        var code = ImmutableArray.CreateBuilder<TextSpan>();
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case HeadingBlock heading:
                    headings.Add(ReadHeading(text, heading));
                    break;
                case CodeBlock block:
                    code.Add(ToSpan(block.Span, text.Length));
                    break;
                case CodeInline inline:
                    code.Add(ToSpan(inline.Span, text.Length));
                    break;
                case LinkInline link when !string.IsNullOrEmpty(link.Url):
                    links.Add(ReadLink(text, link));
                    break;
                case AutolinkInline autolink when !autolink.IsEmail:
                    {
                        var span = ToSpan(autolink.Span, text.Length);
                        var urlSpan = span.Length >= 2 ? new TextSpan(span.Start + 1, span.Length - 2) : span;
                        links.Add(new LinkSyntax(LinkKind.Autolink, autolink.Url, span, urlSpan, null, null));
                        break;
                    }
            }
        }

        var codeSpans = code.ToImmutable();
        AddLiquidLinks(text.Text, bodyStart, codeSpans, links);
        links.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        return new NoteSyntax(text, frontMatter, headings.ToImmutable(), links.ToImmutable(), codeSpans);
    }

    /// <summary>
    /// The headings of a note, exactly as <see cref="Parse(SourceText, FrontMatterSyntax?)"/> finds them, from
    /// Markdig's block parse alone (no inlines): the workspace scan needs a closed note's headings, not its links
    /// or emphasis, and the inline reading was most of the body parse's cost. A body with enough link and emphasis
    /// openers to reach Markdig's inline depth limit (on which the full parse gives no structure at all) takes the
    /// full parse, so the two always agree (HeadingsDifferentialTests).
    /// </summary>
    public static ImmutableArray<HeadingSyntax> ParseHeadings(SourceText text, FrontMatterSyntax? frontMatter)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bodyStart = frontMatter?.Span.End ?? 0;
        if (HasManyOpeners(text.Text, bodyStart))
        {
            return Parse(text, frontMatter).Headings;
        }

        var headings = ImmutableArray.CreateBuilder<HeadingSyntax>();
        if (HeadingLines.TryRead(text, bodyStart, headings))
        {
            return headings.ToImmutable();
        }

        headings.Clear();
        AddHeadings(text, Markdown.Parse(MarkdownOf(text, bodyStart), BlocksPipeline), headings);
        return headings.ToImmutable();
    }

    /// <summary>
    /// How <see cref="ParseHeadings"/> reads a note's headings: true when the line reader (<see cref="HeadingLines"/>)
    /// does, with its headings; false when the note takes Markdig's parse. For the differential tests.
    /// </summary>
    internal static bool TryReadHeadingLines(SourceText text, FrontMatterSyntax? frontMatter, out ImmutableArray<HeadingSyntax> headings)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bodyStart = frontMatter?.Span.End ?? 0;
        var builder = ImmutableArray.CreateBuilder<HeadingSyntax>();
        if (!HasManyOpeners(text.Text, bodyStart) && HeadingLines.TryRead(text, bodyStart, builder))
        {
            headings = builder.ToImmutable();
            return true;
        }

        headings = default;
        return false;
    }

    /// <summary>The headings of Markdig's block parse alone (what <see cref="ParseHeadings"/> falls back to). For the differential tests.</summary>
    internal static ImmutableArray<HeadingSyntax> ParseHeadingsWithMarkdig(SourceText text, FrontMatterSyntax? frontMatter)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bodyStart = frontMatter?.Span.End ?? 0;
        var headings = ImmutableArray.CreateBuilder<HeadingSyntax>();
        AddHeadings(text, Markdown.Parse(MarkdownOf(text, bodyStart), BlocksPipeline), headings);
        return headings.ToImmutable();
    }

    /// <summary>The headings among <paramref name="container"/>'s blocks, in document order (as <c>Descendants</c> visits them).</summary>
    private static void AddHeadings(SourceText text, ContainerBlock container, ImmutableArray<HeadingSyntax>.Builder headings)
    {
        foreach (var block in container)
        {
            if (block is HeadingBlock heading)
            {
                headings.Add(ReadHeading(text, heading));
            }
            else if (block is ContainerBlock inner)
            {
                AddHeadings(text, inner, headings);
            }
        }
    }

    /// <summary>
    /// True when the body from <paramref name="start"/> holds at least <see cref="MaxOpenersForBlocksOnly"/> of
    /// <c>[</c>, <c>*</c>, <c>_</c>. One vectorised search for the three, stopping at the limit: three full
    /// <c>Count</c>s cost 12 us a note on the 2,500 notes of the generated 10,000 longer than the limit (NativeAOT's
    /// 16-bit <c>Count</c> calls a helper per vector), 5% of the start-up scan's parsing.
    /// </summary>
    internal static bool HasManyOpeners(string text, int start)
    {
        // A body shorter than the limit cannot hold that many.
        var rest = text.AsSpan(start);
        if (rest.Length < MaxOpenersForBlocksOnly)
        {
            return false;
        }

        var count = 0;
        for (var at = rest.IndexOfAny(Openers); at >= 0; at = rest.IndexOfAny(Openers))
        {
            if (++count >= MaxOpenersForBlocksOnly)
            {
                return true;
            }

            rest = rest[(at + 1)..];
        }

        return false;
    }

    /// <summary>
    /// What Markdig reads: the note with the front matter blanked out (line breaks kept), so its offsets are the
    /// note's offsets and a `---` fence is never mistaken for a thematic break or a setext underline; then defused.
    /// </summary>
    private static string MarkdownOf(SourceText text, int bodyStart) => Defuse(bodyStart == 0 ? text.Text : BlankPrefix(text.Text, bodyStart));

    /// <summary>
    /// The text Markdig reads, with the constructs it takes superlinear time on defused; offsets are unchanged
    /// (only characters are replaced, by spaces). No real note is touched: each rule needs a shape that only
    /// generated or hostile text has.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>Markdig's block parser is quadratic in container depth: one line of 13,000 <c>&gt;</c> took a second,
    /// 100,000 took a minute (found by the pipeline fuzz tests). Container markers past
    /// <see cref="MaxContainerDepth"/> on a line become spaces.</item>
    /// <item>Depth also builds up over lines: a list nested 2,000 deep by indentation took 9 s (each line walks
    /// every open container). A list or quote marker indented past <see cref="MaxMarkerColumn"/> columns becomes
    /// spaces; its text then continues the item above.</item>
    /// <item>Markdig reads the destination of every <c>[label](</c> to the end of the run of non-blank
    /// characters when no <c>)</c> closes it: <c>[a](</c> 50,000 times on one line took 6.8 s. Of the unclosed
    /// <c>](</c> in one run, only the last can start a link (every earlier destination holds a later, unmatched
    /// <c>(</c>); past <see cref="MaxUnclosedLinkOpeners"/> of them in a run, the earlier ones' <c>(</c> become
    /// spaces.</item>
    /// </list>
    /// </remarks>
    private static string Defuse(string text)
    {
        char[]? copy = null;
        LimitNesting(text, ref copy);
        LimitUnclosedLinkOpeners(text, ref copy);
        return copy is null ? text : new string(copy);
    }

    private static void LimitNesting(string text, ref char[]? copy)
    {
        var lineStart = true;
        var depth = 0;
        var column = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                lineStart = true;
                depth = 0;
                column = 0;
                continue;
            }

            if (!lineStart)
            {
                // Only a line's start can hold markers: on to the next line break (one vectorised search, not a loop).
                var next = text.AsSpan(i).IndexOfAny('\n', '\r');
                if (next < 0)
                {
                    break;
                }

                i += next - 1;
                continue;
            }

            if (c is ' ' or '\t')
            {
                column = c == '\t' ? column + 4 - (column % 4) : column + 1;
                continue;
            }

            var markerLength = MarkerLength(text, i);
            if (markerLength == 0)
            {
                lineStart = false;
                continue;
            }

            if (++depth > MaxContainerDepth || column > MaxMarkerColumn)
            {
                copy ??= text.ToCharArray();
                Array.Fill(copy, ' ', i, markerLength);
            }

            column += markerLength;
            i += markerLength - 1;
        }
    }

    /// <summary>The length of the container marker at <paramref name="i"/>: <c>&gt;</c>, <c>-</c>/<c>*</c>/<c>+</c> or <c>1.</c>/<c>1)</c> before a space; 0 when none starts there.</summary>
    private static int MarkerLength(string text, int i)
    {
        var c = text[i];
        if (c == '>')
        {
            return 1;
        }

        if (c is '-' or '*' or '+')
        {
            return i + 1 < text.Length && text[i + 1] is ' ' or '\t' ? 1 : 0;
        }

        var end = i;
        while (end < text.Length && end - i < 9 && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return end > i && end + 1 < text.Length && text[end] is '.' or ')' && text[end + 1] is ' ' or '\t' ? end + 1 - i : 0;
    }

    private static void LimitUnclosedLinkOpeners(string text, ref char[]? copy)
    {
        // Only a run of non-blank characters holding a `](` can have unclosed openers: find those with one vectorised
        // search each, and read each such run once, as a scan of every run would (runs without one change nothing).
        List<int>? openers = null;
        var from = 0;
        while (from < text.Length)
        {
            var found = text.AsSpan(from).IndexOf("](", StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            var at = from + found;
            var runStart = at;
            while (runStart > from && !char.IsWhiteSpace(text[runStart - 1]))
            {
                runStart--;
            }

            var runEnd = at + 2;
            while (runEnd < text.Length && !char.IsWhiteSpace(text[runEnd]))
            {
                runEnd++;
            }

            // The run [runStart, runEnd): its `](` with no `)` after them, right to left.
            if (runEnd - runStart > MaxUnclosedLinkOpeners * 2)
            {
                openers ??= [];
                openers.Clear();
                for (var j = runEnd - 1; j > runStart; j--)
                {
                    if (text[j] == ')')
                    {
                        break;
                    }

                    if (text[j] == '(' && text[j - 1] == ']')
                    {
                        openers.Add(j);
                    }
                }

                if (openers.Count > MaxUnclosedLinkOpeners)
                {
                    copy ??= text.ToCharArray();
                    for (var k = 1; k < openers.Count; k++)
                    {
                        copy[openers[k]] = ' ';
                    }
                }
            }

            from = runEnd;
        }
    }

    private const int MaxMarkerColumn = 64;

    private const int MaxUnclosedLinkOpeners = 8;

    private const int MaxContainerDepth = 32;

    private static string BlankPrefix(string text, int length)
    {
        return string.Create(text.Length, (text, length), static (buffer, state) =>
        {
            state.text.AsSpan().CopyTo(buffer);
            for (var i = 0; i < state.length; i++)
            {
                if (buffer[i] is not ('\n' or '\r'))
                {
                    buffer[i] = ' ';
                }
            }
        });
    }

    private static TextSpan ToSpan(SourceSpan span, int textLength)
    {
        // Markdig's SourceSpan.End is inclusive.
        var start = Math.Clamp(span.Start, 0, textLength);
        var end = Math.Clamp(span.End + 1, start, textLength);
        return TextSpan.FromBounds(start, end);
    }

    private static HeadingSyntax ReadHeading(SourceText text, HeadingBlock heading)
    {
        var span = ToSpan(heading.Span, text.Length);
        if (heading.IsSetext)
        {
            var raw = text.Slice(span);
            // The text is every line but the underline.
            var lastBreak = raw.TrimEnd().LastIndexOfAny(['\n', '\r']);
            var content = lastBreak > 0 ? raw[..lastBreak] : raw;
            var trimmedStart = content.Length - content.TrimStart().Length;
            var textSpan = new TextSpan(span.Start + trimmedStart, content.Trim().Length);
            return new HeadingSyntax(heading.Level, NormalizeSpaces(content.Trim()), span, textSpan);
        }

        return ReadAtxHeading(text, heading.Level, span);
    }

    /// <summary>An ATX heading of <paramref name="level"/> whose span (as Markdig gives it) is <paramref name="span"/>: its text is the span less the markers.</summary>
    internal static HeadingSyntax ReadAtxHeading(SourceText text, int level, TextSpan span)
    {
        // ATX: up to three spaces, the #s, spaces, the text, an optional closing run of #s.
        var raw = text.Text.AsSpan(span.Start, span.Length);
        var i = 0;
        while (i < raw.Length && raw[i] == ' ')
        {
            i++;
        }

        while (i < raw.Length && raw[i] == '#')
        {
            i++;
        }

        while (i < raw.Length && raw[i] is ' ' or '\t')
        {
            i++;
        }

        var end = raw.Length;
        while (end > i && raw[end - 1] is ' ' or '\t' or '\r' or '\n')
        {
            end--;
        }

        var closing = end;
        while (closing > i && raw[closing - 1] == '#')
        {
            closing--;
        }

        if (closing < end && (closing == i || raw[closing - 1] is ' ' or '\t'))
        {
            end = closing;
            while (end > i && raw[end - 1] is ' ' or '\t')
            {
                end--;
            }
        }

        return new HeadingSyntax(level, raw[i..end].ToString(), span, TextSpan.FromBounds(span.Start + i, span.Start + end));
    }

    private static string NormalizeSpaces(string value) => MultipleSpaces().Replace(value, " ");

    private static LinkSyntax ReadLink(SourceText text, LinkInline link)
    {
        var span = ToSpan(link.Span, text.Length);
        if (link.IsAutoLink)
        {
            return new LinkSyntax(LinkKind.Bare, link.Url!, span, span, null, null);
        }

        var urlSpan = link.UrlSpan.IsEmpty ? span : ToSpan(link.UrlSpan, text.Length);
        TextSpan? labelSpan = link.LabelSpan.IsEmpty ? null : ToSpan(link.LabelSpan, text.Length);
        var label = labelSpan is { } l ? text.Slice(l) : link.Label;
        return new LinkSyntax(LinkKind.Inline, link.Url!, span, urlSpan, label, labelSpan);
    }

    private static void AddLiquidLinks(string text, int bodyStart, ImmutableArray<TextSpan> code, ImmutableArray<LinkSyntax>.Builder links)
    {
        if (text.IndexOf("{%", bodyStart, StringComparison.Ordinal) < 0)
        {
            return;
        }

        foreach (Match match in LiquidUrl().Matches(text, bodyStart))
        {
            var url = match.Groups["url"];
            if (code.Any(c => c.Contains(match.Index)))
            {
                continue;
            }

            links.Add(new LinkSyntax(LinkKind.Liquid, url.Value, new TextSpan(match.Index, match.Length), new TextSpan(url.Index, url.Length), null, null));
        }
    }

    [GeneratedRegex(@"\{%-?\s*[A-Za-z_][\w-]*\s+[""'](?<url>https?://[^""'\s]+)[""'][^%\n]*%\}")]
    private static partial Regex LiquidUrl();

    [GeneratedRegex(@"\s+")]
    private static partial Regex MultipleSpaces();
}
