using System.Collections.Immutable;

namespace NotesLsp.Analysis;

/// <summary>
/// The names workspace symbol search looks through: each distinct note title and heading text with the sorted
/// URIs of the summarised notes using it. Notes that hold their text (open documents, notes read without a
/// summary) are listed apart and searched directly, so that keeping this index never parses a body.
/// </summary>
/// <remarks>
/// Why names and not notes: a search scores a name once however many notes share it (every generated or real
/// note has a "Summary" heading), a 64-bit character mask per name rejects most names without scoring them, and
/// the result is already grouped in the order the search returns it (score, then name, then URI). An update diffs
/// the note's old and new names like <see cref="Tags.TagIndex"/>; one that changes no name keeps the same object,
/// so the flat array a search walks is built once per change of names, not per keystroke.
/// </remarks>
public sealed class SymbolIndex
{
    private readonly ImmutableDictionary<string, ImmutableArray<string>> titles;
    private readonly ImmutableDictionary<string, ImmutableArray<string>> headings;
    private readonly ImmutableSortedSet<string> loose;
    private readonly Lazy<Entry[]> entries;

    private SymbolIndex(ImmutableDictionary<string, ImmutableArray<string>> titles, ImmutableDictionary<string, ImmutableArray<string>> headings, ImmutableSortedSet<string> loose)
    {
        this.titles = titles;
        this.headings = headings;
        this.loose = loose;
        entries = new Lazy<Entry[]>(BuildEntries, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static SymbolIndex Empty { get; } = new(
        ImmutableDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal),
        ImmutableSortedSet.Create<string>(StringComparer.Ordinal));

    /// <summary>How many distinct names (titles and headings) are indexed.</summary>
    public int NameCount => titles.Count + headings.Count;

    /// <summary>The URIs of notes searched directly (they hold their text), sorted ordinally.</summary>
    public IReadOnlyCollection<string> LooseNotes => loose;

    /// <summary>The index with <paramref name="added"/> replacing <paramref name="removed"/> (either may be null).</summary>
    public SymbolIndex With(IEnumerable<(Note? Removed, Note? Added)> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var titleChanges = new Dictionary<string, SortedUris.Change>(StringComparer.Ordinal);
        var headingChanges = new Dictionary<string, SortedUris.Change>(StringComparer.Ordinal);
        var looseBuilder = (ImmutableSortedSet<string>.Builder?)null;
        foreach (var (removed, added) in changes)
        {
            var oldNames = NamesOf(removed);
            var newNames = NamesOf(added);
            var uri = (added ?? removed)?.Uri;
            if (uri is null)
            {
                continue;
            }

            if ((removed is not null && removed.Summary is null) != (added is not null && added.Summary is null))
            {
                looseBuilder ??= loose.ToBuilder();
                if (added is not null && added.Summary is null)
                {
                    looseBuilder.Add(uri);
                }
                else
                {
                    looseBuilder.Remove(uri);
                }
            }

            Diff(titleChanges, uri, oldNames.Title is null ? [] : [oldNames.Title], newNames.Title is null ? [] : [newNames.Title]);
            Diff(headingChanges, uri, oldNames.Headings, newNames.Headings);
        }

        if (titleChanges.Count == 0 && headingChanges.Count == 0 && looseBuilder is null)
        {
            return this;
        }

        return new SymbolIndex(Apply(titles, titleChanges), Apply(headings, headingChanges), looseBuilder?.ToImmutable() ?? loose);
    }

    /// <summary>
    /// Symbols whose name contains the query's characters in order, best first, exactly as
    /// <see cref="WorkspaceSymbols.Search"/> defines the order; an empty query lists note titles.
    /// </summary>
    internal IEnumerable<(int Score, WorkspaceSymbol Symbol)> Search(WorkspaceSnapshot snapshot, string query, CancellationToken cancellationToken)
    {
        var mask = NameMask.Of(query, skipWhitespace: true);
        var prepared = new FuzzyQuery(query);
        var matches = new List<((int Score, Entry Entry), (int Score, Entry Entry))>();
        foreach (var entry in entries.Value)
        {
            if ((entry.Mask & mask) != mask || (query.Length == 0 && !entry.IsTitle))
            {
                continue;
            }

            if (FuzzyMatch.Score(prepared, entry.Name) is { } score)
            {
                var match = (entry.IsTitle ? score + 1 : score, entry);
                matches.Add((match, match));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Best first, taken one at a time: a search returns a few hundred symbols of possibly tens of thousands of
        // matching names, so the matches are put in a heap (linear) and only the names the caller reads come out of it,
        // instead of sorting them all. No two matches compare equal (names are distinct per kind, and a title and a
        // heading of the same name differ in score), so the order is the one a full sort gives.
        var ordered = new PriorityQueue<(int Score, Entry Entry), (int Score, Entry Entry)>(matches, MatchOrder);
        while (ordered.TryDequeue(out var next, out _))
        {
            var (score, entry) = next;
            foreach (var uri in entry.Uris)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (snapshot.Find(uri) is not { } note)
                {
                    continue;
                }

                if (entry.IsTitle)
                {
                    yield return (score, new WorkspaceSymbol(entry.Name, SymbolKind.Note, uri, note.TitleSpan, Note.FileNameOf(uri)));
                    continue;
                }

                var container = note.Title ?? Note.FileNameOf(uri);
                if (note.Summary is { } summary)
                {
                    // The summary's heading values, without making the syntax objects Note.Headings would.
                    foreach (var heading in summary.Headings)
                    {
                        if (string.Equals(heading.Text, entry.Name, StringComparison.Ordinal))
                        {
                            yield return (score, new WorkspaceSymbol(heading.Text, SymbolKind.Heading, uri, heading.Span, container));
                        }
                    }

                    continue;
                }

                foreach (var heading in note.Headings)
                {
                    if (string.Equals(heading.Text, entry.Name, StringComparison.Ordinal))
                    {
                        yield return (score, new WorkspaceSymbol(heading.Text, SymbolKind.Heading, uri, heading.Span, container));
                    }
                }
            }
        }
    }

    private static readonly Comparer<(int Score, Entry Entry)> MatchOrder = Comparer<(int Score, Entry Entry)>.Create(static (a, b) =>
    {
        var byScore = b.Score.CompareTo(a.Score);
        if (byScore != 0)
        {
            return byScore;
        }

        var byLength = a.Entry.Name.Length.CompareTo(b.Entry.Name.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(a.Entry.Name, b.Entry.Name);
    });

    private static (string? Title, ImmutableArray<string> Headings) NamesOf(Note? note)
    {
        if (note?.Summary is not { } summary)
        {
            return (null, []);
        }

        if (summary.Headings.IsEmpty)
        {
            return (summary.Title, []);
        }

        var names = ImmutableArray.CreateBuilder<string>(summary.Headings.Length);
        foreach (var heading in summary.Headings)
        {
            if (!names.Contains(heading.Text))
            {
                names.Add(heading.Text);
            }
        }

        return (summary.Title, names.ToImmutable());
    }

    private static void Diff(Dictionary<string, SortedUris.Change> changes, string uri, ImmutableArray<string> old, ImmutableArray<string> @new)
    {
        if (old.SequenceEqual(@new, StringComparer.Ordinal))
        {
            return;
        }

        foreach (var name in old)
        {
            if (!@new.Contains(name))
            {
                ChangeOf(changes, name).Remove(uri);
            }
        }

        foreach (var name in @new)
        {
            if (!old.Contains(name))
            {
                ChangeOf(changes, name).Add(uri);
            }
        }
    }

    private static SortedUris.Change ChangeOf(Dictionary<string, SortedUris.Change> changes, string name)
    {
        if (!changes.TryGetValue(name, out var change))
        {
            change = new SortedUris.Change();
            changes[name] = change;
        }

        return change;
    }

    private static ImmutableDictionary<string, ImmutableArray<string>> Apply(ImmutableDictionary<string, ImmutableArray<string>> map, Dictionary<string, SortedUris.Change> changes)
    {
        if (changes.Count == 0)
        {
            return map;
        }

        var builder = map.ToBuilder();
        foreach (var (name, change) in changes)
        {
            var updated = change.Apply(map.GetValueOrDefault(name, []));
            if (updated.IsEmpty)
            {
                builder.Remove(name);
            }
            else
            {
                builder[name] = updated;
            }
        }

        return builder.ToImmutable();
    }

    private Entry[] BuildEntries()
    {
        var result = new Entry[titles.Count + headings.Count];
        var i = 0;
        foreach (var (name, uris) in titles)
        {
            result[i++] = new Entry(name, NameMask.Of(name, skipWhitespace: false), uris, IsTitle: true);
        }

        foreach (var (name, uris) in headings)
        {
            result[i++] = new Entry(name, NameMask.Of(name, skipWhitespace: false), uris, IsTitle: false);
        }

        return result;
    }

    private sealed record Entry(string Name, ulong Mask, ImmutableArray<string> Uris, bool IsTitle);
}

/// <summary>
/// Which characters a string contains, up to case, as a 64-bit set: a name can match a query only if it
/// contains every (non-space) character of the query, so a name whose mask lacks one of the query's bits is
/// skipped without scoring. Letters and digits have a bit each; other characters share the remaining bits by
/// their upper-case code, and every surrogate maps to one bit, so the test never rejects a name that
/// <see cref="FuzzyMatch"/> would accept (case-insensitive comparison of surrogate pairs included).
/// </summary>
internal static class NameMask
{
    public static ulong Of(string text, bool skipWhitespace)
    {
        var mask = 0UL;
        foreach (var c in text)
        {
            if (skipWhitespace && char.IsWhiteSpace(c))
            {
                continue;
            }

            mask |= Bit(c);
        }

        return mask;
    }

    private static ulong Bit(char c)
    {
        if (char.IsSurrogate(c))
        {
            return 1UL << 63;
        }

        var upper = char.ToUpperInvariant(c);
        return upper switch
        {
            >= 'A' and <= 'Z' => 1UL << (upper - 'A'),
            >= '0' and <= '9' => 1UL << (26 + upper - '0'),
            _ => 1UL << (36 + (upper % 27)),
        };
    }
}
