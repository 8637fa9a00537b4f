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
/// </remarks>
public sealed class TagIndex
{
    private static readonly ImmutableHashSet<string> NoNotes = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    private readonly ImmutableDictionary<string, ImmutableArray<TagKey>> tagsByNote;
    private readonly ImmutableDictionary<TagKey, ImmutableHashSet<string>> notesByTag;

    // Spellings grouped by vocabulary and loose form (TagText.LooseForm), so hygiene finds variants in O(1).
    private readonly ImmutableDictionary<TagKey, ImmutableHashSet<string>> spellingsByLooseForm;

    private TagIndex(
        ImmutableArray<string> keys,
        ImmutableDictionary<string, ImmutableArray<TagKey>> tagsByNote,
        ImmutableDictionary<TagKey, ImmutableHashSet<string>> notesByTag,
        ImmutableDictionary<TagKey, ImmutableHashSet<string>> spellingsByLooseForm)
    {
        Keys = keys;
        this.tagsByNote = tagsByNote;
        this.notesByTag = notesByTag;
        this.spellingsByLooseForm = spellingsByLooseForm;
    }

    /// <summary>An index of no notes for these tag keys.</summary>
    public static TagIndex Create(ImmutableArray<string> keys) => new(
        keys.IsDefault ? [] : keys,
        ImmutableDictionary.Create<string, ImmutableArray<TagKey>>(StringComparer.Ordinal),
        ImmutableDictionary<TagKey, ImmutableHashSet<string>>.Empty,
        ImmutableDictionary<TagKey, ImmutableHashSet<string>>.Empty);

    /// <summary>The front matter keys whose values are tags.</summary>
    public ImmutableArray<string> Keys { get; }

    /// <summary>How many distinct tags (over every vocabulary) are in use.</summary>
    public int TagCount => notesByTag.Count;

    /// <summary>Every tag in use with the notes using it.</summary>
    public IEnumerable<KeyValuePair<TagKey, ImmutableHashSet<string>>> All => notesByTag;

    /// <summary>The tags in use in one vocabulary, with how many notes use each.</summary>
    public IEnumerable<(string Tag, int Count)> TagsIn(string key)
    {
        foreach (var (tag, notes) in notesByTag)
        {
            if (string.Equals(tag.Key, key, StringComparison.Ordinal))
            {
                yield return (tag.Value, notes.Count);
            }
        }
    }

    /// <summary>How many notes use the tag.</summary>
    public int Count(TagKey tag) => notesByTag.TryGetValue(tag, out var notes) ? notes.Count : 0;

    /// <summary>The URIs of the notes using the tag.</summary>
    public ImmutableHashSet<string> NotesUsing(TagKey tag) => notesByTag.GetValueOrDefault(tag, NoNotes);

    /// <summary>The distinct tags of one note, in the order they first appear.</summary>
    public ImmutableArray<TagKey> TagsOf(string uri) => tagsByNote.GetValueOrDefault(uri, []);

    /// <summary>The spellings in use that share a tag's loose form (itself included when in use).</summary>
    public ImmutableHashSet<string> Variants(TagKey tag) =>
        spellingsByLooseForm.GetValueOrDefault(new TagKey(tag.Key, TagText.LooseForm(tag.Value)), NoNotes);

    /// <summary>The index with the note's tags replacing whatever it had before under the same URI.</summary>
    public TagIndex WithNote(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var builder = new Builder(this);
        builder.Set(note.Uri, Extract(note));
        return builder.ToIndex();
    }

    /// <summary>The index with each note set in turn; one builder for the batch, so the initial scan stays cheap.</summary>
    public TagIndex WithNotes(IEnumerable<Note> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var builder = new Builder(this);
        foreach (var note in notes)
        {
            builder.Set(note.Uri, Extract(note));
        }

        return builder.ToIndex();
    }

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
    public ImmutableArray<TagKey> Extract(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var occurrences = TagScanner.Occurrences(note.Text, Keys);
        if (occurrences.IsEmpty)
        {
            return [];
        }

        var distinct = ImmutableArray.CreateBuilder<TagKey>(occurrences.Length);
        foreach (var occurrence in occurrences)
        {
            var tag = new TagKey(occurrence.Key, occurrence.Value);
            if (!distinct.Contains(tag))
            {
                distinct.Add(tag);
            }
        }

        return distinct.ToImmutable();
    }

    /// <summary>Applies per-note differences to mutable builders of the three maps.</summary>
    private sealed class Builder(TagIndex index)
    {
        private readonly ImmutableDictionary<string, ImmutableArray<TagKey>>.Builder tagsByNote = index.tagsByNote.ToBuilder();
        private readonly ImmutableDictionary<TagKey, ImmutableHashSet<string>>.Builder notesByTag = index.notesByTag.ToBuilder();
        private readonly ImmutableDictionary<TagKey, ImmutableHashSet<string>>.Builder spellings = index.spellingsByLooseForm.ToBuilder();

        public void Set(string uri, ImmutableArray<TagKey> tags)
        {
            var old = tagsByNote.GetValueOrDefault(uri, []);
            if (old.SequenceEqual(tags))
            {
                return;
            }

            foreach (var tag in old)
            {
                if (!tags.Contains(tag))
                {
                    Remove(tag, uri);
                }
            }

            foreach (var tag in tags)
            {
                if (!old.Contains(tag))
                {
                    Add(tag, uri);
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

        public TagIndex ToIndex() => new(index.Keys, tagsByNote.ToImmutable(), notesByTag.ToImmutable(), spellings.ToImmutable());

        private void Add(TagKey tag, string uri)
        {
            if (notesByTag.TryGetValue(tag, out var notes))
            {
                notesByTag[tag] = notes.Add(uri);
                return;
            }

            notesByTag[tag] = NoNotes.Add(uri);
            var loose = new TagKey(tag.Key, TagText.LooseForm(tag.Value));
            spellings[loose] = spellings.GetValueOrDefault(loose, NoNotes).Add(tag.Value);
        }

        private void Remove(TagKey tag, string uri)
        {
            if (!notesByTag.TryGetValue(tag, out var notes))
            {
                return;
            }

            notes = notes.Remove(uri);
            if (!notes.IsEmpty)
            {
                notesByTag[tag] = notes;
                return;
            }

            notesByTag.Remove(tag);
            var loose = new TagKey(tag.Key, TagText.LooseForm(tag.Value));
            var remaining = spellings.GetValueOrDefault(loose, NoNotes).Remove(tag.Value);
            if (remaining.IsEmpty)
            {
                spellings.Remove(loose);
            }
            else
            {
                spellings[loose] = remaining;
            }
        }
    }
}
