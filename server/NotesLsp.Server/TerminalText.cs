using System.Text;

namespace NotesLsp.Server;

/// <summary>
/// Text from outside (paper titles, OpenReview's error messages) made safe to print on a terminal: control
/// characters (C0, DEL, C1: escape sequences set the window title or clear the screen) and the bidirectional
/// overrides (which make a line read differently than it is) become one space each. JSON output needs none of
/// this: the serializer escapes control characters.
/// </summary>
public static class TerminalText
{
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(Unsafe))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(IsUnsafe(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(IsUnsafe)]);
}
