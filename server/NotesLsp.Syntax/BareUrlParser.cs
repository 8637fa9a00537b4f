using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace NotesLsp.Syntax;

/// <summary>
/// Bare URLs (<c>https://…</c>, <c>www.…</c>, <c>ftp://…</c>, <c>mailto:…</c>, <c>tel:…</c>) as links, read the way
/// Markdig's auto-link extension reads them, in time linear in the paragraph.
/// </summary>
/// <remarks>
/// Markdig's own parser decides whether a URL sits inside a pending HTML <c>&lt;a&gt;</c> by walking back over
/// every earlier inline of the paragraph, for every URL: 50,000 bare URLs on consecutive lines (one paragraph)
/// took over 30 s, four times as long per doubling. This parser asks the same question but remembers the answer
/// for the last inline it looked at, so each inline is walked over about once per paragraph. Everything else
/// (which characters may precede a URL, where it ends, trailing emphasis characters, the domain rule, no link
/// inside an open <c>[</c>) is Markdig's, through its public <see cref="LinkHelper"/>; NoteParserTests compare
/// the two parsers' links on a corpus of link shapes.
/// </remarks>
public sealed class BareUrlParser : InlineParser
{
    private const string ValidPreviousCharacters = "*_~(";

    public BareUrlParser()
    {
        OpeningCharacters = ['h', 'f', 'm', 't', 'w'];
    }

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        var previous = slice.PeekCharExtra(-1);
        if (!previous.IsWhiteSpaceOrZero() && !ValidPreviousCharacters.Contains(previous, StringComparison.Ordinal))
        {
            return false;
        }

        var span = slice.AsSpan();
        var prefixed = span.StartsWith("https://", StringComparison.Ordinal) || span.StartsWith("http://", StringComparison.Ordinal)
            || span.StartsWith("www.", StringComparison.Ordinal) || span.StartsWith("ftp://", StringComparison.Ordinal)
            || span.StartsWith("mailto:", StringComparison.Ordinal) || span.StartsWith("tel:", StringComparison.Ordinal);
        if (!prefixed || InsideAnchorTag(processor) || PendingDelimiters(processor) is not { } pendingEmphasis)
        {
            return false;
        }

        var first = slice.CurrentChar;
        var start = slice.Start;
        if (!LinkHelper.TryParseUrl(ref slice, out var link, out _, isAutoLink: true) || link is null)
        {
            return false;
        }

        // Emphasis characters still open around the URL close after it, not inside it.
        if (pendingEmphasis.Length > 0)
        {
            var end = link.Length;
            while (end > 0 && pendingEmphasis.Contains(link[end - 1], StringComparison.Ordinal))
            {
                slice.Start--;
                end--;
            }

            if (end < link.Length)
            {
                link = link[..end];
            }
        }

        int prefixLength;
        switch (first)
        {
            case 'h' when link is "http://" or "https://":
            case 'f' when link == "ftp://":
            case 't' when link == "tel":
                return false;
            case 'h':
                prefixLength = link.StartsWith("https", StringComparison.Ordinal) ? 8 : 7;
                break;
            case 'w':
                prefixLength = 4;
                break;
            case 'f':
                prefixLength = 6;
                break;
            case 'm':
                var at = link.IndexOf('@', StringComparison.Ordinal);
                if (at < 0 || at == 7)
                {
                    return false;
                }

                prefixLength = at + 1;
                break;
            default:
                prefixLength = 0;
                break;
        }

        if (link.Length == 0 || (first != 't' && !LinkHelper.IsValidDomain(link, prefixLength)))
        {
            return false;
        }

        var inline = new LinkInline
        {
            Span = { Start = processor.GetSourcePosition(start, out var line, out var column) },
            Line = line,
            Column = column,
            Url = first == 'w' ? "http://" + link : link,
            IsClosed = true,
            IsAutoLink = true,
        };
        inline.Span.End = inline.Span.Start + link.Length - 1;
        inline.UrlSpan = inline.Span;
        var contentStart = first switch { 'm' => 7, 't' => 4, _ => 0 };
        inline.AppendChild(new LiteralInline
        {
            Span = inline.Span,
            Line = line,
            Column = column,
            Content = new StringSlice(slice.Text, start + contentStart, start + link.Length - 1),
            IsClosed = true,
        });
        processor.Inline = inline;
        return true;
    }

    /// <summary>
    /// True when an HTML <c>&lt;a …&gt;</c> before the cursor is not closed by a <c>&lt;/a&gt;</c> yet. The walk
    /// back (earlier siblings, then the parent) stops at the inline the previous call started from, whose answer
    /// is kept in the per-block parser state: inlines are only appended while a paragraph is read.
    /// </summary>
    private bool InsideAnchorTag(InlineProcessor processor)
    {
        var memo = processor.GetParserState(this, static () => new AnchorMemo());
        var reuse = ReferenceEquals(memo.Block, processor.Block) ? memo.From : null;
        bool? answer = null;
        for (var inline = processor.Inline; inline is not null; inline = inline.PreviousSibling ?? inline.Parent)
        {
            if (reuse is not null && ReferenceEquals(inline, reuse))
            {
                answer = memo.Inside;
                break;
            }

            if (inline is HtmlInline html)
            {
                if (html.Tag.StartsWith("</a", StringComparison.OrdinalIgnoreCase))
                {
                    answer = false;
                    break;
                }

                if (html.Tag.StartsWith("<a", StringComparison.OrdinalIgnoreCase))
                {
                    answer = true;
                    break;
                }
            }
        }

        memo.Block = processor.Block;
        memo.From = processor.Inline;
        memo.Inside = answer ?? false;
        return memo.Inside;
    }

    /// <summary>
    /// The emphasis characters open around the cursor, or null when a link bracket is open (a URL there belongs to
    /// a possible <c>[label](…)</c>). Only the parent chain is walked: it is as deep as the nesting.
    /// </summary>
    private static string? PendingDelimiters(InlineProcessor processor)
    {
        var brackets = 0;
        var emphasis = string.Empty;
        for (var inline = processor.Inline; inline is not null; inline = inline.Parent)
        {
            if (inline is LinkDelimiterInline { IsActive: true } delimiter)
            {
                brackets += delimiter.Type == DelimiterType.Open ? 1 : delimiter.Type == DelimiterType.Close ? -1 : 0;
            }
            else if (inline is EmphasisDelimiterInline emphasisDelimiter && !emphasis.Contains(emphasisDelimiter.DelimiterChar, StringComparison.Ordinal))
            {
                emphasis += emphasisDelimiter.DelimiterChar;
            }
        }

        return brackets > 0 ? null : emphasis;
    }

    private sealed class AnchorMemo
    {
        public LeafBlock? Block { get; set; }

        public Inline? From { get; set; }

        public bool Inside { get; set; }
    }
}
