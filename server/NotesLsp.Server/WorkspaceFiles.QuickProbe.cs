using System.Runtime.InteropServices;

namespace NotesLsp.Server;

/// <summary>
/// <see cref="Probe"/> in one system call for the usual file of a scan: <c>notes-lsp check</c> looks at every listed
/// note before reading it (and <c>check --cache</c> reads only the changed ones), and the long look (a
/// <c>readlink</c> of the name, an <c>lstat</c> and a <c>stat</c> for the file's information, a <c>statx</c> for its
/// type, and the objects they make) was a sixth of a cached run.
/// </summary>
public sealed partial class WorkspaceFiles
{
    /// <summary>
    /// The answer of <see cref="Probe"/>, from one <c>statx</c> that does not follow a link when the path is a regular
    /// file (not a link) in a folder this scan already resolved: the folder's real location (remembered, see
    /// <see cref="ForOneScan"/>) joined with the name is then the real path, as <see cref="Probe"/> resolves it, and
    /// the <c>statx</c> gives the type, size and write time it reads. Anything else (a link, a folder, a FIFO, a
    /// missing file, an error, a reader that is not a scan's, another system than Linux) is probed the long way.
    /// </summary>
    public WorkspaceFileResult ProbeQuickly(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (folders is null || !UnixFileType.Available)
        {
            return Probe(path);
        }

        string? real;
        bool throughLink;
        try
        {
            real = ResolveToOpen(Path.GetFullPath(path), out throughLink);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Probe(path);
        }

        if (real is null || !IsInsideRoots(real) || UnixFileType.StatusOfPath(real) is not { Type: UnixFileType.Regular } status)
        {
            return Probe(path);
        }

        return new WorkspaceFileResult(WorkspaceFileStatus.Ok, real, status.Length, status.LastWriteTimeUtc, ThroughLink: throughLink);
    }

    private static partial class UnixFileType
    {
        /// <summary>Type, size and write time of a path, not following a link at its end (one <c>statx</c>); null when that fails.</summary>
        public static (int Type, long Length, DateTime LastWriteTimeUtc)? StatusOfPath(string path)
        {
            Span<byte> buffer = stackalloc byte[StatxSize];
            buffer.Clear();
            return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxSizeField | StatxMtime, ref MemoryMarshal.GetReference(buffer)) == 0
                ? StatusOf(buffer)
                : null;
        }

        /// <summary>
        /// A <c>statx</c> answer, for both <see cref="StatusOfHandle"/> and the quick look (ProbeQuicklyTests compares
        /// the results with <see cref="Probe"/>'s FileInfo figures). The time conversion is FileInfo.LastWriteTimeUtc's:
        /// whole ticks, the nanoseconds truncated.
        /// </summary>
        private static (int Type, long Length, DateTime LastWriteTimeUtc)? StatusOf(ReadOnlySpan<byte> buffer)
        {
            var mask = BitConverter.ToUInt32(buffer);
            if ((mask & (StatxType | StatxSizeField | StatxMtime)) != (StatxType | StatxSizeField | StatxMtime))
            {
                return null;
            }

            var type = BitConverter.ToUInt16(buffer[ModeOffset..]) & 0xF000;
            var length = (long)BitConverter.ToUInt64(buffer[SizeOffset..]);
            var seconds = BitConverter.ToInt64(buffer[MtimeOffset..]);
            var nanoseconds = BitConverter.ToUInt32(buffer[(MtimeOffset + 8)..]);
            var written = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100).UtcDateTime;
            return (type, length, written);
        }
    }
}
