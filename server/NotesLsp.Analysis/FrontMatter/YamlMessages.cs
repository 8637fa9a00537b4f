using System.Text.RegularExpressions;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.FrontMatter;

/// <summary>A YAML error said for a person, with a precise range and, when quoting the value fixes it, the value.</summary>
/// <param name="QuoteSpan">The plain value to quote, when that is the fix.</param>
/// <param name="Replacement">Text to put in place of <see cref="Span"/>, when the fix is a rewrite (re-quoting).</param>
internal sealed record DescribedYamlError(TextSpan Span, string Message, TextSpan? QuoteSpan, string? Replacement = null);

/// <summary>
/// Turns YamlDotNet's parser messages ("Mapping values are not allowed in this context.") into what went wrong
/// in the user's terms, by looking at the line the error is on.
/// </summary>
internal static partial class YamlMessages
{
    public const string ColonInValue = "a value containing ': ' must be quoted";

    private const string NoColon = "this line is not `key: value`: add a ':' after the key, or indent it to continue the value above";

    public static DescribedYamlError Describe(SourceText text, YamlSyntaxError error)
    {
        var line = text.GetLineFromOffset(error.Span.Start);
        var lineStart = text.GetLineStart(line);
        var lineEnd = text.GetLineContentEnd(line);
        var lineSpan = TextSpan.FromBounds(lineStart, lineEnd);
        var message = error.Message;
        var value = YamlLines.ValueOf(text, line);

        if (message.StartsWith("Mapping values are not allowed", StringComparison.Ordinal)
            || message.Contains("found invalid mapping", StringComparison.Ordinal))
        {
            if (value is { } v && !v.IsQuoted && text.Slice(v.Span).Contains(": ", StringComparison.Ordinal))
            {
                return new DescribedYamlError(v.Span, ColonInValue, v.Span);
            }

            if (value is { } indented && ContinuesValueAbove(text, line))
            {
                var key = text.Slice(indented.KeySpan);
                return new DescribedYamlError(indented.KeySpan, $"this line is indented, so YAML reads it as part of the value above: remove the spaces before `{key}`", null);
            }

            return new DescribedYamlError(Point(text, error.Span, lineSpan), "a ':' here would start a mapping inside a value: quote the value or fix the indentation", null);
        }

        if (message.StartsWith("While scanning a simple key, could not find expected ':'", StringComparison.Ordinal))
        {
            // YamlDotNet points at the line after the culprit; the culprit is the line that has no colon.
            var culprit = LineWithoutColon(text, line, error.Span.Start);
            var span = TextSpan.FromBounds(text.GetLineStart(culprit), text.GetLineContentEnd(culprit));
            return new DescribedYamlError(NonEmpty(text, span), NoColon, null);
        }

        if (message.StartsWith("While parsing a block mapping, did not find expected key", StringComparison.Ordinal))
        {
            var lineText = text.Slice(lineSpan);
            if (value is { } written && Misquoted(text.Slice(written.Span)) is { } misquoted)
            {
                return new DescribedYamlError(written.Span, misquoted.Message, written.IsQuoted ? null : written.Span, misquoted.Replacement);
            }

            if (lineText.TrimStart().StartsWith('-'))
            {
                return new DescribedYamlError(NonEmpty(text, lineSpan), "list items must line up: this `- ` is not at the indentation of the items above", null);
            }

            if (HasQuotedValue(lineText) && lineText.LastIndexOfAny(['"', '\'']) is var close && close + 1 < lineText.TrimEnd().Length)
            {
                // `title: "BERT" and more`: the words after the closing quote are the problem.
                var stray = NonEmpty(text, TextSpan.FromBounds(lineSpan.Start + close + 1, lineSpan.End));
                return new DescribedYamlError(stray, "a quoted value must end with its quote and nothing after it", null);
            }

            var hint = !lineText.Contains(':', StringComparison.Ordinal) && !lineText.TrimStart().StartsWith('-') ? NoColon
                : "expected `key: value` at this indentation; check the spaces before it";
            return new DescribedYamlError(NonEmpty(text, lineSpan), hint, null);
        }

        if (message.StartsWith("the YAML parser could not read", StringComparison.Ordinal) && UnclosedBracket(text, line) is { } bracket)
        {
            var kind = text.Text[bracket] == '[' ? "a `[...]` list is not closed: add `]`" : "a `{...}` mapping is not closed: add `}`";
            return new DescribedYamlError(new TextSpan(bracket, 1), kind, null);
        }

        if (message.StartsWith("While parsing a block collection, did not find expected '-'", StringComparison.Ordinal))
        {
            return new DescribedYamlError(NonEmpty(text, lineSpan), "list items must line up: expected `- ` at the list's indentation", null);
        }

        if (message.Contains("quoted scalar, found unexpected end of stream", StringComparison.Ordinal)
            || message.Contains("quoted scalar, found unexpected document indicator", StringComparison.Ordinal)
            || message.Contains("double-quoted scalar, found wrong indentation", StringComparison.Ordinal))
        {
            // YamlDotNet's range runs from the opening quote to where it gave up; the quote is what to look at.
            return new DescribedYamlError(new TextSpan(error.Span.Start, Math.Min(1, text.Length - error.Span.Start)), "a quote is opened here and never closed", null);
        }

        if (message.Contains("unknown escape character", StringComparison.Ordinal)
            || message.Contains("hexadecimal number", StringComparison.Ordinal))
        {
            // Single quotes keep backslashes as written (Windows paths, LaTeX).
            var requoted = value is { IsQuoted: true } dq && text.Slice(dq.Span) is var raw && raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"'
                ? YamlText.SingleQuote(raw[1..^1])
                : null;
            return new DescribedYamlError(requoted is null ? Point(text, error.Span, lineSpan) : value!.Value.Span, "a backslash in double quotes starts an escape: use single quotes, or write `\\\\`", null, requoted);
        }

        if (message.Contains("flow sequence, did not find expected ','", StringComparison.Ordinal))
        {
            return new DescribedYamlError(Point(text, error.Span, lineSpan), "a `[...]` list needs ',' between items and a closing ']'", null);
        }

        if (message.Contains("flow mapping", StringComparison.Ordinal))
        {
            return new DescribedYamlError(Point(text, error.Span, lineSpan), "a `{...}` mapping needs ',' between entries and a closing '}'; quote a value that starts with '{'", null);
        }

        if (message.Contains("anchor or alias", StringComparison.Ordinal) || message.StartsWith("Anchor", StringComparison.Ordinal))
        {
            return new DescribedYamlError(Point(text, error.Span, lineSpan), "'&' and '*' start anchors and aliases in YAML: quote a value that starts with them", value is { IsQuoted: false } a ? a.Span : null);
        }

        if (message.Contains("character that cannot start any token", StringComparison.Ordinal))
        {
            var at = Math.Min(error.Span.Start, text.Length - 1);
            var c = at >= 0 ? text.Text[at] : ' ';
            var description = c switch
            {
                '@' or '`' => $"a value cannot start with '{c}' in YAML: quote it",
                '\t' => "tabs cannot indent YAML: use spaces",
                _ => $"'{c}' cannot start a YAML value: quote it",
            };
            return new DescribedYamlError(Point(text, error.Span, lineSpan), description, value is { IsQuoted: false } q ? q.Span : null);
        }

        if (message.Contains("Block sequence entries are not allowed", StringComparison.Ordinal))
        {
            return new DescribedYamlError(NonEmpty(text, lineSpan), "a `- ` list item cannot follow a value on the same key: put the list on the lines below the key", null);
        }

        if (message.Contains("did not find expected node content", StringComparison.Ordinal))
        {
            return new DescribedYamlError(Point(text, error.Span, lineSpan), "a value is missing here; quote a value that starts with a YAML indicator ('%', '!', '|', '>')", value is { IsQuoted: false } n ? n.Span : null);
        }

        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            return new DescribedYamlError(Point(text, error.Span, lineSpan), "tabs cannot indent YAML: use spaces", null);
        }

        return new DescribedYamlError(Point(text, error.Span, lineSpan), Humanize(message), null);
    }

    /// <summary>
    /// Values YAML reads differently from how they look: <c>[WIP] notes</c> (a list, then stray words) and quotes
    /// that contain their own quote character (<c>'It's'</c>), which single quotes fix by doubling.
    /// </summary>
    private static (string Message, string? Replacement)? Misquoted(string raw)
    {
        if (raw.Length == 0)
        {
            return null;
        }

        if (raw[0] is '*' or '&' or '!')
        {
            var meaning = raw[0] switch { '*' => "an alias", '&' => "an anchor", _ => "a tag" };
            return ($"'{raw[0]}' at the start of a value makes it {meaning} in YAML: quote the whole value", null);
        }

        if (raw[0] is '[' or '{')
        {
            return ($"a value starting with '{raw[0]}' is read as a {(raw[0] == '[' ? "list" : "mapping")}: quote the whole value", null);
        }

        if (raw.Length >= 2 && raw[0] == raw[^1] && raw[0] is '\'' or '"')
        {
            var inner = raw[1..^1];
            if (raw[0] == '\'' && inner.Replace("''", string.Empty, StringComparison.Ordinal).Contains('\'', StringComparison.Ordinal))
            {
                return ("an apostrophe inside single quotes is written twice (`''`)", YamlText.SingleQuote(inner.Replace("''", "'", StringComparison.Ordinal)));
            }

            if (raw[0] == '"' && inner.Replace("\\\"", string.Empty, StringComparison.Ordinal).Contains('"', StringComparison.Ordinal))
            {
                return ("a double quote inside double quotes must be escaped (`\\\"`); single quotes need no escaping", YamlText.SingleQuote(inner));
            }
        }

        return null;
    }

    /// <summary>True when the line is indented below a <c>key: value</c> line that already has a value.</summary>
    private static bool ContinuesValueAbove(SourceText text, int line)
    {
        var lineText = text.GetLineText(line);
        var indent = lineText.Length - lineText.TrimStart().Length;
        if (indent == 0)
        {
            return false;
        }

        for (var above = line - 1; above >= 0; above--)
        {
            var aboveText = text.GetLineText(above);
            if (string.IsNullOrWhiteSpace(aboveText))
            {
                continue;
            }

            var aboveIndent = aboveText.Length - aboveText.TrimStart().Length;
            return aboveIndent < indent && YamlLines.ValueOf(text, above) is not null;
        }

        return false;
    }

    /// <summary>The offset of a '[' or '{' left open on this line or the one above.</summary>
    private static int? UnclosedBracket(SourceText text, int line)
    {
        for (var candidate = line; candidate >= Math.Max(0, line - 1); candidate--)
        {
            var start = text.GetLineStart(candidate);
            var lineText = text.GetLineText(candidate);
            var depth = new Stack<int>();
            for (var i = 0; i < lineText.Length; i++)
            {
                if (lineText[i] is '[' or '{')
                {
                    depth.Push(i);
                }
                else if (lineText[i] is ']' or '}' && depth.Count > 0)
                {
                    depth.Pop();
                }
            }

            if (depth.Count > 0)
            {
                return start + depth.Last();
            }
        }

        return null;
    }

    /// <summary>YamlDotNet's wording, made to read like the other messages: lower case, no trailing period.</summary>
    private static string Humanize(string message)
    {
        var trimmed = message.Trim().TrimEnd('.');
        trimmed = WhilePrefix().Replace(trimmed, string.Empty);
        return trimmed.Length == 0 ? "YAML syntax error" : char.ToLowerInvariant(trimmed[0]) + trimmed[1..];
    }

    /// <summary>A zero-length error position becomes the character there (or the line when at its end).</summary>
    private static TextSpan Point(SourceText text, TextSpan span, TextSpan lineSpan)
    {
        if (span.Length > 0)
        {
            return span;
        }

        if (span.Start < lineSpan.End)
        {
            return new TextSpan(span.Start, 1);
        }

        return NonEmpty(text, lineSpan);
    }

    private static TextSpan NonEmpty(SourceText text, TextSpan lineSpan)
    {
        var slice = text.Slice(lineSpan);
        var trimmedStart = slice.Length - slice.TrimStart().Length;
        var trimmed = slice.Trim();
        return trimmed.Length == 0 ? lineSpan : new TextSpan(lineSpan.Start + trimmedStart, trimmed.Length);
    }

    private static int LineWithoutColon(SourceText text, int line, int errorOffset)
    {
        for (var candidate = line; candidate >= 0; candidate--)
        {
            var lineText = text.GetLineText(candidate);
            if (text.GetLineStart(candidate) > errorOffset || string.IsNullOrWhiteSpace(lineText) || lineText.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (!lineText.Contains(':', StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return line;
    }

    /// <summary>A line with a complete quoted value: text after the closing quote is then what YAML choked on.</summary>
    private static bool HasQuotedValue(string line) => (line.Count(c => c == '"') % 2 == 0 && line.Contains('"', StringComparison.Ordinal))
        || line.Count(c => c == '\'') >= 2;

    [GeneratedRegex(@"^While (scanning|parsing) [^,]+,\s*")]
    private static partial Regex WhilePrefix();
}

/// <summary>A <c>key: value</c> line's value as written.</summary>
internal readonly record struct LineValue(TextSpan KeySpan, TextSpan Span, bool IsQuoted);

/// <summary>Line-level reading of <c>key: value</c>, for places where the YAML parser gave up.</summary>
internal static partial class YamlLines
{
    /// <summary>The value of a single-line <c>key: value</c> (or <c>- key: value</c>), without a trailing comment.</summary>
    public static LineValue? ValueOf(SourceText text, int line)
    {
        var start = text.GetLineStart(line);
        var lineText = text.GetLineText(line);
        var match = KeyValueLine().Match(lineText);
        if (!match.Success)
        {
            return null;
        }

        var valueGroup = match.Groups["value"];
        var value = valueGroup.Value;
        var comment = value.IndexOf(" #", StringComparison.Ordinal);
        if (comment >= 0)
        {
            value = value[..comment];
        }

        value = value.TrimEnd();
        if (value.Length == 0)
        {
            return null;
        }

        var key = match.Groups["key"];
        return new LineValue(new TextSpan(start + key.Index, key.Length), new TextSpan(start + valueGroup.Index, value.Length), value[0] is '"' or '\'');
    }

    [GeneratedRegex(@"^\s*(?:-\s+)?(?<key>[^\s#'""\-?:,\[\]{}][^:]*?|""[^""]*""|'[^']*'):[ \t]+(?<value>\S.*)$")]
    private static partial Regex KeyValueLine();
}
