using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tags;

/// <summary>Where a tag is being typed: what to replace, what was typed so far, and how a tag must be written there.</summary>
/// <param name="Field">The tag field the cursor is in.</param>
/// <param name="Current">The tag under the cursor, or null when the cursor starts a new one.</param>
/// <param name="ReplaceSpan">What a completion replaces (on the cursor's line; quotes of <paramref name="Current"/> included).</param>
/// <param name="Typed">The text typed before the cursor, without an opening quote.</param>
/// <param name="Slot">Which quoting rules apply.</param>
/// <param name="Quote">The quote the user opened (items) or the string's quote (<see cref="TagSlot.QuotedString"/>).</param>
/// <param name="InsertPrefix">A space to insert first when the cursor touches a colon, dash or comma.</param>
public sealed record TagCursorContext(
    TagField Field,
    TagOccurrence? Current,
    TextSpan ReplaceSpan,
    string Typed,
    TagSlot Slot,
    TagQuote Quote,
    string InsertPrefix);

/// <summary>Finds the tag context of a cursor from the scanned fields and the raw text, so half-typed YAML works.</summary>
public static class TagCursor
{
    /// <summary>The tag field and the tag the cursor is at, for navigation (hover, references, rename).</summary>
    public static (TagField Field, TagOccurrence Occurrence)? FindOccurrence(ImmutableArray<TagField> fields, int offset)
    {
        foreach (var field in fields)
        {
            foreach (var item in field.Items)
            {
                if (item.Span.ContainsOrTouches(offset))
                {
                    return (field, item);
                }
            }
        }

        return null;
    }

    /// <summary>The completion context at the cursor, or null when the cursor is not where a tag can be typed.</summary>
    public static TagCursorContext? Find(SourceText text, ImmutableArray<TagField> fields, int offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var field in fields)
        {
            if (offset >= field.ValueStart && (offset < field.End || (offset == field.End && field.End == text.Length)))
            {
                return field.Shape switch
                {
                    TagFieldShape.Empty or TagFieldShape.BlockList => InBlock(text, field, offset),
                    TagFieldShape.FlowList => InFlow(text, field, offset),
                    TagFieldShape.String => InString(text, field, offset),
                    _ => null,
                };
            }
        }

        return null;
    }

    private static TagCursorContext? InBlock(SourceText text, TagField field, int offset)
    {
        var s = text.Text;
        var line = text.GetLineFromOffset(offset);
        var lineStart = text.GetLineStart(line);
        var lineEnd = text.GetLineContentEnd(line);
        if (line == text.GetLineFromOffset(field.ValueStart))
        {
            // Right after `tags:` with nothing else on the line: the value starts here, as a plain word.
            if (field.Shape != TagFieldShape.Empty || !IsBlank(s, field.ValueStart, lineEnd))
            {
                return null;
            }

            return new TagCursorContext(field, null, new TextSpan(offset, 0), string.Empty, TagSlot.PlainString, TagQuote.None,
                s[offset - 1] == ':' ? " " : string.Empty);
        }

        var dash = SkipBlanks(s, lineStart, lineEnd);
        if (dash >= lineEnd || s[dash] != '-' || (dash + 1 < lineEnd && s[dash + 1] is not (' ' or '\t')) || offset <= dash)
        {
            return null;
        }

        var tokenStart = SkipBlanks(s, dash + 1, lineEnd);
        var prefix = offset == dash + 1 ? " " : string.Empty;
        if (tokenStart >= lineEnd)
        {
            return new TagCursorContext(field, null, new TextSpan(offset, 0), string.Empty, TagSlot.BlockItem, TagQuote.None, prefix);
        }

        var item = field.Items.FirstOrDefault(i => i.Span.Start == tokenStart);
        if (item is null)
        {
            return EmptyQuoted(field, s, tokenStart, lineEnd, offset, TagSlot.BlockItem);
        }

        if (offset < tokenStart || offset > item.Span.End)
        {
            return null;
        }

        return ForItem(text, field, item, offset, TagSlot.BlockItem);
    }

    private static TagCursorContext? InFlow(SourceText text, TagField field, int offset)
    {
        if (offset <= field.FlowOpen || (field.FlowClose >= 0 && offset > field.FlowClose))
        {
            return null;
        }

        foreach (var item in field.Items)
        {
            if (item.Span.ContainsOrTouches(offset))
            {
                return ForItem(text, field, item, offset, TagSlot.FlowItem);
            }
        }

        // Between items: only right after `[` or `,`, and only where no item follows before the next separator.
        var s = text.Text;
        if (s[offset - 1] is '"' or '\'' && EmptyQuoted(field, s, offset - 1, text.GetLineContentEnd(text.GetLineFromOffset(offset)), offset, TagSlot.FlowItem) is { } quoted)
        {
            return quoted;
        }

        var before = offset - 1;
        while (before > field.FlowOpen && TagScanner.IsSpace(s[before]))
        {
            before--;
        }

        var after = offset;
        while (after < field.End && TagScanner.IsSpace(s[after]))
        {
            after++;
        }

        if (s[before] is not ('[' or ',') || (after < field.End && s[after] is not (',' or ']' or '#')))
        {
            return null;
        }

        return new TagCursorContext(field, null, new TextSpan(offset, 0), string.Empty, TagSlot.FlowItem, TagQuote.None,
            s[offset - 1] == ',' ? " " : string.Empty);
    }

    private static TagCursorContext? InString(SourceText text, TagField field, int offset)
    {
        var s = text.Text;
        var quoted = field.ScalarQuote != TagQuote.None;
        var slot = quoted ? TagSlot.QuotedString : TagSlot.PlainString;
        var value = field.ValueSpan;
        if (quoted)
        {
            var closed = value.Length >= 2 && s[value.End - 1] == s[value.Start];
            if (offset <= value.Start || offset > (closed ? value.End - 1 : value.End))
            {
                return null;
            }
        }
        else
        {
            // The cursor may sit after the last word and the spaces that follow it, on the same line.
            var line = text.GetLineFromOffset(offset);
            if (offset < value.Start || (offset > value.End && (text.GetLineFromOffset(value.End) != line || !IsBlank(s, value.End, offset))))
            {
                return null;
            }
        }

        foreach (var item in field.Items)
        {
            if (item.Span.ContainsOrTouches(offset))
            {
                var span = OnLine(text, item.Span, offset);
                return new TagCursorContext(field, item, span, s[span.Start..offset], slot, field.ScalarQuote, string.Empty);
            }
        }

        // Right after the string's opening quote: the first word starts here.
        if (quoted && offset == value.Start + 1)
        {
            return new TagCursorContext(field, null, new TextSpan(offset, 0), string.Empty, slot, field.ScalarQuote, string.Empty);
        }

        var previous = s[offset - 1];
        var next = offset < s.Length ? s[offset] : '\n';
        var separator = field.CommaSeparated ? previous == ',' || (TagScanner.IsSpace(previous) && PrecededByComma(s, offset, value.Start)) : TagScanner.IsSpace(previous);
        if (!separator || !(TagScanner.IsSpace(next) || next == ',' || (quoted && next == s[value.Start])))
        {
            return null;
        }

        return new TagCursorContext(field, null, new TextSpan(offset, 0), string.Empty, slot, field.ScalarQuote, previous == ',' ? " " : string.Empty);
    }

    /// <summary>
    /// A quote just typed (<c>- "</c>, <c>["</c>, <c>""</c>) holds no tag yet, so the scan has no item for it;
    /// the cursor right after it still starts a quoted tag, which replaces the quote (and its closing twin).
    /// </summary>
    private static TagCursorContext? EmptyQuoted(TagField field, string s, int quoteAt, int lineEnd, int offset, TagSlot slot)
    {
        if (quoteAt >= lineEnd || s[quoteAt] is not ('"' or '\'') || offset != quoteAt + 1)
        {
            return null;
        }

        var end = quoteAt + 1;
        if (end < lineEnd && s[end] == s[quoteAt])
        {
            end++;
        }

        // The rest of the line must not hold anything but a separator, a closing bracket or a comment.
        var rest = end;
        while (rest < lineEnd && s[rest] is ' ' or '\t')
        {
            rest++;
        }

        if (rest < lineEnd && s[rest] is not (',' or ']' or '#'))
        {
            return null;
        }

        if (slot == TagSlot.FlowItem)
        {
            var before = quoteAt - 1;
            while (before > field.FlowOpen && TagScanner.IsSpace(s[before]))
            {
                before--;
            }

            if (s[before] is not ('[' or ','))
            {
                return null;
            }
        }

        var quote = s[quoteAt] == '"' ? TagQuote.Double : TagQuote.Single;
        return new TagCursorContext(field, null, TextSpan.FromBounds(quoteAt, end), string.Empty, slot, quote, string.Empty);
    }

    private static TagCursorContext ForItem(SourceText text, TagField field, TagOccurrence item, int offset, TagSlot slot)
    {
        var s = text.Text;
        var span = OnLine(text, item.Span, offset);
        var typedStart = item.Quote != TagQuote.None && span.Start == item.Span.Start ? span.Start + 1 : span.Start;
        var typed = offset > typedStart ? s[typedStart..offset] : string.Empty;
        return new TagCursorContext(field, item, span, typed, slot, item.Quote, string.Empty);
    }

    /// <summary>Editors accept a completion range on the cursor's line only; a tag folded over lines is cut to it.</summary>
    private static TextSpan OnLine(SourceText text, TextSpan span, int offset)
    {
        var line = text.GetLineFromOffset(offset);
        return TextSpan.FromBounds(Math.Max(span.Start, text.GetLineStart(line)), Math.Min(span.End, text.GetLineContentEnd(line)));
    }

    private static bool PrecededByComma(string s, int offset, int limit)
    {
        var i = offset - 1;
        while (i > limit && TagScanner.IsSpace(s[i]))
        {
            i--;
        }

        return s[i] == ',';
    }

    private static int SkipBlanks(string s, int i, int limit)
    {
        while (i < limit && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static bool IsBlank(string s, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (s[i] is not (' ' or '\t'))
            {
                return false;
            }
        }

        return true;
    }
}
