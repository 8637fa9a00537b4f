using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NotesLsp.Server;

/// <summary>Why a workspace file was, or was not, read.</summary>
public enum WorkspaceFileStatus
{
    /// <summary>A regular file inside the roots; <see cref="WorkspaceFileResult.Bytes"/> holds its content after a read.</summary>
    Ok,

    /// <summary>Nothing there, or a symbolic link to nothing.</summary>
    Missing,

    /// <summary>A folder, FIFO, device, socket or a loop of links: never opened.</summary>
    NotARegularFile,

    /// <summary>The path, or a link on the way to it, leads outside every root: never opened.</summary>
    OutsideRoots,

    /// <summary>Larger than the limit given to <see cref="WorkspaceFiles.Read"/> (by its size or by the bytes it yielded).</summary>
    TooLarge,

    /// <summary>It exists but cannot be read (permissions, I/O errors).</summary>
    Unreadable,
}

/// <summary>
/// What <see cref="WorkspaceFiles"/> found at a path. <see cref="RealPath"/> is the path with every symbolic link
/// resolved (null when it could not be resolved); <see cref="ThroughLink"/> says that a link below the root was
/// followed to get there (the same file may then be reached under another name too); <see cref="Problem"/> is a plain reason for a log line when the
/// status is not <see cref="WorkspaceFileStatus.Ok"/>. <see cref="Length"/> and <see cref="LastWriteTimeUtc"/>
/// describe the regular file (0 and default otherwise); after a read, <see cref="Length"/> is the bytes read.
/// </summary>
public sealed record WorkspaceFileResult(
    WorkspaceFileStatus Status,
    string? RealPath,
    long Length = 0,
    DateTime LastWriteTimeUtc = default,
    byte[]? Bytes = null,
    string? Problem = null,
    bool ThroughLink = false)
{
    public bool IsOk => Status == WorkspaceFileStatus.Ok;
}

/// <summary>
/// The one way the server and the CLI read files of a workspace (notes, the schema file, the allowed-tags file):
/// only regular files, only inside the roots, never more than a given number of bytes.
/// <list type="bullet">
/// <item>Symbolic links are resolved component by component (with a hop limit, so loops end); a path whose real
/// location is outside every root is refused without being opened. With no roots, any location is allowed.</item>
/// <item>The file type is checked before opening (FIFOs, devices and sockets are refused: opening a FIFO blocks
/// until a writer appears, and <c>/dev/zero</c> never ends), the file is opened non-blocking and without
/// following links, and its type is checked again on the open handle, so a swap between check and open cannot
/// make a read hang. (The type checks use Linux's <c>statx</c>; elsewhere the non-blocking open and the read
/// bound are the protection.)</item>
/// <item>Every read is bounded by the bytes actually read, not by the size the file system reports (which is 0
/// for devices and can change while reading).</item>
/// </list>
/// No method throws for what it finds on disk; the result says what happened. Thread-safe.
/// </summary>
public sealed partial class WorkspaceFiles
{
    /// <summary>The limit for small files the server reads beside notes: the schema file, the allowed-tags file.</summary>
    public const long MaxSettingsFileBytes = 4L * 1024 * 1024;

    private const int MaxLinkHops = 40;

    private readonly (string Given, string Real)[] roots;

    // For one scan only (see ForOneScan): the real location of each folder already resolved, so the files of a
    // folder do not each walk every component of its path again. Null: every path is resolved from its root.
    private readonly ConcurrentDictionary<string, ResolvedFolder>? folders;

    /// <param name="roots">Folders (or files) the reads must stay inside; none means anywhere.</param>
    public WorkspaceFiles(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        this.roots = [.. roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))
            .Distinct(StringComparer.Ordinal)
            .Select(given => (given, Resolve(given, [], out _, out _) ?? given))];
    }

    private WorkspaceFiles((string Given, string Real)[] roots, ConcurrentDictionary<string, ResolvedFolder> folders)
    {
        this.roots = roots;
        this.folders = folders;
    }

    /// <summary>No root: any regular file may be read (still bounded, still never a FIFO or a device).</summary>
    public static WorkspaceFiles Anywhere { get; } = new([]);

    /// <summary>
    /// The same roots, for one scan of many files (the start-up scan, one <c>notes-lsp check</c>): each folder's real
    /// location is resolved once and remembered, and only a file's own name is looked at per file (a link there is
    /// still followed and checked against the roots). Every other rule is the same. Do not keep it beyond the scan:
    /// a folder replaced by a link afterwards would not be seen.
    /// </summary>
    public WorkspaceFiles ForOneScan() => new(roots, new ConcurrentDictionary<string, ResolvedFolder>(StringComparer.Ordinal));

    /// <summary>The roots, with their links resolved.</summary>
    public IEnumerable<string> Roots => roots.Select(r => r.Real);

    /// <summary>True when the real location of <paramref name="path"/> (links resolved) is inside a root.</summary>
    public bool Contains(string path) => RealPathOf(path) is { } real && IsInsideRoots(real);

    /// <summary>The path with every link resolved, or null when a loop or an unreadable link prevents it.</summary>
    public string? RealPathOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return Resolve(Path.GetFullPath(path), out _);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>What is at <paramref name="path"/>, without opening it: status, real path, size and write time.</summary>
    public WorkspaceFileResult Probe(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string? real;
        bool throughLink;
        try
        {
            real = Resolve(Path.GetFullPath(path), out throughLink);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new WorkspaceFileResult(WorkspaceFileStatus.Unreadable, null, Problem: $"has a path that cannot be resolved: {exception.Message}");
        }

        if (real is null)
        {
            return new WorkspaceFileResult(WorkspaceFileStatus.NotARegularFile, null, Problem: "is a loop of symbolic links");
        }

        if (!IsInsideRoots(real))
        {
            return new WorkspaceFileResult(WorkspaceFileStatus.OutsideRoots, real, Problem: $"links outside the workspace (to {real}); not followed", ThroughLink: throughLink);
        }

        FileInfo info;
        try
        {
            info = new FileInfo(real);
            info.Refresh();
            if (!info.Exists)
            {
                return Directory.Exists(real)
                    ? new WorkspaceFileResult(WorkspaceFileStatus.NotARegularFile, real, Problem: "is a folder", ThroughLink: throughLink)
                    : new WorkspaceFileResult(WorkspaceFileStatus.Missing, real, Problem: "does not exist", ThroughLink: throughLink);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new WorkspaceFileResult(WorkspaceFileStatus.Unreadable, real, Problem: $"cannot be read: {exception.Message}", ThroughLink: throughLink);
        }

        if (UnixFileType.OfPath(real) is { } type && type != UnixFileType.Regular)
        {
            return new WorkspaceFileResult(WorkspaceFileStatus.NotARegularFile, real, Problem: $"is a {UnixFileType.Describe(type)}, not a regular file", ThroughLink: throughLink);
        }

        return new WorkspaceFileResult(WorkspaceFileStatus.Ok, real, info.Length, info.LastWriteTimeUtc, ThroughLink: throughLink);
    }

    /// <summary>
    /// Reads a regular file inside the roots, at most <paramref name="maxBytes"/> bytes: more (by its size, or by
    /// what the read yields) is <see cref="WorkspaceFileStatus.TooLarge"/>, and the rest is never read.
    /// </summary>
    public WorkspaceFileResult Read(string path, long maxBytes) => Read(path, maxBytes, null);

    /// <summary>
    /// <see cref="Read(string, long)"/>; with a <paramref name="pool"/>, <see cref="WorkspaceFileResult.Bytes"/> is an
    /// array rented from it (possibly longer than the file: only the first <see cref="WorkspaceFileResult.Length"/>
    /// bytes are the content) that the caller returns to the pool when done with it.
    /// </summary>
    /// <remarks>
    /// On Linux a regular file is looked at once: its links are resolved as for <see cref="Probe"/> (the real path
    /// must be inside the roots before anything is opened), then it is opened non-blocking without following links and
    /// the open descriptor alone gives its type, size and write time (so there is no gap between the look and the
    /// read). Anything but an open regular file (missing, a folder, a FIFO, a device, a socket, an open error) is
    /// looked at again the long way, so its status and message are the same as <see cref="Probe"/>'s.
    /// </remarks>
    public WorkspaceFileResult Read(string path, long maxBytes, System.Buffers.ArrayPool<byte>? pool)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentNullException.ThrowIfNull(path);
        if (UnixFileType.Available && UnixOpen.Flags is { } flags && ReadOneLook(path, maxBytes, flags, pool) is { } quick)
        {
            return quick;
        }

        var probe = Probe(path);
        if (!probe.IsOk)
        {
            return probe;
        }

        if (probe.Length > maxBytes)
        {
            return TooLargeBySize(probe, probe.Length, maxBytes);
        }

        try
        {
            using var handle = OpenForReading(probe.RealPath!);
            if (UnixFileType.OfHandle(handle) is { } type && type != UnixFileType.Regular)
            {
                return probe with { Status = WorkspaceFileStatus.NotARegularFile, Problem = $"is a {UnixFileType.Describe(type)}, not a regular file" };
            }

            return ReadContent(handle, probe, probe.Length, maxBytes, pool);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return probe with { Status = WorkspaceFileStatus.Unreadable, Problem = $"cannot be read: {exception.Message}" };
        }
    }

    /// <summary>
    /// The one-look read of a regular file (see <see cref="Read(string, long, System.Buffers.ArrayPool{byte})"/>), or
    /// null when the file is not an open regular file inside the roots: the caller then takes the long way.
    /// </summary>
    private WorkspaceFileResult? ReadOneLook(string path, long maxBytes, int flags, System.Buffers.ArrayPool<byte>? pool)
    {
        string? real;
        bool throughLink;
        try
        {
            real = ResolveToOpen(Path.GetFullPath(path), out throughLink);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }

        if (real is null || !IsInsideRoots(real))
        {
            return null;
        }

        var descriptor = UnixOpen.Open(real, flags);
        if (descriptor < 0)
        {
            return null;
        }

        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (UnixFileType.StatusOfHandle(handle) is not { Type: UnixFileType.Regular } status)
        {
            return null;
        }

        var seen = new WorkspaceFileResult(WorkspaceFileStatus.Ok, real, status.Length, status.LastWriteTimeUtc, ThroughLink: throughLink);
        if (status.Length > maxBytes)
        {
            return TooLargeBySize(seen, status.Length, maxBytes);
        }

        try
        {
            return ReadContent(handle, seen, status.Length, maxBytes, pool);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return seen with { Status = WorkspaceFileStatus.Unreadable, Problem = $"cannot be read: {exception.Message}" };
        }
    }

    private static WorkspaceFileResult TooLargeBySize(WorkspaceFileResult seen, long length, long maxBytes) =>
        seen with { Status = WorkspaceFileStatus.TooLarge, Problem = $"is {Megabytes(length)}, larger than the {Megabytes(maxBytes)} limit" };

    private static WorkspaceFileResult ReadContent(SafeFileHandle handle, WorkspaceFileResult seen, long expected, long maxBytes, System.Buffers.ArrayPool<byte>? pool)
    {
        var (bytes, length) = ReadBounded(handle, expected, maxBytes, pool);
        return bytes is null
            ? seen with { Status = WorkspaceFileStatus.TooLarge, Problem = $"yields more than the {Megabytes(maxBytes)} limit" }
            : seen with { Bytes = bytes, Length = length };
    }

    private bool IsInsideRoots(string real) =>
        roots.Length == 0 || roots.Any(root => IsUnder(real, root.Real));

    private static bool IsUnder(string path, string folder) =>
        path.Length == folder.Length
            ? string.Equals(path, folder, PathComparison)
            : path.Length > folder.Length && path.StartsWith(folder, PathComparison) &&
              (Path.EndsInDirectorySeparator(folder) || path[folder.Length] == Path.DirectorySeparatorChar || path[folder.Length] == Path.AltDirectorySeparatorChar);

    private static StringComparison PathComparison => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The real location of a folder, as <see cref="Resolve(string, ValueTuple{string, string}[], out bool, out int)"/> gave it.</summary>
    private sealed record ResolvedFolder(string? Real, bool FollowedLink, int Hops);

    /// <summary>
    /// <see cref="Resolve(string, ValueTuple{string, string}[], out bool, out int)"/>, taking the folder's real location
    /// from the scan's memory when there is one. Resolving the folder and then the name walks the same components in
    /// the same order as resolving the whole path, with the same hop count, so the answer is the same.
    /// </summary>
    private string? Resolve(string full, out bool followedLink)
    {
        if (folders is null || Path.GetDirectoryName(full) is not { Length: > 0 } parent || Path.GetFileName(full) is not { Length: > 0 } name)
        {
            return Resolve(full, roots, out followedLink, out _);
        }

        var folder = FolderOf(parent);
        followedLink = folder.FollowedLink;
        if (folder.Real is null)
        {
            return null;
        }

        var hops = folder.Hops;
        var pending = new Stack<string>();
        pending.Push(name);
        return Walk(folder.Real, pending, ref hops, ref followedLink);
    }

    /// <summary>
    /// The path <see cref="ReadOneLook"/> opens: <see cref="Resolve(string, out bool)"/>, except that a scan's reader
    /// does not look whether the file's own name is a link (a <c>readlink</c> per file). It need not: the open does
    /// not follow a link there (<c>O_NOFOLLOW</c>), so a link fails to open and the read takes the long way, which
    /// resolves it; a name that is not a link resolves to the folder's real location joined with the name, which is
    /// what the open gets.
    /// </summary>
    private string? ResolveToOpen(string full, out bool followedLink)
    {
        if (folders is null || !OperatingSystem.IsLinux() || Path.GetDirectoryName(full) is not { Length: > 0 } parent || Path.GetFileName(full) is not { Length: > 0 } name || name is "." or "..")
        {
            return Resolve(full, out followedLink);
        }

        var folder = FolderOf(parent);
        followedLink = folder.FollowedLink;
        return folder.Real is null ? null : Path.Join(folder.Real, name);
    }

    private ResolvedFolder FolderOf(string parent)
    {
        if (!folders!.TryGetValue(parent, out var folder))
        {
            var real = Resolve(parent, roots, out var linked, out var used);
            folder = folders.GetOrAdd(parent, new ResolvedFolder(real, linked, used));
        }

        return folder;
    }

    /// <summary>
    /// Resolves every link in <paramref name="full"/> (an absolute path), or null after too many hops. A path under
    /// a root as given starts from that root's real path, so only the components below it are looked at.
    /// </summary>
    private static string? Resolve(string full, (string Given, string Real)[] knownRoots, out bool followedLink, out int hops)
    {
        followedLink = false;
        hops = 0;
        var current = Path.GetPathRoot(full) ?? string.Empty;
        var rest = full[current.Length..];
        foreach (var (given, real) in knownRoots)
        {
            if (IsUnder(full, given))
            {
                current = real;
                rest = full[given.Length..];
                break;
            }
        }

        var pending = new Stack<string>(rest.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries).Reverse());
        return Walk(current, pending, ref hops, ref followedLink);
    }

    /// <summary>Follows the components in <paramref name="pending"/> from <paramref name="current"/>, resolving links on the way.</summary>
    private static string? Walk(string current, Stack<string> pending, ref int hops, ref bool followedLink)
    {
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            followedLink = true;
            if (++hops > MaxLinkHops)
            {
                return null;
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? current;
                target = target[current.Length..];
            }

            foreach (var piece in target.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(piece);
            }
        }

        return current;
    }

    private static SafeFileHandle OpenForReading(string path)
    {
        if (UnixOpen.Flags is { } flags)
        {
            var descriptor = UnixOpen.Open(path, flags);
            if (descriptor < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
            }

            return new SafeFileHandle(descriptor, ownsHandle: true);
        }

        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>
    /// Reads to the end, or returns a null array as soon as more than <paramref name="maxBytes"/> bytes arrive. Without
    /// a pool the array is exactly the content; with one it is rented (and given back here when the read fails or is
    /// too large) and the content is its first <c>Length</c> bytes.
    /// </summary>
    private static (byte[]? Bytes, int Length) ReadBounded(SafeFileHandle handle, long expected, long maxBytes, System.Buffers.ArrayPool<byte>? pool)
    {
        // The usual case reads exactly the reported size into one array and then sees the end: no copy.
        var capacity = (int)Math.Min(Math.Max(expected, 0), maxBytes);
        var buffer = pool is null ? new byte[capacity] : pool.Rent(capacity);
        var done = false;
        try
        {
            long total = 0;
            Span<byte> probe = stackalloc byte[1];
            while (true)
            {
                if (total == capacity)
                {
                    if (RandomAccess.Read(handle, probe, total) == 0)
                    {
                        done = true;
                        return (buffer, capacity);
                    }

                    // The file is longer than it said (it grew, or it is not what its size claims): grow, bounded.
                    if (total + 1 > maxBytes)
                    {
                        return (null, 0);
                    }

                    capacity = (int)Math.Min(maxBytes, Math.Max(capacity * 2L, 64 * 1024));
                    var grown = pool is null ? new byte[capacity] : pool.Rent(capacity);
                    buffer.AsSpan(0, (int)total).CopyTo(grown);
                    GiveBack(pool, buffer);
                    grown[total] = probe[0];
                    buffer = grown;
                    total++;
                    continue;
                }

                var read = RandomAccess.Read(handle, buffer.AsSpan((int)total, capacity - (int)total), total);
                if (read == 0)
                {
                    done = true;
                    return pool is null ? (buffer.AsSpan(0, (int)total).ToArray(), (int)total) : (buffer, (int)total);
                }

                total += read;
            }
        }
        finally
        {
            if (!done)
            {
                GiveBack(pool, buffer);
            }
        }
    }

    private static void GiveBack(System.Buffers.ArrayPool<byte>? pool, byte[] buffer)
    {
        if (pool is not null && buffer.Length > 0)
        {
            pool.Return(buffer);
        }
    }

    private static string Megabytes(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes} bytes";

    /// <summary>The file type from Linux's <c>statx</c> (its layout is the same on every architecture); null elsewhere.</summary>
    private static partial class UnixFileType
    {
        public const int Regular = 0x8000;
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const int AtEmptyPath = 0x1000;
        private const uint StatxType = 0x1;
        private const int StatxSize = 256;
        private const int ModeOffset = 28;
        private const int SizeOffset = 40;
        private const int MtimeOffset = 112;
        private const uint StatxSizeField = 0x200;
        private const uint StatxMtime = 0x40;
        private const int Enosys = 38;

        public static readonly bool Available = OperatingSystem.IsLinux() && Probe();

        public static int? OfPath(string path) => Available ? Query(AtFdCwd, path, AtSymlinkNoFollow) : null;

        public static int? OfHandle(SafeFileHandle handle)
        {
            if (!Available)
            {
                return null;
            }

            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return Query((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        /// <summary>Type, size and write time of an open file, from one <c>statx</c> of the descriptor; null when that fails.</summary>
        public static (int Type, long Length, DateTime LastWriteTimeUtc)? StatusOfHandle(SafeFileHandle handle)
        {
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                Span<byte> buffer = stackalloc byte[StatxSize];
                buffer.Clear();
                if (Statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxType | StatxSizeField | StatxMtime, ref MemoryMarshal.GetReference(buffer)) != 0)
                {
                    return null;
                }

                return StatusOf(buffer);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        public static string Describe(int type) => type switch
        {
            0x1000 => "FIFO (named pipe)",
            0x2000 => "character device",
            0x4000 => "folder",
            0x6000 => "block device",
            0xA000 => "symbolic link",
            0xC000 => "socket",
            _ => $"special file (type 0x{type:X})",
        };

        private static int? Query(int directory, string path, int flags)
        {
            Span<byte> buffer = stackalloc byte[StatxSize];
            buffer.Clear();
            if (Statx(directory, path, flags, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                return null; // The open or the read that follows reports the error.
            }

            return BitConverter.ToUInt16(buffer[ModeOffset..]) & 0xF000;
        }

        private static bool Probe()
        {
            try
            {
                Span<byte> buffer = stackalloc byte[StatxSize];
                return Statx(AtFdCwd, "/", 0, StatxType, ref MemoryMarshal.GetReference(buffer)) == 0 || Marshal.GetLastPInvokeError() != Enosys;
            }
            catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
            {
                return false;
            }
        }

        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
    }

    /// <summary><c>open(O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)</c>: opening a FIFO then never waits for a writer.</summary>
    private static partial class UnixOpen
    {
        public static readonly int? Flags =
            OperatingSystem.IsLinux() ? 0x800 | 0x20000 | 0x80000
            : OperatingSystem.IsMacOS() ? 0x4 | 0x100 | 0x1000000
            : null;

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);
    }
}
