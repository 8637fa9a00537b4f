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
    private readonly Lazy<Names> entries;
    private readonly Lazy<FoldedNames> folded;
    private int searches;

    private SymbolIndex(ImmutableDictionary<string, ImmutableArray<string>> titles, ImmutableDictionary<string, ImmutableArray<string>> headings, ImmutableSortedSet<string> loose)
    {
        this.titles = titles;
        this.headings = headings;
        this.loose = loose;
        entries = new Lazy<Names>(BuildEntries, LazyThreadSafetyMode.ExecutionAndPublication);
        folded = new Lazy<FoldedNames>(() => FoldedNames.Of(entries.Value), LazyThreadSafetyMode.ExecutionAndPublication);
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
    /// <param name="firstSymbols">
    /// How many symbols the caller is expected to read: a search keeps a bounded heap of the best names that are
    /// enough for that many (each indexed name has at least one symbol per note using it) instead of every match
    /// (at 100,000 notes a query such as "sum" matches most of the ~150,000 names, and a list of them all was a
    /// 4 MB large-object allocation per request, which brought full collections). When the caller reads past them
    /// (a name whose notes are gone), the names are taken again with four times the room and the ones already
    /// returned skipped: the order is total, so the longer run of best names begins with the shorter one.
    /// </param>
    internal IEnumerable<(int Score, WorkspaceSymbol Symbol)> Search(WorkspaceSnapshot snapshot, string query, int firstSymbols, CancellationToken cancellationToken)
    {
        var mask = NameMask.Of(query, skipWhitespace: true);
        var prepared = new FuzzyQuery(query);
        var names = entries.Value;

        // The folded names cost a pass over every name and ~10 MB at 100,000 notes: they pay from an index's second
        // search on. The start-up scan replaces the index with each batch, and an index it replaces is rarely
        // searched twice; an index searched once is searched by scoring each name, with the same results.
        var foldedNames = Interlocked.Increment(ref searches) > 1 || folded.IsValueCreated ? folded.Value : null;
        var taken = 0;
        for (var room = Math.Max(1, firstSymbols); ; room = room > int.MaxValue / 4 ? int.MaxValue : room * 4)
        {
            var (best, complete) = Best(names, foldedNames, mask, prepared, query.Length == 0, room, cancellationToken);
            for (var i = taken; i < best.Length; i++)
            {
                foreach (var symbol in SymbolsOf(snapshot, best[i].Score, best[i].Entry, cancellationToken))
                {
                    yield return symbol;
                }
            }

            taken = best.Length;
            if (complete)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The fewest best matching names, in order, whose notes number at least <paramref name="room"/> (all of them
    /// when they number fewer), and whether they are all the names that match.
    /// For an ASCII query, the names containing it are found first by one vectorised search of the folded names:
    /// a prefix or substring match scores at least 150, a match of scattered characters at most 51 plus the
    /// query's length, so when the heap fills with better scores than that, no other name can enter it and the
    /// per-name pass is skipped (the common case at 100,000 notes: "attention" is in thousands of headings).
    /// </summary>
    private static ((int Score, Entry Entry)[] Best, bool Complete) Best(Names names, FoldedNames? foldedNames, ulong mask, FuzzyQuery prepared, bool titlesOnly, int room, CancellationToken cancellationToken)
    {
        // The worst kept match on top. Each name stands for at least one symbol per note using it, so the kept names
        // are the fewest best ones whose notes number at least room: a better name pushes out worse ones that are
        // no longer needed to reach it (one "Summary" heading shared by 100,000 notes fills the answer alone).
        var all = names.Entries;
        var kept = new PriorityQueue<(int Score, Entry Entry), (int Score, Entry Entry)>(WorstFirst);
        long weight = 0;
        var dropped = false;
        void Offer(int score, int index)
        {
            // A worse score is turned away without reading the name (at 100,000 names most matches are).
            score = index < names.TitleCount ? score + 1 : score;
            if (weight >= room && (score < kept.Peek().Score || (score == kept.Peek().Score && MatchOrder.Compare((score, all[index]), kept.Peek()) > 0)))
            {
                dropped = true;
                return;
            }

            var match = (score, all[index]);
            kept.Enqueue(match, match);
            weight += match.Item2.Uris.Length;
            while (weight - kept.Peek().Entry.Uris.Length >= room)
            {
                weight -= kept.Dequeue().Entry.Uris.Length;
                dropped = true;
            }
        }

        if (foldedNames is not null && !titlesOnly && prepared.LowerBytes is { Length: > 0 } needle && !needle.AsSpan().Contains((byte)0))
        {
            // 1. The names containing the query (prefix and substring tiers), and every name that is not ASCII.
            var folded = foldedNames.Bytes.AsSpan();
            var containing = new List<int>();
            var cursor = 0;
            for (var at = 0; at < folded.Length;)
            {
                var found = folded[at..].IndexOf(needle);
                if (found < 0)
                {
                    break;
                }

                // The name holding the match: the last start at or before it, searched after the previous name's.
                var k = Array.BinarySearch(foldedNames.Starts, cursor, foldedNames.Starts.Length - cursor, at + found);
                k = k < 0 ? ~k - 1 : k;
                cursor = k + 1;
                var index = foldedNames.StartEntry[k];
                var start = foldedNames.Starts[k];
                var length = names.Lengths[index];
                if (FuzzyMatch.ScoreFoldedAscii(prepared, folded.Slice(start, length), new WordStartMarks(foldedNames.WordStarts, start)) is { } score)
                {
                    Offer(score, index);
                }

                containing.Add(index);
                at = start + length + 1;
            }

            cancellationToken.ThrowIfCancellationRequested();
            foreach (var other in foldedNames.NotAscii)
            {
                if ((names.Masks[other] & mask) == mask && FuzzyMatch.Score(prepared, all[other].Name) is { } score)
                {
                    Offer(score, other);
                }
            }

            if (weight >= room && kept.Peek().Score > 51 + prepared.SubsequenceBytes!.Length)
            {
                return (Drain(kept), false);
            }

            // 2. The other ASCII names can match only by scattered characters (the starts found above are in entry
            // order). Masks, places and word starts are read from arrays: reading each name's object was most of the pass.
            var next = 0;
            for (var i = 0; i < all.Length; i++)
            {
                if (next < containing.Count && containing[next] == i)
                {
                    next++;
                    continue;
                }

                if ((names.Masks[i] & mask) == mask && foldedNames.FoldedAt[i] is var foldedAt && foldedAt >= 0
                    && FuzzyMatch.ScoreScatteredAscii(prepared, folded.Slice(foldedAt, names.Lengths[i]), new WordStartMarks(foldedNames.WordStarts, foldedAt)) is { } score)
                {
                    Offer(score, i);
                }

                if ((i & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            return (Drain(kept), !dropped);
        }

        // An index's first search, an empty query (titles only, which come first), one that is not ASCII, or one with a 0 character.
        for (var i = 0; i < (titlesOnly ? names.TitleCount : all.Length); i++)
        {
            if ((names.Masks[i] & mask) == mask && FuzzyMatch.Score(prepared, all[i].Name) is { } score)
            {
                Offer(score, i);
            }

            if ((i & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return (Drain(kept), !dropped);
    }

    /// <summary>
    /// The kept matches best first. No two matches compare equal (names are distinct per kind, and a title and a
    /// heading of the same name differ in score), so this is the order a full sort of every match gives.
    /// </summary>
    private static (int Score, Entry Entry)[] Drain(PriorityQueue<(int Score, Entry Entry), (int Score, Entry Entry)> kept)
    {
        var best = new (int Score, Entry Entry)[kept.Count];
        for (var i = best.Length - 1; i >= 0; i--)
        {
            best[i] = kept.Dequeue();
        }

        return best;
    }

    private static IEnumerable<(int Score, WorkspaceSymbol Symbol)> SymbolsOf(WorkspaceSnapshot snapshot, int score, Entry entry, CancellationToken cancellationToken)
    {
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

    private static readonly Comparer<(int Score, Entry Entry)> WorstFirst = Comparer<(int Score, Entry Entry)>.Create(static (a, b) => MatchOrder.Compare(b, a));

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

    private Names BuildEntries()
    {
        var count = titles.Count + headings.Count;
        var entries = new Entry[count];
        var masks = new ulong[count];
        var lengths = new int[count];
        var i = 0;
        void Add(string name, ImmutableArray<string> uris, bool isTitle)
        {
            masks[i] = NameMask.Of(name, skipWhitespace: false);
            lengths[i] = name.Length;
            entries[i++] = new Entry(name, uris, isTitle);
        }

        foreach (var (name, uris) in titles)
        {
            Add(name, uris, isTitle: true);
        }

        foreach (var (name, uris) in headings)
        {
            Add(name, uris, isTitle: false);
        }

        return new Names(entries, titles.Count, masks, lengths);
    }

    /// <summary>
    /// The names a search walks, titles first: the entries, and each one's character mask and length in arrays of
    /// their own, so that rejecting or scoring a name reads no object.
    /// </summary>
    private sealed record Names(Entry[] Entries, int TitleCount, ulong[] Masks, int[] Lengths);

    /// <summary>
    /// The ASCII names lower-cased in one buffer, each followed by a 0 byte (so a search for a query without one never
    /// matches across two names), with a bit per character where a word starts; where each entry's folded form
    /// begins (-1 when it is not ASCII); the starts in order with whose each is; and the entries that are not ASCII.
    /// </summary>
    private sealed record FoldedNames(byte[] Bytes, ulong[] WordStarts, int[] FoldedAt, int[] Starts, int[] StartEntry, int[] NotAscii)
    {
        public static FoldedNames Of(Names names)
        {
            var count = names.Entries.Length;
            var foldedAt = new int[count];
            var length = 0;
            var ascii = 0;
            for (var e = 0; e < count; e++)
            {
                foldedAt[e] = -1;
                if (System.Text.Ascii.IsValid(names.Entries[e].Name))
                {
                    foldedAt[e] = length;
                    length += names.Lengths[e] + 1;
                    ascii++;
                }
            }

            var bytes = new byte[length];
            var wordStarts = new ulong[(length + 63) / 64];
            var starts = new int[ascii];
            var startEntry = new int[ascii];
            var notAscii = new List<int>();
            var k = 0;
            for (var e = 0; e < count; e++)
            {
                var name = names.Entries[e].Name;
                if (foldedAt[e] < 0)
                {
                    notAscii.Add(e);
                    continue;
                }

                System.Text.Ascii.ToLower(name, bytes.AsSpan(foldedAt[e], name.Length), out _);
                FuzzyMatch.MarkWordStarts(name, wordStarts, foldedAt[e]);
                starts[k] = foldedAt[e];
                startEntry[k++] = e;
            }

            return new FoldedNames(bytes, wordStarts, foldedAt, starts, startEntry, [.. notAscii]);
        }
    }

    /// <summary>A copy of this index that has not been searched yet (tests compare its first search with later ones).</summary>
    internal SymbolIndex Unsearched() => new(titles, headings, loose);

    private sealed record Entry(string Name, ImmutableArray<string> Uris, bool IsTitle);
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
