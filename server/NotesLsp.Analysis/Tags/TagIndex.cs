using System.Collections.Immutable;

namespace NotesLsp.Analysis.Tags;

/// <summary>A tag in its vocabulary: <paramref name="Key"/> is the configured front matter key (<c>tags</c>, <c>categories</c>).</summary>
public readonly record struct TagKey(string Key, string Value)
{
    public override string ToString() => $"{Key}:{Value}";
}

/// <summary>
/// The workspace's tags: which notes use each tag, and which tags each note uses. Immutable; the snapshot keeps
/// it current by handing it every note it adds, replaces or removes.
/// </summary>
/// <remarks>
/// An update reads only the note's front matter lines (see <see cref="TagScanner"/>), never its full syntax, so
/// the note's lazy parse stays lazy; it then applies the difference between the note's old and new tag sets,
/// so an edit that does not touch tags costs one scan and no index change. Tags are keyed by their exact
/// spelling: <c>ML</c> and <c>ml</c> are two tags, which is what lets hygiene point at the rarer one.
/// The notes of a tag are a sorted array of URIs rather than an immutable set: a set's tree costs about six
/// times the memory, building 60,000 uses one node at a time is slow, and an edit's copy of even a
/// 10,000-entry array takes microseconds. Sorted order is also what hover and references present.
/// </remarks>
public sealed class TagIndex
{
    private readonly ImmutableSortedDictionary<string, ImmutableArray<TagKey>> tagsByNote;
    private readonly ImmutableDictionary<TagKey, ImmutableArray<string>> notesByTag;

    // Spellings grouped by vocabulary and loose form (TagText.LooseForm), so hygiene finds variants in O(1).
    private readonly ImmutableDictionary<TagKey, ImmutableArray<string>> spellingsByLooseForm;

    // Built on first use per index: hygiene checks every tag of every note against the common tags, and a
    // flat array sorted by use is far cheaper to walk than the dictionary's enumerator.
    private readonly Lazy<ImmutableArray<(TagKey Tag, int Count)>> byCount;

    private TagIndex(
        ImmutableArray<string> keys,
        ImmutableSortedDictionary<string, ImmutableArray<TagKey>> tagsByNote,
        ImmutableDictionary<TagKey, ImmutableArray<string>> notesByTag,
        ImmutableDictionary<TagKey, ImmutableArray<string>> spellingsByLooseForm)
    {
        Keys = keys;
        this.tagsByNote = tagsByNote;
        this.notesByTag = notesByTag;
        this.spellingsByLooseForm = spellingsByLooseForm;
        byCount = new Lazy<ImmutableArray<(TagKey Tag, int Count)>>(
            () => [.. notesByTag.Select(e => (e.Key, e.Value.Length)).OrderByDescending(e => e.Length).ThenBy(e => e.Key.Value, StringComparer.Ordinal)],
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>An index of no notes for these tag keys.</summary>
    public static TagIndex Create(ImmutableArray<string> keys) => new(
        keys.IsDefault ? [] : keys,
        ImmutableSortedDictionary.Create<string, ImmutableArray<TagKey>>(StringComparer.Ordinal),
        ImmutableDictionary<TagKey, ImmutableArray<string>>.Empty,
        ImmutableDictionary<TagKey, ImmutableArray<string>>.Empty);

    /// <summary>The front matter keys whose values are tags.</summary>
    public ImmutableArray<string> Keys { get; }

    /// <summary>How many distinct tags (over every vocabulary) are in use.</summary>
    public int TagCount => notesByTag.Count;

    /// <summary>Every tag in use with the URIs of the notes using it (sorted ordinally).</summary>
    public IEnumerable<KeyValuePair<TagKey, ImmutableArray<string>>> All => notesByTag;

    /// <summary>The tags in use in one vocabulary, with how many notes use each.</summary>
    public IEnumerable<(string Tag, int Count)> TagsIn(string key)
    {
        foreach (var (tag, notes) in notesByTag)
        {
            if (string.Equals(tag.Key, key, StringComparison.Ordinal))
            {
                yield return (tag.Value, notes.Length);
            }
        }
    }

    /// <summary>Every tag in use with its count, most used first (ties in ordinal order).</summary>
    public ImmutableArray<(TagKey Tag, int Count)> ByCount => byCount.Value;

    /// <summary>How many notes use the tag.</summary>
    public int Count(TagKey tag) => notesByTag.TryGetValue(tag, out var notes) ? notes.Length : 0;

    /// <summary>The URIs of the notes using the tag, sorted ordinally.</summary>
    public ImmutableArray<string> NotesUsing(TagKey tag) => notesByTag.GetValueOrDefault(tag, []);

    /// <summary>The distinct tags of one note, in the order they first appear.</summary>
    public ImmutableArray<TagKey> TagsOf(string uri) => tagsByNote.GetValueOrDefault(uri, []);

    /// <summary>The spellings in use that share a tag's loose form (itself included when in use).</summary>
    public ImmutableArray<string> Variants(TagKey tag) =>
        spellingsByLooseForm.GetValueOrDefault(new TagKey(tag.Key, TagText.LooseForm(tag.Value)), []);

    /// <summary>The index with the note's tags replacing whatever it had before under the same URI.</summary>
    public TagIndex WithNote(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var builder = new Builder(this);
        builder.Set(note.Uri, Extract(note));
        return builder.ToIndex();
    }

    /// <summary>
    /// The index with each note set in turn. A large batch (the start-up scan) reads the notes' tags on all
    /// cores, since that is pure work on immutable text, then applies them in order through one builder.
    /// </summary>
    public TagIndex WithNotes(IEnumerable<Note> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var list = notes as IReadOnlyList<Note> ?? [.. notes];
        var extracted = list.Count >= ParallelBatch
            ? list.AsParallel().AsOrdered().Select(n => (n.Uri, Tags: Extract(n))).ToArray()
            : [.. list.Select(n => (n.Uri, Tags: Extract(n)))];
        var builder = new Builder(this);
        foreach (var (uri, tags) in extracted)
        {
            builder.Set(uri, tags);
        }

        return builder.ToIndex();
    }

    /// <summary>Batches at least this large are read in parallel; below it, starting threads costs more than it saves.</summary>
    private const int ParallelBatch = 256;

    public TagIndex WithoutNote(string uri) => WithoutNotes([uri]);

    public TagIndex WithoutNotes(IEnumerable<string> uris)
    {
        ArgumentNullException.ThrowIfNull(uris);
        var builder = new Builder(this);
        foreach (var uri in uris)
        {
            builder.Set(uri, []);
        }

        return builder.ToIndex();
    }

    /// <summary>The distinct tags of a note, in order of first appearance.</summary>
    public ImmutableArray<TagKey> Extract(Note note) => Extract(note, Keys);

    /// <summary>The distinct tags of a note under a tag vocabulary, in order of first appearance; remembered by the note.</summary>
    public static ImmutableArray<TagKey> Extract(Note note, ImmutableArray<string> keys)
    {
        ArgumentNullException.ThrowIfNull(note);
        return note.GetTags(keys, Read);
    }

    private static ImmutableArray<TagKey> Read(Note note, ImmutableArray<string> keys)
    {
        var occurrences = TagScanner.Occurrences(note.Text, keys);
        return DistinctInOrder(occurrences.Select(o => new TagKey(o.Key, o.Value)), occurrences.Length);
    }

    /// <summary>
    /// The distinct tags of <paramref name="tags"/> (<paramref name="count"/> of them), in order of first appearance:
    /// what the index keeps of a note, whether read from its text or from its stored summary.
    /// </summary>
    internal static ImmutableArray<TagKey> DistinctInOrder(IEnumerable<TagKey> tags, int count)
    {
        if (count == 0)
        {
            return [];
        }

        var distinct = ImmutableArray.CreateBuilder<TagKey>(count);
        if (count <= LinearDistinctLimit)
        {
            // A note's handful of tags: a search of the few kept so far (the strings are mostly the same pooled
            // instances), not a hash set per note, whose table and hashing were 1.5% of a 100,000-note scan's
            // allocations and showed in its index updates.
            foreach (var tag in tags)
            {
                if (!distinct.Contains(tag))
                {
                    distinct.Add(tag);
                }
            }
        }
        else
        {
            // A set, not a search of the list so far: one front matter line can hold 50,000 tags.
            var seen = new HashSet<TagKey>();
            foreach (var tag in tags)
            {
                if (seen.Add(tag))
                {
                    distinct.Add(tag);
                }
            }
        }

        return distinct.Count == distinct.Capacity ? distinct.MoveToImmutable() : distinct.ToImmutable();
    }

    /// <summary>Up to this many tags, <see cref="DistinctInOrder"/> searches the tags kept so far instead of hashing.</summary>
    internal const int LinearDistinctLimit = 16;

    /// <summary>
    /// Collects per-tag additions and removals for a batch, then rebuilds each touched tag's sorted URI array
    /// once: sort the (few) additions, merge them with the old array, skip the removals.
    /// </summary>
    private sealed class Builder(TagIndex index)
    {
        private readonly ImmutableSortedDictionary<string, ImmutableArray<TagKey>>.Builder tagsByNote = index.tagsByNote.ToBuilder();
        private readonly Dictionary<TagKey, SortedUris.Change> touched = [];

        public void Set(string uri, ImmutableArray<TagKey> tags)
        {
            var old = tagsByNote.GetValueOrDefault(uri, []);
            if (old.SequenceEqual(tags))
            {
                return;
            }

            if (old.IsEmpty)
            {
                // A new note (the common case at start-up): every tag is an addition, no sets needed.
                foreach (var tag in tags)
                {
                    ChangeOf(tag).Add(uri);
                }

                tagsByNote[uri] = tags;
                return;
            }

            // Sets for the membership tests: a note may have tens of thousands of tags.
            var newTags = tags.ToHashSet();
            var oldTags = old.ToHashSet();
            foreach (var tag in old)
            {
                if (!newTags.Contains(tag))
                {
                    ChangeOf(tag).Remove(uri);
                }
            }

            foreach (var tag in tags)
            {
                if (!oldTags.Contains(tag))
                {
                    ChangeOf(tag).Add(uri);
                }
            }

            if (tags.IsEmpty)
            {
                tagsByNote.Remove(uri);
            }
            else
            {
                tagsByNote[uri] = tags;
            }
        }

        public TagIndex ToIndex()
        {
            if (touched.Count == 0)
            {
                return new TagIndex(index.Keys, tagsByNote.ToImmutable(), index.notesByTag, index.spellingsByLooseForm);
            }

            var notesByTag = index.notesByTag.ToBuilder();
            var spellings = index.spellingsByLooseForm.ToBuilder();
            foreach (var (tag, change) in touched)
            {
                var old = index.notesByTag.GetValueOrDefault(tag, []);
                var notes = change.Apply(old);
                if (!notes.IsEmpty)
                {
                    notesByTag[tag] = notes;
                }
                else
                {
                    notesByTag.Remove(tag);
                }

                if (old.IsEmpty != notes.IsEmpty)
                {
                    var loose = new TagKey(tag.Key, TagText.LooseForm(tag.Value));
                    var current = spellings.GetValueOrDefault(loose, []);
                    var updated = notes.IsEmpty ? current.Remove(tag.Value) : current.Add(tag.Value);
                    if (updated.IsEmpty)
                    {
                        spellings.Remove(loose);
                    }
                    else
                    {
                        spellings[loose] = updated;
                    }
                }
            }

            return new TagIndex(index.Keys, tagsByNote.ToImmutable(), notesByTag.ToImmutable(), spellings.ToImmutable());
        }

        private SortedUris.Change ChangeOf(TagKey tag)
        {
            if (!touched.TryGetValue(tag, out var change))
            {
                change = new SortedUris.Change();
                touched[tag] = change;
            }

            return change;
        }
    }
}
