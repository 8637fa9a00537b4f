// Layer invariant: NotesLsp.Text is immutable text plus a line index. It has no dependencies and knows
// nothing of Markdown, YAML or LSP. Offsets and characters are UTF-16 code units (the unit of a .NET
// string and of LSP's default position encoding), so a Position converts to an offset with no decoding.
using System.Buffers;

namespace NotesLsp.Text;

/// <summary>A zero-based line and UTF-16 character, the shape of an LSP position.</summary>
public readonly record struct LinePosition(int Line, int Character) : IComparable<LinePosition>
{
    public int CompareTo(LinePosition other) =>
        Line != other.Line ? Line.CompareTo(other.Line) : Character.CompareTo(other.Character);

    public static bool operator <(LinePosition left, LinePosition right) => left.CompareTo(right) < 0;

    public static bool operator <=(LinePosition left, LinePosition right) => left.CompareTo(right) <= 0;

    public static bool operator >(LinePosition left, LinePosition right) => left.CompareTo(right) > 0;

    public static bool operator >=(LinePosition left, LinePosition right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Line}:{Character}";
}

/// <summary>A half-open range of two positions.</summary>
public readonly record struct LineRange(LinePosition Start, LinePosition End)
{
    public override string ToString() => $"{Start}-{End}";
}

/// <summary>A half-open span of UTF-16 offsets into a text.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    public bool Contains(int offset) => offset >= Start && offset < End;

    /// <summary>True when the offset is inside the span or touches its end (a cursor after the last character).</summary>
    public bool ContainsOrTouches(int offset) => offset >= Start && offset <= End;

    public override string ToString() => $"{Start}-{End}";
}

/// <summary>
/// An immutable text with a line index. Lines end at "\n", "\r\n" or "\r" (each counts as one line break).
/// </summary>
public sealed class SourceText
{
    private readonly int[] lineStarts;

    private SourceText(string text)
    {
        Text = text;
        lineStarts = ComputeLineStarts(text);
    }

    public static SourceText Empty { get; } = new(string.Empty);

    public string Text { get; }

    public int Length => Text.Length;

    public int LineCount => lineStarts.Length;

    public static SourceText From(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? Empty : new SourceText(text);
    }

    public override string ToString() => Text;

    /// <summary>The offset where a line starts; lines past the end clamp to the end of the text.</summary>
    public int GetLineStart(int line)
    {
        if (line < 0)
        {
            return 0;
        }

        return line < lineStarts.Length ? lineStarts[line] : Text.Length;
    }

    /// <summary>The offset where a line's content ends, before its line break.</summary>
    public int GetLineContentEnd(int line)
    {
        if (line < 0)
        {
            return 0;
        }

        if (line >= lineStarts.Length)
        {
            return Text.Length;
        }

        var end = line + 1 < lineStarts.Length ? lineStarts[line + 1] : Text.Length;
        if (end > lineStarts[line] && Text[end - 1] == '\n')
        {
            end--;
        }

        if (end > lineStarts[line] && Text[end - 1] == '\r')
        {
            end--;
        }

        return end;
    }

    /// <summary>The line's text without its line break.</summary>
    public string GetLineText(int line)
    {
        var start = GetLineStart(line);
        return Text[start..GetLineContentEnd(line)];
    }

    /// <summary>The line that contains an offset (an offset at the very end belongs to the last line).</summary>
    public int GetLineFromOffset(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var index = Array.BinarySearch(lineStarts, offset);
        return index >= 0 ? index : ~index - 1;
    }

    public LinePosition GetPosition(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var line = GetLineFromOffset(offset);
        return new LinePosition(line, offset - lineStarts[line]);
    }

    public LineRange GetRange(TextSpan span) => new(GetPosition(span.Start), GetPosition(span.End));

    /// <summary>
    /// The offset of a position. As LSP asks, a character past the end of its line means the end of the line,
    /// and a line past the end of the text means the end of the text; negative values clamp to zero.
    /// </summary>
    public int GetOffset(LinePosition position)
    {
        if (position.Line < 0)
        {
            return 0;
        }

        if (position.Line >= lineStarts.Length)
        {
            return Text.Length;
        }

        var start = lineStarts[position.Line];
        var contentEnd = GetLineContentEnd(position.Line);
        return Math.Clamp(start + Math.Max(0, position.Character), start, contentEnd);
    }

    public TextSpan GetSpan(LineRange range)
    {
        var start = GetOffset(range.Start);
        var end = GetOffset(range.End);
        return end < start ? TextSpan.FromBounds(end, start) : TextSpan.FromBounds(start, end);
    }

    public string Slice(TextSpan span) => Text.Substring(span.Start, span.Length);

    /// <summary>Applies one change: a null range replaces the whole text, as in LSP's full-document sync.</summary>
    public SourceText WithChange(TextChange change)
    {
        if (change.Range is not { } range)
        {
            return From(change.NewText);
        }

        var span = GetSpan(range);
        return From(string.Concat(Text.AsSpan(0, span.Start), change.NewText, Text.AsSpan(span.End)));
    }

    /// <summary>Applies changes in order, each to the result of the one before, as LSP's didChange requires.</summary>
    public SourceText WithChanges(IEnumerable<TextChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var current = this;
        foreach (var change in changes)
        {
            current = current.WithChange(change);
        }

        return current;
    }

    private static int[] ComputeLineStarts(string text)
    {
        // Collected in a rented buffer and copied once at the exact count: a list sized by a guess and then copied
        // (ToArray) allocated about three times the array it made, 1.2 KB of every note the start-up scan read.
        var starts = ArrayPool<int>.Shared.Rent(Math.Clamp(text.Length / 32, 16, 4096));
        try
        {
            starts[0] = 0;
            var count = 1;
            var span = text.AsSpan();
            var offset = 0;
            while (true)
            {
                // IndexOfAny is vectorised: notes are mostly line content, so this skips it in wide steps.
                var found = span[offset..].IndexOfAny('\r', '\n');
                if (found < 0)
                {
                    break;
                }

                offset += found;
                if (span[offset] == '\r' && offset + 1 < span.Length && span[offset + 1] == '\n')
                {
                    offset++;
                }

                offset++;
                if (count == starts.Length)
                {
                    var larger = ArrayPool<int>.Shared.Rent(starts.Length * 2);
                    starts.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<int>.Shared.Return(starts);
                    starts = larger;
                }

                starts[count++] = offset;
            }

            return starts.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
        }
    }
}

/// <summary>A text change in LSP's shape: a range (null means the whole document) and its replacement.</summary>
public readonly record struct TextChange(LineRange? Range, string NewText);

/// <summary>An edit in offsets: replace <see cref="Span"/> with <see cref="NewText"/>.</summary>
public readonly record struct TextEdit(TextSpan Span, string NewText)
{
    /// <summary>Applies non-overlapping edits (in any order) to a text.</summary>
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(edits);
        var ordered = edits.OrderBy(e => e.Span.Start).ThenBy(e => e.Span.End).ToList();
        var builder = new System.Text.StringBuilder(text.Length);
        var position = 0;
        foreach (var edit in ordered)
        {
            if (edit.Span.Start < position)
            {
                throw new ArgumentException("Edits overlap.", nameof(edits));
            }

            builder.Append(text, position, edit.Span.Start - position);
            builder.Append(edit.NewText);
            position = edit.Span.End;
        }

        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }
}
