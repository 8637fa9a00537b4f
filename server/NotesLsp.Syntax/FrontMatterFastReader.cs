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

        List<YamlEntry>? entries = null;
        var mappingStart = -1;
        var events = 5;
        var pos = start;
        while (pos < end)
        {
            var lineEnd = LineEnd(s, pos, end);
            if (IsBlankOrComment(s, pos, lineEnd))
            {
                pos = Next(lineEnd, end);
                continue;
            }

            // A key at column 0, ':' and then a space or the line's end.
            if (!IsKeyStart(s[pos]))
            {
                return false;
            }

            var keyEnd = pos + 1;
            while (keyEnd < lineEnd && IsKeyChar(s[keyEnd]))
            {
                keyEnd++;
            }

            // (YamlDotNet refuses a key longer than 1024 characters.)
            if (keyEnd >= lineEnd || s[keyEnd] != ':' || (keyEnd + 1 < lineEnd && s[keyEnd + 1] != ' ') || keyEnd - pos > 1000)
            {
                return false;
            }

            if (mappingStart < 0)
            {
                mappingStart = pos;
                entries = [];
            }

            var key = new YamlScalar(new TextSpan(pos, keyEnd - pos), s.Substring(pos, keyEnd - pos), YamlScalarStyle.Plain, null);
            var colonEnd = keyEnd + 1;
            var p = SkipSpaces(s, colonEnd, lineEnd);
            YamlNode value;
            int after;
            if (p == lineEnd || s[p] == '#')
            {
                // An empty value: a block sequence below, or an empty scalar at the ':' end.
                var next = NextContentLine(s, Next(lineEnd, end), end);
                if (next < end && LineIndentIsSequence(s, next, end, out var indent))
                {
                    if (!TryBlockSequence(s, next, indent, end, ref events, out var sequence, out after))
                    {
                        return false;
                    }

                    value = sequence;
                    entries!.Add(new YamlEntry(key, value));
                    events += 2;
                    pos = after;
                    continue;
                }

                if (next < end && s[next] == ' ')
                {
                    return false; // something indented below: a nested mapping or a multi-line scalar.
                }

                value = new YamlScalar(new TextSpan(colonEnd, 0), string.Empty, YamlScalarStyle.Plain, null);
                after = lineEnd;
            }
            else if (s[p] == '[')
            {
                if (!TryFlowSequence(s, p, lineEnd, ref events, out var sequence, out after))
                {
                    return false;
                }

                value = sequence;
            }
            else if (!TryScalar(s, p, lineEnd, flow: false, out var scalar, out after))
            {
                return false;
            }
            else
            {
                value = scalar;
            }

            if (!RestIsComment(s, after, lineEnd))
            {
                return false;
            }

            entries!.Add(new YamlEntry(key, value));
            events += 2;

            // Only blank and comment lines may stand between this entry and the next key: an indented line
            // would continue the scalar or nest under it.
            pos = NextContentLine(s, Next(lineEnd, end), end);
            if (pos < end && s[pos] == ' ')
            {
                return false;
            }
        }

        if (events + 8 > limits.MaxNodes)
        {
            return false;
        }

        if (entries is not null)
        {
            root = new YamlMapping(TextSpan.FromBounds(mappingStart, end), [.. entries], IsFlow: false);
        }

        return true;
    }

    /// <summary>A block sequence of scalars whose first item is on the line at <paramref name="lineStart"/>, its '-' at <paramref name="indent"/>.</summary>
    private static bool TryBlockSequence(string s, int lineStart, int indent, int end, ref int events, out YamlSequence sequence, out int after)
    {
        sequence = null!;
        after = end;
        var dash = lineStart + indent;
        var items = ImmutableArray.CreateBuilder<YamlNode>();
        var pos = lineStart;
        while (true)
        {
            var lineEnd = LineEnd(s, pos, end);
            var item = pos + indent;

            // '-', a space and a scalar: an empty item, a nested sequence or a mapping in an item are outside the subset.
            if (item + 2 > lineEnd || s[item] != '-' || s[item + 1] != ' ')
            {
                return false;
            }

            var p = SkipSpaces(s, item + 2, lineEnd);
            if (p == lineEnd || !TryScalar(s, p, lineEnd, flow: false, out var scalar, out var scalarEnd) || !RestIsComment(s, scalarEnd, lineEnd))
            {
                return false;
            }

            items.Add(scalar);
            events++;
            pos = NextContentLine(s, Next(lineEnd, end), end);
            if (pos >= end || s[pos] != ' ' && (indent > 0 || s[pos] != '-'))
            {
                break; // the end, or the next key at column 0.
            }

            if (!LineIndentIsSequence(s, pos, end, out var nextIndent) || nextIndent != indent)
            {
                return false;
            }
        }

        // YamlDotNet: an indented sequence starts where its first '-' stands (an empty mark), a sequence at the
        // key's own column (an "indentless" one) spans that '-'; both end where the next token starts.
        var stop = Math.Min(pos, end);
        sequence = new YamlSequence(TextSpan.FromBounds(dash, stop), items.ToImmutable(), IsFlow: false);
        after = stop;
        return true;
    }

    /// <summary>A flow sequence of scalars opened at <paramref name="open"/> and closed on the same line.</summary>
    private static bool TryFlowSequence(string s, int open, int lineEnd, ref int events, out YamlSequence sequence, out int after)
    {
        sequence = null!;
        after = lineEnd;
        var items = ImmutableArray.CreateBuilder<YamlNode>();
        var p = SkipSpaces(s, open + 1, lineEnd);
        if (p < lineEnd && s[p] == ']')
        {
            sequence = new YamlSequence(TextSpan.FromBounds(open, p), [], IsFlow: true);
            after = p + 1;
            events += 2;
            return true;
        }

        while (true)
        {
            if (p >= lineEnd || !TryScalar(s, p, lineEnd, flow: true, out var scalar, out var scalarEnd))
            {
                return false;
            }

            items.Add(scalar);
            events++;
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
        events += 2;
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

    /// <summary>The line at <paramref name="lineStart"/> is spaces then "- " (an item); its '-' column.</summary>
    private static bool LineIndentIsSequence(string s, int lineStart, int end, out int indent)
    {
        var lineEnd = LineEnd(s, lineStart, end);
        var p = SkipSpaces(s, lineStart, lineEnd);
        indent = p - lineStart;
        return p + 1 < lineEnd && s[p] == '-' && s[p + 1] == ' ';
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
