using System.Buffers;
using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Syntax;

/// <summary>
/// The headings of a note whose block structure is simple enough to read line by line, exactly as Markdig's block
/// parse finds them; for any other note it declines, and <see cref="NoteParser.ParseHeadings"/> asks Markdig.
/// </summary>
/// <remarks>
/// <para>
/// The reader gives a heading only for an ATX heading that starts in the first column (<c># Title</c>), and skips
/// fenced code blocks that open in the first column. That is enough to know every heading of a note when no line has
/// one of the shapes that could make a heading somewhere else or hide one, which are the shapes it declines on:
/// </para>
/// <list type="bullet">
/// <item>an ATX heading opener (<c>#</c> to <c>######</c> then a space or the line's end) that is indented or
/// follows a quote or list marker: its span depends on the containers Markdig has open;</item>
/// <item>a fence (<c>```</c>, <c>~~~</c>) that is indented or follows a marker: whether it opens a code block, and
/// what it holds, depends on the containers and on indented code;</item>
/// <item>a line whose text starts with <c>&lt;</c> (an HTML block may start there and run over blank lines);</item>
/// <item>a line of <c>=</c> or <c>-</c> right after a non-blank line (a setext underline candidate);</item>
/// <item>a tab in a line's indentation or markers, or anywhere in a heading line; a NUL anywhere; a body that starts
/// in the middle of a non-blank line.</item>
/// </list>
/// <para>
/// Why the rest is safe: a line with no indentation and no marker is never a continuation of a container (a list
/// item needs indentation, a quote needs its <c>&gt;</c>, and a heading or fence line is not the paragraph text a lazy
/// continuation needs), and it ends indented code; so such a <c>#</c> line is a top-level heading unless a top-level
/// fenced code block or HTML block holds it, and with the shapes above excluded the only such block is a fence that
/// opened in the first column, which this reader tracks. Defusing (<see cref="NoteParser"/>) only turns deep or far
/// indented container markers into spaces, which never changes a first-column line nor makes a declined shape
/// acceptable, so the reader reads the note's own text.
/// </para>
/// <para>HeadingsDifferentialTests compares this reader with the full parse over the fixture corpora, generated
/// bodies and edge cases, and checks how often it declines on real notes.</para>
/// </remarks>
internal static class HeadingLines
{
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n");

    /// <summary>
    /// Adds the headings of the body after <paramref name="bodyStart"/> (everything before it reads as blank lines,
    /// as Markdig sees a blanked front matter) and returns true; returns false, with <paramref name="headings"/> in
    /// any state, when the body has a line shape this reader does not model.
    /// </summary>
    public static bool TryRead(SourceText source, int bodyStart, ImmutableArray<HeadingSyntax>.Builder headings)
    {
        var text = source.Text;
        if (text.AsSpan(bodyStart).Contains('\0'))
        {
            return false;
        }

        var previousBlank = true;
        var fenceChar = '\0';
        var fenceLength = 0;
        var line = bodyStart;
        if (bodyStart > 0 && text[bodyStart - 1] is not ('\n' or '\r'))
        {
            // The front matter ended mid-line: Markdig sees spaces before the rest, which must then be blank.
            var end = LineEnd(text, bodyStart);
            if (!text.AsSpan(bodyStart, end - bodyStart).TrimStart(' ').IsEmpty)
            {
                return false;
            }

            line = NextLine(text, end);
        }

        while (line < text.Length)
        {
            var end = LineEnd(text, line);
            var next = NextLine(text, end);
            if (fenceLength > 0)
            {
                if (IsClosingFence(text, line, end, fenceChar, fenceLength))
                {
                    fenceLength = 0;
                    previousBlank = false;
                }

                line = next;
                continue;
            }

            var i = line;
            while (i < end && text[i] == ' ')
            {
                i++;
            }

            var firstColumn = i == line;
            var markers = false;
            while (i < end)
            {
                // An underline may follow any of the markers (in that container), and `- ` is itself one (`-` then a space).
                if (!previousBlank && text[i] is '=' or '-' && IsUnderline(text, i, end))
                {
                    return false;
                }

                var length = MarkerLength(text, i, end);
                if (length == 0)
                {
                    break;
                }

                markers = true;
                i += length;
                while (i < end && text[i] == ' ')
                {
                    i++;
                }
            }

            if (i < end && text[i] == '\t')
            {
                return false;
            }

            if (i == end)
            {
                // Blank, or markers alone (an empty item or quote line, which is not blank).
                previousBlank = !markers;
                line = next;
                continue;
            }

            firstColumn &= !markers;
            switch (text[i])
            {
                case '#' when HeadingLevel(text, i, end) is var level and > 0:
                    if (!firstColumn || text.AsSpan(line, end - line).Contains('\t'))
                    {
                        return false;
                    }

                    headings.Add(NoteParser.ReadAtxHeading(source, level, AtxSpan(text, line, end, level)));
                    break;
                case '`' or '~' when FenceLength(text, i, end) is var run and > 0:
                    if (!firstColumn)
                    {
                        return false;
                    }

                    fenceChar = text[i];
                    fenceLength = run;
                    break;
                case '<':
                    return false;
            }

            previousBlank = false;
            line = next;
        }

        return true;
    }

    /// <summary>Where the line starting at <paramref name="line"/> ends (its line break, or the text's end).</summary>
    private static int LineEnd(string text, int line)
    {
        var at = text.AsSpan(line).IndexOfAny(LineBreaks);
        return at < 0 ? text.Length : line + at;
    }

    /// <summary>The start of the line after the line break at <paramref name="end"/> (<c>\n</c>, <c>\r\n</c> or <c>\r</c>, as Markdig reads them).</summary>
    private static int NextLine(string text, int end) =>
        end >= text.Length ? text.Length : text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1;

    /// <summary>
    /// The length of a quote or list marker at <paramref name="i"/>: <c>&gt;</c>; <c>-</c>, <c>*</c>, <c>+</c> or up
    /// to nine digits and <c>.</c> or <c>)</c>, before a space or tab (a tab then declines the line); 0 when none.
    /// </summary>
    private static int MarkerLength(string text, int i, int end)
    {
        var c = text[i];
        if (c == '>')
        {
            return 1;
        }

        if (c is '-' or '*' or '+')
        {
            return i + 1 < end && text[i + 1] is ' ' or '\t' ? 1 : 0;
        }

        var digits = i;
        while (digits < end && digits - i < 9 && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        return digits > i && digits + 1 < end && text[digits] is '.' or ')' && text[digits + 1] is ' ' or '\t' ? digits + 1 - i : 0;
    }

    /// <summary>The level of an ATX heading opener at <paramref name="i"/> (one to six <c>#</c> then a space, a tab or the line's end), else 0.</summary>
    private static int HeadingLevel(string text, int i, int end)
    {
        var run = i;
        while (run < end && text[run] == '#' && run - i < 7)
        {
            run++;
        }

        var level = run - i;
        return level <= 6 && (run == end || text[run] is ' ' or '\t') ? level : 0;
    }

    /// <summary>
    /// The span Markdig gives a first-column ATX heading: the line, less a closing run of <c>#</c> that follows a
    /// space and is followed by spaces only (then less that one space; further spaces before the run stay in).
    /// </summary>
    private static TextSpan AtxSpan(string text, int line, int end, int level)
    {
        // Markdig looks for the closing run back to the space after the opening run.
        var contentStart = line + level + 1;
        var last = end - 1;
        var i = last;
        while (i >= contentStart - 1 && text[i] == ' ')
        {
            i--;
        }

        var closing = 0;
        while (i >= contentStart - 1 && text[i] == '#')
        {
            closing++;
            i--;
        }

        if (closing > 0 && i >= contentStart - 1 && text[i] == ' ')
        {
            last = i - 1;
        }

        return TextSpan.FromBounds(line, Math.Max(line + 1, last + 1));
    }

    /// <summary>The length of a fence opener at <paramref name="i"/>: three or more <c>`</c> (with no <c>`</c> after them on the line) or <c>~</c>; else 0.</summary>
    private static int FenceLength(string text, int i, int end)
    {
        var c = text[i];
        var run = i;
        while (run < end && text[run] == c)
        {
            run++;
        }

        if (run - i < 3 || (c == '`' && text.AsSpan(run, end - run).Contains('`')))
        {
            return 0;
        }

        return run - i;
    }

    /// <summary>True for a line closing the open fence: up to three spaces, at least as many of its character, then spaces or tabs only.</summary>
    private static bool IsClosingFence(string text, int line, int end, char fenceChar, int fenceLength)
    {
        var i = line;
        while (i < end && i - line < 3 && text[i] == ' ')
        {
            i++;
        }

        var run = i;
        while (run < end && text[run] == fenceChar)
        {
            run++;
        }

        return run - i >= fenceLength && text.AsSpan(run, end - run).TrimEnd(" \t").IsEmpty;
    }

    /// <summary>True when the line from <paramref name="i"/> is one character repeated, then spaces or tabs only: a setext underline's shape.</summary>
    private static bool IsUnderline(string text, int i, int end)
    {
        var c = text[i];
        var run = i;
        while (run < end && text[run] == c)
        {
            run++;
        }

        return text.AsSpan(run, end - run).TrimEnd(" \t").IsEmpty;
    }
}
