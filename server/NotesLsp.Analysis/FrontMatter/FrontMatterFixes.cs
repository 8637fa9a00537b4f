using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.FrontMatter;

/// <summary>
/// Quick fixes for front matter diagnostics. The diagnostics are recomputed from the note (cheap, and it keeps
/// the server free of mapping LSP diagnostics back), so each fix carries the exact diagnostic it resolves.
/// </summary>
public static class FrontMatterFixes
{
    public const string QuickFix = "quickfix";

    /// <summary>The fixes for diagnostics touching <paramref name="range"/>, plus "insert front matter" on a note without one.</summary>
    /// <param name="today">The user's date, for new date values (analysis has no clock).</param>
    /// <param name="workspaceKeys">The workspace's key conventions, as the diagnostics were computed with.</param>
    public static ImmutableArray<CodeFix> Compute(Note note, TextSpan range, NotesSettings settings, DateOnly today, FrontMatterKeyIndex? workspaceKeys = null)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(settings);
        var schema = FrontMatterSchemas.Resolve(settings);
        var diagnostics = FrontMatterValidator.Validate(note, schema, workspaceKeys);
        var fixes = ImmutableArray.CreateBuilder<CodeFix>();
        var builder = new FixBuilder(note, schema, today);
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Span.Start <= range.End && range.Start <= diagnostic.Span.End)
            {
                if (diagnostic.Code == FrontMatterCodes.DuplicateKey)
                {
                    fixes.AddRange(builder.KeepOneOfDuplicates(diagnostic));
                }
                else if (builder.For(diagnostic) is { } fix)
                {
                    fixes.Add(fix);
                }
            }
        }

        if (note.FrontMatter is null && !schema.IsEmpty && note.Text.GetLineFromOffset(range.Start) == 0
            && !diagnostics.Any(d => d.Code is FrontMatterCodes.Missing or FrontMatterCodes.NotAtStart))
        {
            fixes.Add(builder.InsertTemplate(null));
        }

        return fixes.ToImmutable();
    }

    private sealed class FixBuilder(Note note, FrontMatterSchema schema, DateOnly today)
    {
        private readonly SourceText text = note.Text;

        public CodeFix? For(NoteDiagnostic diagnostic)
        {
            var data = diagnostic.Data ?? ImmutableDictionary<string, string>.Empty;
            var suggestion = data.GetValueOrDefault(FrontMatterCodes.DataSuggestion);
            switch (diagnostic.Code)
            {
                case FrontMatterCodes.Unclosed:
                    return Fix("Close the front matter with `---`", diagnostic, CloseEdit());
                case FrontMatterCodes.NotAtStart:
                    return Fix("Move the front matter to line 1", diagnostic, new TextEdit(TextSpan.FromBounds(BomLength(), diagnostic.Span.Start), string.Empty));
                case FrontMatterCodes.Missing:
                    return InsertTemplate(diagnostic);
                case FrontMatterCodes.Empty when note.FrontMatter is { } empty:
                    return Fix("Remove the empty front matter", diagnostic, new TextEdit(TextSpan.FromBounds(empty.Span.Start, empty.Span.End), string.Empty));
                case FrontMatterCodes.TabIndent:
                    return Fix("Indent with spaces", diagnostic, new TextEdit(diagnostic.Span, text.Slice(diagnostic.Span).Replace("\t", "  ", StringComparison.Ordinal)));
                case FrontMatterCodes.Syntax or FrontMatterCodes.ImplicitType or FrontMatterCodes.UndefinedAlias when QuoteSpan(data) is { } quote:
                    var raw = text.Slice(quote);
                    return Fix($"Quote `{Shorten(raw)}`", diagnostic, new TextEdit(quote, YamlText.SingleQuote(raw)));
                case FrontMatterCodes.Syntax or FrontMatterCodes.ImplicitType or FrontMatterCodes.WrongType or FrontMatterCodes.NonIsoDate or FrontMatterCodes.ValueNotAllowed when suggestion is not null:
                    return Fix($"Change to `{suggestion}`", diagnostic, new TextEdit(diagnostic.Span, suggestion));
                case FrontMatterCodes.UnknownKey when suggestion is not null:
                    return Fix($"Rename to `{suggestion}`", diagnostic, new TextEdit(diagnostic.Span, suggestion));
                case FrontMatterCodes.ListAsString:
                    return ConvertToList(diagnostic);
                case FrontMatterCodes.MissingKey when data.GetValueOrDefault(FrontMatterCodes.DataKey) is { } key && schema.Find(key) is { } known:
                    return AddKey(diagnostic, known);
                default:
                    return null;
            }
        }

        public CodeFix InsertTemplate(NoteDiagnostic? diagnostic)
        {
            var lineBreak = LineBreak();
            var builder = new StringBuilder("---").Append(lineBreak);
            foreach (var key in schema.Keys.Where(k => k.InTemplate || k.Required))
            {
                builder.Append(key.Name).Append(": ").Append(DefaultValue(key)).Append(lineBreak);
            }

            builder.Append("---").Append(lineBreak);
            var edit = new TextEdit(new TextSpan(BomLength(), 0), builder.ToString());
            return new CodeFix("Insert front matter", QuickFix, WorkspaceChange.ForNote(note.Uri, edit),
                diagnostic is null ? [] : [diagnostic], IsPreferred: diagnostic is not null);
        }

        private CodeFix Fix(string title, NoteDiagnostic diagnostic, TextEdit edit, bool preferred = true) =>
            new(title, QuickFix, WorkspaceChange.ForNote(note.Uri, edit), [diagnostic], preferred);

        /// <summary>The block ends at its last line that still looks like YAML (the parser's end is the first blank line).</summary>
        private TextEdit CloseEdit()
        {
            var frontMatter = note.FrontMatter!;
            var firstLine = text.GetLineFromOffset(frontMatter.Content.Start);
            var lastYamlLine = text.GetLineFromOffset(frontMatter.OpenFence.Start);
            for (var line = firstLine; line < text.LineCount && text.GetLineStart(line) < frontMatter.Content.End; line++)
            {
                var lineText = text.GetLineText(line);
                if (!YamlText.LooksLikeYamlLine(lineText, isFirst: line == firstLine))
                {
                    break;
                }

                lastYamlLine = line;
            }

            var insertAt = text.GetLineStart(lastYamlLine + 1);
            var lineBreak = LineBreak();
            var needsBreakBefore = insertAt == text.Length && text.Length > 0 && text.Text[^1] is not ('\n' or '\r');
            return new TextEdit(new TextSpan(insertAt, 0), (needsBreakBefore ? lineBreak : string.Empty) + "---" + lineBreak);
        }

        /// <summary>
        /// Two fixes for a repeated key, keeping either value; the one the generator itself uses (the later one for
        /// Jekyll's Psych) is preferred. A key repeated inside a flow mapping gets none (its lines are not its own).
        /// </summary>
        public IEnumerable<CodeFix> KeepOneOfDuplicates(NoteDiagnostic diagnostic)
        {
            var data = diagnostic.Data ?? ImmutableDictionary<string, string>.Empty;
            if (LinesOf(data.GetValueOrDefault(FrontMatterCodes.DataFirstEntry)) is not { } first
                || LinesOf(data.GetValueOrDefault(FrontMatterCodes.DataLaterEntry)) is not { } later)
            {
                yield break;
            }

            var key = text.Slice(diagnostic.Span);
            var keepLater = data.GetValueOrDefault(FrontMatterCodes.DataKeep) == "later";
            var firstLine = text.GetLineFromOffset(first.Start) + 1;
            var laterLine = text.GetLineFromOffset(later.Start) + 1;
            var keepFirstFix = Fix($"Keep the first `{key}` (line {firstLine}) and remove this one", diagnostic, new TextEdit(later, string.Empty), preferred: !keepLater);
            var keepLaterFix = Fix($"Keep this `{key}` (line {laterLine}) and remove the first", diagnostic, new TextEdit(first, string.Empty), preferred: keepLater);
            yield return keepLater ? keepLaterFix : keepFirstFix;
            yield return keepLater ? keepFirstFix : keepLaterFix;
        }

        private TextSpan? LinesOf(string? data)
        {
            var colon = data?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (colon < 0
                || !int.TryParse(data.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !int.TryParse(data.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || start + length > text.Length)
            {
                return null;
            }

            return new TextSpan(start, length);
        }

        private CodeFix? ConvertToList(NoteDiagnostic diagnostic)
        {
            if (note.FrontMatter is not { } frontMatter || FrontMatterReading.Read(text, frontMatter).Root is not { } root)
            {
                return null;
            }

            var entry = root.Entries.FirstOrDefault(e => e.Value is YamlScalar scalar && scalar.Span == diagnostic.Span);
            if (entry?.Value is not YamlScalar value)
            {
                return null;
            }

            var items = YamlText.SplitListString(value.Value).Select(YamlText.QuoteIfNeeded).ToList();
            TextEdit edit;
            if (BlockListIndent(root) is { } indent)
            {
                var lineBreak = LineBreak();
                var block = new StringBuilder(":");
                foreach (var item in items)
                {
                    block.Append(lineBreak).Append(indent).Append("- ").Append(item);
                }

                edit = new TextEdit(TextSpan.FromBounds(entry.Key.Span.End, value.Span.End), block.ToString());
            }
            else
            {
                edit = new TextEdit(value.Span, "[" + string.Join(", ", items) + "]");
            }

            return Fix($"Convert `{entry.KeyText}` to a list", diagnostic, edit);
        }

        private CodeFix? AddKey(NoteDiagnostic diagnostic, FrontMatterKey key)
        {
            if (note.FrontMatter?.CloseFence is not { } close)
            {
                return null;
            }

            var edit = new TextEdit(new TextSpan(close.Start, 0), $"{key.Name}: {DefaultValue(key)}{LineBreak()}");
            return Fix($"Add `{key.Name}`", diagnostic, edit);
        }

        /// <summary>The user's block-list indentation (spaces before <c>-</c>), or null when the note uses flow lists or none.</summary>
        private string? BlockListIndent(YamlMapping root)
        {
            foreach (var entry in root.Entries)
            {
                if (entry.Value is YamlSequence { IsFlow: false, Items.Length: > 0 } sequence)
                {
                    var itemStart = sequence.Items[0].Span.Start;
                    var lineStart = text.GetLineStart(text.GetLineFromOffset(itemStart));
                    var dash = text.Text.LastIndexOf('-', Math.Max(lineStart, itemStart - 1), Math.Max(0, itemStart - lineStart));
                    var keyColumn = entry.Key.Span.Start - text.GetLineStart(text.GetLineFromOffset(entry.Key.Span.Start));
                    return dash >= lineStart ? new string(' ', Math.Max(0, dash - lineStart - keyColumn)) : null;
                }
            }

            return null;
        }

        private string DefaultValue(FrontMatterKey key)
        {
            if (!key.AllowedValuesOrEmpty.IsEmpty)
            {
                var first = YamlText.QuoteIfNeeded(key.AllowedValuesOrEmpty[0]);
                return key.Accepts(FrontMatterValueType.StringList) ? $"[{first}]" : first;
            }

            if (key.Accepts(FrontMatterValueType.Date) || key.Accepts(FrontMatterValueType.DateTime))
            {
                return key.Accepts(FrontMatterValueType.Date) ? FrontMatterDates.Format(today) : FrontMatterDates.Format(today) + " 00:00:00";
            }

            if (key.Accepts(FrontMatterValueType.Year))
            {
                return today.Year.ToString(CultureInfo.InvariantCulture);
            }

            if (key.Accepts(FrontMatterValueType.StringList))
            {
                return "[]";
            }

            if (key.Accepts(FrontMatterValueType.Bool))
            {
                return "false";
            }

            if (key.Accepts(FrontMatterValueType.Int) || key.Accepts(FrontMatterValueType.Number))
            {
                return "0";
            }

            if (key.Name.Equals("title", StringComparison.OrdinalIgnoreCase))
            {
                var heading = note.Syntax.Headings.FirstOrDefault(h => h.Level == 1)?.Text;
                var title = string.IsNullOrWhiteSpace(heading) ? Path.GetFileNameWithoutExtension(Note.FileNameOf(note.Uri)) : heading;
                return YamlText.QuoteIfNeeded(title);
            }

            return "''";
        }

        private int BomLength() => text.Length > 0 && text.Text[0] == '\uFEFF' ? 1 : 0;

        private string LineBreak() => text.Text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

        private static TextSpan? QuoteSpan(ImmutableDictionary<string, string> data) =>
            data.TryGetValue(FrontMatterCodes.DataQuoteStart, out var start) && data.TryGetValue(FrontMatterCodes.DataQuoteLength, out var length)
                ? new TextSpan(int.Parse(start, CultureInfo.InvariantCulture), int.Parse(length, CultureInfo.InvariantCulture))
                : null;

        private static string Shorten(string value) => value.Length <= 30 ? value : value[..29] + "…";
    }
}

/// <summary>Writing YAML values the way a person would.</summary>
internal static class YamlText
{
    /// <summary>Single quotes: the only escape is a doubled quote, so backslashes (LaTeX) stay as written.</summary>
    public static string SingleQuote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string QuoteIfNeeded(string value)
    {
        if (value.Length == 0)
        {
            return "''";
        }

        var needs = value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal)
            || value.EndsWith(':') || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal)
            || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])
            || FrontMatterValidator.ImplicitTypeOf(value) is not null || value.Contains(',', StringComparison.Ordinal);
        return needs ? SingleQuote(value) : value;
    }

    /// <summary>A list written as one string: commas separate items when there are any, else spaces (as Jekyll splits).</summary>
    public static IEnumerable<string> SplitListString(string value)
    {
        var separators = value.Contains(',', StringComparison.Ordinal) ? new[] { ',' } : new[] { ' ', '\t' };
        return value.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>True for lines an unclosed front matter most likely still owns: keys, list items, indented lines, comments after the first.</summary>
    public static bool LooksLikeYamlLine(string line, bool isFirst)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return false;
        }

        if (line[0] is ' ' or '\t' || line.StartsWith("- ", StringComparison.Ordinal) || line == "-")
        {
            return true;
        }

        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && (colon == line.Length - 1 || line[colon + 1] is ' ' or '\t') && line[0] != '#' && !line.StartsWith('[');
    }
}
