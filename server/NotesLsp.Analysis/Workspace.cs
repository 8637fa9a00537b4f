// Layer invariant: NotesLsp.Analysis answers questions about an immutable WorkspaceSnapshot with pure
// functions. Input and output are plain records in offsets and labels; it knows nothing of LSP or JSON
// (the server layer converts), and it never does I/O.
using System.Collections.Immutable;
using NotesLsp.Analysis.Papers;
using NotesLsp.Analysis.Tags;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis;

/// <summary>
/// One note: its identity (the document URI as a plain string), its text and, computed once on first use,
/// its front matter and its full syntax. Immutable; an edit makes a new <see cref="Note"/>.
/// The two are separate because indexing a large workspace needs only the front matter (titles; tags are
/// scanned from text), while the Markdown body parse is about ten times the cost and is done on demand.
/// </summary>
public sealed class Note
{
    private readonly Lazy<FrontMatterSyntax?> frontMatter;
    private readonly Lazy<NoteSyntax> syntax;

    public Note(string uri, SourceText text, int? version = null, bool isOpen = false)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(text);
        Uri = uri;
        Text = text;
        Version = version;
        IsOpen = isOpen;
        frontMatter = new Lazy<FrontMatterSyntax?>(() => FrontMatterParser.Parse(text), LazyThreadSafetyMode.ExecutionAndPublication);
        syntax = new Lazy<NoteSyntax>(() => NoteParser.Parse(text, frontMatter.Value), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Uri { get; }

    public SourceText Text { get; }

    /// <summary>The editor's version for open documents; null for files read from disk.</summary>
    public int? Version { get; }

    /// <summary>True while the editor owns the text (didOpen .. didClose); disk events then do not replace it.</summary>
    public bool IsOpen { get; }

    public NoteSyntax Syntax => syntax.Value;

    /// <summary>The front matter alone, without parsing the Markdown body.</summary>
    public FrontMatterSyntax? FrontMatter => frontMatter.Value;

    /// <summary>The front matter <c>title</c> when it is a non-empty string, else null; does not parse the body.</summary>
    public string? Title => FrontMatter?.Root?.GetScalar("title") is { } title && !string.IsNullOrWhiteSpace(title.Value)
        ? title.Value.Trim()
        : null;

    public bool IsParsed => syntax.IsValueCreated;

    /// <summary>A display name: the front matter title, else the file name.</summary>
    public string DisplayName => Title ?? FileNameOf(Uri);

    public static string FileNameOf(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var slash = uri.LastIndexOf('/');
        var name = slash >= 0 ? uri[(slash + 1)..] : uri;
        return System.Uri.UnescapeDataString(name);
    }
}

/// <summary>An immutable view of every note the server knows. Edits produce a new snapshot.</summary>
public sealed class WorkspaceSnapshot
{
    private WorkspaceSnapshot(ImmutableDictionary<string, Note> notes, NotesSettings settings, long generation, TagIndex tags, CitationIndex citations)
    {
        Notes = notes;
        Settings = settings;
        Generation = generation;
        Tags = tags;
        Citations = citations;
    }

    public static WorkspaceSnapshot Empty { get; } = new(
        ImmutableDictionary.Create<string, Note>(StringComparer.Ordinal), NotesSettings.Default, 0, TagIndex.Create(NotesSettings.Default.Tags.Keys), CitationIndex.Empty);

    public ImmutableDictionary<string, Note> Notes { get; }

    public NotesSettings Settings { get; }

    /// <summary>Increases with every change; lets callers tell two snapshots apart cheaply.</summary>
    public long Generation { get; }

    /// <summary>The tags of every note, kept current incrementally by each change below.</summary>
    public TagIndex Tags { get; }

    /// <summary>The OpenReview links of every note, kept current incrementally like <see cref="Tags"/>.</summary>
    public CitationIndex Citations { get; }

    public Note? Find(string uri) => Notes.GetValueOrDefault(uri);

    public WorkspaceSnapshot WithNote(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return new WorkspaceSnapshot(Notes.SetItem(note.Uri, note), Settings, Generation + 1, Tags.WithNote(note), Citations.WithNote(note));
    }

    public WorkspaceSnapshot WithNotes(IEnumerable<Note> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var builder = Notes.ToBuilder();
        var added = new List<Note>();
        foreach (var note in notes)
        {
            builder[note.Uri] = note;
            added.Add(note);
        }

        return new WorkspaceSnapshot(builder.ToImmutable(), Settings, Generation + 1, Tags.WithNotes(added), Citations.WithNotes(added));
    }

    public WorkspaceSnapshot WithSettings(NotesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var keys = settings.Tags.Keys.IsDefault ? [] : settings.Tags.Keys;
        var tags = keys.SequenceEqual(Tags.Keys, StringComparer.Ordinal) ? Tags : TagIndex.Create(keys).WithNotes(Notes.Values);
        return new WorkspaceSnapshot(Notes, settings, Generation + 1, tags, Citations);
    }

    public WorkspaceSnapshot WithoutNote(string uri) =>
        Notes.ContainsKey(uri) ? new WorkspaceSnapshot(Notes.Remove(uri), Settings, Generation + 1, Tags.WithoutNote(uri), Citations.WithoutNote(uri)) : this;

    public WorkspaceSnapshot WithoutNotes(Func<string, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var remove = Notes.Keys.Where(predicate).ToList();
        return remove.Count == 0 ? this : new WorkspaceSnapshot(Notes.RemoveRange(remove), Settings, Generation + 1, Tags.WithoutNotes(remove), Citations.WithoutNotes(remove));
    }
}
