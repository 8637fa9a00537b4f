using NotesLsp.Analysis;
using NotesLsp.Index;
using NotesLsp.Papers;

namespace NotesLsp.Server;

/// <summary>
/// The persistent index of each workspace folder (one <see cref="NoteIndexStore"/> per folder), for the start-up
/// scan and the file watcher. Every method is safe to call from any thread and never throws for a database
/// problem: the index is a cache, and without it the server works as before, only slower to start.
/// </summary>
public sealed class WorkspaceIndexes : IDisposable
{
    /// <summary>Rows per transaction when saving.</summary>
    public const int SaveBatch = 2000;

    private readonly List<(string Folder, NoteIndexStore Store)> stores;

    private WorkspaceIndexes(List<(string Folder, NoteIndexStore Store)> stores) => this.stores = stores;

    public static WorkspaceIndexes None { get; } = new([]);

    /// <summary>True when at least one folder has an index.</summary>
    public bool IsEnabled => stores.Count > 0;

    /// <summary>The default place of the databases: <c>index/</c> under the paper cache's platform cache directory.</summary>
    public static string DefaultDirectory() => PaperCache.DefaultDirectory();

    /// <summary>Opens (or creates) the index of each folder; a folder whose index cannot be created goes without.</summary>
    public static WorkspaceIndexes Open(IEnumerable<string> folders, IndexSettings settings, ServerLog log)
    {
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        if (!settings.Enabled)
        {
            return None;
        }

        var directory = string.IsNullOrWhiteSpace(settings.Directory) ? DefaultDirectory() : settings.Directory;
        var opened = new List<(string, NoteIndexStore)>();
        foreach (var folder in folders.Select(f => Path.GetFullPath(f).TrimEnd('/')).Distinct(StringComparer.Ordinal))
        {
            if (NoteIndexStore.Open(NoteIndexStore.PathFor(directory, folder), new IndexIdentity(folder, Program.Version), log.Warning) is { } store)
            {
                opened.Add((folder, store));
            }
        }

        return new WorkspaceIndexes(opened);
    }

    /// <summary>Every note the indexes remember, keyed by full path.</summary>
    public Dictionary<string, IndexedNote> ReadAll(StringPool? pool)
    {
        var all = new Dictionary<string, IndexedNote>(StringComparer.Ordinal);
        foreach (var (folder, store) in stores)
        {
            foreach (var entry in store.ReadNotes(pool))
            {
                // A row outside its folder would be a foreign or hand-edited database: not trusted.
                if (entry.Path.StartsWith(folder + "/", StringComparison.Ordinal))
                {
                    all[entry.Path] = entry;
                }
            }
        }

        return all;
    }

    /// <summary>Saves re-read notes and forgets deleted ones, each in the index of the folder holding it.</summary>
    public void Save(IReadOnlyCollection<IndexedNote> upserts, IReadOnlyCollection<string> deletes)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(deletes);
        foreach (var (folder, store) in stores)
        {
            var prefix = folder + "/";
            var mine = upserts.Where(u => u.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            var gone = deletes.Where(d => d.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            store.WriteNotes([], gone);

            // Transactions of a few thousand rows: a server killed while saving a first scan keeps what it committed.
            foreach (var chunk in mine.Chunk(SaveBatch))
            {
                store.WriteNotes(chunk, []);
            }
        }
    }

    public void Dispose()
    {
        foreach (var (_, store) in stores)
        {
            store.Dispose();
        }
    }
}
