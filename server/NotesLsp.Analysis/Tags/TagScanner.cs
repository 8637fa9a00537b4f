using System.Collections.Immutable;
using System.Text;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tags;

/// <summary>How a tag field's value is written.</summary>
public enum TagFieldShape
{
    /// <summary>Nothing after the key yet (<c>tags:</c> alone or with a comment).</summary>
    Empty,

    /// <summary>A block sequence: <c>- a</c> lines below the key, at any indent.</summary>
    BlockList,

    /// <summary>A flow sequence: <c>[a, "b", c,]</c>, possibly over several lines, possibly unclosed.</summary>
    FlowList,

    /// <summary>A single scalar: one word, or words separated by spaces or by commas.</summary>
    String,

    /// <summary>Something that is not a list of strings (a block scalar, a mapping, an alias): no tags are read.</summary>
    Other,
}

/// <summary>The quote a tag was written with.</summary>
public enum TagQuote
{
    None,
    Single,
    Double,
}

/// <summary>One tag as written in a note.</summary>
/// <param name="Key">The configured tag key it belongs to (its vocabulary), spelled as configured.</param>
/// <param name="Value">The tag with quotes and escapes resolved.</param>
/// <param name="Span">The tag as written, quotes included.</param>
/// <param name="Quote">How it is quoted; tags inside a quoted space- or comma-separated string report that string's quote.</param>
public sealed record TagOccurrence(string Key, string Value, TextSpan Span, TagQuote Quote);

/// <summary>A top-level front matter entry whose key is tag-like, read from the text without the YAML parser.</summary>
/// <param name="Key">The configured key it matched (case-insensitively).</param>
/// <param name="KeySpan">The key as written.</param>
/// <param name="ValueStart">The offset just after the key's colon.</param>
/// <param name="End">Where the entry's lines end: the start of the next top-level line, or the end of the front matter.</param>
/// <param name="Shape">How the value is written.</param>
/// <param name="Items">The non-empty tags, in order.</param>
/// <param name="ValueSpan">The value as written: the scalar (quotes included), the brackets of a flow list (to the end of what was typed when unclosed), or the block items.</param>
/// <param name="FlowOpen">The offset of <c>[</c> for flow lists, else -1.</param>
/// <param name="FlowClose">The offset of <c>]</c> for closed flow lists, else -1.</param>
/// <param name="ScalarQuote">For <see cref="TagFieldShape.String"/>: the quote around the whole string.</param>
/// <param name="CommaSeparated">For <see cref="TagFieldShape.String"/>: true when commas separate the tags (else whitespace does).</param>
public sealed record TagField(
    string Key,
    TextSpan KeySpan,
    int ValueStart,
    int End,
    TagFieldShape Shape,
    ImmutableArray<TagOccurrence> Items,
    TextSpan ValueSpan,
    int FlowOpen,
    int FlowClose,
    TagQuote ScalarQuote,
    bool CommaSeparated)
{
    private readonly ImmutableArray<TagOccurrence> values;

    /// <summary>
    /// Every tag the field holds as YAML reads it, in order: <see cref="Items"/> (written here, which edits may
    /// rewrite) plus those an alias (<c>*name</c>) brings from the node it refers to, whose spans are where that node
    /// is written (often another key's value). Indexes, hints and references read these; edits read <see cref="Items"/>.
    /// </summary>
    public ImmutableArray<TagOccurrence> Values
    {
        get => values.IsDefault ? Items : values;
        init => values = value;
    }
}

/// <summary>
/// Reads tag fields from a note's front matter with a tolerant line and character scan instead of the YAML tree.
/// </summary>
/// <remarks>
/// Why not the YAML tree: tags must be found, completed and renamed while the YAML is half typed
/// (<c>tags: [ml, </c> or <c>- </c> on a new line), where the parser stops at the first error; tags inside a
/// space- or comma-separated string need spans the tree does not have; and indexing ten thousand notes must not
/// pay for a YAML parse (or a Markdown parse) of each one. The scan follows YAML's rules for the shapes tags are
/// written in (plain and quoted scalars, comments, block and flow sequences); for well-formed notes its values
/// equal the YAML parser's, which a test checks.
/// </remarks>
public static class TagScanner
{
    /// <summary>Every tag field of the note's front matter, in order; empty when the note has none.</summary>
    public static ImmutableArray<TagField> Scan(SourceText text, ImmutableArray<string> keys)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (keys.IsDefaultOrEmpty || FrontMatterParser.FindBlock(text) is not { } block)
        {
            return [];
        }

        return Scan(text, block.Content, keys);
    }

    /// <summary>Every tag occurrence of the note, in order.</summary>
    public static ImmutableArray<TagOccurrence> Occurrences(SourceText text, ImmutableArray<string> keys) => Flatten(Scan(text, keys));

    /// <summary>Every tag occurrence of the front matter content <paramref name="content"/> (the block <see cref="FrontMatterParser.FindBlock"/> found), in order.</summary>
    public static ImmutableArray<TagOccurrence> Occurrences(SourceText text, TextSpan content, ImmutableArray<string> keys)
    {
        ArgumentNullException.ThrowIfNull(text);
        return keys.IsDefaultOrEmpty ? [] : Flatten(Scan(text, content, keys));
    }

    private static ImmutableArray<TagOccurrence> Flatten(ImmutableArray<TagField> fields)
    {
        return fields.Length switch
        {
            0 => [],
            1 => fields[0].Values,
            _ => [.. fields.SelectMany(f => f.Values)],
        };
    }

    /// <summary>Scans the front matter content (the YAML between the fences).</summary>
    public static ImmutableArray<TagField> Scan(SourceText text, TextSpan content, ImmutableArray<string> keys)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Text;
        var fields = ImmutableArray.CreateBuilder<TagField>();
        var aliases = new AliasResolver(text);
        var line = text.GetLineFromOffset(content.Start);
        while (text.GetLineStart(line) < content.End && line < text.LineCount)
        {
            var lineStart = text.GetLineStart(line);
            var lineEnd = Math.Min(text.GetLineContentEnd(line), content.End);
            if (!IsTopLevelLine(s, lineStart, lineEnd) || !TryReadKey(s, lineStart, lineEnd, out var keyText, out var keySpan, out var colonEnd))
            {
                line++;
                continue;
            }

            // The entry runs until the next top-level line: block items, flow continuation lines and comments
            // below the key are all indented (a block list may also sit at column zero, starting with '-').
            var next = line + 1;
            while (next < text.LineCount && text.GetLineStart(next) < content.End)
            {
                var start = text.GetLineStart(next);
                if (IsTopLevelLine(s, start, Math.Min(text.GetLineContentEnd(next), content.End)))
                {
                    break;
                }

                next++;
            }

            var end = Math.Min(text.GetLineStart(next), content.End);
            if (MatchKey(keys, keyText) is { } key)
            {
                fields.Add(new FieldReader(text, key, keySpan, colonEnd, end, aliases, 0).Read());
            }

            line = next;
        }

        return fields.ToImmutable();
    }

    private static string? MatchKey(ImmutableArray<string> keys, string keyText)
    {
        foreach (var key in keys)
        {
            if (string.Equals(key, keyText, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>A line that starts a new top-level entry: not blank, not indented, not a list item or a comment.</summary>
    private static bool IsTopLevelLine(string s, int start, int end) =>
        end > start && s[start] is not (' ' or '\t' or '-' or '#' or ']' or ',' or '}');

    private static bool TryReadKey(string s, int start, int end, out string key, out TextSpan keySpan, out int colonEnd)
    {
        key = string.Empty;
        keySpan = default;
        colonEnd = 0;
        int keyEnd;
        int i;
        if (s[start] is '"' or '\'')
        {
            var close = s.IndexOf(s[start], start + 1, end - start - 1);
            if (close < 0)
            {
                return false;
            }

            key = s.Substring(start + 1, close - start - 1);
            keyEnd = close + 1;
            i = keyEnd;
            while (i < end && s[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= end || s[i] != ':')
            {
                return false;
            }
        }
        else
        {
            i = start;
            while (i < end && !(s[i] == ':' && (i + 1 == end || s[i + 1] is ' ' or '\t')))
            {
                i++;
            }

            if (i >= end)
            {
                return false;
            }

            keyEnd = i;
            while (keyEnd > start && s[keyEnd - 1] is ' ' or '\t')
            {
                keyEnd--;
            }

            key = s[start..keyEnd];
        }

        // A colon must be followed by a space or the end of the line to end a key.
        if (i + 1 < end && s[i + 1] is not (' ' or '\t'))
        {
            return false;
        }

        keySpan = TextSpan.FromBounds(start, keyEnd);
        colonEnd = i + 1;
        return true;
    }

    /// <summary>
    /// What the aliases of a front matter refer to, read from the YAML parser's tree (one reading of anchors and
    /// aliases); the parse happens only when a tag field holds an alias, which is rare.
    /// </summary>
    private sealed class AliasResolver(SourceText text)
    {
        /// <summary>An alias inside an aliased node is followed this deep at most (YAML allows no cycles; this bounds the work).</summary>
        public const int MaxDepth = 3;

        private Dictionary<int, YamlNode>? targets;

        /// <summary>The node the alias starting at <paramref name="aliasStart"/> refers to, or null.</summary>
        public YamlNode? Target(int aliasStart)
        {
            targets ??= Collect();
            return targets.GetValueOrDefault(aliasStart);
        }

        private Dictionary<int, YamlNode> Collect()
        {
            var found = new Dictionary<int, YamlNode>();
            if (FrontMatterParser.Parse(text)?.Root is not { } root)
            {
                return found;
            }

            var pending = new Stack<YamlNode>();
            pending.Push(root);
            while (pending.TryPop(out var node))
            {
                switch (node)
                {
                    case YamlAlias { Target: { } target } alias:
                        found[alias.Span.Start] = target;
                        break;
                    case YamlSequence sequence:
                        foreach (var item in sequence.Items)
                        {
                            pending.Push(item);
                        }

                        break;
                    case YamlMapping mapping:
                        foreach (var entry in mapping.Entries)
                        {
                            pending.Push(entry.Key);
                            if (entry.Value is { } value)
                            {
                                pending.Push(value);
                            }
                        }

                        break;
                }
            }

            return found;
        }
    }

    /// <summary>Reads one field's value; every method stops at the field's end.</summary>
    private sealed class FieldReader(SourceText text, string key, TextSpan keySpan, int valueStart, int end, AliasResolver aliases, int depth)
    {
        private readonly string s = text.Text;
        private readonly ImmutableArray<TagOccurrence>.Builder items = ImmutableArray.CreateBuilder<TagOccurrence>();
        private readonly ImmutableArray<TagOccurrence>.Builder values = ImmutableArray.CreateBuilder<TagOccurrence>();

        public TagField Read()
        {
            var keyLineEnd = LineEnd(valueStart);
            var p = SkipBlanks(valueStart, keyLineEnd);
            var lineEnd = keyLineEnd;

            // Node properties (an anchor `&t`, a tag `!!seq`) come before the value, which may then start on the next line.
            p = SkipProperties(p, keyLineEnd, flow: false);
            if (p >= keyLineEnd || s[p] == '#')
            {
                // Nothing on the key line: a block list follows, or the value itself starts on the next
                // line (`tags:` then an indented `[a, b]` or `a b` is valid YAML too).
                if (FirstValueLine(keyLineEnd) is not { } next || s[next] == '-')
                {
                    return ReadBlockList(keyLineEnd);
                }

                lineEnd = LineEnd(next);
                p = SkipProperties(next, lineEnd, flow: false);
                if (p >= lineEnd)
                {
                    return Field(TagFieldShape.Other, TextSpan.FromBounds(next, lineEnd));
                }
            }

            return s[p] switch
            {
                '[' => ReadFlowList(p),
                '"' or '\'' => ReadQuotedString(p),
                '*' => ReadWholeAlias(p, lineEnd),
                '|' or '>' or '{' or '&' or '%' or '@' or '`' => Field(TagFieldShape.Other, TextSpan.FromBounds(p, lineEnd)),
                _ => ReadPlainString(p, lineEnd),
            };
        }

        /// <summary>The first character of the first line below the key that is neither blank nor a comment.</summary>
        private int? FirstValueLine(int keyLineEnd)
        {
            var lineStart = NextLineStart(keyLineEnd);
            while (lineStart < end)
            {
                var lineEnd = LineEnd(lineStart);
                var i = SkipBlanks(lineStart, lineEnd);
                if (i < lineEnd && s[i] != '#')
                {
                    return i;
                }

                lineStart = NextLineStart(lineEnd);
            }

            return null;
        }

        private TagField Field(TagFieldShape shape, TextSpan valueSpan, int flowOpen = -1, int flowClose = -1, TagQuote quote = TagQuote.None, bool commas = false) =>
            new(key, keySpan, valueStart, end, shape, items.ToImmutable(), valueSpan, flowOpen, flowClose, quote, commas)
            {
                Values = values.Count == items.Count ? default : values.ToImmutable(),
            };

        /// <summary>
        /// The whole value is an alias (<c>tags: *k</c>): the field holds what the anchored node holds, read as if it
        /// were written here (a list's items, a string split into tags); its own text is not a tag to edit.
        /// </summary>
        private TagField ReadWholeAlias(int aliasStart, int lineEnd)
        {
            switch (depth < AliasResolver.MaxDepth ? aliases.Target(aliasStart) : null)
            {
                case YamlScalar { Style: not (YamlScalarStyle.Literal or YamlScalarStyle.Folded) } scalar:
                    SplitAliasedScalar(scalar);
                    break;
                case YamlSequence sequence:
                    var reader = new FieldReader(text, key, keySpan, sequence.Span.Start, sequence.Span.End, aliases, depth + 1);
                    values.AddRange((sequence.IsFlow ? reader.Read() : reader.ReadBlockListAt(sequence.Span.Start)).Values);
                    break;
            }

            return Field(TagFieldShape.Other, TextSpan.FromBounds(aliasStart, lineEnd));
        }

        /// <summary>
        /// A string that an alias brings in is split into tags as a string written here is (at commas when it has any,
        /// else at white space), from the parser's value; each tag's span is its text inside the anchored scalar (the
        /// whole scalar where escapes make the text differ).
        /// </summary>
        private void SplitAliasedScalar(YamlScalar scalar)
        {
            var start = SkipProperties(scalar.Span.Start, scalar.Span.End, flow: false);
            var commas = scalar.Value.Contains(',', StringComparison.Ordinal);
            var quote = QuoteOfStyle(scalar.Style);
            var cursor = start;
            foreach (var token in scalar.Value.Split(commas ? [','] : [' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var at = cursor < scalar.Span.End ? s.IndexOf(token, cursor, scalar.Span.End - cursor, StringComparison.Ordinal) : -1;
                var span = at >= 0 ? new TextSpan(at, token.Length) : TextSpan.FromBounds(start, scalar.Span.End);
                cursor = at >= 0 ? at + token.Length : cursor;
                values.Add(new TagOccurrence(key, token, span, quote));
            }
        }

        private static TagQuote QuoteOfStyle(YamlScalarStyle style) => style switch
        {
            YamlScalarStyle.SingleQuoted => TagQuote.Single,
            YamlScalarStyle.DoubleQuoted => TagQuote.Double,
            _ => TagQuote.None,
        };

        /// <summary>An alias item of a list (<c>[*a, b]</c>, <c>- *a</c>): the tag is the scalar it refers to, where that is written.</summary>
        private void AddAliasItem(int aliasStart)
        {
            if (aliases.Target(aliasStart) is not YamlScalar { Style: not (YamlScalarStyle.Literal or YamlScalarStyle.Folded) } scalar)
            {
                return;
            }

            var start = SkipProperties(scalar.Span.Start, scalar.Span.End, flow: true);
            if (scalar.Value.Length > 0 && !string.IsNullOrWhiteSpace(scalar.Value) && start < scalar.Span.End)
            {
                values.Add(new TagOccurrence(key, scalar.Value, TextSpan.FromBounds(start, scalar.Span.End), QuoteOfStyle(scalar.Style)));
            }
        }

        /// <summary>
        /// Reads block items as YAML does: an item starts at a <c>-</c> at the sequence's indentation; a line indented
        /// deeper continues the item's plain scalar (<c>- ML</c> then <c>    - transformers</c> is the one tag
        /// "ML - transformers"), and a quoted item may run over such lines.
        /// </summary>
        private TagField ReadBlockList(int keyLineEnd) => ReadBlockListAt(NextLineStart(keyLineEnd));

        private TagField ReadBlockListAt(int firstLineStart)
        {
            var hasDash = false;
            var first = -1;
            var last = -1;
            var sequenceIndent = -1;
            var item = new PlainItem();
            var afterEmptyDash = false;
            var skipUntil = -1;
            var lineStart = firstLineStart;
            while (lineStart < end)
            {
                var lineEnd = LineEnd(lineStart);
                var next = NextLineStart(lineEnd);
                if (lineStart < skipUntil)
                {
                    lineStart = next;
                    continue;
                }

                var i = SkipBlanks(lineStart, lineEnd);
                if (i >= lineEnd)
                {
                    item.Breaks++;
                    lineStart = next;
                    continue;
                }

                if (s[i] == '#')
                {
                    // A comment line ends a plain scalar.
                    FlushItem(ref item);
                    lineStart = next;
                    continue;
                }

                var column = i - lineStart;
                var isDash = s[i] == '-' && (i + 1 == lineEnd || s[i + 1] is ' ' or '\t');
                if (isDash && sequenceIndent < 0)
                {
                    sequenceIndent = column;
                }

                if (isDash && column <= sequenceIndent)
                {
                    FlushItem(ref item);
                    hasDash = true;
                    first = first < 0 ? i : first;
                    last = lineEnd;
                    var j = SkipProperties(SkipBlanks(i + 1, lineEnd), lineEnd, flow: false);
                    afterEmptyDash = j >= lineEnd;
                    if (!afterEmptyDash)
                    {
                        skipUntil = StartItem(ref item, j, lineEnd, ItemExtentEnd(next, sequenceIndent));
                    }
                }
                else if (sequenceIndent >= 0 && column > sequenceIndent)
                {
                    last = lineEnd;
                    if (item.IsOpen)
                    {
                        ContinuePlain(ref item, i, lineEnd);
                    }
                    else if (afterEmptyDash && !isDash)
                    {
                        // `-` alone, its value on the next line.
                        skipUntil = StartItem(ref item, i, lineEnd, ItemExtentEnd(next, sequenceIndent));
                    }

                    afterEmptyDash = false;
                }
                else
                {
                    FlushItem(ref item);
                }

                lineStart = next;
            }

            FlushItem(ref item);
            return hasDash
                ? Field(TagFieldShape.BlockList, TextSpan.FromBounds(first, Math.Max(first, last)))
                : Field(TagFieldShape.Empty, new TextSpan(valueStart, 0));
        }

        /// <summary>Where an item that starts on the line before <paramref name="lineStart"/> can end: at the next line indented no deeper than the sequence.</summary>
        private int ItemExtentEnd(int lineStart, int sequenceIndent)
        {
            while (lineStart < end)
            {
                var lineEnd = LineEnd(lineStart);
                var i = SkipBlanks(lineStart, lineEnd);
                if (i < lineEnd && i - lineStart <= sequenceIndent)
                {
                    return lineStart;
                }

                lineStart = NextLineStart(lineEnd);
            }

            return end;
        }

        /// <summary>Starts an item at <paramref name="start"/>; returns the offset up to which later lines belong to it (a multi-line quoted item).</summary>
        private int StartItem(ref PlainItem item, int start, int lineEnd, int extentEnd)
        {
            start = SkipProperties(start, lineEnd, flow: false);
            if (start >= lineEnd)
            {
                return -1;
            }

            var c = s[start];
            if (c is '"' or '\'')
            {
                var token = ReadQuoted(start, extentEnd);
                AddItem(token.Value, token.Span, token.Quote);
                return token.Span.End;
            }

            if (c == '*')
            {
                AddAliasItem(start);
                return -1;
            }

            // Anything but a plain scalar (a nested list, a mapping, a block scalar) is not a tag.
            if (c is '[' or '{' or '|' or '>' or '&' or '!' or '#' || (c == '-' && (start + 1 == lineEnd || s[start + 1] is ' ' or '\t')))
            {
                return -1;
            }

            var stop = PlainEnd(start, lineEnd, flow: false);
            var raw = s[start..stop];
            if (raw.Contains(": ", StringComparison.Ordinal) || raw.EndsWith(':'))
            {
                return -1;
            }

            item = new PlainItem { Start = start, End = stop, Value = new StringBuilder(raw), IsOpen = stop == lineEnd };
            if (!item.IsOpen)
            {
                FlushItem(ref item);
            }

            return -1;
        }

        /// <summary>A deeper line continues the plain scalar: YAML folds the break into a space (a blank line into a line break).</summary>
        private void ContinuePlain(ref PlainItem item, int start, int lineEnd)
        {
            var stop = PlainEnd(start, lineEnd, flow: false);
            if (stop > start)
            {
                item.Value!.Append(item.Breaks > 0 ? new string('\n', item.Breaks) : " ").Append(s, start, stop - start);
                item.End = stop;
            }

            item.Breaks = 0;
            if (stop < lineEnd)
            {
                FlushItem(ref item);
            }
        }

        private void FlushItem(ref PlainItem item)
        {
            if (item.Value is { } value)
            {
                AddItem(value.ToString(), TextSpan.FromBounds(item.Start, item.End), TagQuote.None);
            }

            item = new PlainItem();
        }

        /// <summary>A plain block item being read, possibly over several lines.</summary>
        private struct PlainItem
        {
            public int Start;
            public int End;
            public StringBuilder? Value;
            public bool IsOpen;
            public int Breaks;
        }

        private TagField ReadFlowList(int open)
        {
            var i = open + 1;
            var close = -1;
            var lastEnd = open + 1;
            while (i < end)
            {
                var c = s[i];
                if (c is ' ' or '\t' or '\r' or '\n')
                {
                    i++;
                    continue;
                }

                if (c == '#' && s[i - 1] is ' ' or '\t' or '\r' or '\n')
                {
                    i = LineEnd(i);
                    continue;
                }

                if (c == ']')
                {
                    close = i;
                    break;
                }

                if (c == ',')
                {
                    lastEnd = i + 1;
                    i++;
                    continue;
                }

                if (c is '&' or '!')
                {
                    var after = SkipProperties(i, end, flow: true);
                    if (after > i)
                    {
                        i = after;
                        continue;
                    }
                }

                if (c == '*')
                {
                    // An alias is a reference to another node: the tag is that node's scalar, where it is written.
                    AddAliasItem(i);
                    i = PlainEnd(i, end, flow: true);
                    lastEnd = i;
                    continue;
                }

                if (c is '[' or '{')
                {
                    i = SkipNested(i);
                    lastEnd = i;
                    continue;
                }

                if (c is '"' or '\'')
                {
                    var token = ReadQuoted(i, end);
                    AddItem(token.Value, token.Span, token.Quote);
                    i = token.Span.End;
                    lastEnd = i;
                    continue;
                }

                var stop = PlainEnd(i, end, flow: true);
                if (stop == i)
                {
                    // A stray '}' or similar: step over it rather than loop.
                    i++;
                    continue;
                }

                var raw = s[i..stop];
                AddItem(FoldLines(raw), TextSpan.FromBounds(i, stop), TagQuote.None);
                i = stop;
                lastEnd = stop;
            }

            var valueEnd = close >= 0 ? close + 1 : lastEnd;
            return Field(TagFieldShape.FlowList, TextSpan.FromBounds(open, valueEnd), open, close);
        }

        private TagField ReadQuotedString(int start)
        {
            var token = ReadQuoted(start, end);
            var contentStart = start + 1;
            var contentEnd = token.Closed ? token.Span.End - 1 : token.Span.End;
            var commas = s.AsSpan(contentStart, contentEnd - contentStart).Contains(',');
            SplitString(contentStart, contentEnd, commas, token.Quote);
            return Field(TagFieldShape.String, token.Span, quote: token.Quote, commas: commas);
        }

        private TagField ReadPlainString(int start, int keyLineEnd)
        {
            // A plain scalar may continue on indented lines (YAML folds them with spaces); comments end it.
            var stop = PlainEnd(start, keyLineEnd, flow: false);
            var scalarEnd = stop;
            if (stop == keyLineEnd)
            {
                var lineStart = NextLineStart(keyLineEnd);
                while (lineStart < end)
                {
                    var lineEnd = LineEnd(lineStart);
                    var i = SkipBlanks(lineStart, lineEnd);
                    if (i < lineEnd)
                    {
                        if (s[i] == '#' || (s[i] == '-' && (i + 1 == lineEnd || s[i + 1] is ' ' or '\t')))
                        {
                            break;
                        }

                        var lineStop = PlainEnd(i, lineEnd, flow: false);
                        scalarEnd = lineStop;
                        if (lineStop < lineEnd)
                        {
                            break;
                        }
                    }

                    lineStart = NextLineStart(lineEnd);
                }
            }

            var commas = s.AsSpan(start, scalarEnd - start).Contains(',');
            SplitString(start, scalarEnd, commas, TagQuote.None);
            return Field(TagFieldShape.String, TextSpan.FromBounds(start, scalarEnd), quote: TagQuote.None, commas: commas);
        }

        /// <summary>Splits a string's raw text into tags at commas (when it has any) or else at whitespace.</summary>
        private void SplitString(int start, int stop, bool commas, TagQuote quote)
        {
            var i = start;
            while (i < stop)
            {
                while (i < stop && (IsSpace(s[i]) || s[i] == ','))
                {
                    i++;
                }

                var tokenStart = i;
                while (i < stop && (commas ? s[i] != ',' : !IsSpace(s[i])))
                {
                    i++;
                }

                var tokenEnd = i;
                while (tokenEnd > tokenStart && IsSpace(s[tokenEnd - 1]))
                {
                    tokenEnd--;
                }

                if (tokenEnd > tokenStart)
                {
                    var raw = s[tokenStart..tokenEnd];
                    var value = quote switch
                    {
                        TagQuote.Single => UnescapeSingle(raw),
                        TagQuote.Double => UnescapeDouble(raw),
                        _ => raw,
                    };
                    AddItem(FoldLines(value), TextSpan.FromBounds(tokenStart, tokenEnd), quote);
                }
            }
        }

        private void AddItem(string value, TextSpan span, TagQuote quote)
        {
            if (value.Length > 0 && !string.IsNullOrWhiteSpace(value))
            {
                var occurrence = new TagOccurrence(key, value, span, quote);
                items.Add(occurrence);
                values.Add(occurrence);
            }
        }

        /// <summary>Reads a quoted scalar; an unclosed one (mid-typing) ends at its line's end.</summary>
        private QuotedToken ReadQuoted(int start, int limit)
        {
            var quote = s[start];
            var i = start + 1;
            while (i < limit)
            {
                var c = s[i];
                if (quote == '"' && c == '\\')
                {
                    i += 2;
                    continue;
                }

                if (c == quote)
                {
                    if (quote == '\'' && i + 1 < limit && s[i + 1] == '\'')
                    {
                        i += 2;
                        continue;
                    }

                    var raw = s.Substring(start + 1, i - start - 1);
                    var value = quote == '"' ? UnescapeDouble(raw) : UnescapeSingle(raw);
                    return new QuotedToken(TextSpan.FromBounds(start, i + 1), FoldLines(value), QuoteOf(quote), Closed: true);
                }

                i++;
            }

            var lineEnd = Math.Min(LineEnd(start), limit);
            while (lineEnd > start + 1 && IsSpace(s[lineEnd - 1]))
            {
                lineEnd--;
            }

            var open = s.Substring(start + 1, lineEnd - start - 1);
            return new QuotedToken(TextSpan.FromBounds(start, lineEnd), quote == '"' ? UnescapeDouble(open) : UnescapeSingle(open), QuoteOf(quote), Closed: false);
        }

        /// <summary>The end of a plain scalar: before a comment, a flow indicator (in flow context), or the limit; trailing spaces excluded.</summary>
        private int PlainEnd(int start, int limit, bool flow)
        {
            var i = start;
            while (i < limit)
            {
                var c = s[i];
                if (c == '#' && i > start && IsSpace(s[i - 1]))
                {
                    break;
                }

                if (flow && c is ',' or ']' or '[' or '{' or '}')
                {
                    break;
                }

                if (!flow && c is '\r' or '\n')
                {
                    break;
                }

                i++;
            }

            while (i > start && IsSpace(s[i - 1]))
            {
                i--;
            }

            return i;
        }

        private int SkipNested(int start)
        {
            var depth = 0;
            for (var i = start; i < end; i++)
            {
                switch (s[i])
                {
                    case '[' or '{':
                        depth++;
                        break;
                    case ']' or '}':
                        if (--depth == 0)
                        {
                            return i + 1;
                        }

                        break;
                }
            }

            return end;
        }

        /// <summary>
        /// Skips the node properties at <paramref name="i"/> (anchors <c>&amp;name</c>, tags <c>!x</c>, <c>!!seq</c>,
        /// <c>!&lt;uri&gt;</c>) and the blanks after them; returns <paramref name="i"/> when there are none. A property
        /// ends at white space (and, in a flow collection, at a flow indicator).
        /// </summary>
        private int SkipProperties(int i, int limit, bool flow)
        {
            var start = i;
            while (i < limit && s[i] is '&' or '!')
            {
                var j = i + 1;
                if (s[i] == '!' && j < limit && s[j] == '<')
                {
                    while (j < limit && s[j] != '>' && !IsSpace(s[j]))
                    {
                        j++;
                    }

                    j = Math.Min(j + 1, limit);
                }
                else
                {
                    while (j < limit && !IsSpace(s[j]) && !(flow && s[j] is ',' or '[' or ']' or '{' or '}'))
                    {
                        j++;
                    }
                }

                if (s[i] == '&' && j == i + 1)
                {
                    // `&` alone is not an anchor.
                    return start;
                }

                i = j;
                while (i < limit && s[i] is ' ' or '\t' || (flow && i < limit && s[i] is '\r' or '\n'))
                {
                    i++;
                }
            }

            return i;
        }

        private int SkipBlanks(int i, int limit)
        {
            while (i < limit && s[i] is ' ' or '\t')
            {
                i++;
            }

            return i;
        }

        private int LineEnd(int offset)
        {
            var i = offset;
            while (i < end && s[i] is not ('\r' or '\n'))
            {
                i++;
            }

            return i;
        }

        private int NextLineStart(int lineEnd)
        {
            var i = lineEnd;
            if (i < end && s[i] == '\r')
            {
                i++;
            }

            if (i < end && s[i] == '\n')
            {
                i++;
            }

            return i;
        }
    }

    private readonly record struct QuotedToken(TextSpan Span, string Value, TagQuote Quote, bool Closed);

    private static TagQuote QuoteOf(char quote) => quote == '"' ? TagQuote.Double : TagQuote.Single;

    internal static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>YAML folds a line break inside a scalar (with the indentation around it) into one space.</summary>
    private static string FoldLines(string value)
    {
        if (value.IndexOfAny(['\r', '\n']) < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            if (IsSpace(value[i]))
            {
                var start = i;
                var hasBreak = false;
                while (i < value.Length && IsSpace(value[i]))
                {
                    hasBreak |= value[i] is '\r' or '\n';
                    i++;
                }

                builder.Append(hasBreak ? " " : value[start..i]);
                continue;
            }

            builder.Append(value[i]);
            i++;
        }

        return builder.ToString().Trim();
    }

    private static string UnescapeSingle(string raw) => raw.Replace("''", "'", StringComparison.Ordinal);

    private static string UnescapeDouble(string raw)
    {
        if (!raw.Contains('\\', StringComparison.Ordinal))
        {
            return raw;
        }

        var builder = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '\\' || i + 1 >= raw.Length)
            {
                builder.Append(c);
                continue;
            }

            var e = raw[++i];
            switch (e)
            {
                case 'n':
                    builder.Append('\n');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case '0':
                    builder.Append('\0');
                    break;
                case 'u' when i + 4 < raw.Length && int.TryParse(raw.AsSpan(i + 1, 4), System.Globalization.NumberStyles.HexNumber, null, out var code):
                    builder.Append((char)code);
                    i += 4;
                    break;
                default:
                    builder.Append(e);
                    break;
            }
        }

        return builder.ToString();
    }
}
