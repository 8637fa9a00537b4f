namespace NotesLsp.Server.Tests.Robustness;

/// <summary>The one reader of workspace files: regular files only, inside the roots, bounded by bytes actually read.</summary>
public sealed class WorkspaceFilesTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly string root = Directory.CreateTempSubdirectory("notes-lsp-files-").FullName;
    private readonly string outside = Directory.CreateTempSubdirectory("notes-lsp-files-out-").FullName;

    public void Dispose()
    {
        Directory.Delete(root, recursive: true);
        Directory.Delete(outside, recursive: true);
    }

    private static Task<WorkspaceFileResult> ReadBounded(WorkspaceFiles files, string path, long max = 1024 * 1024) =>
        Task.Run(() => files.Read(path, max)).WaitAsync(Bound);

    [Fact]
    public async Task A_regular_file_inside_is_read_whole()
    {
        File.WriteAllText(Path.Combine(root, "a.md"), "# A\n");
        var read = await ReadBounded(new WorkspaceFiles([root]), Path.Combine(root, "a.md"));
        Assert.Equal(WorkspaceFileStatus.Ok, read.Status);
        Assert.Equal("# A\n"u8.ToArray(), read.Bytes);
        Assert.Equal(4, read.Length);
    }

    [Fact]
    public async Task A_fifo_is_refused_without_blocking()
    {
        var fifo = Path.Combine(root, "x.md");
        HostileWorkspace.MakeFifo(fifo);
        var read = await ReadBounded(new WorkspaceFiles([root]), fifo);
        Assert.Equal(WorkspaceFileStatus.NotARegularFile, read.Status);
        Assert.Contains("FIFO", read.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_dev_zero_is_refused_even_with_no_root()
    {
        var link = Path.Combine(root, "zero.md");
        File.CreateSymbolicLink(link, "/dev/zero");
        var read = await ReadBounded(WorkspaceFiles.Anywhere, link);
        Assert.Equal(WorkspaceFileStatus.NotARegularFile, read.Status);
        Assert.Contains("character device", read.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_reporting_size_0_is_bounded_by_the_bytes_it_yields()
    {
        // /proc files report length 0 and yield bytes, as devices and growing files can: the bound must still hold.
        Assert.Equal(0, new FileInfo("/proc/self/status").Length);
        var small = await ReadBounded(WorkspaceFiles.Anywhere, "/proc/self/status", max: 16);
        Assert.Equal(WorkspaceFileStatus.TooLarge, small.Status);
        var whole = await ReadBounded(WorkspaceFiles.Anywhere, "/proc/self/status");
        Assert.Equal(WorkspaceFileStatus.Ok, whole.Status);
        Assert.Contains("Name:", System.Text.Encoding.ASCII.GetString(whole.Bytes!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_too_large_and_not_read()
    {
        File.WriteAllBytes(Path.Combine(root, "big.md"), new byte[2000]);
        var read = await ReadBounded(new WorkspaceFiles([root]), Path.Combine(root, "big.md"), max: 1000);
        Assert.Equal(WorkspaceFileStatus.TooLarge, read.Status);
        Assert.Null(read.Bytes);
    }

    [Fact]
    public async Task Links_out_of_the_root_are_refused_directly_or_through_a_folder_link()
    {
        File.WriteAllText(Path.Combine(outside, "secret.md"), "secret");
        File.CreateSymbolicLink(Path.Combine(root, "direct.md"), Path.Combine(outside, "secret.md"));
        Directory.CreateSymbolicLink(Path.Combine(root, "folder"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "relative.md"), Path.Combine("..", Path.GetFileName(outside), "secret.md"));
        var files = new WorkspaceFiles([root]);
        foreach (var path in new[] { "direct.md", "folder/secret.md", "relative.md", "../" + Path.GetFileName(outside) + "/secret.md" })
        {
            var read = await ReadBounded(files, Path.Combine(root, path));
            Assert.True(read.Status == WorkspaceFileStatus.OutsideRoots, $"{path}: {read.Status}");
            Assert.Null(read.Bytes);
            Assert.False(files.Contains(Path.Combine(root, path)), path);
        }
    }

    [Fact]
    public async Task Links_inside_the_root_are_followed_and_loops_end()
    {
        File.WriteAllText(Path.Combine(root, "target.md"), "t");
        File.CreateSymbolicLink(Path.Combine(root, "alias.md"), "target.md");
        File.CreateSymbolicLink(Path.Combine(root, "loop-a.md"), "loop-b.md");
        File.CreateSymbolicLink(Path.Combine(root, "loop-b.md"), "loop-a.md");
        var files = new WorkspaceFiles([root]);
        var alias = await ReadBounded(files, Path.Combine(root, "alias.md"));
        Assert.Equal(WorkspaceFileStatus.Ok, alias.Status);
        Assert.Equal(files.RealPathOf(Path.Combine(root, "target.md")), alias.RealPath);
        Assert.Equal(WorkspaceFileStatus.NotARegularFile, (await ReadBounded(files, Path.Combine(root, "loop-a.md"))).Status);
        Assert.Equal(WorkspaceFileStatus.Missing, (await ReadBounded(files, Path.Combine(root, "none.md"))).Status);
    }

    [Fact]
    public void A_root_given_through_a_link_still_contains_its_files()
    {
        var linkedRoot = Path.Combine(outside, "linked-root");
        Directory.CreateSymbolicLink(linkedRoot, root);
        File.WriteAllText(Path.Combine(root, "n.md"), "n");
        var files = new WorkspaceFiles([linkedRoot]);
        Assert.True(files.Read(Path.Combine(linkedRoot, "n.md"), 100).IsOk);
        Assert.True(files.Read(Path.Combine(root, "n.md"), 100).IsOk);
    }

    [Fact]
    public void A_scan_that_remembers_folders_answers_every_path_as_a_reader_that_resolves_each_whole()
    {
        // The hostile workspace (links out of it, through a folder link, loops, a FIFO, /dev/zero, a twin) plus paths
        // that reach files through the links' folders: each is asked twice of one scan, so the second answer comes
        // from the remembered folder. Every answer must be the one a fresh reader gives.
        using var hostile = HostileWorkspace.Create();
        File.WriteAllText(Path.Combine(hostile.Root, "sub", "deeper.md"), "# deeper\n");
        var paths = EveryHostilePath(hostile);
        var whole = new WorkspaceFiles([hostile.Root]);
        var scan = whole.ForOneScan();
        foreach (var path in paths.Concat(paths))
        {
            var expected = whole.Probe(path);
            var actual = scan.Probe(path);
            Assert.True(expected == actual, $"{path}: expected {expected}, got {actual}");
            Assert.Equal(whole.Contains(path), scan.Contains(path));
        }

        // And the escapes stay refused through the remembering reader.
        Assert.Equal(WorkspaceFileStatus.OutsideRoots, scan.Read(Path.Combine(hostile.Root, "sub", "through-folder-link.md"), 1024).Status);
        Assert.Equal(WorkspaceFileStatus.OutsideRoots, scan.Read(Path.Combine(hostile.Root, "outside-folder", "secret.md"), 1024).Status);
        Assert.Equal(WorkspaceFileStatus.NotARegularFile, scan.Read(Path.Combine(hostile.Root, "loop-a.md"), 1024).Status);
    }

    /// <summary>
    /// A scan's reader does not look whether a file's own name is a link before opening it (the open does not follow
    /// one); every read through it must still be the read a fresh reader gives: links to notes inside, out of the
    /// workspace, dangling, looping, to folders, FIFOs and devices included.
    /// </summary>
    [Fact]
    public async Task A_scan_reads_every_path_as_a_reader_that_resolves_each_whole()
    {
        using var hostile = HostileWorkspace.Create();
        File.WriteAllText(Path.Combine(hostile.Root, "sub", "deeper.md"), "# deeper\n");
        File.CreateSymbolicLink(Path.Combine(hostile.Root, "sub", "to-deeper.md"), Path.Combine(hostile.Root, "sub", "deeper.md"));
        File.CreateSymbolicLink(Path.Combine(hostile.Root, "relative.md"), Path.Combine("sub", "deeper.md"));
        var paths = EveryHostilePath(hostile);
        var whole = new WorkspaceFiles([hostile.Root]);
        var scan = whole.ForOneScan();
        foreach (var path in paths.Concat(paths))
        {
            var expected = await Task.Run(() => whole.Read(path, 4096)).WaitAsync(Bound);
            var actual = await Task.Run(() => scan.Read(path, 4096)).WaitAsync(Bound);
            Assert.True(expected with { Bytes = null } == actual with { Bytes = null }, $"{path}: expected {expected}, got {actual}");
            Assert.Equal(expected.Bytes, actual.Bytes);
        }
    }

    /// <summary>
    /// The read looks at a regular file once, on its open descriptor; what it reports must be what the look before
    /// opening reports (the index and check --cache compare these stamps with the listing's), for every kind of path.
    /// </summary>
    [Fact]
    public async Task A_read_reports_what_a_probe_reports_for_every_kind_of_path()
    {
        var files = new WorkspaceFiles([root]);
        File.WriteAllText(Path.Combine(root, "plain.md"), "# Plain\n");
        File.WriteAllText(Path.Combine(root, "empty.md"), string.Empty);
        var stamped = Path.Combine(root, "stamped.md");
        File.WriteAllText(stamped, new string('x', 70_000));
        File.SetLastWriteTimeUtc(stamped, new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1_234_567));
        File.SetLastWriteTimeUtc(Path.Combine(root, "empty.md"), new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc).AddTicks(9_999_999));
        Directory.CreateDirectory(Path.Combine(root, "folder.md"));
        File.CreateSymbolicLink(Path.Combine(root, "link.md"), Path.Combine(root, "plain.md"));
        File.CreateSymbolicLink(Path.Combine(root, "dangling.md"), Path.Combine(root, "nothing.md"));
        File.WriteAllText(Path.Combine(outside, "secret.md"), "secret");
        File.CreateSymbolicLink(Path.Combine(root, "escape.md"), Path.Combine(outside, "secret.md"));
        HostileWorkspace.MakeFifo(Path.Combine(root, "fifo.md"));
        var big = Path.Combine(root, "big.md");
        File.WriteAllText(big, new string('y', 5000));
        var names = new[] { "plain.md", "empty.md", "stamped.md", "folder.md", "link.md", "dangling.md", "escape.md", "fifo.md", "missing.md", "big.md" };
        foreach (var name in names)
        {
            var path = Path.Combine(root, name);
            var probe = files.Probe(path);
            var read = await ReadBounded(files, path, max: 4096);
            var expected = probe.IsOk && probe.Length > 4096
                ? probe with { Status = WorkspaceFileStatus.TooLarge, Problem = $"is {probe.Length} bytes, larger than the 4096 bytes limit" }
                : probe;
            Assert.Equal(expected, read with { Bytes = null });
            if (read.IsOk)
            {
                Assert.Equal(File.ReadAllBytes(path), read.Bytes);
                Assert.Equal(new FileInfo(read.RealPath!).LastWriteTimeUtc, read.LastWriteTimeUtc);
            }
        }

        Assert.Equal(WorkspaceFileStatus.Ok, files.Probe(stamped).Status);
    }

    [Fact]
    public async Task A_read_into_a_pool_gives_the_same_content_in_a_rented_array()
    {
        var files = new WorkspaceFiles([root]);
        var sizes = new[] { 0, 1, 5000, 70_000 };
        foreach (var size in sizes)
        {
            var path = Path.Combine(root, $"n{size}.md");
            File.WriteAllBytes(path, [.. Enumerable.Range(0, size).Select(i => (byte)('a' + (i % 26)))]);
            var plain = files.Read(path, 1024 * 1024);
            var pooled = await Task.Run(() => files.Read(path, 1024 * 1024, System.Buffers.ArrayPool<byte>.Shared)).WaitAsync(Bound);
            Assert.Equal(plain with { Bytes = null }, pooled with { Bytes = null });
            Assert.True(pooled.Bytes!.Length >= size);
            Assert.Equal(plain.Bytes, pooled.Bytes.AsSpan(0, (int)pooled.Length).ToArray());
            if (pooled.Bytes.Length > 0)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(pooled.Bytes);
            }
        }

        // A read that yields more than the limit (the size it reports is 0) gives its rented buffer back and says so.
        var proc = await Task.Run(() => WorkspaceFiles.Anywhere.Read("/proc/self/status", 16, System.Buffers.ArrayPool<byte>.Shared)).WaitAsync(Bound);
        Assert.Equal(WorkspaceFileStatus.TooLarge, proc.Status);
        Assert.Null(proc.Bytes);
        var whole = await Task.Run(() => WorkspaceFiles.Anywhere.Read("/proc/self/status", 1024 * 1024, System.Buffers.ArrayPool<byte>.Shared)).WaitAsync(Bound);
        Assert.Contains("Name:", System.Text.Encoding.ASCII.GetString(whole.Bytes!, 0, (int)whole.Length), StringComparison.Ordinal);
    }

    /// <summary>Every entry of the hostile workspace (links, loops, FIFOs and devices among them) and paths that escape it, sorted.</summary>
    internal static List<string> EveryHostilePath(HostileWorkspace hostile) =>
        Directory.EnumerateFileSystemEntries(hostile.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, AttributesToSkip = 0 })
            .Concat([
                Path.Combine(hostile.Root, "outside-folder", "secret.md"),
                Path.Combine(hostile.Root, "sub", "folder-link", "secret.md"),
                Path.Combine(hostile.Root, "self", "good.md"),
                Path.Combine(hostile.Root, "self", "self", "sub", "also.md"),
                Path.Combine(hostile.Root, "sub", "..", "good.md"),
                Path.Combine(hostile.Root, "missing", "x.md"),
                Path.Combine(hostile.Outside, "secret.md"),
            ])
            .Order(StringComparer.Ordinal)
            .ToList();
}
