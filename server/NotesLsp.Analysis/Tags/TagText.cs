using System.Text;

namespace NotesLsp.Analysis.Tags;

/// <summary>Where a tag is written, which decides how it must be quoted.</summary>
public enum TagSlot
{
    /// <summary>A block list item: <c>- tag</c>.</summary>
    BlockItem,

    /// <summary>A flow list item: <c>[tag, ...]</c>.</summary>
    FlowItem,

    /// <summary>One word of a plain space- or comma-separated string.</summary>
    PlainString,

    /// <summary>One word inside a quoted string: escaped for the quote, never quoted itself.</summary>
    QuotedString,
}

/// <summary>Spelling rules for tags: YAML quoting, the loose form used by hygiene, and match quality.</summary>
public static class TagText
{
    /// <summary>
    /// The text to write for a tag in a slot: plain when YAML reads it back as the same string, else double quoted.
    /// Null when the slot cannot hold the tag (a space-separated string cannot hold a tag with a space).
    /// </summary>
    public static string? Format(string tag, TagSlot slot, TagQuote quote = TagQuote.None, bool commaSeparated = false)
    {
        ArgumentNullException.ThrowIfNull(tag);
        switch (slot)
        {
            case TagSlot.PlainString or TagSlot.QuotedString:
                if (tag.Contains(',', StringComparison.Ordinal) || (!commaSeparated && tag.Any(TagScanner.IsSpace)) || tag.Any(c => c is '\r' or '\n'))
                {
                    return null;
                }

                if (slot == TagSlot.QuotedString)
                {
                    return Escape(tag, quote);
                }

                return NeedsQuotes(tag, flow: false) ? null : tag;
            default:
                if (quote != TagQuote.None)
                {
                    return Quote(tag, quote);
                }

                return NeedsQuotes(tag, slot == TagSlot.FlowItem) ? Quote(tag, TagQuote.Double) : tag;
        }
    }

    /// <summary>The tag in the given quotes, escaped.</summary>
    public static string Quote(string tag, TagQuote quote) => quote switch
    {
        TagQuote.Single => "'" + Escape(tag, quote) + "'",
        _ => "\"" + Escape(tag, TagQuote.Double) + "\"",
    };

    private static string Escape(string tag, TagQuote quote) => quote switch
    {
        TagQuote.Single => tag.Replace("'", "''", StringComparison.Ordinal),
        TagQuote.Double => tag.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal),
        _ => tag,
    };

    /// <summary>True when a plain scalar would not read back as this string (YAML 1.1 and 1.2 core rules, both).</summary>
    public static bool NeedsQuotes(string tag, bool flow)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Length == 0 || TagScanner.IsSpace(tag[0]) || TagScanner.IsSpace(tag[^1]))
        {
            return true;
        }

        if (tag[0] is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`')
        {
            return true;
        }

        if (tag.Contains(": ", StringComparison.Ordinal) || tag.Contains(" #", StringComparison.Ordinal) || tag.EndsWith(':')
            || tag.Any(c => c is '\t' or '\r' or '\n'))
        {
            return true;
        }

        if (flow && tag.Any(c => c is ',' or '[' or ']' or '{' or '}'))
        {
            return true;
        }

        // A plain scalar that reads as a boolean, null or number would stop being a string.
        return tag.ToLowerInvariant() is "null" or "~" or "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n"
            || double.TryParse(tag, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            || (tag.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && tag.Length > 2 && tag[2..].All(Uri.IsHexDigit))
            || tag.ToLowerInvariant() is ".inf" or "-.inf" or "+.inf" or ".nan";
    }

    /// <summary>
    /// The loose form two spellings of one tag share: lower case, without <c>-</c>, <c>_</c> or spaces, without a
    /// plural <c>s</c> (so <c>Time_Series</c>, <c>time-series</c> and <c>timeseries</c> agree).
    /// </summary>
    public static string LooseForm(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var builder = new StringBuilder(tag.Length);
        foreach (var c in tag)
        {
            if (c is not ('-' or '_' or ' ' or '\t'))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        if (builder.Length > 3 && builder[^1] == 's' && builder[^2] != 's')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    /// <summary>
    /// True when the two differ by one inserted, deleted or substituted character, case ignored. An edit that
    /// involves a digit does not count: <c>iclr2023</c> and <c>iclr2024</c> are different tags, not a typo.
    /// </summary>
    public static bool IsOneEditApart(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var i = 0;
        while (i < a.Length && i < b.Length && char.ToLowerInvariant(a[i]) == char.ToLowerInvariant(b[i]))
        {
            i++;
        }

        if (i == a.Length && i == b.Length)
        {
            return false;
        }

        var ja = a.Length;
        var jb = b.Length;
        while (ja > i && jb > i && char.ToLowerInvariant(a[ja - 1]) == char.ToLowerInvariant(b[jb - 1]))
        {
            ja--;
            jb--;
        }

        // What remains between the common prefix and suffix is the edit: at most one character on each side.
        if (ja - i > 1 || jb - i > 1)
        {
            return false;
        }

        var changed = a[i..ja] + b[i..jb];
        return !changed.Any(char.IsDigit);
    }

    /// <summary>How well a typed prefix matches a tag, case-insensitively: 3 prefix, 2 word start, 1 subsequence, 0 no match.</summary>
    public static int MatchQuality(string typed, string tag)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(tag);
        if (typed.Length == 0 || tag.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
        {
            return 3;
        }

        var index = tag.IndexOf(typed, StringComparison.OrdinalIgnoreCase);
        while (index > 0)
        {
            if (IsWordStart(tag, index))
            {
                return 2;
            }

            index = tag.IndexOf(typed, index + 1, StringComparison.OrdinalIgnoreCase);
        }

        var position = 0;
        foreach (var c in typed)
        {
            var lower = char.ToLowerInvariant(c);
            while (position < tag.Length && char.ToLowerInvariant(tag[position]) != lower)
            {
                position++;
            }

            if (position == tag.Length)
            {
                return 0;
            }

            position++;
        }

        return 1;
    }

    private static bool IsWordStart(string text, int index) =>
        index == 0 || !char.IsLetterOrDigit(text[index - 1]) || (char.IsUpper(text[index]) && char.IsLower(text[index - 1]));
}
