using System.Collections.Frozen;
using System.Collections.Immutable;
using System.IO.Compression;

namespace NotesLsp.Papers;

/// <summary>
/// An immutable set of papers from one source (the bundled ICML 2024 list, a downloaded venue, a user's file,
/// the links in the workspace), with lookups by id and a title search index built once.
/// </summary>
public sealed class PaperCatalog
{
    private readonly PaperRecords records;
    private readonly Lazy<PaperSearchIndex> index;
    private readonly Lazy<FrozenDictionary<string, int>> venueCounts;
    private readonly Lazy<FrozenDictionary<string, int>> byPdfPath;

    private PaperCatalog(string name, PaperRecords papers, int skippedLines, PaperSearchIndex? built = null)
    {
        Name = name;
        records = papers;
        SkippedLines = skippedLines;

        // Built on first search, so loading stays cheap for catalogs only used for id lookups.
        index = built is null
            ? new Lazy<PaperSearchIndex>(() => PaperSearchIndex.Build(records), LazyThreadSafetyMode.ExecutionAndPublication)
            : new Lazy<PaperSearchIndex>(built);

        // From single fields, so that a catalog read from an index file decodes no record for them.
        venueCounts = new Lazy<FrozenDictionary<string, int>>(
            () => Enumerable.Range(0, records.Count).Select(records.VenueId).OfType<string>().GroupBy(v => v, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            LazyThreadSafetyMode.ExecutionAndPublication);
        byPdfPath = new Lazy<FrozenDictionary<string, int>>(
            () => Enumerable.Range(0, records.Count).Where(p => records.PdfUrl(p) is not null).GroupBy(p => PdfPath(records.PdfUrl(p)!), StringComparer.OrdinalIgnoreCase).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static PaperCatalog Empty { get; } = new("empty", new PaperRecords([]), 0);

    public const string BundledName = "ICML 2024 (bundled)";

    /// <summary>
    /// The venues shipped inside this assembly (display name, resource), newest first: ICML 2024 (accepted),
    /// ICML 2023 (accepted), ICLR 2023 (every public submission, with rejected and withdrawn ones) and NeurIPS
    /// 2023 (with Datasets and Benchmarks). Provenance in <c>Data/README.md</c>.
    /// </summary>
    public static ImmutableArray<(string Name, string Resource)> BundledVenues { get; } =
    [
        (BundledName, "NotesLsp.Papers.Data.icml2024.jsonl.gz"),
        ("NeurIPS 2023 (bundled)", "NotesLsp.Papers.Data.neurips2023.jsonl.gz"),
        ("ICML 2023 (bundled)", "NotesLsp.Papers.Data.icml2023.jsonl.gz"),
        ("ICLR 2023 (bundled)", "NotesLsp.Papers.Data.iclr2023.jsonl.gz"),
    ];

    /// <summary>A display name for the source.</summary>
    public string Name { get; }

    /// <summary>
    /// The papers, one per id (a later duplicate fills fields the first lacked). A catalog read from an index file
    /// decodes each record when it is first asked for.
    /// </summary>
    public IReadOnlyList<PaperRecord> Papers => records;

    /// <summary>The papers' ids, without decoding their records.</summary>
    public IEnumerable<string> Ids => Enumerable.Range(0, records.Count).Select(records.Id);

    /// <summary>Lines of the source that were not papers (broken JSON, no id or title).</summary>
    public int SkippedLines { get; }

    public int Count => records.Count;

    /// <summary>Makes a catalog, merging records that share an id (the first one's values win).</summary>
    public static PaperCatalog Create(string name, IEnumerable<PaperRecord> papers, int skippedLines = 0)
    {
        ArgumentNullException.ThrowIfNull(papers);
        var order = new List<PaperRecord>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var paper in papers)
        {
            if (positions.TryGetValue(paper.Id, out var at))
            {
                order[at] = PaperRecord.Merge(order[at], paper);
            }
            else
            {
                positions[paper.Id] = order.Count;
                order.Add(paper);
            }
        }

        return new PaperCatalog(name, new PaperRecords([.. order]), skippedLines);
    }

    /// <summary>The catalog of accepted ICML 2024 papers shipped inside this assembly.</summary>
    public static PaperCatalog LoadBundled() => LoadBundled(BundledVenues[0].Name, BundledVenues[0].Resource);

    /// <summary>Every bundled venue (<see cref="BundledVenues"/>), read in parallel, in that order.</summary>
    public static ImmutableArray<PaperCatalog> LoadAllBundled() => LoadAllBundled(precomputed: null);

    /// <summary>
    /// Every bundled venue, read in parallel, in that order; each from its precomputed index (<see cref="PaperIndexFile"/>)
    /// when <paramref name="precomputed"/> has one for the venue's resource name, else from the JSON Lines (built
    /// then on first search).
    /// </summary>
    /// <param name="precomputed">Gives the index file's bytes for a venue's resource name (see <see cref="IndexResourceName"/>), or null.</param>
    public static ImmutableArray<PaperCatalog> LoadAllBundled(Func<string, Stream?>? precomputed)
    {
        // Opening an index file decodes nothing (PaperIndexFile), so only the venues without one are worth
        // spreading over the cores.
        var catalogs = new PaperCatalog?[BundledVenues.Length];
        for (var i = 0; i < catalogs.Length && precomputed is not null; i++)
        {
            using var stream = precomputed(IndexResourceName(BundledVenues[i].Resource));
            catalogs[i] = stream is null ? null : PaperIndexFile.Read(stream);
        }

        var missing = Enumerable.Range(0, catalogs.Length).Where(i => catalogs[i] is null).ToList();
        Parallel.ForEach(missing, i => catalogs[i] = LoadBundled(BundledVenues[i].Name, BundledVenues[i].Resource));
        return [.. catalogs.Select(c => c!)];
    }

    /// <summary>The name of a bundled venue's precomputed index: <c>X.jsonl.gz</c> becomes <c>X.idx</c>.</summary>
    public static string IndexResourceName(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return (resource.EndsWith(".jsonl.gz", StringComparison.Ordinal) ? resource[..^".jsonl.gz".Length] : resource) + ".idx";
    }

    /// <summary>Whether this catalog and its index were read from a precomputed index file.</summary>
    public bool IsPrecomputed { get; private init; }

    private static PaperCatalog LoadBundled(string name, string resource)
    {
        using var stream = typeof(PaperCatalog).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The bundled catalog {name} is missing from the assembly.");
        return Load(name, stream, gzip: true);
    }

    /// <summary>Reads a catalog stream (JSON Lines, see <see cref="PaperJson"/>).</summary>
    public static PaperCatalog Load(string name, Stream stream, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        if (gzip)
        {
            using var unzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            unzip.CopyTo(buffer);
        }
        else
        {
            stream.CopyTo(buffer);
        }

        var papers = PaperJson.ReadCatalog(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name, out var skipped);
        return Create(name, papers, skipped);
    }

    /// <summary>Reads a user's catalog file; a missing or unreadable file is a failure with a message, not an exception.</summary>
    public static PaperResult<PaperCatalog> LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = File.OpenRead(path);
            var gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
            return PaperResult.Ok(Load(Path.GetFileName(path), stream, gzip));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return PaperResult.Fail<PaperCatalog>(PaperErrorKind.Io, $"Could not read the paper catalog {path}: {e.Message}");
        }
    }

    public PaperRecord? Find(string id) => records.IndexOf(id) is var i and >= 0 ? records[i] : null;

    /// <summary>The paper whose PDF is at <c>/pdf/&lt;sha1&gt;.pdf</c>.</summary>
    public PaperRecord? FindByPdfPath(string path) => byPdfPath.Value.TryGetValue(PdfPath(path), out var i) ? records[i] : null;

    /// <summary>How many papers of the venue (group id) this catalog holds.</summary>
    public int CountInVenue(string venueId) => venueCounts.Value.GetValueOrDefault(venueId);

    /// <summary>The venue ids this catalog holds papers for.</summary>
    public IEnumerable<string> VenueIds => venueCounts.Value.Keys;

    public ImmutableArray<PaperMatch> Search(string query, int limit) => index.Value.Search(query, limit);

    /// <summary>Ranked matches; papers of the venue the query or <paramref name="context"/> names come first among comparable ones.</summary>
    public ImmutableArray<PaperMatch> Search(string query, int limit, SearchContext? context) => index.Value.Search(query, limit, context);

    /// <summary>The search index, built on first use.</summary>
    internal PaperSearchIndex Index => index.Value;

    /// <summary>A catalog whose index was read from a <see cref="PaperIndexFile"/> (its records one per id already).</summary>
    internal static PaperCatalog WithIndex(string name, PaperRecords papers, int skippedLines, PaperSearchIndex index) =>
        new(name, papers, skippedLines, index) { IsPrecomputed = true };

    /// <summary>Builds the search index now (for example at start-up, off the request path).</summary>
    public void Warm() => _ = index.Value;

    private static string PdfPath(string url)
    {
        var at = url.IndexOf("/pdf/", StringComparison.OrdinalIgnoreCase);
        return at >= 0 ? url[at..] : url;
    }
}

/// <summary>
/// All catalogs in priority order (earlier sources win when records disagree). Lookups merge records for the
/// same id across sources; searches merge the ranked answers of each catalog.
/// </summary>
public sealed class PaperCatalogSet
{
    public PaperCatalogSet(IEnumerable<PaperCatalog> catalogs)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        Catalogs = [.. catalogs.Where(c => c.Count > 0)];
    }

    public static PaperCatalogSet Empty { get; } = new([]);

    public ImmutableArray<PaperCatalog> Catalogs { get; }

    public int Count => Catalogs.Sum(c => c.Count);

    /// <summary>A new set with <paramref name="catalog"/> first (highest priority).</summary>
    public PaperCatalogSet WithFirst(PaperCatalog catalog) => new(Catalogs.Insert(0, catalog));

    /// <summary>A new set with <paramref name="catalog"/> last (lowest priority).</summary>
    public PaperCatalogSet WithLast(PaperCatalog catalog) => new(Catalogs.Add(catalog));

    public PaperRecord? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        PaperRecord? result = null;
        foreach (var catalog in Catalogs)
        {
            if (catalog.Find(id) is { } paper)
            {
                result = result is null ? paper : PaperRecord.Merge(result, paper);
            }
        }

        return result;
    }

    private static int VenueYear(PaperRecord paper) =>
        paper.VenueName?.Split(' ').Select(w => int.TryParse(w, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : 0).Max() ?? 0;

    public PaperRecord? FindByPdfPath(string path) =>
        Catalogs.Select(c => c.FindByPdfPath(path)).FirstOrDefault(p => p is not null) is { } paper ? Find(paper.Id) : null;

    /// <summary>How many distinct papers of the venue the catalogs hold (the largest single catalog's count).</summary>
    public int CountInVenue(string venueId) => Catalogs.Select(c => c.CountInVenue(venueId)).DefaultIfEmpty(0).Max();

    public IEnumerable<string> VenueIds => Catalogs.SelectMany(c => c.VenueIds).Distinct(StringComparer.Ordinal);

    /// <summary>Ranked matches from every catalog, one per id, best first.</summary>
    public ImmutableArray<PaperMatch> Search(string query, int limit) => Search(query, limit, null);

    /// <summary>Ranked matches from every catalog, one per id, best first; the venue the query or <paramref name="context"/> names first among comparable ones.</summary>
    public ImmutableArray<PaperMatch> Search(string query, int limit, SearchContext? context)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (Catalogs.Length == 1)
        {
            return Catalogs[0].Search(query, limit, context);
        }

        var bestById = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var catalog in Catalogs)
        {
            foreach (var match in catalog.Search(query, limit, context))
            {
                bestById[match.Paper.Id] = Math.Max(bestById.GetValueOrDefault(match.Paper.Id), match.Score);
            }
        }

        return [.. bestById
            .Select(p => new PaperMatch(Find(p.Key)!, p.Value))
            .OrderByDescending(m => m.Score)
            .ThenBy(m => Decisions.Rank(m.Paper.Decision))
            .ThenByDescending(m => VenueYear(m.Paper))
            .ThenBy(m => m.Paper.Title, StringComparer.Ordinal)
            .Take(limit)];
    }
}
