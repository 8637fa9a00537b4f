using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Syntax;

/// <summary>
/// Reads the YAML subset that nearly every note's front matter is written in, straight from the note's text, and
/// gives up (returns false) on anything else so that YamlDotNet reads it. What it returns is exactly what the
/// YamlDotNet path makes of the same text: the same nodes, values, styles and spans (a differential test over the
/// fixtures, generated front matter and edge cases checks it).
/// </summary>
/// <remarks>
/// The subset: a block mapping at column 0 whose keys are plain words (<c>[A-Za-z0-9_][A-Za-z0-9_.-]*</c>) and
/// whose values are, each on its key's line, a plain scalar, a single- or double-quoted scalar (no escapes), a flow
/// sequence of such scalars closed on the same line (<c>[a, "b"]</c>), nothing (an empty scalar), or, on the lines
/// below an empty value, a block sequence of such scalars (<c>- a</c>, indented or not); comments and blank lines
/// anywhere. Everything else gives up: tabs, carriage returns and other characters YAML treats specially,
/// anchors, aliases, tags, block scalars, flow mappings, nested mappings, multi-line scalars or flows, escapes,
/// odd indentation, anything that would be a YAML error. Why: the YamlDotNet scanner and parser were half the
/// cost of reading a note (allocation-heavy, a substring and a reader per note); this reads the common case with
/// one allocation per node.
/// </remarks>
internal static class FrontMatterFastReader
{
    /// <summary>
    /// Reads <paramref name="content"/> of <paramref name="s"/>; false when the text is outside the subset (or
    /// near a limit), and then nothing is known.
    /// </summary>
    /// <param name="s">The note.</param>
    /// <param name="content">The YAML's span in the note.</param>
    /// <param name="limits">The limits; the fast path only runs far inside them.</param>
    /// <param name="root">The root node (null when the YAML holds only comments and blank lines).</param>
    public static bool TryRead(string s, TextSpan content, FrontMatterLimits limits, out YamlNode? root)
    {
        root = null;
        var start = content.Start;
        var end = content.End;
        if (limits.MaxDepth < 2 || !AllPlain(s, start, end))
        {
            return false;
        }

        // Only comments and blank lines: no node at all. Else a mapping whose first key is at column 0.
        var first = NextContentLine(s, start, end);
        if (first == end)
        {
            return true;
        }

        var reader = new Reader(s, end, Math.Min(limits.MaxDepth, MaxNesting));
        if (s[first] == ' ' || !reader.TryMapping(first, 0, 1, out var mapping, out var after) || after != end || reader.Events + 8 > limits.MaxNodes)
        {
            return false;
        }

        root = mapping;
        return true;
    }

    /// <summary>Mappings nested deeper than this are left to YamlDotNet (front matter rarely nests at all).</summary>
    private const int MaxNesting = 8;

    private sealed class Reader(string s, int end, int maxDepth)
    {
        /// <summary>About how many parser events YamlDotNet would make of what was read (its node limit counts them).</summary>
        public int Events { get; private set; } = 5;

        /// <summary>
        /// A block mapping whose first key starts the line at <paramref name="lineStart"/>, its keys at column
        /// <paramref name="indent"/>; <paramref name="next"/> is the start of the line after it (a key of an outer
        /// mapping), or the end.
        /// </summary>
        public bool TryMapping(int lineStart, int indent, int depth, out YamlMapping mapping, out int next)
        {
            mapping = null!;
            next = end;
            if (depth > maxDepth)
            {
                return false;
            }

            var entries = ImmutableArray.CreateBuilder<YamlEntry>();
            var mappingStart = lineStart + indent;
            var line = lineStart;
            while (true)
            {
                var lineEnd = LineEnd(s, line, end);
                var pos = line + indent;

                // A key, ':' and then a space or the line's end (YamlDotNet refuses a key longer than 1024 characters).
                if (!IsKeyStart(s[pos]))
                {
                    return false;
                }

                var keyEnd = pos + 1;
                while (keyEnd < lineEnd && IsKeyChar(s[keyEnd]))
                {
                    keyEnd++;
                }

                if (keyEnd >= lineEnd || s[keyEnd] != ':' || (keyEnd + 1 < lineEnd && s[keyEnd + 1] != ' ') || keyEnd - pos > 1000)
                {
                    return false;
                }

                var key = new YamlScalar(new TextSpan(pos, keyEnd - pos), s.Substring(pos, keyEnd - pos), YamlScalarStyle.Plain, null);
                var colonEnd = keyEnd + 1;
                var p = SkipSpaces(s, colonEnd, lineEnd);
                YamlNode value;
                if (p == lineEnd || s[p] == '#')
                {
                    // An empty value: a block sequence or a mapping below, or an empty scalar at the ':' end.
                    next = NextContentLine(s, Next(lineEnd, end), end);
                    var nextIndent = next < end ? Indent(next) : -1;
                    if (nextIndent >= indent && IsItem(next + nextIndent))
                    {
                        if (!TryBlockSequence(next, indent, nextIndent, depth + 1, out var sequence, out next))
                        {
                            return false;
                        }

                        value = sequence;
                    }
                    else if (nextIndent > indent)
                    {
                        if (!TryMapping(next, nextIndent, depth + 1, out var nested, out next))
                        {
                            return false;
                        }

                        value = nested;
                    }
                    else
                    {
                        Events++;
                        value = new YamlScalar(new TextSpan(colonEnd, 0), string.Empty, YamlScalarStyle.Plain, null);
                    }
                }
                else
                {
                    int valueEnd;
                    if (s[p] == '[')
                    {
                        if (depth + 1 > maxDepth || !TryFlowSequence(s, p, lineEnd, out var sequence, out valueEnd))
                        {
                            return false;
                        }

                        Events += sequence.Items.Length + 2;
                        value = sequence;
                    }
                    else if (TryScalar(s, p, lineEnd, flow: false, out var scalar, out valueEnd))
                    {
                        Events++;
                        value = scalar;
                    }
                    else
                    {
                        return false;
                    }

                    // Only blank and comment lines may stand between this entry and the next key: a line indented
                    // deeper would continue the scalar or nest under it.
                    next = NextContentLine(s, Next(lineEnd, end), end);
                    if (!RestIsComment(s, valueEnd, lineEnd) || (next < end && Indent(next) > indent))
                    {
                        return false;
                    }
                }

                entries.Add(new YamlEntry(key, value));
                Events++;

                // The next line holds the next key of this mapping, or (indented less) ends it.
                var at = next < end ? Indent(next) : -1;
                if (at == indent)
                {
                    line = next;
                    continue;
                }

                if (at > indent)
                {
                    return false;
                }

                // YamlDotNet starts the mapping at its first key (an empty mark) and ends it where the next token starts.
                mapping = new YamlMapping(TextSpan.FromBounds(mappingStart, next < end ? next + at : end), entries.ToImmutable(), IsFlow: false);
                Events += 2;
                return true;
            }
        }

        /// <summary>
        /// A block sequence of scalars, the value of a key at column <paramref name="keyIndent"/>, whose first item
        /// is on the line at <paramref name="lineStart"/> with its '-' at column <paramref name="indent"/>.
        /// <paramref name="next"/> is the start of the next content line (or the end).
        /// </summary>
        private bool TryBlockSequence(int lineStart, int keyIndent, int indent, int depth, out YamlSequence sequence, out int next)
        {
            sequence = null!;
            next = end;
            if (depth > maxDepth)
            {
                return false;
            }

            var dash = lineStart + indent;
            var items = ImmutableArray.CreateBuilder<YamlNode>();
            var line = lineStart;
            int at;
            while (true)
            {
                var lineEnd = LineEnd(s, line, end);
                var item = line + indent;

                // '-', a space and a scalar: an empty item, a nested sequence or a mapping in an item are outside the subset.
                var p = SkipSpaces(s, item + 2, lineEnd);
                if (p == lineEnd || !TryScalar(s, p, lineEnd, flow: false, out var scalar, out var scalarEnd) || !RestIsComment(s, scalarEnd, lineEnd))
                {
                    return false;
                }

                items.Add(scalar);
                Events++;
                next = NextContentLine(s, Next(lineEnd, end), end);
                at = next < end ? Indent(next) : -1;
                if (at == indent && IsItem(next + at))
                {
                    line = next;
                    continue;
                }

                // The end: the next key of the mapping this sequence is in (at its column, or at the key's own column
                // for an indented sequence), or of an outer one, or the end of the text. Anything else gives up.
                if (at > keyIndent || (at == keyIndent && indent > keyIndent && IsItem(next + at)))
                {
                    return false;
                }

                break;
            }

            // YamlDotNet: an indented sequence starts where its first '-' stands (an empty mark), one at its key's own
            // column (an "indentless" one) spans that '-'; both end where the next token starts.
            var stop = next < end ? next + at : end;
            sequence = new YamlSequence(TextSpan.FromBounds(dash, stop), items.ToImmutable(), IsFlow: false);
            Events += 2;
            return true;
        }

        private int Indent(int lineStart) => SkipSpaces(s, lineStart, end) - lineStart;

        private bool IsItem(int p) => p + 1 < end && s[p] == '-' && s[p + 1] == ' ';
    }

    /// <summary>A flow sequence of scalars opened at <paramref name="open"/> and closed on the same line.</summary>
    private static bool TryFlowSequence(string s, int open, int lineEnd, out YamlSequence sequence, out int after)
    {
        sequence = null!;
        after = lineEnd;
        var items = ImmutableArray.CreateBuilder<YamlNode>();
        var p = SkipSpaces(s, open + 1, lineEnd);
        if (p < lineEnd && s[p] == ']')
        {
            sequence = new YamlSequence(TextSpan.FromBounds(open, p), [], IsFlow: true);
            after = p + 1;
            return true;
        }

        while (true)
        {
            if (p >= lineEnd || !TryScalar(s, p, lineEnd, flow: true, out var scalar, out var scalarEnd))
            {
                return false;
            }

            items.Add(scalar);
            p = SkipSpaces(s, scalarEnd, lineEnd);
            if (p >= lineEnd)
            {
                return false;
            }

            if (s[p] == ']')
            {
                break;
            }

            if (s[p] != ',')
            {
                return false;
            }

            p = SkipSpaces(s, p + 1, lineEnd);
        }

        // The sequence starts at '[' and ends at ']' (both empty marks in YamlDotNet's events).
        sequence = new YamlSequence(TextSpan.FromBounds(open, p), items.ToImmutable(), IsFlow: true);
        after = p + 1;
        return true;
    }

    /// <summary>A one-line scalar starting at <paramref name="p"/>: plain, or quoted without escapes.</summary>
    private static bool TryScalar(string s, int p, int lineEnd, bool flow, out YamlScalar scalar, out int after)
    {
        scalar = null!;
        after = p;
        var c = s[p];
        if (c == '\'')
        {
            var builder = default(System.Text.StringBuilder);
            var from = p + 1;
            var i = from;
            while (true)
            {
                if (i >= lineEnd)
                {
                    return false;
                }

                if (s[i] == '\'')
                {
                    if (i + 1 < lineEnd && s[i + 1] == '\'')
                    {
                        builder ??= new System.Text.StringBuilder();
                        builder.Append(s, from, i + 1 - from);
                        i += 2;
                        from = i;
                        continue;
                    }

                    break;
                }

                i++;
            }

            var value = builder is null ? s.Substring(from, i - from) : builder.Append(s, from, i - from).ToString();
            scalar = new YamlScalar(TextSpan.FromBounds(p, i + 1), value, YamlScalarStyle.SingleQuoted, null);
            after = i + 1;
            return true;
        }

        if (c == '"')
        {
            var i = p + 1;
            while (i < lineEnd && s[i] != '"')
            {
                if (s[i] == '\\')
                {
                    return false;
                }

                i++;
            }

            if (i >= lineEnd)
            {
                return false;
            }

            scalar = new YamlScalar(TextSpan.FromBounds(p, i + 1), s.Substring(p + 1, i - p - 1), YamlScalarStyle.DoubleQuoted, null);
            after = i + 1;
            return true;
        }

        if (IsIndicator(c))
        {
            return false;
        }

        // Plain: up to a comment (" #") or the line's end, or in a flow up to ',' or ']'. A ':' before a space
        // (a mapping) and, in a flow, any of ":#[]{}?" give up.
        var last = p; // one past the last non-space character
        var j = p;
        while (j < lineEnd)
        {
            var ch = s[j];
            if (ch == ' ')
            {
                if (j + 1 < lineEnd && s[j + 1] == '#')
                {
                    break;
                }

                j++;
                continue;
            }

            if (flow)
            {
                if (ch is ',' or ']')
                {
                    break;
                }

                if (ch is ':' or '#' or '[' or '{' or '}' or '?' or '\'' or '"')
                {
                    return false;
                }
            }
            else if (ch == ':' && (j + 1 == lineEnd || s[j + 1] == ' '))
            {
                return false;
            }

            j++;
            last = j;
        }

        scalar = new YamlScalar(TextSpan.FromBounds(p, last), s.Substring(p, last - p), YamlScalarStyle.Plain, null);
        after = last;
        return true;
    }

    /// <summary>Only spaces, or spaces and a comment (at least one space before its '#', unless at the start).</summary>
    private static bool RestIsComment(string s, int p, int lineEnd)
    {
        var q = SkipSpaces(s, p, lineEnd);
        return q == lineEnd || (s[q] == '#' && q > p);
    }

    /// <summary>The start of the next line at or after <paramref name="pos"/> that is neither blank nor a comment, or <paramref name="end"/>.</summary>
    private static int NextContentLine(string s, int pos, int end)
    {
        while (pos < end)
        {
            var lineEnd = LineEnd(s, pos, end);
            if (!IsBlankOrComment(s, pos, lineEnd))
            {
                return pos;
            }

            pos = Next(lineEnd, end);
        }

        return end;
    }

    private static bool IsBlankOrComment(string s, int pos, int lineEnd)
    {
        var p = SkipSpaces(s, pos, lineEnd);
        return p == lineEnd || s[p] == '#';
    }

    private static int SkipSpaces(string s, int p, int lineEnd)
    {
        while (p < lineEnd && s[p] == ' ')
        {
            p++;
        }

        return p;
    }

    private static int LineEnd(string s, int pos, int end)
    {
        var i = s.AsSpan(pos, end - pos).IndexOf('\n');
        return i < 0 ? end : pos + i;
    }

    private static int Next(int lineEnd, int end) => Math.Min(lineEnd + 1, end);

    private static bool IsKeyStart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    /// <summary>Characters a plain scalar may not start with here (YAML's indicators, and '-', '?', ':' which sometimes start one).</summary>
    private static bool IsIndicator(char c) => c is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' or ' ';

    /// <summary>
    /// No character YAML reads specially outside the subset: tabs, carriage returns, other control characters, the
    /// other YAML line breaks (NEL, U+2028, U+2029), BOMs, surrogates and non-characters.
    /// </summary>
    private static bool AllPlain(string s, int start, int end)
    {
        foreach (var c in s.AsSpan(start, end - start))
        {
            if (c is (< ' ' and not '\n') or (>= '\u007F' and < '\u00A0') or '\u2028' or '\u2029' or '\uFEFF' or (>= '\uD800' and <= '\uDFFF') or >= '\uFFFE')
            {
                return false;
            }
        }

        return true;
    }
}
