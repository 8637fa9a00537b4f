using System.Text;

using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Syntax;

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
public static partial class TagText
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

    /// <summary>
    /// True when the tag written plain would not read back as this string. Decided by reading it back: the text
    /// goes through the server's own YAML reader (<see cref="FrontMatterParser"/>) in the slot it is written to,
    /// and the scalar must come back plain, equal, and not typed otherwise by YAML 1.1 (<see cref="ReadsAsNonString"/>).
    /// The quick rules before that only save the parse for tags that plainly need quotes.
    /// </summary>
    public static bool NeedsQuotes(string tag, bool flow) => NeedsQuotesByRule(tag, flow) || !ReadsBackPlain(tag, flow);

    /// <summary>
    /// True when YAML 1.1 gives this plain scalar a type other than string: booleans (<c>yes</c>, <c>Off</c>), null,
    /// numbers in any base or with <c>_</c> (<c>0b101</c>, <c>1_000</c>, <c>12:30</c>), special floats, timestamps
    /// (<c>2024-01-01</c>) and the merge and value keys (<c>&lt;&lt;</c>, <c>=</c>). The same typing the front matter checks use.
    /// </summary>
    public static bool ReadsAsNonString(string plainValue)
    {
        ArgumentNullException.ThrowIfNull(plainValue);
        return plainValue is "<<" or "=" || FrontMatterValidator.ImplicitTypeOf(plainValue) is not null || Yaml11Timestamp().IsMatch(plainValue)
            || double.TryParse(plainValue, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
    }

    private static bool ReadsBackPlain(string tag, bool flow)
    {
        if (ReadsAsNonString(tag))
        {
            return false;
        }

        // Letters, digits, '-' and '_' after a letter always make one plain scalar, in a block or a flow: no parse.
        if (char.IsLetter(tag[0]) && tag.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'))
        {
            return true;
        }

        var document = FrontMatterParser.ParseYamlDocument(flow ? $"k: [{tag}]\n" : $"k:\n  - {tag}\n");
        return document.Errors.IsEmpty
            && document.Root is YamlMapping { Entries: [{ Value: YamlSequence { Items: [YamlScalar { IsPlain: true } scalar] } }] }
            && scalar.Value == tag;
    }

    private static bool NeedsQuotesByRule(string tag, bool flow)
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
        if (IsLoose(tag))
        {
            // Most tags already are (lower case, no separators, no plural s): no copy.
            return tag;
        }

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

    private static bool IsLoose(string tag)
    {
        foreach (var c in tag)
        {
            if (c is '-' or '_' or ' ' or '\t' || char.ToLowerInvariant(c) != c)
            {
                return false;
            }
        }

        return !(tag.Length > 3 && tag[^1] == 's' && tag[^2] != 's');
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

    /// <summary>YAML 1.1's timestamp: a date, optionally with a time and a zone.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{1,2}-\d{1,2}(([Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(\.\d*)?([ \t]*(Z|[-+]\d{1,2}(:\d{2})?))?)?$")]
    private static partial System.Text.RegularExpressions.Regex Yaml11Timestamp();
}
