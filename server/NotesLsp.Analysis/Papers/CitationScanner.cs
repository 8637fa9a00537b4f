using System.Buffers;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NotesLsp.Papers;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Papers;

/// <summary>
/// Finds the OpenReview links of a note's body by scanning its text, without the Markdig parse: the citation
/// index reads every note of the workspace, and the body parse costs about ten times as much as this scan.
/// </summary>
/// <remarks>
/// It looks only where <c>openreview.net</c> occurs, and then decides which link form holds it the way the
/// note parser (Markdig with auto-links, plus Liquid tags) would: <c>[label](url)</c>, <c>&lt;url&gt;</c>,
/// <c>{% tag "url" %}</c> or a bare URL. Fenced code blocks (<c>```</c>, <c>~~~</c>) and inline code spans are
/// skipped. Rarer constructs it does not model (indented code blocks, reference-style links, HTML blocks,
/// <c>[label](&lt;url&gt;)</c>) can make it differ from the parse; the spans it reports are the parse's spans
/// on well-formed notes, which CitationScannerTests checks against the parser.
/// </remarks>
public static partial class CitationScanner
{
    private const string Host = "openreview.net";

    /// <summary>
    /// The host, matched as <see cref="StringComparison.OrdinalIgnoreCase"/> matches it, by one vectorised search.
    /// (<c>string.IndexOf(..., OrdinalIgnoreCase)</c> compares character by character under invariant globalization,
    /// which the server runs with: it was the largest single cost of indexing a workspace.)
    /// </summary>
    private static readonly SearchValues<string> HostSearch = SearchValues.Create([Host], StringComparison.OrdinalIgnoreCase);

    /// <summary>The OpenReview links of the text after <paramref name="bodyStart"/>, in text order.</summary>
    public static ImmutableArray<LinkSyntax> Scan(string text, int bodyStart)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = ScanWithTargets(text, bodyStart);
        if (found.IsEmpty)
        {
            return [];
        }

        var links = ImmutableArray.CreateBuilder<LinkSyntax>(found.Length);
        foreach (var (link, _) in found)
        {
            links.Add(link);
        }

        return links.MoveToImmutable();
    }

    /// <summary>
    /// <see cref="Scan"/> with what each link points at: every link the scan keeps is one that
    /// <see cref="OpenReviewLink.Parse"/> reads, so its result is handed on instead of being parsed again.
    /// </summary>
    /// <remarks>
    /// With a <paramref name="pool"/>, the URLs and labels are the pool's strings, looked up by their span: a note's
    /// links repeat across notes (the same papers, "forum", "OpenReview forum"), and the start-up scan pooled each
    /// string it had just made.
    /// </remarks>
    internal static ImmutableArray<(LinkSyntax Link, OpenReviewLink Target)> ScanWithTargets(string text, int bodyStart, StringPool? pool = null)
    {
        var first = IndexOfHost(text, bodyStart);
        if (first < 0)
        {
            return [];
        }

        var code = CodeRanges(text, bodyStart);
        var links = ImmutableArray.CreateBuilder<(LinkSyntax Link, OpenReviewLink Target)>();
        var definitions = Definitions(text, bodyStart, code, pool);
        if (definitions.Count > 0)
        {
            References(text, bodyStart, code, definitions, links, pool);
        }

        var searchFrom = first;
        var lastEnd = bodyStart;
        while (searchFrom < text.Length)
        {
            var at = IndexOfHost(text, searchFrom);
            if (at < 0)
            {
                break;
            }

            searchFrom = at + Host.Length;
            if (UrlStart(text, at, bodyStart) is not { } start || start < lastEnd || InCode(code, start))
            {
                continue;
            }

            if (Read(text, start, bodyStart, pool) is { } link && OpenReviewLink.Parse(link.Url) is { } target)
            {
                links.Add((link, target));
                lastEnd = link.Kind == LinkKind.Inline ? link.Span.End : link.UrlSpan.End;
                searchFrom = Math.Max(searchFrom, lastEnd);
            }
        }

        if (definitions.Count > 0)
        {
            links.Sort((a, b) => a.Link.Span.Start.CompareTo(b.Link.Span.Start));
        }

        return links.DrainToImmutable();
    }

    /// <summary>Where the host next occurs at or after <paramref name="from"/> (ignoring case), or -1.</summary>
    internal static int IndexOfHost(string text, int from)
    {
        var at = text.AsSpan(from).IndexOfAny(HostSearch);
        return at < 0 ? -1 : from + at;
    }

    /// <summary>
    /// The OpenReview link reference definitions (<c>[r1]: https://openreview.net/...</c>) by normalized label,
    /// the first definition of a label winning. Their lines join the code ranges: a definition is not a link.
    /// </summary>
    private static Dictionary<string, (string Url, TextSpan UrlSpan, OpenReviewLink Target)> Definitions(string text, int bodyStart, List<(int Start, int End)> code, StringPool? pool)
    {
        var definitions = new Dictionary<string, (string Url, TextSpan UrlSpan, OpenReviewLink Target)>(StringComparer.Ordinal);
        if (text.IndexOf("]:", bodyStart, StringComparison.Ordinal) < 0)
        {
            return definitions;
        }

        // The matches are enumerated as positions (a Match with its groups and their strings was most of what a note
        // with references allocated here); DefinitionParts reads the groups of each from the text.
        var lines = new List<(int Start, int End)>();
        foreach (var match in Definition().EnumerateMatches(text, bodyStart))
        {
            if (InCode(code, match.Index))
            {
                continue;
            }

            lines.Add((match.Index, match.Index + match.Length));
            // Markdig's URL span of a definition keeps the angle brackets of <url>; its URL does not.
            var (label, url) = DefinitionParts(text, match.Index);
            var trimmed = text.AsSpan(url.Start, url.Length).Trim("<>");
            var value = pool is null ? trimmed.ToString() : pool.Intern(trimmed);
            if (OpenReviewLink.Parse(value) is { } target)
            {
                definitions.TryAdd(NormalizeLabel(text.AsSpan(label.Start, label.Length)), (value, url, target));
            }
        }

        code.AddRange(lines);
        return definitions;
    }

    /// <summary>
    /// The <c>label</c> and <c>url</c> groups of the <see cref="Definition"/> match at <paramref name="index"/>, read
    /// as the pattern reads them: up to three spaces and <c>[</c>; the label up to the first <c>]</c> (it holds no
    /// <c>]</c>), then <c>]:</c> and spaces or tabs; the URL either <c>&lt;...&gt;</c> up to the first <c>&gt;</c> (the
    /// first alternative, which holds neither white space nor <c>&gt;</c>), or the run of characters that are neither
    /// white space (<c>\s</c> is <see cref="char.IsWhiteSpace(char)"/>) nor <c>&lt;</c> nor <c>&gt;</c>.
    /// </summary>
    private static (TextSpan Label, TextSpan Url) DefinitionParts(string text, int index)
    {
        var labelStart = text.IndexOf('[', index) + 1;
        var labelEnd = text.IndexOf(']', labelStart);
        var urlStart = labelEnd + 2;
        while (text[urlStart] is ' ' or '\t')
        {
            urlStart++;
        }

        int urlEnd;
        if (text[urlStart] == '<')
        {
            urlEnd = text.IndexOf('>', urlStart) + 1;
        }
        else
        {
            urlEnd = urlStart;
            while (urlEnd < text.Length && !char.IsWhiteSpace(text[urlEnd]) && text[urlEnd] is not ('<' or '>'))
            {
                urlEnd++;
            }
        }

        return (TextSpan.FromBounds(labelStart, labelEnd), TextSpan.FromBounds(urlStart, urlEnd));
    }

    /// <summary>
    /// Every <see cref="Definition"/> match after <paramref name="bodyStart"/> as this scanner reads it (<see cref="DefinitionParts"/>,
    /// the label normalised from its span) or, with <paramref name="fromGroups"/>, as the match's groups give it (the
    /// reading it replaced, with <see cref="NormalizeLabel(string)"/>): the label span, the URL span, the URL without its
    /// angle brackets and the normalised label. For the differential tests.
    /// </summary>
    internal static List<(TextSpan Label, TextSpan Url, string Value, string Normalized)> DefinitionReadings(string text, int bodyStart, bool fromGroups)
    {
        var readings = new List<(TextSpan Label, TextSpan Url, string Value, string Normalized)>();
        if (fromGroups)
        {
            foreach (Match match in Definition().Matches(text, bodyStart))
            {
                var label = match.Groups["label"];
                var url = match.Groups["url"];
                readings.Add((new TextSpan(label.Index, label.Length), new TextSpan(url.Index, url.Length), url.Value.Trim('<', '>'), NormalizeLabel(label.Value)));
            }

            return readings;
        }

        foreach (var match in Definition().EnumerateMatches(text, bodyStart))
        {
            var (label, url) = DefinitionParts(text, match.Index);
            readings.Add((label, url, text.AsSpan(url.Start, url.Length).Trim("<>").ToString(), NormalizeLabel(text.AsSpan(label.Start, label.Length))));
        }

        return readings;
    }

    /// <summary>A reference label as Markdig matches it: trimmed, inner white space collapsed, case folded.</summary>
    private static string NormalizeLabel(string label) => string.Join(' ', label.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    /// <summary><see cref="NormalizeLabel(string)"/> of a span, made in a stack buffer when it fits (one string, the result).</summary>
    private static string NormalizeLabel(ReadOnlySpan<char> label)
    {
        if (label.Length > LabelBuffer)
        {
            return NormalizeLabel(label.ToString());
        }

        Span<char> buffer = stackalloc char[LabelBuffer];
        var length = CollapseWhiteSpace(label, buffer);
        Span<char> upper = stackalloc char[length];
        buffer[..length].ToUpperInvariant(upper);
        return upper.ToString();
    }

    /// <summary>Labels up to this long are normalised in a stack buffer.</summary>
    private const int LabelBuffer = 128;

    /// <summary>The words of <paramref name="label"/> (split at white space) written to <paramref name="buffer"/> with one space between them; returns the length.</summary>
    private static int CollapseWhiteSpace(ReadOnlySpan<char> label, Span<char> buffer)
    {
        var length = 0;
        var gap = false;
        foreach (var c in label)
        {
            if (char.IsWhiteSpace(c))
            {
                gap = length > 0;
                continue;
            }

            if (gap)
            {
                buffer[length++] = ' ';
                gap = false;
            }

            buffer[length++] = c;
        }

        return length;
    }

    /// <summary>Adds the uses of the definitions: <c>[text][label]</c>, <c>[label][]</c> and <c>[label]</c>.</summary>
    private static void References(
        string text, int bodyStart, List<(int Start, int End)> code, Dictionary<string, (string Url, TextSpan UrlSpan, OpenReviewLink Target)> definitions,
        ImmutableArray<(LinkSyntax Link, OpenReviewLink Target)>.Builder links, StringPool? pool)
    {
        var byLabel = definitions.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[LabelBuffer];
        var open = text.IndexOf('[', bodyStart);
        while (open >= 0)
        {
            var close = text.IndexOf(']', open + 1);
            if (close < 0)
            {
                break;
            }

            var inner = text.AsSpan(open + 1, close - open - 1);
            if (inner.Contains('[') || inner.Contains('\n') || (open > bodyStart && text[open - 1] == '\\') || InCode(code, open)
                || !TryGetDefinition(definitions, byLabel, inner, buffer, out var url))
            {
                open = text.IndexOf('[', open + 1);
                continue;
            }

            LinkSyntax? link = null;
            var after = close + 1 < text.Length ? text[close + 1] : '\n';
            if (open > bodyStart && text[open - 1] == ']')
            {
                // [text][label]: the link text is the bracket before. Markdig reports the reference label as the
                // label here (so `[source][r1]` titles nothing), and this keeps to it.
                if (LabelOpen(text, open - 1, bodyStart) is { } textOpen)
                {
                    link = Reference(textOpen, close + 1, url, Cut(text, open + 1, close, pool), TextSpan.FromBounds(open + 1, close), text, bodyStart);
                }
            }
            else if (after == '[' && close + 2 < text.Length && text[close + 2] == ']')
            {
                link = Reference(open, close + 3, url, Cut(text, open + 1, close, pool), TextSpan.FromBounds(open + 1, close), text, bodyStart);
            }
            else if (after is not ('(' or '[' or ':'))
            {
                // A shortcut reference has a label but, in Markdig, no label span.
                link = Reference(open, close + 1, url, Cut(text, open + 1, close, pool), null, text, bodyStart);
            }

            if (link is not null)
            {
                links.Add((link, url.Target));
            }

            open = text.IndexOf('[', close + 1);
        }
    }

    /// <summary>
    /// The definition whose label <paramref name="inner"/> matches (<see cref="NormalizeLabel"/>), normalised into
    /// <paramref name="buffer"/> when it fits, so that the brackets of a note (most of them no reference) allocate nothing.
    /// </summary>
    private static bool TryGetDefinition(
        Dictionary<string, (string Url, TextSpan UrlSpan, OpenReviewLink Target)> definitions,
        Dictionary<string, (string Url, TextSpan UrlSpan, OpenReviewLink Target)>.AlternateLookup<ReadOnlySpan<char>> byLabel,
        ReadOnlySpan<char> inner, Span<char> buffer, out (string Url, TextSpan UrlSpan, OpenReviewLink Target) definition)
    {
        if (inner.Length > buffer.Length)
        {
            return definitions.TryGetValue(NormalizeLabel(inner.ToString()), out definition);
        }

        // As NormalizeLabel: the words (split at white space), one space between them, then upper-cased invariantly.
        var length = CollapseWhiteSpace(inner, buffer);
        Span<char> upper = stackalloc char[length];
        buffer[..length].ToUpperInvariant(upper);
        return byLabel.TryGetValue(upper, out definition);
    }

    /// <summary>A reference link: its URL and URL span are the definition's, as in Markdig.</summary>
    private static LinkSyntax Reference(int open, int end, (string Url, TextSpan UrlSpan, OpenReviewLink Target) definition, string label, TextSpan? labelSpan, string text, int bodyStart)
    {
        var start = open > bodyStart && text[open - 1] == '!' ? open - 1 : open;
        return new LinkSyntax(LinkKind.Inline, definition.Url, TextSpan.FromBounds(start, end), definition.UrlSpan, label, labelSpan);
    }

    /// <summary>Where the URL holding the host at <paramref name="at"/> starts (its scheme), or null when it has none.</summary>
    private static int? UrlStart(string text, int at, int bodyStart)
    {
        var start = at;
        if (start - 4 >= bodyStart && string.Compare(text, start - 4, "www.", 0, 4, StringComparison.OrdinalIgnoreCase) == 0)
        {
            start -= 4;
        }

        foreach (var scheme in (ReadOnlySpan<string>)["https://", "http://"])
        {
            if (start - scheme.Length >= bodyStart && string.Compare(text, start - scheme.Length, scheme, 0, scheme.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return start - scheme.Length;
            }
        }

        return null;
    }

    /// <summary>The text from <paramref name="start"/> to <paramref name="end"/>: the pool's string when there is a pool.</summary>
    private static string Cut(string text, int start, int end, StringPool? pool) => pool is null ? text[start..end] : pool.Intern(text.AsSpan(start, end - start));

    private static LinkSyntax? Read(string text, int start, int bodyStart, StringPool? pool)
    {
        var before = start > bodyStart ? text[start - 1] : '\n';
        if (before == '(' && start - 2 >= bodyStart && text[start - 2] == ']')
        {
            return Inline(text, start, bodyStart, pool);
        }

        if (before == '<')
        {
            var close = start;
            while (close < text.Length && text[close] is not ('>' or '<') && !char.IsWhiteSpace(text[close]))
            {
                close++;
            }

            return close < text.Length && text[close] == '>'
                ? new LinkSyntax(LinkKind.Autolink, Cut(text, start, close, pool), TextSpan.FromBounds(start - 1, close + 1), TextSpan.FromBounds(start, close), null, null)
                : null;
        }

        if (before is '"' or '\'')
        {
            return Liquid(text, start, bodyStart, pool);
        }

        return before is ' ' or '\t' or '\n' or '\r' or '*' or '_' or '~' or '(' ? Bare(text, start, pool) : null;
    }

    /// <summary>A <c>[label](url)</c> link whose URL starts at <paramref name="start"/>.</summary>
    private static LinkSyntax? Inline(string text, int start, int bodyStart, StringPool? pool)
    {
        // The destination runs to white space or to the parenthesis that closes it (nested ones must balance).
        var end = start;
        var depth = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            var c = text[end];
            if (c == '\\' && end + 1 < text.Length)
            {
                end += 2;
                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }

            end++;
        }

        // An optional title, then the closing parenthesis.
        var close = SkipSpaces(text, end);
        if (close < text.Length && text[close] is '"' or '\'' or '(')
        {
            var quote = text[close] == '(' ? ')' : text[close];
            var titleEnd = text.IndexOf(quote, close + 1);
            if (titleEnd < 0)
            {
                return null;
            }

            close = SkipSpaces(text, titleEnd + 1);
        }

        if (close >= text.Length || text[close] != ')')
        {
            return null;
        }

        var labelClose = start - 2;
        var labelOpen = LabelOpen(text, labelClose, bodyStart);
        if (labelOpen is not { } open)
        {
            return null;
        }

        var spanStart = open > bodyStart && text[open - 1] == '!' ? open - 1 : open;
        // Markdig reports no label for link text that holds brackets of its own (or none); neither does this.
        var labelText = text.AsSpan(open + 1, labelClose - open - 1);
        string? label = null;
        TextSpan? labelSpan = null;
        if (labelText.Length > 0 && labelText.IndexOfAny('[', ']') < 0)
        {
            (label, labelSpan) = (Cut(text, open + 1, labelClose, pool), TextSpan.FromBounds(open + 1, labelClose));
        }

        return new LinkSyntax(LinkKind.Inline, Cut(text, start, end, pool), TextSpan.FromBounds(spanStart, close + 1), TextSpan.FromBounds(start, end), label, labelSpan);
    }

    private static int SkipSpaces(string text, int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t')
        {
            at++;
        }

        return at;
    }

    /// <summary>The <c>[</c> matching the <c>]</c> at <paramref name="close"/>, within one paragraph; null when none.</summary>
    private static int? LabelOpen(string text, int close, int bodyStart)
    {
        var depth = 0;
        for (var i = close - 1; i >= bodyStart; i--)
        {
            var c = text[i];
            if (i > bodyStart && text[i - 1] == '\\' && c is '[' or ']')
            {
                i--;
                continue;
            }

            switch (c)
            {
                case ']':
                    depth++;
                    break;
                case '[' when depth == 0:
                    return i;
                case '[':
                    depth--;
                    break;
                case '\n' when IsBlankLineBefore(text, i, bodyStart):
                    return null;
            }
        }

        return null;
    }

    // True when the line ending at the line break at `at` is blank (a paragraph boundary).
    private static bool IsBlankLineBefore(string text, int at, int bodyStart)
    {
        for (var i = at - 1; i >= bodyStart; i--)
        {
            switch (text[i])
            {
                case '\n':
                    return true;
                case ' ' or '\t' or '\r':
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>A bare URL: it runs to white space or <c>&lt;</c>, less trailing punctuation and unbalanced closing parentheses.</summary>
    private static LinkSyntax? Bare(string text, int start, StringPool? pool)
    {
        var end = start;
        while (end < text.Length && text[end] != '<' && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        while (end > start)
        {
            var last = text[end - 1];
            if (last is '?' or '!' or '.' or ',' or ':' or '*' or '_' or '~' or '"' or '\'')
            {
                end--;
            }
            else if (last == ')' && Count(text, start, end, ')') > Count(text, start, end, '('))
            {
                end--;
            }
            else
            {
                break;
            }
        }

        var span = TextSpan.FromBounds(start, end);
        return new LinkSyntax(LinkKind.Bare, Cut(text, start, end, pool), span, span, null, null);
    }

    private static int Count(string text, int start, int end, char c)
    {
        var count = 0;
        for (var i = start; i < end; i++)
        {
            if (text[i] == c)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>A <c>{% tag "url" ... %}</c> whose URL starts at <paramref name="start"/> (the parser's Liquid rule).</summary>
    private static LinkSyntax? Liquid(string text, int start, int bodyStart, StringPool? pool)
    {
        var lineStart = text.LastIndexOf('\n', start - 1) + 1;
        lineStart = Math.Max(lineStart, bodyStart);
        var lineEnd = text.IndexOf('\n', start);
        lineEnd = lineEnd < 0 ? text.Length : lineEnd;
        foreach (Match match in LiquidUrl().Matches(text[lineStart..lineEnd]))
        {
            var url = match.Groups["url"];
            if (lineStart + url.Index == start)
            {
                return new LinkSyntax(LinkKind.Liquid, pool?.Intern(url.Value) ?? url.Value, new TextSpan(lineStart + match.Index, match.Length), new TextSpan(start, url.Length), null, null);
            }
        }

        return null;
    }

    private static bool InCode(List<(int Start, int End)> code, int offset)
    {
        foreach (var (start, end) in code)
        {
            if (offset >= start && offset < end)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The fenced code blocks and inline code spans of the body, as [start, end) ranges in text order.</summary>
    private static List<(int Start, int End)> CodeRanges(string text, int bodyStart)
    {
        var ranges = new List<(int Start, int End)>();
        if (text.IndexOfAny(['`', '~'], bodyStart) < 0)
        {
            return ranges;
        }

        var line = bodyStart;
        var paragraphStart = bodyStart;
        while (line < text.Length)
        {
            var lineEnd = text.IndexOf('\n', line);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd + 1;
            if (Fence(text, line, lineEnd) is { } fence)
            {
                InlineCode(text, paragraphStart, line, ranges);
                var close = lineEnd;
                while (close < text.Length)
                {
                    var closeEnd = text.IndexOf('\n', close);
                    closeEnd = closeEnd < 0 ? text.Length : closeEnd + 1;
                    var isClose = Fence(text, close, closeEnd) is { } other && other.Char == fence.Char && other.Length >= fence.Length && other.InfoIsEmpty;
                    close = closeEnd;
                    if (isClose)
                    {
                        break;
                    }
                }

                ranges.Add((line, close));
                line = close;
                paragraphStart = close;
                continue;
            }

            if (text.AsSpan(line, lineEnd - line).IsWhiteSpace())
            {
                InlineCode(text, paragraphStart, line, ranges);
                paragraphStart = lineEnd;
            }

            line = lineEnd;
        }

        InlineCode(text, paragraphStart, text.Length, ranges);
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        return ranges;
    }

    /// <summary>A fence line (any indentation, since fences in list items are indented): its character and run length.</summary>
    private static (char Char, int Length, bool InfoIsEmpty)? Fence(string text, int line, int lineEnd)
    {
        var i = line;
        while (i < lineEnd && text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i < lineEnd && text[i] is '>' or '-' or '*' or '+')
        {
            // A fence inside a quote or a list item: skip the marker.
            var next = i + 1;
            if (next < lineEnd && text[next] == ' ')
            {
                i = SkipSpaces(text, next);
            }
        }

        if (i >= lineEnd || text[i] is not ('`' or '~'))
        {
            return null;
        }

        var c = text[i];
        var run = i;
        while (run < lineEnd && text[run] == c)
        {
            run++;
        }

        var length = run - i;
        if (length < 3)
        {
            return null;
        }

        var info = text.AsSpan(run, lineEnd - run);
        if (c == '`' && info.Contains('`'))
        {
            return null;
        }

        return (c, length, info.IsWhiteSpace());
    }

    /// <summary>Adds the inline code spans of one paragraph: a run of backticks closed by a run of the same length.</summary>
    private static void InlineCode(string text, int start, int end, List<(int Start, int End)> ranges)
    {
        var i = text.IndexOf('`', start, end - start);
        while (i >= 0 && i < end)
        {
            if (i > start && text[i - 1] == '\\')
            {
                i = Next(text, i + 1, end);
                continue;
            }

            var run = i;
            while (run < end && text[run] == '`')
            {
                run++;
            }

            var length = run - i;
            var close = run;
            var found = -1;
            while ((close = Next(text, close, end)) >= 0)
            {
                var closeRun = close;
                while (closeRun < end && text[closeRun] == '`')
                {
                    closeRun++;
                }

                if (closeRun - close == length)
                {
                    found = closeRun;
                    break;
                }

                close = closeRun;
            }

            if (found < 0)
            {
                i = Next(text, run, end);
                continue;
            }

            ranges.Add((i, found));
            i = Next(text, found, end);
        }
    }

    private static int Next(string text, int from, int end) => from >= end ? -1 : text.IndexOf('`', from, end - from);

    [GeneratedRegex(@"^ {0,3}\[(?<label>[^\]\n]+)\]:[ \t]*(?<url><[^\s>]+>|[^\s<>]+)[^\n]*$", RegexOptions.Multiline)]
    private static partial Regex Definition();

    // The note parser's Liquid rule (NoteParser.LiquidUrl), so both read the same tags.
    [GeneratedRegex(@"\{%-?\s*[A-Za-z_][\w-]*\s+[""'](?<url>https?://[^""'\s]+)[""'][^%\n]*%\}")]
    private static partial Regex LiquidUrl();
}
