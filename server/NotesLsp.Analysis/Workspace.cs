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
/// One note: its identity (the document URI as a plain string), its text and, computed on first use, its
/// front matter, its headings and its full syntax. Immutable; an edit makes a new <see cref="Note"/>.
/// </summary>
/// <remarks>
/// Memory is what bounds a large workspace, so a note read from disk and not open in the editor
/// (<see cref="FromUtf8"/>) keeps its file's UTF-8 bytes, about half the size of a .NET string, and decodes
/// them when asked; the decoded text and the Markdown body parse are then held only weakly, so a request
/// that reads a thousand closed notes does not keep them all. What workspace-wide features need of every
/// note stays: the front matter (titles, tags), and the headings (workspace symbols). A note the editor
/// owns (<see cref="Note(string, SourceText, int?, bool)"/>) keeps its text and syntax strongly, since every
/// keystroke's diagnostics, completion and hover read them again.
/// </remarks>
public sealed class Note
{
    private readonly SourceText? text;
    private readonly byte[]? utf8;
    private readonly Lazy<FrontMatterSyntax?>? frontMatter;
    private readonly NoteSummary? summary;
    private readonly Func<string, byte[]?>? load;
    private readonly Lazy<NoteSyntax>? syntax;
    private readonly Lazy<ImmutableArray<HeadingSyntax>>? headings;

    // What a closed note holds weakly, made on first use: most of a large workspace's notes are never read again,
    // and three weak references each (a finalizable object and a GC handle apiece) were a fifth of a summarised note.
    private WeakParts? weak;
    private volatile bool parsedOnce;
    private CitationsMemo? citations;
    private TagsMemo? tags;

    public Note(string uri, SourceText text, int? version = null, bool isOpen = false)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(text);
        Uri = uri;
        this.text = text;
        Version = version;
        IsOpen = isOpen;
        frontMatter = new Lazy<FrontMatterSyntax?>(() => FrontMatterParser.Parse(text), LazyThreadSafetyMode.ExecutionAndPublication);
        syntax = new Lazy<NoteSyntax>(() => NoteParser.Parse(text, FrontMatter), LazyThreadSafetyMode.ExecutionAndPublication);
        headings = new Lazy<ImmutableArray<HeadingSyntax>>(() => Syntax.Headings, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private Note(string uri, byte[] utf8)
    {
        Uri = uri;
        this.utf8 = utf8;
        frontMatter = new Lazy<FrontMatterSyntax?>(() => FrontMatterParser.Parse(Text), LazyThreadSafetyMode.ExecutionAndPublication);
        headings = new Lazy<ImmutableArray<HeadingSyntax>>(ReadHeadings, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private Note(string uri, NoteSummary summary, Func<string, byte[]?> load)
    {
        Uri = uri;
        this.summary = summary;
        this.load = load;

        // The tags and citations come from the summary when first asked (GetTags, GetCitations), never from the text.
    }

    /// <summary>
    /// A closed note known by its <see cref="NoteSummary"/> (from the start-up scan or the persistent index): it
    /// keeps the summary, not its text. <paramref name="load"/> reads the file's bytes when a request needs the
    /// text (null when the file is gone, which reads as empty text); the decoded text and the parses are held
    /// weakly. The analysis layer does no I/O of its own: the loader is the server's.
    /// </summary>
    public static Note FromSummary(string uri, NoteSummary summary, Func<string, byte[]?> load)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(load);
        return new Note(uri, summary, load);
    }

    /// <summary>
    /// A closed note summarised from its text, which it does not keep (the start-up scan): <see cref="FromSummary"/>
    /// of <see cref="NoteSummary.OfText(SourceText, ImmutableArray{string}, StringPool?, bool)"/>, with its citations
    /// already made from what the scan of its links found, so the citation index does not parse each link again.
    /// </summary>
    public static Note Summarised(string uri, SourceText text, ImmutableArray<string> tagKeys, StringPool? pool, bool withHeadings, Func<string, byte[]?> load)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(load);
        var summary = NoteSummary.OfText(text, tagKeys, pool, withHeadings, out var targets);
        var note = new Note(uri, summary, load);
        if (!summary.Links.IsEmpty)
        {
            var citations = ImmutableArray.CreateBuilder<PaperCitation>(summary.Links.Length);
            for (var i = 0; i < summary.Links.Length; i++)
            {
                citations.Add(new PaperCitation(uri, summary.Links[i], targets[i]));
            }

            note.citations = new CitationsMemo(citations.MoveToImmutable());
        }

        return note;
    }

    /// <summary>
    /// A closed note from a file's bytes (UTF-8; a BOM is dropped and invalid bytes read as U+FFFD). The note
    /// keeps the array: the caller must not change it afterwards.
    /// </summary>
    public static Note FromUtf8(string uri, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(bytes);
        return new Note(uri, Utf8Text.HasBom(bytes) ? Utf8Text.WithoutBom(bytes).ToArray() : bytes);
    }

    public string Uri { get; }

    /// <summary>The note's text; for a closed note, decoded again when the last decoded copy was collected.</summary>
    public SourceText Text
    {
        get
        {
            if (text is not null)
            {
                return text;
            }

            var parts = Weak;
            if (parts.Text.TryGetTarget(out var cached))
            {
                return cached;
            }

            // Two threads may both decode; they get equal texts, and either one may stay cached.
            var bytes = utf8 ?? load!(Uri);
            var fresh = bytes is null ? SourceText.Empty : SourceText.From(Utf8Text.Decode(bytes));
            parts.Text.SetTarget(fresh);
            return fresh;
        }
    }

    /// <summary>The editor's version for open documents; null for files read from disk.</summary>
    public int? Version { get; }

    /// <summary>True while the editor owns the text (didOpen .. didClose); disk events then do not replace it.</summary>
    public bool IsOpen { get; }

    /// <summary>The Markdown parse of the whole note; for a closed note, parsed again when the last one was collected.</summary>
    public NoteSyntax Syntax
    {
        get
        {
            if (syntax is not null)
            {
                return syntax.Value;
            }

            var parts = Weak;
            if (parts.Syntax.TryGetTarget(out var cached))
            {
                return cached;
            }

            var fresh = NoteParser.Parse(Text, FrontMatter);
            parts.Syntax.SetTarget(fresh);
            parsedOnce = true;
            return fresh;
        }
    }

    /// <summary>
    /// The front matter alone, without parsing the Markdown body. Kept for the note's lifetime, except for a
    /// summarised note (<see cref="FromSummary"/>), which parses it again from its text when asked.
    /// </summary>
    public FrontMatterSyntax? FrontMatter
    {
        get
        {
            if (frontMatter is not null)
            {
                return frontMatter.Value;
            }

            var parts = Weak;
            if (parts.FrontMatter.TryGetTarget(out var cached))
            {
                return cached;
            }

            var fresh = FrontMatterParser.Parse(Text);
            parts.FrontMatter.SetTarget(fresh);
            return fresh;
        }
    }

    /// <summary>
    /// The headings (from the body parse, which a closed note then lets go). Kept for the note's lifetime; a
    /// summarised note keeps them as values in its summary and makes these objects on each call.
    /// </summary>
    public ImmutableArray<HeadingSyntax> Headings => summary?.HeadingSyntaxes() ?? headings!.Value;

    /// <summary>
    /// The headings without the full body parse when none is at hand: Markdig's block parse alone finds the same
    /// headings (<see cref="NoteParser.ParseHeadings"/>), at a fraction of the cost. What a summary (the start-up
    /// scan, <c>check --cache</c>) reads of a note it will not keep.
    /// </summary>
    internal ImmutableArray<HeadingSyntax> ReadHeadings()
    {
        if (summary is not null)
        {
            return summary.HeadingSyntaxes();
        }

        if (syntax is { IsValueCreated: true })
        {
            return syntax.Value.Headings;
        }

        if (headings is { IsValueCreated: true })
        {
            return headings.Value;
        }

        if (syntax is null && Volatile.Read(ref weak) is { } parts && parts.Syntax.TryGetTarget(out var held))
        {
            return held.Headings;
        }

        return NoteParser.ParseHeadings(Text, FrontMatter);
    }

    /// <summary>The front matter <c>title</c> when it is a non-empty string, else null; does not parse the body.</summary>
    public string? Title => summary is not null ? summary.Title : TitleOf(FrontMatter);

    /// <summary>The front matter <c>title</c> when it is a non-empty string, trimmed, else null (what <see cref="Title"/> reads).</summary>
    internal static string? TitleOf(FrontMatterSyntax? frontMatter) =>
        frontMatter?.Root?.GetScalar("title") is { } title && !string.IsNullOrWhiteSpace(title.Value) ? title.Value.Trim() : null;

    /// <summary>Where the title's YAML scalar stands (empty when there is none); a summarised note does not read its text for it.</summary>
    public TextSpan TitleSpan => summary?.TitleSpan ?? (Title is null ? default : FrontMatter?.Root?.GetScalar("title")?.Span ?? default);

    /// <summary>The summary this note was made from, or null for a note that holds its text.</summary>
    public NoteSummary? Summary => summary;

    /// <summary>
    /// The line positions of a span. A summarised note answers its title's and headings' spans from the summary
    /// without reading its text (workspace symbols list hundreds of them); any other span reads the text.
    /// </summary>
    public LineRange GetRange(TextSpan span)
    {
        if (summary is not null)
        {
            if (span == summary.TitleSpan && summary.Title is not null)
            {
                return summary.TitleRange;
            }

            foreach (var heading in summary.Headings)
            {
                if (heading.Span == span)
                {
                    return heading.Range;
                }
            }

            foreach (var tag in summary.Tags)
            {
                if (tag.Span == span)
                {
                    return tag.Range;
                }
            }
        }

        return Text.GetRange(span);
    }

    /// <summary>True once the Markdown body has been parsed (whether or not that parse is still held).</summary>
    public bool IsParsed => syntax?.IsValueCreated ?? parsedOnce;

    /// <summary>A display name: the front matter title, else the file name.</summary>
    public string DisplayName => Title ?? FileNameOf(Uri);

    /// <summary>
    /// Everything the workspace indexes read from the text, computed now, while one decoded copy of a closed
    /// note's text is at hand: the front matter, the tags under <paramref name="tagKeys"/> and the citations.
    /// The start-up scan calls this on all cores; building the snapshot then finds the results ready.
    /// </summary>
    public void Prepare(ImmutableArray<string> tagKeys)
    {
        var text = Text;
        _ = FrontMatter;
        _ = TagIndex.Extract(this, tagKeys.IsDefault ? [] : tagKeys);
        _ = CitationIndex.Extract(this);
        GC.KeepAlive(text);
    }

    /// <summary>The citations of this note, computed once (they depend on the text alone).</summary>
    internal ImmutableArray<PaperCitation> GetCitations(Func<Note, ImmutableArray<PaperCitation>> extract)
    {
        if (Volatile.Read(ref citations) is { } memo)
        {
            return memo.Citations;
        }

        var computed = summary is not null ? summary.CitationsFor(Uri) : extract(this);
        Volatile.Write(ref citations, new CitationsMemo(computed));
        return computed;
    }

    /// <summary>The tags of this note under a tag vocabulary, remembered for the last vocabulary asked.</summary>
    internal ImmutableArray<TagKey> GetTags(ImmutableArray<string> keys, Func<Note, ImmutableArray<string>, ImmutableArray<TagKey>> extract)
    {
        if (Volatile.Read(ref tags) is { } memo && (memo.Keys == keys || memo.Keys.SequenceEqual(keys, StringComparer.Ordinal)))
        {
            return memo.Tags;
        }

        // A summarised note read its tags under the summary's keys; under other keys it reads its text again.
        var computed = summary is not null && summary.TagKeys.SequenceEqual(keys, StringComparer.Ordinal) ? summary.DistinctTags() : extract(this, keys);
        Volatile.Write(ref tags, new TagsMemo(keys, computed));
        return computed;
    }

    private WeakParts Weak
    {
        get
        {
            if (Volatile.Read(ref weak) is { } parts)
            {
                return parts;
            }

            Interlocked.CompareExchange(ref weak, new WeakParts(), null);
            return weak!;
        }
    }

    public static string FileNameOf(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var slash = uri.LastIndexOf('/');
        var name = slash >= 0 ? uri[(slash + 1)..] : uri;
        return System.Uri.UnescapeDataString(name);
    }
}

/// <summary>The decoded text and parses a closed note holds weakly.</summary>
internal sealed class WeakParts
{
    public WeakReference<SourceText> Text { get; } = new(null!);

    public WeakReference<NoteSyntax> Syntax { get; } = new(null!);

    public WeakReference<FrontMatterSyntax?> FrontMatter { get; } = new(null);
}

internal sealed record CitationsMemo(ImmutableArray<PaperCitation> Citations);

internal sealed record TagsMemo(ImmutableArray<string> Keys, ImmutableArray<TagKey> Tags);

/// <summary>An immutable view of every note the server knows. Edits produce a new snapshot.</summary>
public sealed class WorkspaceSnapshot
{
    private readonly CitationIndex citations;
    private readonly SymbolIndex symbols;
    private readonly bool diagnosticsOnly;

    // The URIs of the open notes (the editor's documents), so that what concerns only them (diagnostics after every
    // change) does not walk every note of the workspace: at 10,000 notes that walk after each scan batch was ~2% of
    // the start-up scan's CPU.
    private readonly ImmutableSortedSet<string> open;

    private WorkspaceSnapshot(
        ImmutableSortedDictionary<string, Note> notes, NotesSettings settings, long generation, TagIndex tags, CitationIndex citations, FrontMatter.FrontMatterKeyIndex frontMatterKeys, SymbolIndex symbols,
        ImmutableSortedSet<string> open, bool diagnosticsOnly = false)
    {
        this.open = open;
        Notes = notes;
        Settings = settings;
        Generation = generation;
        Tags = tags;
        this.citations = citations;
        FrontMatterKeys = frontMatterKeys;
        this.symbols = symbols;
        this.diagnosticsOnly = diagnosticsOnly;
    }

    /// <summary>
    /// A snapshot of <paramref name="notes"/> for computing their diagnostics (<c>notes-lsp check</c>): the notes,
    /// the settings, the tag index and the front matter key counts, which is what <see cref="NoteDiagnostics"/>
    /// reads, without the citation and symbol indexes a check never asks for (building them was a fifth of a cached
    /// check of 10,000 notes). Reading <see cref="Citations"/> or <see cref="Symbols"/> of it, or changing it, throws,
    /// so a diagnostic that starts to need them fails in the tests instead of seeing an empty index.
    /// </summary>
    public static WorkspaceSnapshot ForDiagnostics(NotesSettings settings, IEnumerable<Note> notes)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(notes);
        // In the order given, as WithNotes hands them to the indexes.
        var list = notes.ToList();
        var builder = ImmutableSortedDictionary.CreateBuilder<string, Note>(StringComparer.Ordinal);
        foreach (var note in list)
        {
            builder[note.Uri] = note;
        }

        var keys = settings.Tags.Keys.IsDefault ? [] : settings.Tags.Keys;
        return new WorkspaceSnapshot(
            builder.ToImmutable(), settings, 1, TagIndex.Create(keys).WithNotes(list), CitationIndex.Empty, FrontMatter.FrontMatterKeyIndex.Empty.WithNotes(list), SymbolIndex.Empty,
            NoneOpen.Union(list.Where(n => n.IsOpen).Select(n => n.Uri)), diagnosticsOnly: true);
    }

    private static readonly ImmutableSortedSet<string> NoneOpen = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public static WorkspaceSnapshot Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, Note>(StringComparer.Ordinal), NotesSettings.Default, 0, TagIndex.Create(NotesSettings.Default.Tags.Keys), CitationIndex.Empty,
        FrontMatter.FrontMatterKeyIndex.Empty, SymbolIndex.Empty, NoneOpen);

    /// <summary>
    /// The notes by URI, in ordinal URI order. Sorted, not hashed, like the indexes' per-note maps: the start-up scan
    /// adds notes in path order, so a batch appends to the tree's right edge instead of rewriting paths all over a
    /// hash tree (at 100,000 notes 27-28 MB of new nodes per map over the scan; peak RSS 641-712 -> 627-650 MB).
    /// </summary>
    public ImmutableSortedDictionary<string, Note> Notes { get; }

    public NotesSettings Settings { get; }

    /// <summary>Increases with every change; lets callers tell two snapshots apart cheaply.</summary>
    public long Generation { get; }

    /// <summary>The tags of every note, kept current incrementally by each change below.</summary>
    public TagIndex Tags { get; }

    /// <summary>The OpenReview links of every note, kept current incrementally like <see cref="Tags"/>.</summary>
    public CitationIndex Citations => diagnosticsOnly ? throw DiagnosticsOnly() : citations;

    /// <summary>How many notes use each top-level front matter key (the workspace's key conventions), kept current like <see cref="Tags"/>.</summary>
    public FrontMatter.FrontMatterKeyIndex FrontMatterKeys { get; }

    /// <summary>The titles and headings workspace symbol search looks through, kept current like <see cref="Tags"/>.</summary>
    public SymbolIndex Symbols => diagnosticsOnly ? throw DiagnosticsOnly() : symbols;

    public Note? Find(string uri) => Notes.GetValueOrDefault(uri);

    /// <summary>The open notes (<see cref="Note.IsOpen"/>), in ordinal order of their URIs; the same notes as <c>Notes.Values.Where(n => n.IsOpen)</c>.</summary>
    public IEnumerable<Note> OpenNotes => open.Select(uri => Notes[uri]);

    /// <summary><see cref="open"/> after <paramref name="uri"/> changes from <paramref name="old"/> to <paramref name="next"/> (either may be null).</summary>
    private static ImmutableSortedSet<string> OpenAfter(ImmutableSortedSet<string> open, string uri, Note? old, Note? next) =>
        (old?.IsOpen ?? false) == (next?.IsOpen ?? false) ? open : next?.IsOpen == true ? open.Add(uri) : open.Remove(uri);

    private static InvalidOperationException DiagnosticsOnly() =>
        new("this snapshot was made for diagnostics only (WorkspaceSnapshot.ForDiagnostics): it has no citation or symbol index and cannot be changed");

    public WorkspaceSnapshot WithNote(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return new WorkspaceSnapshot(
            Notes.SetItem(note.Uri, note), Settings, Generation + 1, Tags.WithNote(note), Citations.WithNote(note), FrontMatterKeys.WithNote(note), Symbols.With([(Find(note.Uri), note)]),
            OpenAfter(open, note.Uri, Find(note.Uri), note));
    }

    public WorkspaceSnapshot WithNotes(IEnumerable<Note> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var builder = Notes.ToBuilder();
        var added = new List<Note>();
        var changes = new List<(Note? Removed, Note? Added)>();
        var opened = open;
        foreach (var note in notes)
        {
            var old = builder.GetValueOrDefault(note.Uri);
            changes.Add((old, note));
            builder[note.Uri] = note;
            added.Add(note);
            opened = OpenAfter(opened, note.Uri, old, note);
        }

        // A summarised note (see NoteSummary) brings its tags, citations, keys and headings along, so no index reads its text.
        if (added.Count < ParallelIndexBatch)
        {
            return new WorkspaceSnapshot(
                builder.ToImmutable(), Settings, Generation + 1, Tags.WithNotes(added), Citations.WithNotes(added), FrontMatterKeys.WithNotes(added), Symbols.With(changes), opened);
        }

        // A large batch (the index loaded at start-up, a scan batch) updates the indexes side by side: they are
        // independent pure functions of the same immutable notes, and one after the other they were most of a
        // 100,000-note reopen (citations 2.7 s, tags 1.0 s, symbols 0.9 s, keys 0.3 s; bench/RESULTS.md).
        TagIndex? tags = null;
        CitationIndex? citations = null;
        FrontMatter.FrontMatterKeyIndex? keys = null;
        SymbolIndex? symbols = null;
        ImmutableSortedDictionary<string, Note>? notesByUri = null;
        InParallel(
            () => citations = Citations.WithNotes(added),
            () => tags = Tags.WithNotes(added),
            () =>
            {
                symbols = Symbols.With(changes);
                keys = FrontMatterKeys.WithNotes(added);
                notesByUri = builder.ToImmutable();
            });
        return new WorkspaceSnapshot(notesByUri!, Settings, Generation + 1, tags!, citations!, keys!, symbols!, opened);
    }

    /// <summary>Batches of at least this many notes update the indexes in parallel (<see cref="WithNotes"/>).</summary>
    internal const int ParallelIndexBatch = 256;

    /// <summary>
    /// Runs the actions at once and returns when all are done; a failure is rethrown as itself (not wrapped in an
    /// <see cref="AggregateException"/>), as the one-after-the-other code would have thrown it.
    /// </summary>
    private static void InParallel(params Action[] actions)
    {
        try
        {
            Parallel.Invoke(actions);
        }
        catch (AggregateException exception) when (exception.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception.InnerExceptions[0]).Throw();
        }
    }

    public WorkspaceSnapshot WithSettings(NotesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var keys = settings.Tags.Keys.IsDefault ? [] : settings.Tags.Keys;
        var tags = keys.SequenceEqual(Tags.Keys, StringComparer.Ordinal) ? Tags : TagIndex.Create(keys).WithNotes(Notes.Values);
        return new WorkspaceSnapshot(Notes, settings, Generation + 1, tags, Citations, FrontMatterKeys, Symbols, open);
    }

    public WorkspaceSnapshot WithoutNote(string uri) =>
        Notes.TryGetValue(uri, out var old)
            ? new WorkspaceSnapshot(
                Notes.Remove(uri), Settings, Generation + 1, Tags.WithoutNote(uri), Citations.WithoutNote(uri), FrontMatterKeys.WithoutNotes([uri]), Symbols.With([(old, null)]), open.Remove(uri))
            : this;

    public WorkspaceSnapshot WithoutNotes(Func<string, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var remove = Notes.Keys.Where(predicate).ToList();
        return remove.Count == 0
            ? this
            : new WorkspaceSnapshot(
                Notes.RemoveRange(remove), Settings, Generation + 1, Tags.WithoutNotes(remove), Citations.WithoutNotes(remove), FrontMatterKeys.WithoutNotes(remove),
                Symbols.With([.. remove.Select(u => (Notes[u], (Note?)null))]), open.IsEmpty ? open : open.Except(remove));
    }
}
