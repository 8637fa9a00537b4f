using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.IO.Enumeration;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.FileSystemGlobbing;
using NotesLsp.Analysis;
using NotesLsp.Index;
using NotesLsp.Text;

namespace NotesLsp.Server;

/// <summary>
/// Finds and reads the notes under the workspace folders. I/O lives here, in the server layer; analysis only
/// ever sees the resulting <see cref="Note"/>s. Every read goes through <see cref="WorkspaceFiles"/>: regular
/// files only, bounded, and never through a link that leaves the roots.
/// </summary>
/// <param name="log">Where skipped files are reported.</param>
/// <param name="files">The roots reads must stay inside; null allows any location (reads are still bounded and regular-file only).</param>
public sealed class WorkspaceScanner(ServerLog log, WorkspaceFiles? files = null)
{
    /// <summary>Notes larger than this get their headings after the start-up scan is done (see <see cref="NoteSummary.Of"/>).</summary>
    public const int LargeNoteBytes = 1024 * 1024;

    private readonly WorkspaceFiles files = files ?? WorkspaceFiles.Anywhere;

    // One loader for every summarised note (a method group converted at each call would be a delegate per note).
    private Func<string, byte[]?>? loadText;

    /// <summary>Files larger than this are not indexed (a log line says so); editing them still works when opened.</summary>
    public const long MaxNoteBytes = 32L * 1024 * 1024;

    private static readonly string[] AlwaysSkipped = [".git", "node_modules"];

    /// <summary>The reader this scanner uses, for other readers of workspace files.</summary>
    public WorkspaceFiles Files => files;

    /// <summary>
    /// Why a listed note file is not a note of the workspace at all, or null when it is one (even if it turns out
    /// unreadable or too large): not a regular file, outside the roots (through a link), gone, or a link to
    /// another note file, which is indexed under its own name (one file, one note: a rename must not edit a file
    /// twice). The server and <c>notes-lsp check</c> skip such files alike.
    /// </summary>
    public static string? NotANote(WorkspaceFileResult read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read.Status switch
        {
            WorkspaceFileStatus.NotARegularFile or WorkspaceFileStatus.OutsideRoots or WorkspaceFileStatus.Missing => read.Problem,
            _ when read.ThroughLink && read.RealPath is { } real && DocumentUris.IsNoteFile(real) => $"links to {real}, which is indexed under its own name",
            _ => null,
        };
    }

    /// <summary>Every *.md / *.markdown under the folders, minus .git, node_modules and the exclude globs.</summary>
    public IReadOnlyList<string> FindNotes(IEnumerable<string> folders, IReadOnlyList<string> exclude, CancellationToken cancellationToken) =>
        [.. FindNoteFiles(folders, exclude, cancellationToken).Select(f => f.Path)];

    /// <summary><see cref="FindNotes"/> with each file's size and modification time, as the directory listing gives them.</summary>
    /// <remarks>
    /// The folders are walked on all cores, a directory at a time from a shared stack: listing is a stat per file
    /// (kernel time), and reading cannot start before it is done (the start-up scan at 10,000 notes waited about
    /// 60 ms for it on one core, at 100,000 about 700 ms). The result is sorted by path, one entry a file however many
    /// workspace folders hold it.
    /// </remarks>
    public IReadOnlyList<FoundNote> FindNoteFiles(IEnumerable<string> folders, IReadOnlyList<string> exclude, CancellationToken cancellationToken, int maxParallelism = -1)
    {
        var roots = new List<string>();
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                log.Warning($"workspace folder does not exist: {folder}");
                continue;
            }

            // Full and without a trailing separator, so a listed path's part under its root is a plain slice (IsExcluded).
            roots.Add(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        }

        if (roots.Count == 0)
        {
            return [];
        }

        var workers = Math.Clamp(maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount, 1, 16);
        var pending = new ConcurrentStack<(DirectoryInfo Directory, string Root)>();

        // One permit per directory pushed, and one per worker once nothing is left (or a worker failed): a worker
        // with nothing to list sleeps on it instead of spinning (a flat folder of 10,000 notes is listed by one).
        using var available = new SemaphoreSlim(0);
        for (var r = roots.Count - 1; r >= 0; r--)
        {
            pending.Push((new DirectoryInfo(roots[r]), roots[r]));
        }

        // Directories pushed and not yet listed: the listing is done when none is left.
        var outstanding = roots.Count;
        available.Release(roots.Count);
        ExceptionDispatchInfo? failure = null;
        var options = new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = 0 };
        var lists = new List<FoundNote>[workers];

        void Walk(int worker)
        {
            var found = lists[worker] = [];
            try
            {
                // A matcher per worker; the exclude globs are matched against the path relative to the item's folder.
                var matcher = BuildExcludeMatcher(exclude);
                while (true)
                {
                    available.Wait(CancellationToken.None);
                    if (Volatile.Read(ref failure) is not null || !pending.TryPop(out var item))
                    {
                        // Woken because the listing ended or failed.
                        return;
                    }

                    try
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        List(item.Directory, item.Root, matcher, found);
                    }
                    finally
                    {
                        if (Interlocked.Decrement(ref outstanding) == 0)
                        {
                            available.Release(workers);
                        }
                    }
                }
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(exception), null);
                available.Release(workers);
            }
        }

        void List(DirectoryInfo directory, string root, Matcher? matcher, List<FoundNote> found)
        {
            // Entries are made from the directory entry itself (no FileInfo per file with its own copies of the path
            // and name: a sixth of a 100,000-note reopen's allocations), and files that are not notes are dropped
            // before anything is made for them.
            List<Listed> entries;
            try
            {
                entries = [.. new FileSystemEnumerable<Listed>(directory.FullName, Listed.Of, options) { ShouldIncludePredicate = Listed.Wanted }];
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                log.Warning($"cannot read folder {directory.FullName}: {exception.Message}");
                return;
            }

            foreach (var entry in entries)
            {
                if (entry.IsDirectory)
                {
                    // Symlinked folders are not followed: they are how loops and duplicate trees happen.
                    if (entry.IsLink || IsExcluded(matcher, root, entry.Path))
                    {
                        continue;
                    }

                    Interlocked.Increment(ref outstanding);
                    pending.Push((new DirectoryInfo(entry.Path), root));
                    available.Release();
                }
                else if (!IsExcluded(matcher, root, entry.Path))
                {
                    found.Add(new FoundNote(entry.Path, entry.Size, entry.ModifiedTicks));
                }
            }
        }

        if (workers == 1)
        {
            Walk(0);
        }
        else
        {
            BackgroundThreads.RunAll("notes-list", workers, Walk);
        }

        failure?.Throw();
        var all = new List<FoundNote>(lists.Sum(l => l.Count));
        foreach (var list in lists)
        {
            all.AddRange(list);
        }

        // Sorted by path; a file under two workspace folders (one inside the other) is listed once.
        all.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var distinct = new List<FoundNote>(all.Count);
        foreach (var note in all)
        {
            if (distinct.Count == 0 || !string.Equals(distinct[^1].Path, note.Path, StringComparison.Ordinal))
            {
                distinct.Add(note);
            }
        }

        return distinct;
    }

    /// <summary>
    /// Reads notes on all cores and summarises each (front matter, headings, the tags under
    /// <paramref name="tagKeys"/>, citations) while its text is decoded; the notes keep the summaries, not the text.
    /// Unreadable, oversized and binary files are logged and skipped. A file whose bytes hash as
    /// <paramref name="previous"/> remembers keeps that summary without parsing again (only its time stamp changed).
    /// Strings that repeat across notes go through <paramref name="pool"/>, a new one when none is given (the start-up
    /// scan gives one for all its batches).
    /// </summary>
    public IReadOnlyList<ScannedNote> ReadNotes(
        IReadOnlyList<string> paths,
        ImmutableArray<string> tagKeys,
        Action<int>? progress,
        CancellationToken cancellationToken,
        Func<string, IndexedNote?>? previous = null,
        int maxParallelism = -1,
        bool deferLarge = false,
        StringPool? pool = null)
    {
        var notes = new ScannedNote?[paths.Count];
        var done = 0;
        var next = -1;
        pool ??= new StringPool();
        var scan = files.ForOneScan();
        ExceptionDispatchInfo? failure = null;
        void Work()
        {
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < paths.Count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    notes[i] = ReadSummarised(scan, paths[i], tagKeys, pool, previous?.Invoke(paths[i]), deferLarge);
                    var count = Interlocked.Increment(ref done);
                    if (progress is not null && count % 500 == 0)
                    {
                        progress(count);
                    }
                }
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(exception), null);
                Interlocked.Exchange(ref next, paths.Count);
            }
        }

        // Dedicated threads of background priority read, not the thread pool: requests arriving during the scan run
        // on pool threads, and a scan that took every pool thread made them wait for the pool to grow (it adds a
        // thread about every half second); at normal priority the scan also took the cores a request needed
        // (BackgroundThreads). A handful of files is read on the calling thread: a thread costs more than they do.
        var workers = Math.Clamp(maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount, 1, Math.Max(1, paths.Count));
        if (paths.Count <= InlineReadLimit)
        {
            Work();
        }
        else
        {
            BackgroundThreads.RunAll("notes-scan", workers, _ => Work());
        }

        failure?.Throw();
        return [.. notes.Where(n => n is not null).Select(n => n!)];
    }

    /// <summary>Up to this many files, <see cref="ReadNotes"/> reads on the calling thread.</summary>
    internal const int InlineReadLimit = 4;

    /// <summary>
    /// Reads and summarises one note, or null (with a log line) when it cannot or should not be indexed. The file
    /// is looked at (size, time) before it is read, so a change while reading makes the stamp older than the
    /// text, never newer: the next start then reads it again instead of trusting a stale summary.
    /// </summary>
    public ScannedNote? ReadSummarised(string path, ImmutableArray<string> tagKeys, StringPool? pool = null, IndexedNote? previous = null, bool deferLarge = false) =>
        ReadSummarised(files, path, tagKeys, pool, previous, deferLarge);

    private ScannedNote? ReadSummarised(WorkspaceFiles reader, string path, ImmutableArray<string> tagKeys, StringPool? pool, IndexedNote? previous, bool deferLarge)
    {
        // The stamp is the one WorkspaceFiles took before reading (size: the bytes read). The bytes go into a rented
        // buffer that is given back once hashed and decoded: the summary is made from the decoded text alone, and
        // an array per note (the file's size, about 5 KB each at 10,000 notes) was garbage of every note's read.
        if (Read(reader, path, quiet: false, ArrayPool<byte>.Shared) is not { Bytes: { } rented } read)
        {
            return null;
        }

        var size = read.Length;
        var modified = read.LastWriteTimeUtc.Ticks;
        var keys = tagKeys.IsDefault ? [] : tagKeys;
        byte[] hash;
        string? decoded = null;
        bool partial;
        try
        {
            var bytes = rented.AsSpan(0, (int)size);
            hash = NoteIndexStore.HashOf(bytes);
            partial = deferLarge && bytes.Length > LargeNoteBytes;
            if (!Unchanged(previous, hash, keys))
            {
                decoded = Utf8Text.Decode(bytes);
            }
        }
        finally
        {
            GiveBack(rented);
        }

        var uri = DocumentUris.FromPath(path);
        Note note;
        if (decoded is null)
        {
            note = Note.FromSummary(uri, previous!.Summary, TextLoader);
        }
        else
        {
            try
            {
                // Summarised from the text alone, which is dropped here: no note holding it (its lazies and memos were
                // garbage of every read, as the weak references of a note that kept bytes were before them).
                note = Note.Summarised(uri, SourceText.From(decoded), keys, pool, withHeadings: !partial, TextLoader);
            }
            catch (Exception exception)
            {
                // Parsing is meant never to throw; if a library still does on some input, that one note is left out
                // of the workspace indexes (a log line says so), and the rest of the workspace is indexed all the same.
                log.Error($"could not index {path}: {exception.GetType().Name}: {exception.Message}");
                return null;
            }
        }

        var summary = note.Summary!;
        return new ScannedNote(note, new IndexedNote(path, size, modified, hash, summary)) { IsPartial = partial && !ReferenceEquals(summary, previous?.Summary) };
    }

    /// <summary>True when <paramref name="previous"/> was read from the same bytes under the same tag keys (only its time stamp changed).</summary>
    private static bool Unchanged(IndexedNote? previous, byte[] hash, ImmutableArray<string> keys) =>
        previous is not null && previous.Hash.AsSpan().SequenceEqual(hash) && previous.Summary.TagKeys.SequenceEqual(keys, StringComparer.Ordinal);

    private static void GiveBack(byte[] rented)
    {
        if (rented.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A summarised note as the persistent index remembers it; its text is read from disk when needed.</summary>
    public Note FromIndex(IndexedNote entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Note.FromSummary(DocumentUris.FromPath(entry.Path), entry.Summary, TextLoader);
    }

    /// <summary>Reads one note from disk, summarised, or null (with a log line) when it cannot or should not be indexed.</summary>
    public Note? ReadNote(string path, ImmutableArray<string> tagKeys) => ReadSummarised(path, tagKeys)?.Note;

    /// <summary>
    /// The one place notes are read from disk: the file's bytes, or null (logged unless <paramref name="quiet"/>)
    /// when it is missing, unreadable, larger than <see cref="MaxNoteBytes"/> or binary.
    /// </summary>
    public byte[]? ReadBytes(string path, bool quiet) => Read(files, path, quiet, null)?.Bytes;

    /// <summary>
    /// <see cref="ReadBytes"/> with the size and modification time the read saw; with a <paramref name="pool"/>, the
    /// bytes are a rented array (its first <see cref="WorkspaceFileResult.Length"/> bytes) the caller gives back.
    /// </summary>
    private WorkspaceFileResult? Read(WorkspaceFiles reader, string path, bool quiet, ArrayPool<byte>? pool)
    {
        var read = reader.Read(path, MaxNoteBytes, pool);
        if (read.Status == WorkspaceFileStatus.Missing)
        {
            return null; // Deleted since it was listed; the watcher's event removes it.
        }

        if (NotANote(read) is { } reason)
        {
            Warn($"skipped {path}: it {reason}");
            return null;
        }

        if (!read.IsOk)
        {
            Warn($"skipped {path}{(read.Status == WorkspaceFileStatus.TooLarge ? " for indexing" : string.Empty)}: it {read.Problem}");
            return null;
        }

        var bytes = read.Bytes!;
        if (bytes.AsSpan(0, (int)read.Length).Contains((byte)0))
        {
            Warn($"skipped {path}: it looks binary (contains NUL bytes)");
            if (pool is not null && bytes.Length > 0)
            {
                pool.Return(bytes);
            }

            return null;
        }

        return read;

        void Warn(string message)
        {
            if (!quiet)
            {
                log.Warning(message);
            }
        }
    }

    /// <summary>The text of a summarised note, read again when a request needs it (rename, references, hover context).</summary>
    private Func<string, byte[]?> TextLoader => loadText ??= LoadText;

    private byte[]? LoadText(string uri) => DocumentUris.ToPath(uri) is { } path ? ReadBytes(path, quiet: true) : null;

    private static Matcher? BuildExcludeMatcher(IReadOnlyList<string> exclude)
    {
        if (exclude.Count == 0)
        {
            return null;
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var pattern in exclude)
        {
            var trimmed = pattern.Trim().TrimStart('/');
            if (trimmed.Length > 0)
            {
                matcher.AddInclude(trimmed);
            }
        }

        return matcher;
    }

    /// <summary>
    /// Whether a glob excludes <paramref name="path"/>, matched as its path under <paramref name="root"/> (a full path)
    /// with '/' separators, made only when there are globs. Files are matched one by one ("archive/**" excludes
    /// everything below archive); a folder is skipped whole only when a pattern names the folder itself ("archive",
    /// "**/drafts"), which is also what makes excluding a huge folder cheap.
    /// </summary>
    private static bool IsExcluded(Matcher? matcher, string root, string path)
    {
        if (matcher is null)
        {
            return false;
        }

        var relative = path.Length > root.Length && path.StartsWith(root, StringComparison.Ordinal) && path[root.Length] == Path.DirectorySeparatorChar
            ? path[(root.Length + 1)..]
            : Path.GetRelativePath(root, path);
        return matcher.Match(relative.Replace('\\', '/')).HasMatches;
    }

    private static bool IsAlwaysSkipped(ReadOnlySpan<char> name)
    {
        foreach (var skipped in AlwaysSkipped)
        {
            if (name.SequenceEqual(skipped))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A folder entry as the listing needs it: what the directory entry and one status call give (the size and time
    /// are the final target's for a symbolic link, as the reader stamps a note).
    /// </summary>
    private readonly record struct Listed(string Path, bool IsDirectory, bool IsLink, long Size, long ModifiedTicks)
    {
        public static Listed Of(ref FileSystemEntry entry)
        {
            var link = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
            if (entry.IsDirectory)
            {
                return new Listed(entry.ToFullPath(), true, link, 0, 0);
            }

            if (!link)
            {
                return new Listed(entry.ToFullPath(), false, false, entry.Length, entry.LastWriteTimeUtc.UtcDateTime.Ticks);
            }

            // The entry's own status is the link's; the reader stamps a note with its target's (size, time), so a
            // changed target is seen as changed. A broken link gets no stamp and is read (and dropped) like a new note.
            // A loop of links throws here; it is listed unstamped too, and the reader reports it.
            var path = entry.ToFullPath();
            try
            {
                if (File.ResolveLinkTarget(path, returnFinalTarget: true) is FileInfo { Exists: true } target)
                {
                    return new Listed(path, false, true, target.Length, target.LastWriteTimeUtc.Ticks);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }

            return new Listed(path, false, true, -1, -1);
        }

        /// <summary>Folders other than the always skipped ones, and note files; nothing else is made into an entry.</summary>
        public static bool Wanted(ref FileSystemEntry entry) =>
            entry.IsDirectory ? !IsAlwaysSkipped(entry.FileName) : DocumentUris.IsNoteFile(entry.FileName);
    }
}

/// <summary>A note file found by the scan, with the size and modification time (UTC ticks) the listing gave.</summary>
public sealed record FoundNote(string Path, long Size, long ModifiedTicks);

/// <summary>A note read from disk: the summarised note for the snapshot and its entry for the persistent index.</summary>
public sealed record ScannedNote(Note Note, IndexedNote Entry)
{
    /// <summary>True when the summary leaves out the headings of a very large note (to be read after the scan; not saved).</summary>
    public bool IsPartial { get; init; }
}
