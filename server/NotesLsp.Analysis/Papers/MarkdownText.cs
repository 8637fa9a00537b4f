using System.Text;
using Markdig;
using Markdig.Syntax;

namespace NotesLsp.Analysis.Papers;

/// <summary>
/// Makes untrusted text (titles, abstracts, author names from OpenReview or a catalog file) safe to put into
/// hover and completion Markdown: it always renders as the same plain text, never as HTML, a link, an image,
/// a heading, a list, emphasis or a table.
/// </summary>
public static partial class MarkdownText
{
    /// <summary>
    /// Collapses white space to single spaces and backslash-escapes only what Markdown (CommonMark with the GitHub
    /// and Markdig extensions) would read as markup, so clients that show raw Markdown still show readable text:
    /// <c>Multi-Head (MHA).</c> stays as it is, while <c>*</c>, <c>[</c>, <c>&lt;</c>, a leading <c>#</c> or
    /// <c>1.</c>, <c>http:</c> and <c>www.</c> (autolinks), <c>~</c>, <c>^</c>, <c>$</c> and doubled <c>+</c>,
    /// <c>=</c>, <c>"</c> (extension markup) and an e-mail's <c>@</c> are escaped. The result is checked by parsing
    /// it with Markdig (all extensions); if it is not one paragraph of exactly the input's text, every ASCII punctuation
    /// is escaped instead, so a construct the rules miss costs readability, never safety.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var collapsed = Collapse(text);
        var builder = new StringBuilder(collapsed.Length + 16);
        AppendEscaped(builder, collapsed, atStart: true, all: false);
        var escaped = builder.ToString();
        if (RendersAs(escaped, collapsed, allowFormatting: false))
        {
            return escaped;
        }

        // The readable escaping missed a construct: escape every ASCII punctuation, which CommonMark always reads literally.
        builder.Clear();
        AppendEscaped(builder, collapsed, atStart: true, all: true);
        return builder.ToString();
    }

    // The renderer used to check the output: CommonMark with every Markdig extension that adds inline or block markup.
    private static readonly Markdig.MarkdownPipeline Renderer = new Markdig.MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>
    /// True when <paramref name="markdown"/> parses as one paragraph of literal text equal to <paramref name="plain"/>
    /// (when <paramref name="plain"/> is given), holding no inline other than text and, if <paramref name="allowFormatting"/>,
    /// <c>*</c>/<c>**</c> emphasis and code spans.
    /// </summary>
    private static bool RendersAs(string markdown, string? plain, bool allowFormatting)
    {
        if (markdown.Length == 0)
        {
            return true;
        }

        var document = Markdig.Markdown.Parse(markdown, Renderer);
        if (document.Count != 1 || document[0] is not Markdig.Syntax.ParagraphBlock { Inline: { } inline } paragraph
            || Markdig.Renderers.Html.HtmlAttributesExtensions.TryGetAttributes(paragraph) is not null)
        {
            return false;
        }

        var text = new StringBuilder(markdown.Length);
        foreach (var node in inline.Descendants())
        {
            switch (node)
            {
                case Markdig.Syntax.Inlines.LiteralInline literal when Markdig.Renderers.Html.HtmlAttributesExtensions.TryGetAttributes(literal) is null:
                    text.Append(literal.Content.AsSpan());
                    break;
                case Markdig.Syntax.Inlines.EmphasisInline { DelimiterChar: '*', DelimiterCount: 1 or 2 } when allowFormatting:
                    break;
                case Markdig.Syntax.Inlines.CodeInline code when allowFormatting:
                    text.Append(code.Content);
                    break;
                default:
                    return false;
            }
        }

        return plain is null || text.ToString() == plain;
    }

    /// <summary>
    /// Text that may hold simple HTML (OpenReview abstracts do): <c>&lt;em&gt;</c>/<c>&lt;i&gt;</c> become
    /// <c>*emphasis*</c>, <c>&lt;strong&gt;</c>/<c>&lt;b&gt;</c> <c>**strong**</c>, <c>&lt;code&gt;</c> a code span,
    /// <c>&lt;sub&gt;</c>/<c>&lt;sup&gt;</c> Unicode sub- and superscripts where they exist; every other tag is
    /// dropped (its text kept) and entities are decoded. Everything else is escaped as by <see cref="Escape"/>.
    /// </summary>
    public static string FromSimpleHtml(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var matches = HtmlTag().Matches(text);
        if (matches.Count == 0)
        {
            return Escape(System.Net.WebUtility.HtmlDecode(text));
        }

        // Pieces of plain text and markers; a marker is written only when its tag is closed (an unclosed <em> is dropped).
        var pieces = new List<(string Text, string? Tag, bool Open)>();
        var at = 0;
        foreach (System.Text.RegularExpressions.Match match in matches)
        {
            if (match.Index > at)
            {
                pieces.Add((System.Net.WebUtility.HtmlDecode(text[at..match.Index]), null, false));
            }

            var name = match.Groups[2].Value.ToLowerInvariant();
            var tag = name switch
            {
                "em" or "i" => "em",
                "strong" or "b" => "strong",
                "code" or "sub" or "sup" => name,
                _ => null,
            };
            pieces.Add(tag is null ? (name is "p" or "br" or "div" or "li" ? " " : string.Empty, null, false) : (string.Empty, tag, match.Groups[1].Length == 0));
            at = match.Index + match.Length;
        }

        if (at < text.Length)
        {
            pieces.Add((System.Net.WebUtility.HtmlDecode(text[at..]), null, false));
        }

        var builder = new StringBuilder(text.Length + 16);
        var i = 0;
        AppendPieces(builder, pieces, ref i, until: null, all: false);
        var markdown = Collapse(builder.ToString());
        if (RendersAs(markdown, plain: null, allowFormatting: true))
        {
            return markdown;
        }

        // As in Escape: a missed construct falls back to escaping every ASCII punctuation in the text.
        builder.Clear();
        i = 0;
        AppendPieces(builder, pieces, ref i, until: null, all: true);
        return Collapse(builder.ToString());
    }

    private static void AppendPieces(StringBuilder builder, List<(string Text, string? Tag, bool Open)> pieces, ref int i, string? until, bool all)
    {
        while (i < pieces.Count)
        {
            var (text, tag, open) = pieces[i++];
            if (tag is null)
            {
                AppendEscaped(builder, text, atStart: IsBlank(builder), all);
                continue;
            }

            if (!open)
            {
                if (tag == until)
                {
                    return;
                }

                continue;
            }

            // Read the element's content on its own, then wrap it if its closing tag came.
            var closeIndex = FindClose(pieces, i, tag);
            if (closeIndex < 0)
            {
                continue;
            }

            var inner = new StringBuilder();
            if (tag is "code" or "sub" or "sup")
            {
                var raw = string.Concat(pieces.Skip(i).Take(closeIndex - i).Select(p => p.Text));
                i = closeIndex + 1;
                AppendSpecial(builder, tag, Collapse(raw), all);
                continue;
            }

            AppendPieces(inner, pieces, ref i, until: tag, all);
            var content = inner.ToString();
            var trimmed = content.Trim();
            if (trimmed.Length == 0)
            {
                builder.Append(content);
                continue;
            }

            var marker = tag == "em" ? "*" : "**";
            if (content.Length > 0 && char.IsWhiteSpace(content[0]))
            {
                builder.Append(' ');
            }

            builder.Append(marker).Append(trimmed).Append(marker);
            if (char.IsWhiteSpace(content[^1]))
            {
                builder.Append(' ');
            }
        }
    }

    private static bool IsBlank(StringBuilder builder)
    {
        for (var j = 0; j < builder.Length; j++)
        {
            if (!char.IsWhiteSpace(builder[j]))
            {
                return false;
            }
        }

        return true;
    }

    private static int FindClose(List<(string Text, string? Tag, bool Open)> pieces, int from, string tag)
    {
        var depth = 0;
        for (var j = from; j < pieces.Count; j++)
        {
            if (pieces[j].Tag != tag)
            {
                continue;
            }

            if (pieces[j].Open)
            {
                depth++;
            }
            else if (depth-- == 0)
            {
                return j;
            }
        }

        return -1;
    }

    private static void AppendSpecial(StringBuilder builder, string tag, string raw, bool all)
    {
        if (raw.Length == 0)
        {
            return;
        }

        if (tag == "code")
        {
            // A code span's text is literal; its fence must be longer than any run of backticks inside.
            var longest = 0;
            var run = 0;
            foreach (var c in raw)
            {
                run = c == '`' ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }

            var fence = new string('`', longest + 1);
            var pad = raw[0] == '`' || raw[^1] == '`' ? " " : string.Empty;
            builder.Append(fence).Append(pad).Append(raw).Append(pad).Append(fence);
            return;
        }

        var map = tag == "sup" ? Superscripts : Subscripts;
        if (raw.All(c => map.ContainsKey(c)))
        {
            foreach (var c in raw)
            {
                builder.Append(map[c]);
            }

            return;
        }

        // No Unicode form: x_train and x^abc read well enough in raw and rendered Markdown alike.
        builder.Append(tag == "sup" ? "\\^" : all ? "\\_" : "_");
        AppendEscaped(builder, raw, atStart: false, all);
    }

    private static readonly Dictionary<char, char> Superscripts = new()
    {
        ['0'] = '⁰',
        ['1'] = '¹',
        ['2'] = '²',
        ['3'] = '³',
        ['4'] = '⁴',
        ['5'] = '⁵',
        ['6'] = '⁶',
        ['7'] = '⁷',
        ['8'] = '⁸',
        ['9'] = '⁹',
        ['+'] = '⁺',
        ['-'] = '⁻',
        ['='] = '⁼',
        ['('] = '⁽',
        [')'] = '⁾',
        ['n'] = 'ⁿ',
        ['i'] = 'ⁱ',
        ['T'] = 'ᵀ',
        ['*'] = '∗',
    };

    private static readonly Dictionary<char, char> Subscripts = new()
    {
        ['0'] = '₀',
        ['1'] = '₁',
        ['2'] = '₂',
        ['3'] = '₃',
        ['4'] = '₄',
        ['5'] = '₅',
        ['6'] = '₆',
        ['7'] = '₇',
        ['8'] = '₈',
        ['9'] = '₉',
        ['+'] = '₊',
        ['-'] = '₋',
        ['='] = '₌',
        ['('] = '₍',
        [')'] = '₎',
    };

    /// <summary>White space (and control characters) collapsed to single spaces, trimmed.</summary>
    private static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <param name="atStart">True when nothing visible precedes the text, so block markers (<c>#</c>, <c>-</c>, <c>1.</c>) matter.</param>
    /// <param name="all">Escape every ASCII punctuation (the fallback when the readable escaping left markup).</param>
    private static void AppendEscaped(StringBuilder builder, string text, bool atStart, bool all)
    {
        var first = atStart;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var previous = i > 0 ? text[i - 1] : builder.Length > 0 ? builder[^1] : ' ';
            var next = i + 1 < text.Length ? text[i + 1] : ' ';
            if (all ? char.IsAsciiLetterOrDigit(c) is false && c is > ' ' and < '\x7f' : NeedsEscape(text, i, c, previous, next, first))
            {
                builder.Append('\\');
            }

            builder.Append(c);
            first &= c == ' ';
        }
    }

    private static bool NeedsEscape(string text, int i, char c, char previous, char next, bool first)
    {
        switch (c)
        {
            // Always markup: escapes, code, emphasis, links and images, HTML and autolinks, strikethrough and
            // subscript, superscript, math, generic attributes.
            case '\\' or '`' or '*' or '[' or ']' or '<' or '~' or '^' or '$' or '{' or '}':
                return true;
            case '_':
                // Inside a word (snake_case) an underscore never starts emphasis.
                return !(char.IsLetterOrDigit(previous) && char.IsLetterOrDigit(next));
            case '&':
                return char.IsLetterOrDigit(next) || next == '#';
            case '@':
                // GitHub-flavoured renderers (VS Code's hovers) autolink e-mail addresses: a@b.co.
                return (char.IsAsciiLetterOrDigit(previous) || previous is '.' or '_' or '+' or '-') && (char.IsAsciiLetterOrDigit(next) || next is '-' or '_');
            case ':':
                // A scheme (http:, mailto:, command:) could become an autolink; `::` opens Markdig's inline
                // custom container (a <span>), found by the randomized MarkdownTextTests.
                return (char.IsAsciiLetter(previous) && !char.IsWhiteSpace(next)) || next == ':' || previous == ':';
            case '+' or '=' or '"':
                // ++inserted++, ==marked==, ""cited"" (Markdig's extras).
                return next == c || previous == c || first;
            case '.' when i >= 3 && text.AsSpan(i - 3, 3).Equals("www", StringComparison.OrdinalIgnoreCase):
                return true;
            case '#' or '-' or '>' or '|' or '!' when first:
                return true;
            case '.' or ')' when IsListNumber(text, i):
                return true;
            default:
                return false;
        }
    }

    /// <summary>True when <paramref name="i"/> ends a list marker at the text's start: <c>2024.</c>, <c>a)</c>, <c>IV.</c>.</summary>
    private static bool IsListNumber(string text, int i)
    {
        var start = 0;
        while (start < i && text[start] == ' ')
        {
            start++;
        }

        if (i - start is < 1 or > 9 || (i + 1 < text.Length && text[i + 1] != ' '))
        {
            return false;
        }

        var token = text.AsSpan(start, i - start);
        var digits = true;
        var letters = true;
        foreach (var ch in token)
        {
            digits &= char.IsAsciiDigit(ch);
            letters &= char.IsAsciiLetter(ch);
        }

        return digits || (letters && token.Length <= 5);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*>")]
    private static partial System.Text.RegularExpressions.Regex HtmlTag();

    /// <summary>Cuts text at a word boundary near <paramref name="max"/> characters, marking the cut with an ellipsis.</summary>
    public static string Trim(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', max);
        return (cut > max / 2 ? text[..cut] : text[..max]).TrimEnd(',', ';', ':', '.', ' ') + "…";
    }

    /// <summary>A link destination safe inside <c>(...)</c>: spaces, parentheses and angle brackets percent-encoded.</summary>
    public static string Destination(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Replace(" ", "%20", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal)
            .Replace(")", "%29", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal);
    }
}
