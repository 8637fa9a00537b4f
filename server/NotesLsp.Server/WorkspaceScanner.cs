using System.Collections.Immutable;
using Microsoft.Extensions.FileSystemGlobbing;
using NotesLsp.Analysis;
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
    private readonly WorkspaceFiles files = files ?? WorkspaceFiles.Anywhere;

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
    public IReadOnlyList<string> FindNotes(IEnumerable<string> folders, IReadOnlyList<string> exclude, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                log.Warning($"workspace folder does not exist: {folder}");
                continue;
            }

            var matcher = BuildExcludeMatcher(exclude);
            var pending = new Stack<DirectoryInfo>();
            pending.Push(new DirectoryInfo(folder));
            var options = new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = 0 };
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var directory = pending.Pop();
                IEnumerable<FileSystemInfo> entries;
                try
                {
                    entries = directory.EnumerateFileSystemInfos("*", options).ToList();
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.SecurityException)
                {
                    log.Warning($"cannot read folder {directory.FullName}: {exception.Message}");
                    continue;
                }

                foreach (var entry in entries)
                {
                    var relative = Path.GetRelativePath(folder, entry.FullName).Replace('\\', '/');
                    if (entry is DirectoryInfo subdirectory)
                    {
                        // Symlinked folders are not followed: they are how loops and duplicate trees happen.
                        if (AlwaysSkipped.Contains(subdirectory.Name) || subdirectory.LinkTarget is not null || IsExcluded(matcher, relative))
                        {
                            continue;
                        }

                        pending.Push(subdirectory);
                    }
                    else if (DocumentUris.IsNoteFile(entry.Name) && !IsExcluded(matcher, relative) && seen.Add(entry.FullName))
                    {
                        found.Add(entry.FullName);
                    }
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>
    /// Reads notes on all cores, and prepares each for the workspace indexes (front matter, the tags under
    /// <paramref name="tagKeys"/>, citations) while its text is decoded. Unreadable, oversized and binary files
    /// are logged and skipped.
    /// </summary>
    public IReadOnlyList<Note> ReadNotes(IReadOnlyList<string> paths, ImmutableArray<string> tagKeys, Action<int>? progress, CancellationToken cancellationToken)
    {
        var notes = new Note?[paths.Count];
        var done = 0;
        Parallel.For(0, paths.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var note = ReadNote(paths[i]);
            if (note is not null)
            {
                try
                {
                    // What the indexes need, now, in parallel and from one decoded copy of the text; the Markdown
                    // body is parsed later, in the background or on demand, so the index is ready sooner and smaller.
                    note.Prepare(tagKeys);
                }
                catch (Exception exception)
                {
                    // Parsing is meant never to throw; if a library still does on some input, that one note
                    // loses its front matter features, and the rest of the workspace is indexed all the same.
                    log.Error($"could not index {paths[i]}: {exception.GetType().Name}: {exception.Message}");
                }
            }

            notes[i] = note;
            var count = Interlocked.Increment(ref done);
            if (progress is not null && count % 500 == 0)
            {
                progress(count);
            }
        });
        return [.. notes.Where(n => n is not null).Select(n => n!)];
    }

    /// <summary>
    /// Parses the bodies of indexed notes after start-up, one at a time, for their headings, so that the first
    /// workspace symbol search does not pay for all of them; one thread leaves the other core to the editor's
    /// requests. The notes keep the headings and let the rest of each parse go.
    /// </summary>
    public static void WarmUp(IReadOnlyList<Note> notes, CancellationToken cancellationToken)
    {
        foreach (var note in notes)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                _ = note.Headings;
            }
            catch (Exception)
            {
                // Warming is an optimisation: a note whose parse fails reports it when a request needs it.
            }
        }
    }

    /// <summary>Reads one note from disk, or null (with a log line) when it cannot or should not be indexed.</summary>
    public Note? ReadNote(string path)
    {
        var read = files.Read(path, MaxNoteBytes);
        if (read.Status == WorkspaceFileStatus.Missing)
        {
            return null; // Deleted since it was listed; the watcher's event removes it.
        }

        if (NotANote(read) is { } reason)
        {
            log.Warning($"skipped {path}: it {reason}");
            return null;
        }

        if (!read.IsOk)
        {
            log.Warning($"skipped {path}{(read.Status == WorkspaceFileStatus.TooLarge ? " for indexing" : string.Empty)}: it {read.Problem}");
            return null;
        }

        var bytes = read.Bytes!;
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            log.Warning($"skipped {path}: it looks binary (contains NUL bytes)");
            return null;
        }

        return Note.FromUtf8(DocumentUris.FromPath(path), bytes);
    }

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
    /// Files are matched one by one ("archive/**" excludes everything below archive); a folder is skipped
    /// whole only when a pattern names the folder itself ("archive", "**/drafts"), which is also what makes
    /// excluding a huge folder cheap.
    /// </summary>
    private static bool IsExcluded(Matcher? matcher, string relative)
    {
        return matcher is not null && matcher.Match(relative).HasMatches;
    }
}
