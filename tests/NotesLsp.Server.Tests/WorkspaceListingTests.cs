namespace NotesLsp.Server.Tests;

/// <summary>
/// The workspace listing walks the folders on several threads (WorkspaceScanner.FindNoteFiles): whatever the number
/// of threads, it finds the same files, sorted, once each, with the same exclusions, and stops when cancelled.
/// </summary>
public sealed class WorkspaceListingTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("notes-lsp-list-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Write(string relative, string text = "---\ntitle: x\n---\n")
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A tree of uneven shape: deep chains, wide folders, notes beside other files, skipped folders.</summary>
    private List<string> WriteTree()
    {
        var expected = new List<string>();
        for (var d = 0; d < 12; d++)
        {
            var depth = d % 4;
            var folder = string.Join('/', Enumerable.Range(0, depth + 1).Select(i => $"d{d}-{i}"));
            for (var n = 0; n < 3 + (d * 7 % 11); n++)
            {
                expected.Add(Write($"{folder}/n{n}.md"));
            }

            Write($"{folder}/image{d}.png", "png");
        }

        expected.Add(Write("top.markdown"));
        Write(".git/x.md");
        Write("node_modules/pkg/readme.md");
        Write("drafts/skip.md");
        Write("drafts/deeper/skip-too.md");
        expected.Sort(string.CompareOrdinal);
        return expected;
    }

    private static WorkspaceScanner Scanner(StringWriter? log = null) => new(new ServerLog(log ?? new StringWriter()));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Any_number_of_threads_lists_the_same_notes_sorted_with_the_exclusions(int threads)
    {
        var expected = WriteTree();
        var found = Scanner().FindNoteFiles([root], ["drafts/**"], CancellationToken.None, maxParallelism: threads);
        Assert.Equal(expected, found.Select(f => f.Path));
        Assert.All(found, f => Assert.Equal(new FileInfo(f.Path).Length, f.Size));
        Assert.All(found, f => Assert.Equal(new FileInfo(f.Path).LastWriteTimeUtc.Ticks, f.ModifiedTicks));
    }

    [Fact]
    public void A_linked_folder_is_not_followed_and_a_linked_note_is_listed_with_its_target_size()
    {
        var note = Write("real/a.md", "---\ntitle: a longer note than the link\n---\n");
        Directory.CreateSymbolicLink(Path.Combine(root, "loop"), Path.Combine(root, "real"));
        var link = Path.Combine(root, "b.md");
        File.CreateSymbolicLink(link, note);
        File.CreateSymbolicLink(Path.Combine(root, "broken.md"), Path.Combine(root, "gone.md"));
        File.CreateSymbolicLink(Path.Combine(root, "cycle-a.md"), "cycle-b.md");
        File.CreateSymbolicLink(Path.Combine(root, "cycle-b.md"), "cycle-a.md");
        Directory.CreateDirectory(Path.Combine(root, "folder.md"));

        var found = Scanner().FindNoteFiles([root], [], CancellationToken.None);

        string[] unstamped = [Path.Combine(root, "broken.md"), Path.Combine(root, "cycle-a.md"), Path.Combine(root, "cycle-b.md")];
        Assert.Equal([link, .. unstamped, note], found.Select(f => f.Path));
        Assert.Equal(new FileInfo(note).Length, found[0].Size);
        Assert.Equal(new FileInfo(note).LastWriteTimeUtc.Ticks, found[0].ModifiedTicks);
        Assert.All(found.Skip(1).Take(3), f => Assert.Equal((-1L, -1L), (f.Size, f.ModifiedTicks)));
    }

    [Fact]
    public void A_flat_folder_is_listed_whole_while_the_other_threads_wait()
    {
        // One directory: one thread lists it, the others have nothing to take until it is done.
        var expected = Enumerable.Range(0, 1500).Select(i => Write($"n{i:D4}.md")).Order(StringComparer.Ordinal).ToList();
        for (var round = 0; round < 5; round++)
        {
            var found = Scanner().FindNoteFiles([root], [], CancellationToken.None, maxParallelism: 4);
            Assert.Equal(expected, found.Select(f => f.Path));
        }
    }

    [Fact]
    public void A_folder_inside_another_workspace_folder_lists_its_notes_once()
    {
        var expected = WriteTree();
        var inner = Path.Combine(root, "d3-0");
        var found = Scanner().FindNoteFiles([root, inner, root], ["drafts/**"], CancellationToken.None, maxParallelism: 3);
        Assert.Equal(expected, found.Select(f => f.Path));
    }

    [Fact]
    public void A_missing_folder_is_logged_and_the_others_are_listed()
    {
        var expected = WriteTree();
        var log = new StringWriter();
        var missing = Path.Combine(root, "no-such-folder");
        var found = Scanner(log).FindNoteFiles([missing, root], ["drafts/**"], CancellationToken.None, maxParallelism: 2);
        Assert.Equal(expected, found.Select(f => f.Path));
        Assert.Contains($"workspace folder does not exist: {missing}", log.ToString(), StringComparison.Ordinal);
        Assert.Empty(Scanner().FindNoteFiles([missing], [], CancellationToken.None));
    }

    [Fact]
    public void A_cancelled_listing_throws_on_every_thread_count()
    {
        WriteTree();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        foreach (var threads in new[] { 1, 2, 5 })
        {
            Assert.ThrowsAny<OperationCanceledException>(() => Scanner().FindNoteFiles([root], [], cancelled.Token, maxParallelism: threads));
        }
    }
}
