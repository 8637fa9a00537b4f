using System.Diagnostics;

namespace NotesLsp.Server.Tests.Robustness;

/// <summary>
/// <see cref="WorkspaceFiles.ProbeQuickly"/> (one <c>statx</c> for a regular file of a resolved folder) must answer
/// what <see cref="WorkspaceFiles.Probe"/> answers, field for field, for every kind of path: <c>check</c> decides
/// from it what to skip, and <c>check --cache</c> compares its size and write time with the index's.
/// </summary>
public sealed class ProbeQuicklyTests
{
    [Fact]
    public void A_quick_probe_answers_what_the_long_probe_answers_for_every_kind_of_path()
    {
        using var hostile = HostileWorkspace.Create();
        var root = hostile.Root;
        File.WriteAllText(Path.Combine(root, "sub", "deeper.md"), "# deeper\n");
        File.WriteAllText(Path.Combine(root, "empty.md"), string.Empty);
        File.WriteAllText(Path.Combine(root, "large.md"), new string('x', 300_000));
        File.SetLastWriteTimeUtc(Path.Combine(root, "empty.md"), new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc).AddTicks(9_999_999));
        File.SetLastWriteTimeUtc(Path.Combine(root, "sub", "deeper.md"), new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1_234_567));
        File.CreateSymbolicLink(Path.Combine(root, "sub", "to-deeper.md"), Path.Combine(root, "sub", "deeper.md"));
        Directory.CreateDirectory(Path.Combine(root, "folder.md"));
        var paths = WorkspaceFilesTests.EveryHostilePath(hostile);
        Assert.Contains(Path.Combine(root, "good.md"), paths);
        var whole = new WorkspaceFiles([root]);
        var scan = whole.ForOneScan();
        var quick = 0;
        foreach (var path in paths.Concat(paths))
        {
            var expected = whole.Probe(path);
            var actual = scan.ProbeQuickly(path);
            Assert.True(expected == actual, $"{path}: expected {expected}, got {actual}");
            quick += actual.IsOk ? 1 : 0;
        }

        // Not a comparison of long probes only: the regular notes (good, also, deeper, empty, large, through the
        // `self` folder link too) took the quick way.
        Assert.True(quick >= 10, $"only {quick} paths probed Ok");

        // A reader that is not a scan's has no resolved folders: it probes the long way, with the same answers.
        foreach (var path in paths)
        {
            Assert.Equal(whole.Probe(path), whole.ProbeQuickly(path));
        }
    }

    [Fact]
    public void A_quick_probe_reads_the_write_time_to_the_tick_of_a_nanosecond_time_stamp()
    {
        // A file system keeps write times in nanoseconds; .NET's ticks are 100 ns, and FileInfo truncates. The stamps
        // below (set with touch, which keeps every digit) end in every last-two-digit shape, before and after 1970.
        var root = Directory.CreateTempSubdirectory("notes-lsp-quick-").FullName;
        try
        {
            var scan = new WorkspaceFiles([root]).ForOneScan();
            string[] stamps = ["@1614834367.123456789", "@1614834367.999999999", "@1614834367.000000050", "@1614834367.000000001", "@-14182940.987654321", "@-1.5", "@0"];
            for (var i = 0; i < stamps.Length; i++)
            {
                var path = Path.Combine(root, $"n{i}.md");
                File.WriteAllText(path, new string('n', i * 100));
                Touch(path, stamps[i]);
                var actual = scan.ProbeQuickly(path);
                Assert.Equal(WorkspaceFileStatus.Ok, actual.Status);
                Assert.Equal(new FileInfo(path).LastWriteTimeUtc, actual.LastWriteTimeUtc);
                Assert.Equal(scan.Probe(path), actual);
                Assert.Equal(i * 100, actual.Length);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Touch(string path, string stamp)
    {
        using var process = Process.Start(new ProcessStartInfo("touch", ["-m", "-d", stamp, path]) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"touch failed: {process.StandardError.ReadToEnd()}");
    }
}
