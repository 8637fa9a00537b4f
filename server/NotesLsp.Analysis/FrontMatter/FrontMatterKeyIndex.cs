using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NotesLsp.Syntax;

namespace NotesLsp.Analysis.FrontMatter;

/// <summary>
/// The top-level front matter keys of one note, in order of first appearance, spelled as written. A small plain
/// record so that a store (the scale work's SQLite cache) can keep it per note and hand it back without a parse.
/// </summary>
public sealed record FrontMatterKeySummary(ImmutableArray<string> Keys)
{
    public static FrontMatterKeySummary Empty { get; } = new(ImmutableArray<string>.Empty);

    /// <summary>The keys of a note's front matter; keys after a YAML error are read per top-level entry, as the validator does.</summary>
    public static FrontMatterKeySummary Of(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);

        // A summarised note carries its keys (read with this very method when it was summarised): no parse.
        if (note.Summary is { } summary)
        {
            return summary.FrontMatterKeys.IsEmpty ? Empty : new FrontMatterKeySummary(summary.FrontMatterKeys);
        }

        return Read(note);
    }

    /// <summary>The keys read from the note's text.</summary>
    public static FrontMatterKeySummary Read(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return note.FrontMatter is { } frontMatter ? Read(note.Text, frontMatter) : Empty;
    }

    /// <summary>The keys of the front matter <paramref name="frontMatter"/> read from <paramref name="text"/> (none when null).</summary>
    public static FrontMatterKeySummary Read(NotesLsp.Text.SourceText text, FrontMatterSyntax? frontMatter)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (frontMatter is null)
        {
            return Empty;
        }

        var root = FrontMatterReading.Read(text, frontMatter).Root;
        if (root is null || root.Entries.IsEmpty)
        {
            return Empty;
        }

        var keys = ImmutableArray.CreateBuilder<string>(root.Entries.Length);
        foreach (var entry in root.Entries)
        {
            if (entry.KeyText is { Length: > 0 } key && !keys.Contains(key))
            {
                keys.Add(key);
            }
        }

        return new FrontMatterKeySummary(keys.ToImmutable());
    }

    public bool Equals(FrontMatterKeySummary? other) => other is not null && Keys.SequenceEqual(other.Keys, StringComparer.Ordinal);

    public override int GetHashCode() => Keys.Length;
}

/// <summary>
/// How many notes of the workspace use each top-level front matter key: the workspace's own key conventions.
/// Immutable and kept current incrementally by the snapshot, like the tag index; <c>notes-lsp check</c> builds it
/// over the folder it checks, so the editor and the command apply the same rule.
/// </summary>
/// <remarks>
/// A key that several notes use is a convention of the site (a Jekyll layout reading <c>page.tag</c>), not a
/// typo of a schema key; only a rare key next to a common one gets "did you mean".
/// </remarks>
public sealed class FrontMatterKeyIndex
{
    /// <summary>A key used by at least this many notes is a convention of the workspace.</summary>
    public const int ConventionMinNotes = 3;

    private readonly ImmutableSortedDictionary<string, FrontMatterKeySummary> byNote;
    private readonly ImmutableDictionary<string, int> counts;

    private FrontMatterKeyIndex(ImmutableSortedDictionary<string, FrontMatterKeySummary> byNote, ImmutableDictionary<string, int> counts)
    {
        this.byNote = byNote;
        this.counts = counts;
    }

    public static FrontMatterKeyIndex Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, FrontMatterKeySummary>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, int>(StringComparer.Ordinal));

    /// <summary>How many notes use the key (exact spelling).</summary>
    public int Count(string key) => counts.GetValueOrDefault(key);

    /// <summary>True when enough notes use the key for it to be the workspace's own key.</summary>
    public bool IsConvention(string key) => Count(key) >= ConventionMinNotes;

    /// <summary>Every key in use with its note count.</summary>
    public IEnumerable<KeyValuePair<string, int>> All => counts;

    /// <summary>The keys of one note as indexed (empty when unknown).</summary>
    public FrontMatterKeySummary KeysOf(string uri) => byNote.GetValueOrDefault(uri, FrontMatterKeySummary.Empty);

    public FrontMatterKeyIndex WithNote(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return WithSummaries([(note.Uri, FrontMatterKeySummary.Of(note))]);
    }

    public FrontMatterKeyIndex WithNotes(IEnumerable<Note> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var list = notes as IReadOnlyList<Note> ?? [.. notes];
        var summaries = list.Count >= 256
            ? list.AsParallel().AsOrdered().Select(n => (n.Uri, FrontMatterKeySummary.Of(n))).ToArray()
            : [.. list.Select(n => (n.Uri, FrontMatterKeySummary.Of(n)))];
        return WithSummaries(summaries);
    }

    /// <summary>The index with these notes' key summaries (from a store, for example) replacing what they had.</summary>
    public FrontMatterKeyIndex WithSummaries(IEnumerable<(string Uri, FrontMatterKeySummary Summary)> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var notes = byNote.ToBuilder();

        // The count changes of the whole batch are summed in a plain dictionary and applied to the immutable counts once
        // per key: a start-up batch of 100,000 notes of ten keys each was a million immutable-dictionary updates.
        var deltas = new Dictionary<string, (string Shared, int Delta)>(StringComparer.Ordinal);
        var changed = false;
        foreach (var (uri, summary) in summaries)
        {
            var old = notes.GetValueOrDefault(uri, FrontMatterKeySummary.Empty);
            if (old.Equals(summary))
            {
                continue;
            }

            changed = true;
            foreach (var key in old.Keys)
            {
                ref var delta = ref CollectionsMarshal.GetValueRefOrAddDefault(deltas, key, out var exists);
                delta = exists ? (delta.Shared, delta.Delta - 1) : (counts.TryGetKey(key, out var known) ? known : key, -1);
            }

            // Every note's keys are its own strings from its YAML; sharing the index's copy keeps 10,000 notes' summaries
            // small. A summarised note's keys are pooled already (one array for every note with the same keys): kept as they are.
            var shared = ImmutableArray.CreateBuilder<string>(summary.Keys.Length);
            var same = true;
            foreach (var key in summary.Keys)
            {
                ref var delta = ref CollectionsMarshal.GetValueRefOrAddDefault(deltas, key, out var exists);
                delta = exists ? (delta.Shared, delta.Delta + 1) : (counts.TryGetKey(key, out var known) ? known : key, +1);
                same &= ReferenceEquals(delta.Shared, key);
                shared.Add(delta.Shared);
            }

            if (summary.Keys.IsEmpty)
            {
                notes.Remove(uri);
            }
            else
            {
                notes[uri] = same ? summary : new FrontMatterKeySummary(shared.MoveToImmutable());
            }
        }

        if (!changed)
        {
            return this;
        }

        var newCounts = counts.ToBuilder();
        foreach (var (_, (key, delta)) in deltas)
        {
            if (delta != 0)
            {
                Adjust(newCounts, key, delta);
            }
        }

        return new FrontMatterKeyIndex(notes.ToImmutable(), newCounts.ToImmutable());
    }

    public FrontMatterKeyIndex WithoutNotes(IEnumerable<string> uris)
    {
        ArgumentNullException.ThrowIfNull(uris);
        return WithSummaries(uris.Select(u => (u, FrontMatterKeySummary.Empty)));
    }

    private static void Adjust(ImmutableDictionary<string, int>.Builder counts, string key, int delta)
    {
        var count = counts.GetValueOrDefault(key) + delta;
        if (count <= 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = count;
        }
    }
}

/// <summary>
/// The front matter as the validator reads it: the YAML parse, and after a YAML error each later top-level
/// entry read on its own, so that one pass reports every independent problem. An unclosed block is read up to
/// its last line that still looks like YAML.
/// </summary>
internal sealed record FrontMatterReading(YamlNode? RootNode, ImmutableArray<YamlSyntaxError> Errors, NotesLsp.Text.TextSpan Content)
{
    public YamlMapping? Root => RootNode as YamlMapping;

    public static FrontMatterReading Read(NotesLsp.Text.SourceText text, FrontMatterSyntax frontMatter)
    {
        var content = frontMatter.Content;
        var root = frontMatter.RootNode;
        var errors = frontMatter.Errors;
        if (!frontMatter.IsClosed)
        {
            // The parser's content runs to the first blank line; the note's body may start right below the keys.
            var yamlEnd = content.Start;
            var firstLine = text.GetLineFromOffset(content.Start);
            for (var line = firstLine; line < text.LineCount && text.GetLineStart(line) < content.End; line++)
            {
                if (!YamlText.LooksLikeYamlLine(text.GetLineText(line), isFirst: line == firstLine))
                {
                    break;
                }

                yamlEnd = Math.Min(content.End, text.GetLineStart(line + 1));
            }

            content = NotesLsp.Text.TextSpan.FromBounds(content.Start, yamlEnd);
            var reread = FrontMatterParser.ParseYaml(text, content);
            root = reread.Root;
            errors = reread.Errors;
        }

        if (errors.IsEmpty)
        {
            return new FrontMatterReading(root, errors, content); // the usual note: nothing to read again.
        }

        var syntax = errors.Where(e => e.Kind == YamlErrorKind.Syntax).Select(e => e.Span.Start).DefaultIfEmpty(-1).Min();
        if (syntax < 0 || errors.Any(e => e.Kind is YamlErrorKind.TooDeep or YamlErrorKind.TooLarge or YamlErrorKind.TooManyNodes))
        {
            return new FrontMatterReading(root, errors, content);
        }

        // Top-level entries start at column 0. The one holding the first error keeps what the parser made of it;
        // each later one is read alone (a broken entry rarely breaks the next one's YAML).
        var starts = TopLevelStarts(text, content);
        var broken = starts.LastOrDefault(s => s <= syntax, content.Start);
        var after = starts.Where(s => s > syntax).ToList();
        if (after.Count == 0)
        {
            return new FrontMatterReading(root, errors, content);
        }

        var entries = ImmutableArray.CreateBuilder<YamlEntry>();
        if (root is YamlMapping { IsFlow: false } partial)
        {
            entries.AddRange(partial.Entries.Where(e => e.Key.Span.Start < after[0]));
        }
        else if (root is not null && broken > content.Start)
        {
            return new FrontMatterReading(root, errors, content);
        }

        var allErrors = errors.ToBuilder();
        for (var i = 0; i < after.Count; i++)
        {
            var end = i + 1 < after.Count ? after[i + 1] : content.End;
            var piece = FrontMatterParser.ParseYaml(text, NotesLsp.Text.TextSpan.FromBounds(after[i], end));
            allErrors.AddRange(piece.Errors);
            if (piece.Root is YamlMapping { IsFlow: false } mapping)
            {
                entries.AddRange(mapping.Entries);
            }
        }

        var merged = new YamlMapping(content, entries.ToImmutable(), IsFlow: false);
        return new FrontMatterReading(merged, allErrors.ToImmutable(), content);
    }

    /// <summary>The offsets of the lines that start a top-level entry (a key at column 0).</summary>
    private static List<int> TopLevelStarts(NotesLsp.Text.SourceText text, NotesLsp.Text.TextSpan content)
    {
        var starts = new List<int>();
        var s = text.Text;
        for (var line = text.GetLineFromOffset(content.Start); line < text.LineCount; line++)
        {
            var start = text.GetLineStart(line);
            if (start >= content.End)
            {
                break;
            }

            var end = Math.Min(text.GetLineContentEnd(line), content.End);
            if (end > start && s[start] is not (' ' or '\t' or '-' or '#' or ']' or '}' or ',' or '"' or '\'' or '[' or '{' or '|' or '>')
                && YamlText.LooksLikeYamlLine(s[start..end], isFirst: false))
            {
                starts.Add(start);
            }
        }

        return starts;
    }
}
