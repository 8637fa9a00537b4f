using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.FrontMatter;

/// <summary>
/// Completion inside front matter: schema keys the note does not have yet at the start of a top-level line, and
/// values for boolean, enum and date keys after <c>key: </c>. Tag values belong to the tag index, so list keys
/// get nothing here.
/// </summary>
public static partial class FrontMatterCompletion
{
    /// <param name="today">The user's date, offered for date keys (analysis has no clock).</param>
    public static CompletionResult Complete(Note note, int offset, NotesSettings settings, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(settings);
        var text = note.Text;
        if (note.FrontMatter is not { } frontMatter || offset < frontMatter.Content.Start || offset > frontMatter.Content.End)
        {
            return CompletionResult.None;
        }

        var schema = FrontMatterSchemas.Resolve(settings);
        if (schema.Keys.IsEmpty)
        {
            return CompletionResult.None;
        }

        var line = text.GetLineFromOffset(offset);
        var lineStart = text.GetLineStart(line);
        var lineEnd = text.GetLineContentEnd(line);
        var before = text.Text[lineStart..offset];

        if (KeyPrefix().IsMatch(before))
        {
            return CompleteKeys(note, frontMatter, schema, lineStart, lineEnd, offset);
        }

        var value = ValuePrefix().Match(before);
        if (value.Success && schema.Find(value.Groups["key"].Value) is { } key)
        {
            var valueStart = lineStart + value.Groups["value"].Index;
            var valueEnd = lineEnd;
            var comment = text.Text.IndexOf(" #", valueStart, lineEnd - valueStart, StringComparison.Ordinal);
            if (comment >= offset)
            {
                valueEnd = comment;
            }

            return CompleteValues(key, TextSpan.FromBounds(valueStart, valueEnd), today);
        }

        return CompletionResult.None;
    }

    private static CompletionResult CompleteKeys(Note note, FrontMatterSyntax frontMatter, FrontMatterSchema schema, int lineStart, int lineEnd, int offset)
    {
        var text = note.Text.Text;
        var wordEnd = offset;
        while (wordEnd < lineEnd && (char.IsLetterOrDigit(text[wordEnd]) || text[wordEnd] is '_' or '-'))
        {
            wordEnd++;
        }

        // On an existing `key: value` line only the name is replaced, so the value stays.
        var hasColon = wordEnd < lineEnd && text.AsSpan(wordEnd, lineEnd - wordEnd).TrimStart().StartsWith(":", StringComparison.Ordinal);
        var present = new HashSet<string>(schema.KeyComparer);
        foreach (var entry in frontMatter.Root?.Entries ?? [])
        {
            if (entry.KeyText is { } name && !entry.Key.Span.ContainsOrTouches(offset))
            {
                present.Add(name);
            }
        }

        var span = TextSpan.FromBounds(lineStart, wordEnd);
        var items = ImmutableArray.CreateBuilder<Completion>();
        foreach (var key in schema.Keys)
        {
            if (present.Contains(key.Name))
            {
                continue;
            }

            var rank = key.Required ? 0 : key.InTemplate ? 1 : 2;
            items.Add(new Completion(
                key.Name,
                CompletionKind.Key,
                span,
                hasColon ? key.Name : key.Name + ": ",
                Detail: Describe(key),
                // A schema file can come with a cloned repository: its text is escaped like remote text, so it can
                // carry no command link, remote image or HTML into the editor.
                Documentation: key.Description is { Length: > 0 } description ? Papers.MarkdownText.Escape(description) : null,
                SortText: rank.ToString(CultureInfo.InvariantCulture) + key.Name));
        }

        return new CompletionResult(false, items.ToImmutable());
    }

    private static CompletionResult CompleteValues(FrontMatterKey key, TextSpan span, DateOnly today)
    {
        var items = ImmutableArray.CreateBuilder<Completion>();
        if (key.Accepts(FrontMatterValueType.StringList))
        {
            return CompletionResult.None;
        }

        foreach (var allowed in key.AllowedValuesOrEmpty)
        {
            items.Add(new Completion(allowed, CompletionKind.Value, span, YamlText.QuoteIfNeeded(allowed), Detail: $"allowed `{key.Name}`"));
        }

        if (key.Accepts(FrontMatterValueType.Bool))
        {
            items.Add(new Completion("true", CompletionKind.Value, span, "true"));
            items.Add(new Completion("false", CompletionKind.Value, span, "false"));
        }

        if (key.Accepts(FrontMatterValueType.Date) || key.Accepts(FrontMatterValueType.DateTime))
        {
            var date = FrontMatterDates.Format(today);
            var value = key.Accepts(FrontMatterValueType.Date) ? date : date + " 00:00:00";
            items.Add(new Completion(value, CompletionKind.Date, span, value, Detail: "today", SortText: "0"));
        }

        if (key.Accepts(FrontMatterValueType.Year))
        {
            var year = today.Year.ToString(CultureInfo.InvariantCulture);
            items.Add(new Completion(year, CompletionKind.Date, span, year, Detail: "this year", SortText: "1"));
        }

        return items.Count == 0 ? CompletionResult.None : new CompletionResult(false, items.ToImmutable());
    }

    private static string Describe(FrontMatterKey key) => string.Join(" | ", key.Types.Select(t => t switch
    {
        FrontMatterValueType.StringList => "list",
        FrontMatterValueType.DateTime => "datetime",
        _ => t.ToString().ToLowerInvariant(),
    })) + (key.Required ? " (required)" : string.Empty);

    /// <summary>A top-level line with only a (partial) key name before the cursor.</summary>
    [GeneratedRegex(@"^[A-Za-z_][\w-]*$|^$")]
    private static partial Regex KeyPrefix();

    /// <summary>A top-level <c>key: </c> with the cursor in its value.</summary>
    [GeneratedRegex(@"^(?<key>[A-Za-z_][\w-]*):[ \t]+(?<value>.*)$")]
    private static partial Regex ValuePrefix();
}
