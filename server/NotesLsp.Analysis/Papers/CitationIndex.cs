using System.Collections.Immutable;
using NotesLsp.Papers;

namespace NotesLsp.Analysis.Papers;

/// <summary>
/// The workspace's OpenReview citations: each note's links, the notes citing each paper, and the catalog of
/// papers titled by link text. Immutable; the snapshot keeps it current by handing it every note it adds,
/// replaces or removes.
/// </summary>
/// <remarks>
/// An update scans the note's text (see <see cref="CitationScanner"/>), never its full syntax, so the lazy
/// body parse stays lazy. It then applies the difference: the citing notes change only for the papers the note
/// gained or lost, and the titled catalog is kept as it is (the same object, with its search index) unless the
/// note's titled citations changed, so typing that does not touch a link title costs one scan and no rebuild.
/// The notes of a paper are a sorted array of URIs, as in <see cref="Tags.TagIndex"/>, for the same reasons.
/// </remarks>
public sealed class CitationIndex
{
    /// <summary>Batches at least this large are scanned in parallel; below it, starting threads costs more than it saves.</summary>
    private const int ParallelBatch = 256;

    private readonly ImmutableSortedDictionary<string, ImmutableArray<PaperCitation>> citationsByNote;
    private readonly ImmutableDictionary<string, ImmutableArray<string>> notesByPaper;

    // The notes with citations, sorted ordinally: walking them in order answers "cited papers, first cited first"
    // lazily, so a completion that wants a page of ids stops after a few notes.
    private readonly ImmutableArray<string> citingNotes;

    // Only notes with titled citations, in URI order: the catalog lists papers in the order the notes cite them.
    private readonly ImmutableSortedDictionary<string, ImmutableArray<(string Id, string Title)>> titlesByNote;
    private readonly Lazy<PaperCatalog> catalog;

    private CitationIndex(
        ImmutableSortedDictionary<string, ImmutableArray<PaperCitation>> citationsByNote,
        ImmutableDictionary<string, ImmutableArray<string>> notesByPaper,
        ImmutableArray<string> citingNotes,
        ImmutableSortedDictionary<string, ImmutableArray<(string Id, string Title)>> titlesByNote,
        Lazy<PaperCatalog>? catalog)
    {
        this.citationsByNote = citationsByNote;
        this.notesByPaper = notesByPaper;
        this.citingNotes = citingNotes;
        this.titlesByNote = titlesByNote;
        this.catalog = catalog ?? new Lazy<PaperCatalog>(
            () => PaperCatalog.Create(WorkspacePapers.SourceName, titlesByNote.Values.SelectMany(t => t).Select(t => new PaperRecord(t.Id, t.Title) { Source = WorkspacePapers.SourceName })),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>An index of no notes.</summary>
    public static CitationIndex Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, ImmutableArray<PaperCitation>>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal),
        [],
        ImmutableSortedDictionary.Create<string, ImmutableArray<(string Id, string Title)>>(StringComparer.Ordinal),
        null);

    /// <summary>
    /// The papers the notes link to with a title in the link text (<c>[Title](forum?id=X)</c>). The same
    /// object across updates that change no titled citation, so its search index is built once.
    /// </summary>
    public PaperCatalog Catalog => catalog.Value;

    /// <summary>How many notes hold at least one OpenReview link.</summary>
    public int NoteCount => citationsByNote.Count;

    /// <summary>The ids of every paper cited (forum, pdf, attachment and revisions links), unordered.</summary>
    public IEnumerable<string> PaperIds => notesByPaper.Keys;

    /// <summary>Every OpenReview link, in note URI order, then text order.</summary>
    public IEnumerable<PaperCitation> All => citingNotes.SelectMany(uri => citationsByNote[uri]);

    /// <summary>The OpenReview links of one note, in text order.</summary>
    public ImmutableArray<PaperCitation> CitationsOf(string uri) => citationsByNote.GetValueOrDefault(uri, []);

    /// <summary>The URIs of the notes citing the paper, sorted ordinally.</summary>
    public ImmutableArray<string> NotesCiting(string paperId) => notesByPaper.GetValueOrDefault(paperId, []);

    /// <summary>
    /// The distinct cited paper ids that pass <paramref name="include"/>, in the order the notes first cite them
    /// (note URI order, then text order), leaving out the citations <paramref name="exclude"/> names. Lazy: a
    /// caller taking the first few reads only the first notes.
    /// </summary>
    public IEnumerable<string> CitedPaperIds(Func<string, bool> include, Func<PaperCitation, bool>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(include);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var uri in citingNotes)
        {
            foreach (var citation in citationsByNote[uri])
            {
                if (citation.Target.IsPaper && exclude?.Invoke(citation) != true && include(citation.Target.Id) && seen.Add(citation.Target.Id))
                {
                    yield return citation.Target.Id;
                }
            }
        }
    }

    /// <summary>The index with the note's citations replacing whatever it had before under the same URI.</summary>
    public CitationIndex WithNote(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var builder = new Builder(this);
        builder.Set(note.Uri, Extract(note));
        return builder.ToIndex();
    }

    /// <summary>The index with each note set in turn; a large batch (the start-up scan) is scanned on all cores.</summary>
    public CitationIndex WithNotes(IEnumerable<Note> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var list = notes as IReadOnlyList<Note> ?? [.. notes];
        var extracted = list.Count >= ParallelBatch
            ? list.AsParallel().AsOrdered().Select(n => (n.Uri, Citations: Extract(n))).ToArray()
            : [.. list.Select(n => (n.Uri, Citations: Extract(n)))];
        var builder = new Builder(this);
        foreach (var (uri, citations) in extracted)
        {
            builder.Set(uri, citations);
        }

        return builder.ToIndex();
    }

    public CitationIndex WithoutNote(string uri) => WithoutNotes([uri]);

    public CitationIndex WithoutNotes(IEnumerable<string> uris)
    {
        ArgumentNullException.ThrowIfNull(uris);
        var builder = new Builder(this);
        foreach (var uri in uris)
        {
            builder.Set(uri, []);
        }

        return builder.ToIndex();
    }

    /// <summary>The OpenReview links of a note, read from its text after the front matter.</summary>
    public static ImmutableArray<PaperCitation> Extract(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return note.GetCitations(Read);
    }

    private static ImmutableArray<PaperCitation> Read(Note note)
    {
        var links = CitationScanner.ScanWithTargets(note.Text.Text, BodyStart(note));
        if (links.IsEmpty)
        {
            return [];
        }

        var citations = ImmutableArray.CreateBuilder<PaperCitation>(links.Length);
        foreach (var (link, target) in links)
        {
            citations.Add(new PaperCitation(note.Uri, link, target));
        }

        return citations.MoveToImmutable();
    }

    /// <summary>Where the Markdown body starts: after the front matter (which the workspace scan reads anyway).</summary>
    private static int BodyStart(Note note)
    {
        try
        {
            return note.FrontMatter?.Span.End ?? 0;
        }
        catch (Exception)
        {
            // Parsing is meant never to throw; if it does on some input, this note's citations are read from the
            // whole text rather than failing the snapshot update that indexes it.
            return 0;
        }
    }

    /// <summary>The distinct paper ids a note cites, in order of first citation.</summary>
    /// <remarks>
    /// A loop, not a query: this runs for every note of a 100,000-note reopen, and a note cites a handful of papers,
    /// so a search of the ids so far is cheaper than a set (one of a few thousand citations, the set again).
    /// </remarks>
    private static ImmutableArray<string> PapersOf(ImmutableArray<PaperCitation> citations)
    {
        if (citations.IsEmpty)
        {
            return [];
        }

        var ids = new List<string>(citations.Length);
        HashSet<string>? seen = citations.Length > 16 ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var citation in citations)
        {
            if (!citation.Target.IsPaper)
            {
                continue;
            }

            var id = citation.Target.Id;
            if (seen is not null ? seen.Add(id) : !ContainsOrdinal(ids, id))
            {
                ids.Add(id);
            }
        }

        return [.. ids];
    }

    private static bool ContainsOrdinal(List<string> values, string value)
    {
        foreach (var candidate in values)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The catalog entries a note's link titles give, in text order.</summary>
    private static ImmutableArray<(string Id, string Title)> TitlesOf(ImmutableArray<PaperCitation> citations)
    {
        if (citations.IsEmpty)
        {
            return [];
        }

        var titles = ImmutableArray.CreateBuilder<(string Id, string Title)>();
        foreach (var citation in citations)
        {
            if (WorkspacePapers.CatalogTitle(citation) is { } title)
            {
                titles.Add((citation.Target.Id, title));
            }
        }

        return titles.DrainToImmutable();
    }

    /// <summary>Collects per-paper additions and removals for a batch, then rebuilds each touched paper's URIs once.</summary>
    private sealed class Builder(CitationIndex index)
    {
        private readonly ImmutableSortedDictionary<string, ImmutableArray<PaperCitation>>.Builder citationsByNote = index.citationsByNote.ToBuilder();
        private readonly Dictionary<string, SortedUris.Change> touched = new(StringComparer.Ordinal);
        private readonly SortedUris.Change citing = new();
        private bool citingChanged;
        private ImmutableSortedDictionary<string, ImmutableArray<(string Id, string Title)>>.Builder? titlesByNote;

        public void Set(string uri, ImmutableArray<PaperCitation> citations)
        {
            var old = citationsByNote.GetValueOrDefault(uri, []);
            if (old.SequenceEqual(citations))
            {
                return;
            }

            var oldPapers = PapersOf(old);
            var papers = PapersOf(citations);
            foreach (var id in oldPapers)
            {
                if (!papers.Contains(id))
                {
                    ChangeOf(id).Remove(uri);
                }
            }

            foreach (var id in papers)
            {
                if (!oldPapers.Contains(id))
                {
                    ChangeOf(id).Add(uri);
                }
            }

            var oldTitles = TitlesOf(old);
            var titles = TitlesOf(citations);
            if (!oldTitles.SequenceEqual(titles))
            {
                titlesByNote ??= index.titlesByNote.ToBuilder();
                if (titles.IsEmpty)
                {
                    titlesByNote.Remove(uri);
                }
                else
                {
                    titlesByNote[uri] = titles;
                }
            }

            if (old.IsEmpty != citations.IsEmpty)
            {
                citingChanged = true;
                if (citations.IsEmpty)
                {
                    citing.Remove(uri);
                }
                else
                {
                    citing.Add(uri);
                }
            }

            if (citations.IsEmpty)
            {
                citationsByNote.Remove(uri);
            }
            else
            {
                citationsByNote[uri] = citations;
            }
        }

        public CitationIndex ToIndex()
        {
            var notesByPaper = index.notesByPaper;
            if (touched.Count > 0)
            {
                var builder = notesByPaper.ToBuilder();
                foreach (var (id, change) in touched)
                {
                    var notes = change.Apply(builder.GetValueOrDefault(id, []));
                    if (notes.IsEmpty)
                    {
                        builder.Remove(id);
                    }
                    else
                    {
                        builder[id] = notes;
                    }
                }

                notesByPaper = builder.ToImmutable();
            }

            // Unchanged titles keep the catalog object, and with it the search index built over it.
            var citingNotes = citingChanged ? citing.Apply(index.citingNotes) : index.citingNotes;
            return titlesByNote is null
                ? new CitationIndex(citationsByNote.ToImmutable(), notesByPaper, citingNotes, index.titlesByNote, index.catalog)
                : new CitationIndex(citationsByNote.ToImmutable(), notesByPaper, citingNotes, titlesByNote.ToImmutable(), null);
        }

        private SortedUris.Change ChangeOf(string id)
        {
            if (!touched.TryGetValue(id, out var change))
            {
                change = new SortedUris.Change();
                touched[id] = change;
            }

            return change;
        }
    }
}
