using System.Collections.Concurrent;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;

namespace NotesLsp.Server;

/// <summary>
/// The server's paper state: the catalogs (bundled, downloaded, the user's files, the workspace's own links)
/// and the OpenReview client. Catalog sets are immutable; a change (a download, new settings) swaps in a new
/// set, so readers never lock. The workspace catalog comes from the snapshot's citation index, which rebuilds it
/// only when a titled link changes.
/// </summary>
public sealed class PaperService : IDisposable
{
    private readonly ServerLog log;
    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<string, Task<PaperResult<PaperRecord>>> fetches = new(StringComparer.Ordinal);
    private readonly Lazy<System.Collections.Immutable.ImmutableArray<PaperCatalog>> bundled = new(PaperCatalog.LoadAllBundled, LazyThreadSafetyMode.ExecutionAndPublication);
    private volatile Sources sources = new(null, null, [], PaperCatalog.Empty, PaperCatalog.Empty, PaperCatalog.Empty);

    private readonly Func<IReadOnlyList<string>> workspaceFolders;

    /// <param name="workspaceFolders">Relative catalog paths in the settings resolve against the first folder.</param>
    public PaperService(ServerLog log, Func<IReadOnlyList<string>>? workspaceFolders = null)
    {
        this.log = log;
        this.workspaceFolders = workspaceFolders ?? (() => []);
    }

    /// <summary>How long a hover waits for OpenReview before answering with what is known.</summary>
    public TimeSpan HoverFetchWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// All catalogs for a snapshot, the first that knows a paper winning: the user's files, the venues the user
    /// downloaded, the bundled list, then single papers fetched from OpenReview (cached or from this session) and
    /// the notes' own links. A fetched answer never outranks the bundled catalog (a hostile or broken server could
    /// otherwise rewrite any bundled paper); a venue download does, since the user asked for it.
    /// </summary>
    public PaperCatalogSet Catalogs(WorkspaceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var current = Refresh(snapshot.Settings);
        return new PaperCatalogSet([.. current.UserFiles, current.CachedVenues, .. bundled.Value, current.CachedPapers, current.Fetched, WorkspacePapers.Catalog(snapshot)]);
    }

    /// <summary>Loads the bundled catalogs and builds their indexes off the request path.</summary>
    public void Warm() => _ = Task.Run(() =>
    {
        try
        {
            Parallel.ForEach(bundled.Value, catalog => catalog.Warm());
        }
        catch (InvalidOperationException exception)
        {
            log.Error($"the bundled paper catalog could not be loaded: {exception.Message}");
        }
    });

    public PaperCache Cache(NotesSettings settings) => new(CacheDirectory(settings));

    /// <summary>Downloads a venue into the cache and makes it searchable.</summary>
    public async Task<PaperResult<CachedPapers>> DownloadVenueAsync(NotesSettings settings, string venueId, IProgress<VenueDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.OpenReview.Online)
        {
            return PaperResult.Fail<CachedPapers>(PaperErrorKind.Offline, "Online access to OpenReview is off (notes.openreview.online).");
        }

        var result = await Downloads(settings).DownloadVenueAsync(venueId, progress, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            ReloadCache(settings);
        }

        return result;
    }

    /// <summary>
    /// For a hover on an id no catalog knows: fetch it, waiting at most <see cref="HoverFetchWait"/>. A slower
    /// fetch goes on in the background and caches its answer, so the next hover knows the paper.
    /// </summary>
    /// <returns>The paper, or null with a sentence saying why it is not known.</returns>
    public async Task<(PaperRecord? Paper, string? Note)> LookUpForHoverAsync(NotesSettings settings, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.OpenReview.Online)
        {
            return (null, "Online lookups are off (notes.openreview.online).");
        }

        var fetch = fetches.GetOrAdd(id, key => FetchAndRememberAsync(settings, key));
        var finished = await Task.WhenAny(fetch, Task.Delay(HoverFetchWait, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (finished != fetch)
        {
            return (null, "Looking it up on OpenReview; hover again in a moment.");
        }

        var result = await fetch.ConfigureAwait(false);
        return result.IsSuccess ? (result.Value, null) : (null, result.Error!.Message);
    }

    public void Dispose() => http.Dispose();

    private async Task<PaperResult<PaperRecord>> FetchAndRememberAsync(NotesSettings settings, string id)
    {
        try
        {
            // Not tied to the hover's cancellation: an answer that arrives late still fills the cache.
            var result = await Downloads(settings).FetchPaperAsync(id, CancellationToken.None).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                var current = sources;
                sources = current with { Fetched = PaperCatalog.Create("fetched", [result.Value!, .. current.Fetched.Papers]) };
            }
            else
            {
                log.Info($"OpenReview lookup of {id} failed: {result.Error!.Message}");
            }

            return result;
        }
        finally
        {
            // Forget finished lookups after a short while so a failure can be retried later, not on every hover.
            _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => fetches.TryRemove(id, out Task<PaperResult<PaperRecord>>? _), TaskScheduler.Default);
        }
    }

    private PaperDownloads Downloads(NotesSettings settings)
    {
        var openReview = settings.OpenReview;
        var options = new OpenReviewClientOptions
        {
            BaseUrl = string.IsNullOrWhiteSpace(openReview.BaseUrl) ? new OpenReviewClientOptions().BaseUrl : openReview.BaseUrl,
            FallbackBaseUrl = string.IsNullOrWhiteSpace(openReview.FallbackBaseUrl) ? null : openReview.FallbackBaseUrl,
            Token = OpenReviewClientOptions.ResolveToken(openReview.Token),
            TokenForAnyHost = openReview.BaseUrlFromUserSettings,
        };
        return new PaperDownloads(new OpenReviewClient(http, options), Cache(settings));
    }

    private static string CacheDirectory(NotesSettings settings) =>
        string.IsNullOrWhiteSpace(settings.Papers.CacheDirectory) ? PaperCache.DefaultDirectory() : settings.Papers.CacheDirectory;

    private Sources Refresh(NotesSettings settings)
    {
        var current = sources;
        var directory = CacheDirectory(settings);
        if (current.CacheDirectory != directory)
        {
            current = LoadCache(current, directory, atStart: true);
            sources = current;
        }

        var files = settings.Papers.Catalogs;
        if (current.CatalogFiles is null || !current.CatalogFiles.SequenceEqual(files))
        {
            var loaded = new List<PaperCatalog>();
            foreach (var file in files)
            {
                var result = PaperCatalog.LoadFile(ResolvePath(file));
                if (result.IsSuccess)
                {
                    loaded.Add(result.Value!);
                    if (result.Value!.SkippedLines > 0)
                    {
                        log.Warning($"paper catalog {file}: skipped {result.Value.SkippedLines} lines that are not papers");
                    }
                }
                else
                {
                    log.Warning(result.Error!.Message);
                }
            }

            current = current with { CatalogFiles = [.. files], UserFiles = [.. loaded] };
            sources = current;
        }

        return current;
    }

    private string ResolvePath(string path)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal))
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]);
        }

        return Path.IsPathRooted(path) || workspaceFolders() is not [var folder, ..] ? path : Path.GetFullPath(Path.Combine(folder, path));
    }

    private void ReloadCache(NotesSettings settings)
    {
        sources = LoadCache(sources, CacheDirectory(settings), atStart: false);
    }

    /// <summary>The cache's catalogs; the first time a directory is read, its crashed writes' leftovers are removed.</summary>
    private Sources LoadCache(Sources current, string directory, bool atStart)
    {
        var cache = new PaperCache(directory);
        if (atStart && cache.RemoveStaleTemporaryFiles(StaleTemporaryAge) is > 0 and var removed)
        {
            log.Info($"paper cache {directory}: removed {removed} temporary files left by interrupted writes");
        }

        var (venues, papers) = cache.LoadCatalogs();
        return current with { CacheDirectory = directory, CachedVenues = venues, CachedPapers = papers };
    }

    /// <summary>A temporary file this old belongs to no write still in progress.</summary>
    private static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromHours(1);

    private sealed record Sources(string? CacheDirectory, string[]? CatalogFiles, PaperCatalog[] UserFiles, PaperCatalog CachedVenues, PaperCatalog CachedPapers, PaperCatalog Fetched);
}
