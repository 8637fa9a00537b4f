using System.Text;

namespace NotesLsp.Analysis.Papers;

/// <summary>
/// Makes untrusted text (titles, abstracts, author names from OpenReview or a catalog file) safe to put into
/// hover and completion Markdown: it always renders as the same plain text, never as HTML, a link, an image,
/// a heading, a list, emphasis or a table.
/// </summary>
public static class MarkdownText
{
    /// <summary>Collapses white space to single spaces and backslash-escapes every Markdown punctuation character.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length + 16);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            // CommonMark lets any ASCII punctuation be backslash-escaped; escaping the ones with meaning (and
            // ':' so no scheme such as command: or javascript: can become an autolink) keeps the text literal.
            if (c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '-' or '.' or '!'
                or '|' or '<' or '>' or '~' or '&' or ':' or '=' or '^' or '$' or '"' or '\'')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Cuts text at a word boundary near <paramref name="max"/> characters, marking the cut with an ellipsis.</summary>
    public static string Trim(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', max);
        return (cut > max / 2 ? text[..cut] : text[..max]).TrimEnd(',', ';', ':', '.', ' ') + "…";
    }

    /// <summary>A link destination safe inside <c>(...)</c>: spaces, parentheses and angle brackets percent-encoded.</summary>
    public static string Destination(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Replace(" ", "%20", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal)
            .Replace(")", "%29", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal);
    }
}
