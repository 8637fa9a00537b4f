using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NotesLsp.Papers;

/// <summary>Papers read from the cache, with when they were fetched.</summary>
public sealed record CachedPapers(string Key, DateTimeOffset FetchedAt, ImmutableArray<PaperRecord> Papers);

/// <summary>
/// Downloaded papers on disk (per venue and per single paper), in the user's cache folder.
/// </summary>
/// <remarks>
/// A file is one header line, <c>notes-lsp-cache/1 &lt;fetched ms&gt; &lt;payload bytes&gt; &lt;sha256 hex&gt;</c>,
/// then the payload in the catalog format (JSON Lines). Writes go to a temporary file that is then renamed over
/// the old one, so a reader sees the old file or the new one, never half of either; a file whose length or
/// checksum does not match its header (a crash, a full disk, a hand edit) is ignored, never a crash. Callers
/// write only successful answers, so a failed fetch leaves the previous cache as it was.
/// </remarks>
public sealed class PaperCache
{
    private const string Magic = "notes-lsp-cache/1";

    public PaperCache(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>
    /// <c>$XDG_CACHE_HOME/notes-lsp</c>, else <c>~/.cache/notes-lsp</c> on Linux; the platform's local
    /// application data (Windows) or <c>~/Library/Caches</c> (macOS) elsewhere.
    /// </summary>
    public static string DefaultDirectory(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "notes-lsp");
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "notes-lsp", "cache");
        }

        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return OperatingSystem.IsMacOS()
            ? Path.Combine(home, "Library", "Caches", "notes-lsp")
            : Path.Combine(home, ".cache", "notes-lsp");
    }

    public PaperResult<string> WriteVenue(string venueId, IEnumerable<PaperRecord> papers, DateTimeOffset fetchedAt) =>
        Write(VenuePath(venueId), papers, fetchedAt);

    public PaperResult<string> WritePaper(PaperRecord paper, DateTimeOffset fetchedAt)
    {
        ArgumentNullException.ThrowIfNull(paper);
        return Write(PaperPath(paper.Id), [paper], fetchedAt);
    }

    /// <summary>The venue's cached papers; null when missing, unreadable or damaged.</summary>
    public CachedPapers? ReadVenue(string venueId) => Read(VenuePath(venueId), venueId, singlePaper: false);

    /// <summary>One cached paper; null when missing, unreadable or damaged.</summary>
    public CachedPapers? ReadPaper(string id) => Read(PaperPath(id), id, singlePaper: true);

    /// <summary>Every intact cached venue and paper, skipping damaged files.</summary>
    public ImmutableArray<CachedPapers> ReadAll()
    {
        var result = ImmutableArray.CreateBuilder<CachedPapers>();
        foreach (var folder in new[] { "venues", "papers" })
        {
            var path = Path.Combine(Directory, folder);
            if (!System.IO.Directory.Exists(path))
            {
                continue;
            }

            try
            {
                foreach (var file in System.IO.Directory.EnumerateFiles(path, "*.jsonl").Order(StringComparer.Ordinal))
                {
                    if (Read(file, Uri.UnescapeDataString(Path.GetFileNameWithoutExtension(file)), singlePaper: folder == "papers") is { } cached)
                    {
                        result.Add(cached);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder that vanishes or cannot be listed means no cached papers from it.
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// Deletes the temporary files (<c>NAME.jsonl.GUID.tmp</c>) that writes interrupted by a crash or a kill left
    /// behind, when older than <paramref name="olderThan"/> (a younger one may belong to a write in progress in
    /// another process). Other files are never touched. Returns how many were removed.
    /// </summary>
    public int RemoveStaleTemporaryFiles(TimeSpan olderThan)
    {
        var removed = 0;
        var cutoff = DateTime.UtcNow - olderThan;
        foreach (var folder in new[] { "venues", "papers" })
        {
            var path = Path.Combine(Directory, folder);
            try
            {
                if (!System.IO.Directory.Exists(path))
                {
                    continue;
                }

                foreach (var file in System.IO.Directory.EnumerateFiles(path, "*.jsonl.*.tmp"))
                {
                    var guid = Path.GetExtension(Path.GetFileNameWithoutExtension(file)).TrimStart('.');
                    if (guid.Length == 32 && guid.All(char.IsAsciiHexDigitLower) && File.GetLastWriteTimeUtc(file) < cutoff)
                    {
                        File.Delete(file);
                        removed++;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder that cannot be listed or a file that cannot go now is tried again at the next start.
            }
        }

        return removed;
    }

    /// <summary>Everything cached as one catalog (venues before single papers).</summary>
    public PaperCatalog LoadCatalog() => PaperCatalog.Create("cache", ReadAll().SelectMany(c => c.Papers));

    /// <summary>
    /// The cache as two catalogs: the venues the user downloaded, and the single papers fetched for hovers. The
    /// server ranks the bundled catalog between them: a downloaded venue is the user's choice and wins, a fetched
    /// single paper only fills in what no bundled catalog has.
    /// </summary>
    public (PaperCatalog Venues, PaperCatalog Papers) LoadCatalogs()
    {
        var all = ReadAll();
        var venuesFolder = Path.Combine(Directory, "venues");
        var venueKeys = System.IO.Directory.Exists(venuesFolder) ? ReadVenueKeys(venuesFolder) : [];
        return (
            PaperCatalog.Create("cache", all.Where(c => venueKeys.Contains(c.Key)).SelectMany(c => c.Papers)),
            PaperCatalog.Create("cache", all.Where(c => !venueKeys.Contains(c.Key)).SelectMany(c => c.Papers)));
    }

    private static HashSet<string> ReadVenueKeys(string folder)
    {
        try
        {
            return System.IO.Directory.EnumerateFiles(folder, "*.jsonl")
                .Select(f => Uri.UnescapeDataString(Path.GetFileNameWithoutExtension(f)))
                .ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private string VenuePath(string venueId) => Path.Combine(Directory, "venues", FileName(venueId));

    private string PaperPath(string id) => Path.Combine(Directory, "papers", FileName(id));

    // Escaping keeps venue ids (with '/') and any id a single safe file name on every platform.
    private static string FileName(string key) => Uri.EscapeDataString(key) + ".jsonl";

    private static PaperResult<string> Write(string path, IEnumerable<PaperRecord> papers, DateTimeOffset fetchedAt)
    {
        var payload = PaperJson.WriteCatalog(papers);
        var header = string.Create(CultureInfo.InvariantCulture, $"{Magic} {fetchedAt.ToUnixTimeMilliseconds()} {payload.Length} {Convert.ToHexStringLower(SHA256.HashData(payload))}\n");
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.ASCII.GetBytes(header));
                stream.Write(payload);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return PaperResult.Ok(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return PaperResult.Fail<string>(PaperErrorKind.Io, $"Could not write the paper cache {path}: {e.Message}");
        }
    }

    /// <param name="singlePaper">A single paper's file holds that paper only: any other record in it (a file written
    /// before fetches checked the id, or planted) is dropped.</param>
    private static CachedPapers? Read(string path, string key, bool singlePaper)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline <= 0 || newline > 200)
        {
            return null;
        }

        var header = Encoding.ASCII.GetString(bytes, 0, newline).Split(' ');
        if (header.Length != 4 || header[0] != Magic
            || !long.TryParse(header[1], NumberStyles.None, CultureInfo.InvariantCulture, out var fetchedMs)
            || !int.TryParse(header[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return null;
        }

        var payload = bytes.AsSpan(newline + 1);
        if (payload.Length != length || !Convert.ToHexStringLower(SHA256.HashData(payload)).Equals(header[3], StringComparison.Ordinal))
        {
            return null;
        }

        var papers = PaperJson.ReadCatalog(payload, "cache", out _);
        if (singlePaper)
        {
            papers = papers.RemoveAll(p => !string.Equals(p.Id, key, StringComparison.Ordinal));
        }

        return new CachedPapers(key, DateTimeOffset.FromUnixTimeMilliseconds(fetchedMs), papers);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless: readers only open the final names.
        }
    }
}
