using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.FrontMatter;

/// <summary>
/// Checks a note's front matter: the block itself (closed, at the start, not empty, no tabs), its YAML (syntax
/// errors said for a person, every duplicate key, hostile-input limits) and its keys against a schema (types,
/// dates from the raw text, YAML 1.1 surprises, typos). Pure: the same note and schema give the same answer.
/// </summary>
public static partial class FrontMatterValidator
{
    /// <summary>Validates with the schema the settings choose (workspace schema file, else the preset).</summary>
    /// <param name="workspaceKeys">The workspace's key conventions (how many notes use each key); null checks the note alone.</param>
    public static ImmutableArray<NoteDiagnostic> Validate(Note note, NotesSettings settings, FrontMatterKeyIndex? workspaceKeys = null)
    {
        ArgumentNullException.ThrowIfNull(note);
        return Validate(note, FrontMatterSchemas.Resolve(settings), workspaceKeys);
    }

    public static ImmutableArray<NoteDiagnostic> Validate(Note note, FrontMatterSchema schema, FrontMatterKeyIndex? workspaceKeys = null)
    {
        ArgumentNullException.ThrowIfNull(note);
        // Only the front matter is read: validating never costs the note a Markdown body parse.
        return Validate(note.Uri, note.Text, note.FrontMatter, schema, workspaceKeys);
    }

    /// <summary>Validates a note's front matter as parsed from its text (null when the note has none).</summary>
    public static ImmutableArray<NoteDiagnostic> Validate(string uri, SourceText text, FrontMatterSyntax? frontMatter, FrontMatterSchema schema, FrontMatterKeyIndex? workspaceKeys = null) =>
        Validate(uri, text, frontMatter, schema, workspaceKeys, out _);

    /// <summary>
    /// <see cref="Validate(Note, FrontMatterSchema, FrontMatterKeyIndex?)"/>, also saying whether the answer read the
    /// workspace's key counts. When it did not (no key outside the schema was weighed), any other
    /// <paramref name="workspaceKeys"/> gives the same diagnostics: <c>notes-lsp check</c> validates a note while
    /// its text is at hand, before the workspace's counts are known, and keeps only the notes that need them.
    /// </summary>
    public static ImmutableArray<NoteDiagnostic> Validate(Note note, FrontMatterSchema schema, FrontMatterKeyIndex? workspaceKeys, out bool readWorkspaceKeys)
    {
        ArgumentNullException.ThrowIfNull(note);
        return Validate(note.Uri, note.Text, note.FrontMatter, schema, workspaceKeys, out readWorkspaceKeys);
    }

    private static ImmutableArray<NoteDiagnostic> Validate(
        string uri, SourceText text, FrontMatterSyntax? frontMatter, FrontMatterSchema schema, FrontMatterKeyIndex? workspaceKeys, out bool readWorkspaceKeys)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(schema);
        var context = new Context(uri, text, frontMatter, schema, workspaceKeys);
        context.Run();
        readWorkspaceKeys = context.ReadWorkspaceKeys;
        return [.. context.Diagnostics.OrderBy(d => d.Span.Start).ThenBy(d => d.Span.End)];
    }

    private sealed class Context(string uri, SourceText text, FrontMatterSyntax? parsedFrontMatter, FrontMatterSchema schema, FrontMatterKeyIndex? workspaceKeys)
    {
        public List<NoteDiagnostic> Diagnostics { get; } = [];

        /// <summary>True once a diagnostic was decided with the workspace's key counts (the only place they are read).</summary>
        public bool ReadWorkspaceKeys { get; private set; }

        public void Run()
        {
            if (parsedFrontMatter is not { } frontMatter)
            {
                CheckMissingBlock();
                return;
            }

            if (!frontMatter.IsClosed)
            {
                Add(frontMatter.OpenFence, Severity.Error, FrontMatterCodes.Unclosed,
                    "front matter is never closed: add a `---` line after its last key");
            }

            // After a YAML error the rest is still read entry by entry, so one pass shows every independent problem.
            var reading = FrontMatterReading.Read(text, frontMatter);
            var tabLines = CheckTabs(reading);
            var errorLines = new HashSet<int>();
            var hasSyntaxErrors = false;
            foreach (var error in reading.Errors)
            {
                hasSyntaxErrors = true;
                if (error.Kind == YamlErrorKind.UndefinedAlias)
                {
                    // `title: *Important* findings` is a syntax error on the same line, which says it better.
                    var aliasLine = text.GetLineFromOffset(error.Span.Start);
                    if (reading.Errors.Any(e => e.Kind == YamlErrorKind.Syntax && text.GetLineFromOffset(e.Span.Start) == aliasLine))
                    {
                        continue;
                    }

                    errorLines.Add(text.GetLineFromOffset(error.Span.Start));
                    Add(error.Span, Severity.Error, FrontMatterCodes.UndefinedAlias, error.Message, data: QuoteData(error.Span));
                    continue;
                }

                if (error.Kind != YamlErrorKind.Syntax)
                {
                    // A limit found at a place (too deep) points at it; one about the whole block points at its fence.
                    var limitSpan = error.Span.Length > 0 ? error.Span
                        : error.Span.Start > reading.Content.Start && error.Span.Start < reading.Content.End ? new TextSpan(error.Span.Start, 1)
                        : frontMatter.OpenFence;
                    Add(limitSpan, Severity.Error, FrontMatterCodes.Limit, error.Message);
                    continue;
                }

                var errorLine = text.GetLineFromOffset(error.Span.Start);
                if (tabLines.Contains(errorLine) || tabLines.Contains(errorLine + 1))
                {
                    // The tab diagnostic on this line already says what is wrong, in fewer words.
                    continue;
                }

                var described = YamlMessages.Describe(text, error);
                errorLines.Add(text.GetLineFromOffset(described.Span.Start));
                var data = described.QuoteSpan is { } quote
                    ? ImmutableDictionary<string, string>.Empty
                        .Add(FrontMatterCodes.DataQuoteStart, quote.Start.ToString(CultureInfo.InvariantCulture))
                        .Add(FrontMatterCodes.DataQuoteLength, quote.Length.ToString(CultureInfo.InvariantCulture))
                    : described.Replacement is { } replacement
                        ? ImmutableDictionary<string, string>.Empty.Add(FrontMatterCodes.DataSuggestion, replacement)
                        : null;
                // When quoting the value is the fix, the whole value is what is wrong, not the one character YAML stopped at.
                Add(described.QuoteSpan ?? described.Span, Severity.Error, FrontMatterCodes.Syntax, described.Message, data: data);
            }

            if (tabLines.Count > 0)
            {
                hasSyntaxErrors = true;
            }

            // A block holding only a comment ("# Do not remove front matter.") is empty on purpose.
            if (reading.RootNode is null && !hasSyntaxErrors && frontMatter.CloseFence is { } closeFence && !text.Slice(frontMatter.Content).TrimStart().StartsWith('#'))
            {
                var span = TextSpan.FromBounds(frontMatter.OpenFence.Start, closeFence.End);
                Add(span, Severity.Warning, FrontMatterCodes.Empty, "front matter is empty: add keys or remove the fences");
                return;
            }

            if (reading.RootNode is { } rootNode and not YamlMapping && !hasSyntaxErrors)
            {
                Add(rootNode.Span, Severity.Error, FrontMatterCodes.NotMapping, "front matter must be `key: value` lines");
                return;
            }

            if (reading.RootNode is { } node)
            {
                CheckDuplicates(node, depth: 0, reading);
            }

            if (reading.Root is { } root && !schema.IsEmpty)
            {
                CheckKeys(root, frontMatter, checkRequired: !hasSyntaxErrors && frontMatter.IsClosed, errorLines);
            }
        }

        private void CheckMissingBlock()
        {
            // A block after blank lines is not front matter to Jekyll, Hugo or Obsidian: it renders as text.
            var line = 0;
            while (line < text.LineCount - 1 && string.IsNullOrWhiteSpace(text.GetLineText(line).TrimStart('\uFEFF')))
            {
                line++;
            }

            if (line > 0 && text.GetLineText(line).TrimEnd() == "---" && line + 1 < text.LineCount && LooksLikeKey(text.GetLineText(line + 1)))
            {
                var start = text.GetLineStart(line);
                Add(new TextSpan(start, 3), Severity.Information, FrontMatterCodes.NotAtStart,
                    "front matter must start on line 1: remove the blank lines above it");
                return;
            }

            var required = schema.Keys.Where(k => k.Required).Select(k => $"`{k.Name}`").ToList();
            if (required.Count > 0)
            {
                Add(new TextSpan(0, 0), Severity.Warning, FrontMatterCodes.Missing,
                    $"this note has no front matter; the schema requires {string.Join(", ", required)}");
            }
        }

        private HashSet<int> CheckTabs(FrontMatterReading reading)
        {
            var lines = new HashSet<int>();
            var content = reading.Content;
            if (content.Length == 0)
            {
                return lines;
            }

            // The usual note has no tab in its front matter lines: nothing to look for, no tree walk.
            var firstLine = text.GetLineFromOffset(content.Start);
            var lastLine = text.GetLineFromOffset(Math.Max(content.Start, content.End - 1));
            var linesStart = text.GetLineStart(firstLine);
            if (!text.Text.AsSpan(linesStart, Math.Max(linesStart, text.GetLineContentEnd(lastLine)) - linesStart).Contains('\t'))
            {
                return lines;
            }

            // A tab before the text of a quoted scalar's continuation line is white space inside the scalar, which
            // every reader folds; inside a flow collection ([...], {...}) Psych and js-yaml accept it as separation.
            var quoted = new List<TextSpan>();
            var flows = new List<TextSpan>();
            if (reading.RootNode is { } rootNode)
            {
                CollectSpans(rootNode, quoted, flows, depth: 0);
            }

            var first = text.GetLineFromOffset(content.Start);
            var last = text.GetLineFromOffset(Math.Max(content.Start, content.End - 1));
            for (var line = first; line <= last; line++)
            {
                var start = text.GetLineStart(line);
                var end = text.GetLineContentEnd(line);
                var i = start;
                while (i < end && text.Text[i] is ' ' or '\t')
                {
                    i++;
                }

                if (i >= end || !text.Text.AsSpan(start, i - start).Contains('\t') || quoted.Any(q => q.Start < start && start < q.End))
                {
                    continue;
                }

                if (flows.Any(f => f.Start < start && start < f.End))
                {
                    if (schema.Reader is not (YamlReader.Psych or YamlReader.JsYaml))
                    {
                        Add(TextSpan.FromBounds(start, i), Severity.Warning, FrontMatterCodes.TabIndent,
                            "a tab starts this line of a flow collection: Psych and js-yaml accept it, stricter YAML readers may not; use spaces");
                    }

                    continue;
                }

                lines.Add(line);
                Add(TextSpan.FromBounds(start, i), Severity.Error, FrontMatterCodes.TabIndent, "tabs cannot indent YAML: use spaces");
            }

            return lines;
        }

        private static void CollectSpans(YamlNode node, List<TextSpan> quoted, List<TextSpan> flows, int depth)
        {
            if (depth > 128)
            {
                return;
            }

            switch (node)
            {
                case YamlScalar { Style: YamlScalarStyle.SingleQuoted or YamlScalarStyle.DoubleQuoted } scalar:
                    quoted.Add(scalar.Span);
                    break;
                case YamlSequence sequence:
                    if (sequence.IsFlow)
                    {
                        flows.Add(sequence.Span);
                    }

                    foreach (var item in sequence.Items)
                    {
                        CollectSpans(item, quoted, flows, depth + 1);
                    }

                    break;
                case YamlMapping mapping:
                    if (mapping.IsFlow)
                    {
                        flows.Add(mapping.Span);
                    }

                    foreach (var entry in mapping.Entries)
                    {
                        CollectSpans(entry.Key, quoted, flows, depth + 1);
                        if (entry.Value is { } value)
                        {
                            CollectSpans(value, quoted, flows, depth + 1);
                        }
                    }

                    break;
            }
        }

        private void CheckDuplicates(YamlNode node, int depth, FrontMatterReading reading)
        {
            // The syntax layer bounds depth already; this guard keeps recursion safe if that limit ever grows.
            if (depth > 128)
            {
                return;
            }

            switch (node)
            {
                case YamlMapping mapping:
                    // A front matter has a dozen keys: looking back is cheaper than a dictionary per mapping.
                    var seen = mapping.Entries.Length > 32 ? new Dictionary<string, int>(StringComparer.Ordinal) : null;
                    for (var index = 0; index < mapping.Entries.Length; index++)
                    {
                        var entry = mapping.Entries[index];
                        if (entry.KeyText is { } key)
                        {
                            if (FirstIndexOf(mapping, key, index, seen) is { } firstIndex)
                            {
                                ReportDuplicate(mapping, firstIndex, index, key, reading, isRoot: depth == 0);
                            }
                            else
                            {
                                seen?.Add(key, index);
                            }
                        }

                        if (entry.Value is { } value)
                        {
                            CheckDuplicates(value, depth + 1, reading);
                        }
                    }

                    break;
                case YamlSequence sequence:
                    foreach (var item in sequence.Items)
                    {
                        CheckDuplicates(item, depth + 1, reading);
                    }

                    break;
            }
        }

        /// <summary>The index of the first entry before <paramref name="index"/> with this key, or null.</summary>
        private static int? FirstIndexOf(YamlMapping mapping, string key, int index, Dictionary<string, int>? seen)
        {
            if (seen is not null)
            {
                return seen.TryGetValue(key, out var found) ? found : null;
            }

            for (var i = 0; i < index; i++)
            {
                if (string.Equals(mapping.Entries[i].KeyText, key, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return null;
        }

        /// <summary>
        /// A repeated key: Psych (Jekyll) keeps the last value, so it is a warning there; Hugo's and Obsidian's
        /// readers reject the document, and YAML itself forbids it, so it is an error elsewhere. The data carries
        /// the lines of both entries, so the fixes can keep either value.
        /// </summary>
        private void ReportDuplicate(YamlMapping mapping, int firstIndex, int index, string key, FrontMatterReading reading, bool isRoot)
        {
            var first = mapping.Entries[firstIndex];
            var entry = mapping.Entries[index];
            var firstLine = text.GetLineFromOffset(first.Key.Span.Start) + 1;
            var lastWins = schema.Reader == YamlReader.Psych;
            var message = lastWins
                ? $"duplicate key `{key}`: it is already set on line {firstLine}; Jekyll and MkDocs use this later value, stricter YAML readers reject the file"
                : $"duplicate key `{key}`: it is already set on line {firstLine}; {ReaderName()} rejects a repeated key";
            var data = ImmutableDictionary<string, string>.Empty;
            if (!mapping.IsFlow)
            {
                var firstLines = EntryLines(mapping, firstIndex, isRoot, reading);
                var laterLines = EntryLines(mapping, index, isRoot, reading);
                data = data
                    .Add(FrontMatterCodes.DataFirstEntry, $"{firstLines.Start.ToString(CultureInfo.InvariantCulture)}:{firstLines.Length.ToString(CultureInfo.InvariantCulture)}")
                    .Add(FrontMatterCodes.DataLaterEntry, $"{laterLines.Start.ToString(CultureInfo.InvariantCulture)}:{laterLines.Length.ToString(CultureInfo.InvariantCulture)}")
                    .Add(FrontMatterCodes.DataKeep, lastWins ? "later" : "first");
            }

            Add(entry.Key.Span, lastWins ? Severity.Warning : Severity.Error, FrontMatterCodes.DuplicateKey, message,
                related: [new RelatedLocation(uri, first.Key.Span, $"first `{key}`")], data: data);
        }

        private string ReaderName() => schema.Reader switch
        {
            YamlReader.GoYaml => "Hugo",
            YamlReader.JsYaml => "Obsidian",
            _ => "YAML",
        };

        /// <summary>The whole lines an entry of a block mapping takes, from its key's line to the next entry.</summary>
        private TextSpan EntryLines(YamlMapping mapping, int index, bool isRoot, FrontMatterReading reading)
        {
            var entry = mapping.Entries[index];
            var start = text.GetLineStart(text.GetLineFromOffset(entry.Key.Span.Start));
            int end;
            if (index + 1 < mapping.Entries.Length)
            {
                end = text.GetLineStart(text.GetLineFromOffset(mapping.Entries[index + 1].Key.Span.Start));
            }
            else if (isRoot)
            {
                end = reading.Content.End;
            }
            else
            {
                var last = entry.Value?.Span.End ?? entry.Key.Span.End;
                while (last > entry.Key.Span.End && char.IsWhiteSpace(text.Text[last - 1]))
                {
                    last--;
                }

                end = text.GetLineStart(text.GetLineFromOffset(Math.Max(entry.Key.Span.End, last - 1)) + 1);
            }

            return TextSpan.FromBounds(start, Math.Max(start, end));
        }

        private void CheckKeys(YamlMapping root, FrontMatterSyntax frontMatter, bool checkRequired, HashSet<int> errorLines)
        {
            var present = new HashSet<string>(schema.KeyComparer);
            foreach (var entry in root.Entries)
            {
                if (entry.KeyText is { } key)
                {
                    present.Add(key);
                }
            }

            var checkedKeys = new Dictionary<string, YamlEntry>(schema.KeyComparer);
            foreach (var entry in root.Entries)
            {
                if (entry.KeyText is not { } key)
                {
                    continue;
                }

                if (checkedKeys.TryGetValue(key, out var first))
                {
                    // Exact repeats are duplicate keys already; `Title` after `title` is one only to a case-blind tool.
                    if (first.KeyText != key)
                    {
                        Add(entry.Key.Span, Severity.Warning, FrontMatterCodes.DuplicateKey,
                            $"`{key}` and `{first.KeyText}` are the same key here (keys are case-insensitive, as in Hugo); one of them is lost",
                            related: [new RelatedLocation(uri, first.Key.Span, $"`{first.KeyText}`")]);
                    }

                    continue;
                }

                checkedKeys.Add(key, entry);

                if (schema.Find(key) is { } known)
                {
                    // A line with a syntax error has one diagnostic: what YAML made of its half-read value is noise.
                    if (!errorLines.Contains(text.GetLineFromOffset(entry.Key.Span.Start)))
                    {
                        CheckValue(entry, known);
                    }
                }
                else
                {
                    CheckUnknown(entry, key, present);
                }
            }

            if (!checkRequired)
            {
                return;
            }

            foreach (var key in schema.Keys)
            {
                if (key.Required && !present.Contains(key.Name))
                {
                    Add(frontMatter.OpenFence, Severity.Warning, FrontMatterCodes.MissingKey, $"the schema requires a `{key.Name}` key",
                        data: ImmutableDictionary<string, string>.Empty.Add(FrontMatterCodes.DataKey, key.Name));
                }
            }
        }

        private void CheckUnknown(YamlEntry entry, string key, HashSet<string> present)
        {
            // `_comment`, `_build`: a leading underscore is the usual way to say "private, not for the tool".
            if (schema.UnknownKeys == UnknownKeyPolicy.Ignore || (key.StartsWith('_') && schema.UnknownKeys == UnknownKeyPolicy.Typos))
            {
                return;
            }

            // A key that several notes use is the workspace's own (a layout reads `page.tag`), not a typo: it is
            // reported only when the schema asks for every unknown key, and never with a "did you mean".
            ReadWorkspaceKeys = true;
            var own = Math.Max(1, workspaceKeys?.Count(key) ?? 1);
            var isConvention = workspaceKeys?.IsConvention(key) == true;
            var suggestion = isConvention ? null : Suggest(key, TypoCandidates(present, own), schema.CaseInsensitiveKeys);
            if (suggestion is not null)
            {
                Add(entry.Key.Span, Severity.Warning, FrontMatterCodes.UnknownKey, $"unknown key `{key}`: did you mean `{suggestion}`?",
                    data: ImmutableDictionary<string, string>.Empty.Add(FrontMatterCodes.DataSuggestion, suggestion));
            }
            else if (schema.UnknownKeys == UnknownKeyPolicy.Warn)
            {
                Add(entry.Key.Span, Severity.Warning, FrontMatterCodes.UnknownKey, isConvention
                    ? $"unknown key `{key}`: the schema does not list it ({workspaceKeys!.Count(key)} notes use it)"
                    : $"unknown key `{key}`: the schema does not list it");
            }
        }

        /// <summary>
        /// What a rare key may be a typo of: the schema's keys this note lacks, and the keys the workspace uses
        /// by convention (in more notes than this key) that this note lacks.
        /// </summary>
        private IEnumerable<string> TypoCandidates(HashSet<string> present, int own)
        {
            foreach (var known in schema.Keys)
            {
                if (!present.Contains(known.Name))
                {
                    yield return known.Name;
                }
            }

            if (workspaceKeys is null)
            {
                yield break;
            }

            foreach (var (candidate, count) in workspaceKeys.All)
            {
                // Two case spellings of the workspace's own key are its templates' business (Hugo reads keys case-blind).
                if (count >= FrontMatterKeyIndex.ConventionMinNotes && count > own && !present.Contains(candidate) && schema.Find(candidate) is null
                    && !present.Any(p => string.Equals(p, candidate, StringComparison.OrdinalIgnoreCase)))
                {
                    yield return candidate;
                }
            }
        }

        /// <summary>
        /// A preset's type is an opinion on an optional key (the generator takes the value anyway), so a mismatch is
        /// a warning; a workspace schema file is the user's own contract, so there it is an error.
        /// </summary>
        private Severity TypeSeverity => schema.IsFromFile ? Severity.Error : Severity.Warning;

        private void CheckValue(YamlEntry entry, FrontMatterKey key)
        {
            var value = entry.Value;
            // An alias of a defined anchor is a deliberate reference (`tags: *k`); one that refers to nothing is
            // usually text that starts with `*` (`title: *Draft*`).
            if (value is YamlAlias { Target: null } alias && key.ExpectsText)
            {
                Add(alias.Span, Severity.Warning, FrontMatterCodes.ImplicitType,
                    $"`*{alias.Name}` is a YAML alias (a reference to an `&{alias.Name}` anchor), not text: quote it",
                    data: QuoteData(alias.Span));
                return;
            }

            if (value is null or YamlAlias || IsEmpty(value) || key.Accepts(FrontMatterValueType.Any) || IsTemplatePlaceholder(value))
            {
                return;
            }

            switch (value)
            {
                case YamlSequence sequence:
                    if (!key.Accepts(FrontMatterValueType.StringList))
                    {
                        Add(value.Span, TypeSeverity, FrontMatterCodes.WrongType, $"`{key.Name}` expects {Describe(key)}, not a list");
                        return;
                    }

                    foreach (var item in sequence.Items)
                    {
                        if (item is YamlScalar scalarItem)
                        {
                            CheckText(scalarItem, key, isListItem: true);
                        }
                        else if (item is not YamlAlias)
                        {
                            Add(item.Span, TypeSeverity, FrontMatterCodes.WrongType, $"`{key.Name}` items must be text");
                        }
                    }

                    return;
                case YamlMapping:
                    if (!key.Accepts(FrontMatterValueType.Mapping))
                    {
                        Add(value.Span, TypeSeverity, FrontMatterCodes.WrongType, $"`{key.Name}` expects {Describe(key)}, not a mapping");
                    }

                    return;
                case YamlScalar scalar:
                    CheckScalar(scalar, key);
                    return;
            }
        }

        /// <summary>
        /// Archetypes and theme starters hold Go or Liquid templates (<c>title: {{ .Name }}</c>), which YAML reads as
        /// a nested flow mapping; they become values only when the template runs, so there is nothing to check yet.
        /// </summary>
        private bool IsTemplatePlaceholder(YamlNode value) =>
            value is YamlMapping { IsFlow: true } && text.Text.AsSpan(value.Span.Start).StartsWith("{{", StringComparison.Ordinal);

        private void CheckScalar(YamlScalar scalar, FrontMatterKey key)
        {
            if (key.Accepts(FrontMatterValueType.String) || key.Accepts(FrontMatterValueType.Enum) || key.Accepts(FrontMatterValueType.Url))
            {
                CheckText(scalar, key, isListItem: false);
                return;
            }

            if (key.IsDateLike)
            {
                CheckDate(scalar, key);
                return;
            }

            if (key.Accepts(FrontMatterValueType.StringList))
            {
                if (!key.ListMayBeString)
                {
                    Add(scalar.Span, Severity.Warning, FrontMatterCodes.ListAsString, $"`{key.Name}` should be a list, not a string: write `[{Short(scalar.Value)}]`");
                }
                else if (scalar.Value.Contains(',', StringComparison.Ordinal))
                {
                    // Tools that accept a string split it on spaces, so "a, b" gives the items "a," and "b".
                    Add(scalar.Span, Severity.Warning, FrontMatterCodes.ListAsString, $"`{key.Name}` is one string and commas do not separate its items: write `[{Short(scalar.Value)}]`");
                }
                else
                {
                    CheckText(scalar, key, isListItem: false);
                }

                return;
            }

            if (key.Accepts(FrontMatterValueType.Bool))
            {
                CheckBool(scalar, key);
                return;
            }

            if (key.Accepts(FrontMatterValueType.Int) || key.Accepts(FrontMatterValueType.Number))
            {
                var isNumber = scalar.IsPlain && (IntPattern().IsMatch(scalar.Value)
                    || (key.Accepts(FrontMatterValueType.Number) && FloatPattern().IsMatch(scalar.Value)));
                if (!isNumber)
                {
                    Add(scalar.Span, TypeSeverity, FrontMatterCodes.WrongType, $"`{key.Name}` expects {Describe(key)}, not `{Short(scalar.Value)}`");
                }

                return;
            }

            if (key.Accepts(FrontMatterValueType.Mapping))
            {
                Add(scalar.Span, TypeSeverity, FrontMatterCodes.WrongType, $"`{key.Name}` expects {Describe(key)} (indented `key: value` lines)");
            }
        }

        private void CheckText(YamlScalar scalar, FrontMatterKey key, bool isListItem)
        {
            if (scalar.IsPlain && ImplicitTypeOf(scalar.Value) is { } reading)
            {
                var what = isListItem ? $"the `{key.Name}` item `{scalar.Value}`" : $"`{scalar.Value}`";
                Add(scalar.Span, Severity.Warning, FrontMatterCodes.ImplicitType,
                    $"{what} is read as {reading} by YAML 1.1 parsers (Jekyll, PyYAML), not as text: quote it",
                    data: QuoteData(scalar.Span));
                return;
            }

            var allowed = key.AllowedValuesOrEmpty;
            if (!allowed.IsEmpty && !allowed.Contains(scalar.Value))
            {
                var suggestion = Suggest(scalar.Value, allowed, caseInsensitive: false);
                var message = suggestion is null
                    ? $"`{Short(scalar.Value)}` is not an allowed `{key.Name}`: use one of {string.Join(", ", allowed.Select(a => $"`{a}`"))}"
                    : $"`{Short(scalar.Value)}` is not an allowed `{key.Name}`: did you mean `{suggestion}`?";
                Add(scalar.Span, Severity.Error, FrontMatterCodes.ValueNotAllowed, message,
                    data: suggestion is null ? null : ImmutableDictionary<string, string>.Empty.Add(FrontMatterCodes.DataSuggestion, suggestion));
                return;
            }

            if (!isListItem && key.Accepts(FrontMatterValueType.Url) && !key.Accepts(FrontMatterValueType.String) && !LooksLikeUrl(scalar.Value))
            {
                Add(scalar.Span, Severity.Warning, FrontMatterCodes.WrongType, $"`{key.Name}` expects a URL (https://...) or a path starting with '/'");
            }
        }

        private void CheckBool(YamlScalar scalar, FrontMatterKey key)
        {
            var value = scalar.Value;
            if (scalar.IsPlain && value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            {
                return;
            }

            if (scalar.IsPlain && Yaml11Bool(value) is { } meaning)
            {
                var replacement = meaning ? "true" : "false";
                Add(scalar.Span, Severity.Warning, FrontMatterCodes.ImplicitType,
                    $"`{value}` is a boolean only in YAML 1.1; write `{replacement}`",
                    data: ImmutableDictionary<string, string>.Empty.Add(FrontMatterCodes.DataSuggestion, replacement));
                return;
            }

            if (!scalar.IsPlain && value is "true" or "false")
            {
                Add(scalar.Span, Severity.Warning, FrontMatterCodes.WrongType, $"`{key.Name}` is quoted, so it is the text \"{value}\", not a boolean: remove the quotes",
                    data: ImmutableDictionary<string, string>.Empty.Add(FrontMatterCodes.DataSuggestion, value));
                return;
            }

            Add(scalar.Span, TypeSeverity, FrontMatterCodes.WrongType, $"`{key.Name}` expects true or false, not `{Short(value)}`");
        }

        private void CheckDate(YamlScalar scalar, FrontMatterKey key)
        {
            var reading = FrontMatterDates.Read(scalar.Value);
            var acceptsYear = key.Accepts(FrontMatterValueType.Year);
            var acceptsDate = key.Accepts(FrontMatterValueType.Date);
            var acceptsDateTime = key.Accepts(FrontMatterValueType.DateTime) || acceptsDate;
            switch (reading.Shape)
            {
                case DateShape.Year when acceptsYear:
                case DateShape.Date when acceptsDate:
                case DateShape.DateTime when acceptsDateTime:
                    return;
                case DateShape.Year:
                    Add(scalar.Span, Severity.Warning, FrontMatterCodes.YearOnlyDate,
                        $"`{scalar.Value}` is only a year; `{key.Name}` expects a full date (YYYY-MM-DD)");
                    return;
                case DateShape.Date:
                    Add(scalar.Span, Severity.Warning, FrontMatterCodes.WrongType, acceptsYear
                        ? $"`{key.Name}` expects a year (YYYY), not a full date"
                        : $"`{key.Name}` expects a date with a time (YYYY-MM-DD HH:MM:SS)");
                    return;
                case DateShape.DateTime:
                    Add(scalar.Span, Severity.Warning, FrontMatterCodes.WrongType, $"`{key.Name}` expects {Describe(key)}, without a time");
                    return;
                case DateShape.NonIso:
                    Add(scalar.Span, Severity.Warning, FrontMatterCodes.NonIsoDate, $"write the date as `{reading.Iso}` (YYYY-MM-DD): other forms are read differently by each tool",
                        data: ImmutableDictionary<string, string>.Empty.Add(FrontMatterCodes.DataSuggestion, reading.Iso!));
                    return;
                case DateShape.Impossible:
                    Add(scalar.Span, Severity.Error, FrontMatterCodes.ImpossibleDate, $"`{scalar.Value}` is not a real date: {reading.Problem}");
                    return;
                default:
                    Add(scalar.Span, Severity.Error, FrontMatterCodes.InvalidDate, reading.Problem is { } problem
                        ? $"`{Short(scalar.Value)}` is not a date: {problem}"
                        : $"`{Short(scalar.Value)}` is not a date: `{key.Name}` expects {Describe(key)}");
                    return;
            }
        }

        private void Add(TextSpan span, Severity severity, string code, string message,
            ImmutableArray<RelatedLocation> related = default, ImmutableDictionary<string, string>? data = null) =>
            Diagnostics.Add(new NoteDiagnostic(span, severity, code, message, related, data));
    }

    /// <summary>The closest candidate within a typo's distance, or null.</summary>
    internal static string? Suggest(string word, IEnumerable<string> candidates, bool caseInsensitive)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        // One edit for ordinary keys, two only for long ones: short words are one edit away from too much.
        var limit = word.Length >= 9 ? 2 : 1;
        foreach (var candidate in candidates)
        {
            if (caseInsensitive && string.Equals(word, candidate, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var distance = EditDistance.Compute(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance == 0 && !string.Equals(word, candidate, StringComparison.Ordinal))
            {
                // Only the case differs (`Title`), which case-sensitive tools do not forgive.
                distance = 0;
            }
            else if (distance == 0)
            {
                continue;
            }

            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>What a YAML 1.1 parser turns a plain scalar into, when that is not text.</summary>
    internal static string? ImplicitTypeOf(string value)
    {
        if (Yaml11Bool(value) is { } boolean)
        {
            return boolean ? "the boolean true" : "the boolean false";
        }

        if (value is "~" or "null" or "Null" or "NULL")
        {
            return "null (no value)";
        }

        if (HexOctalBinaryPattern().IsMatch(value))
        {
            return "a number";
        }

        if (ExponentPattern().IsMatch(value))
        {
            return "a floating-point number";
        }

        if (SexagesimalPattern().IsMatch(value))
        {
            return "a base-60 number";
        }

        if (TrailingZeroDecimalPattern().IsMatch(value))
        {
            return $"the number {value.TrimEnd('0')}";
        }

        if (UnderscoreNumberPattern().IsMatch(value))
        {
            return "a number";
        }

        if (value is ".inf" or ".Inf" or ".INF" or "-.inf" or "+.inf" or ".nan" or ".NaN" or ".NAN")
        {
            return "a special float";
        }

        return null;
    }

    private static bool? Yaml11Bool(string value) => value switch
    {
        "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON" => true,
        "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF" => false,
        _ => null,
    };

    private static bool IsEmpty(YamlNode node) =>
        node is YamlScalar { IsPlain: true } scalar && (scalar.Value.Length == 0 || scalar.Value is "~" or "null" or "Null" or "NULL");

    private static bool LooksLikeUrl(string value) =>
        value.StartsWith('/') || value.StartsWith("./", StringComparison.Ordinal) || value.StartsWith("../", StringComparison.Ordinal)
        || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1);

    private static bool LooksLikeKey(string line) => KeyLinePattern().IsMatch(line);

    private static string Short(string value) => value.Length <= 40 ? value : value[..39] + "…";

    private static string Describe(FrontMatterKey key) => string.Join(" or ", key.Types.Select(type => type switch
    {
        FrontMatterValueType.String => "text",
        FrontMatterValueType.Date => "a date (YYYY-MM-DD)",
        FrontMatterValueType.DateTime => "a date and time (YYYY-MM-DD HH:MM:SS)",
        FrontMatterValueType.Year => "a year (YYYY)",
        FrontMatterValueType.Bool => "true or false",
        FrontMatterValueType.Int => "a whole number",
        FrontMatterValueType.Number => "a number",
        FrontMatterValueType.Url => "a URL",
        FrontMatterValueType.StringList => "a list",
        FrontMatterValueType.Enum => "one of " + string.Join(", ", key.AllowedValuesOrEmpty),
        FrontMatterValueType.Mapping => "a mapping",
        _ => "a value",
    }));

    private static ImmutableDictionary<string, string> QuoteData(TextSpan span) => ImmutableDictionary<string, string>.Empty
        .Add(FrontMatterCodes.DataQuoteStart, span.Start.ToString(CultureInfo.InvariantCulture))
        .Add(FrontMatterCodes.DataQuoteLength, span.Length.ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^[-+]?\d+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?0(x[0-9a-fA-F_]+|o?[0-7_]+|b[01_]+)$")]
    private static partial Regex HexOctalBinaryPattern();

    [GeneratedRegex(@"^[-+]?(\d[\d_]*)?(\.\d*)?[eE][-+]?\d+$")]
    private static partial Regex ExponentPattern();

    [GeneratedRegex(@"^[-+]?[1-9]\d*(:[0-5]?\d)+(\.\d*)?$")]
    private static partial Regex SexagesimalPattern();

    [GeneratedRegex(@"^[-+]?\d+\.\d*0$")]
    private static partial Regex TrailingZeroDecimalPattern();

    [GeneratedRegex(@"^[-+]?\d+(_\d+)+$")]
    private static partial Regex UnderscoreNumberPattern();

    [GeneratedRegex(@"^[A-Za-z_][\w.-]*\s*:(\s|$)")]
    private static partial Regex KeyLinePattern();
}

/// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions: `titel` is one step from `title`).</summary>
internal static class EditDistance
{
    public static int Compute(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 3)
        {
            return Math.Abs(a.Length - b.Length);
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
