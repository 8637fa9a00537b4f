using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using NotesLsp.Analysis;

namespace NotesLsp.Server.Tests.Robustness;


/// <summary>Hostile files in the workspace: the real start-up scan indexes the rest and the server keeps serving.</summary>
/// <remarks>100,000 notes in one folder is bench/many-files.sh: creating the files alone takes over a minute here.</remarks>
public class FileFaultTests
{
    private static async Task<List<string>> SymbolNames(ServerHarness harness)
    {
        var result = (JsonArray)(await harness.Client.RequestAsync("workspace/symbol", new { query = "" }).WaitAsync(TimeSpan.FromSeconds(30)))!;
        return [.. result.Select(s => (string?)s!["name"] ?? string.Empty).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Huge_binary_invalid_utf8_and_symlink_loops_do_not_stop_the_scan()
    {
        await using var harness = new ServerHarness();
        var folder = harness.CreateWorkspace(new Dictionary<string, string>
        {
            ["good.md"] = "---\ntitle: Good note\n---\n",
            ["sub/also.md"] = "---\ntitle: Also good\n---\n",
        });

        // A 10 MB note: indexed (under the 32 MB limit), its title found.
        var big = new StringBuilder("---\ntitle: Big note\n---\n");
        while (big.Length < 10 * 1024 * 1024)
        {
            big.Append("A line of a very long note, with a [link](https://example.com) and `code`.\n");
        }

        File.WriteAllText(Path.Combine(folder, "big.md"), big.ToString());

        // Binary named .md (skipped: it has NUL bytes), invalid UTF-8 (decoded with U+FFFD, still indexed).
        File.WriteAllBytes(Path.Combine(folder, "binary.md"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0xFF, 0x00, 0x1A]);
        File.WriteAllBytes(Path.Combine(folder, "latin1.md"), [.. "---\ntitle: Caf"u8, 0xE9, 0xC3, 0x28, .. "\n---\n"u8]);

        // A symlink loop: the folder links to itself.
        Directory.CreateSymbolicLink(Path.Combine(folder, "loop"), ".");
        Directory.CreateSymbolicLink(Path.Combine(folder, "sub", "up"), "..");

        var stopwatch = Stopwatch.StartNew();
        await harness.InitializeAsync();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"scan took {stopwatch.Elapsed}");
        Assert.Equal(["Also good", "Big note", "Caf\uFFFD\uFFFD(", "Good note"], await SymbolNames(harness));
        Assert.Contains("looks binary", harness.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_unreadable_folder_is_logged_and_the_rest_indexed()
    {
        await using var harness = new ServerHarness();
        var folder = harness.CreateWorkspace(new Dictionary<string, string>
        {
            ["good.md"] = "---\ntitle: Good note\n---\n",
            ["locked/secret.md"] = "---\ntitle: Secret\n---\n",
        });
        var locked = Path.Combine(folder, "locked");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        try
        {
            await harness.InitializeAsync();
            var names = await SymbolNames(harness);
            Assert.Contains("Good note", names);

            // As root (CI containers), permissions do not apply and the note is read; as a user it is skipped
            // with a log line. Either way the scan finishes and the server answers.
            if (Environment.UserName != "root")
            {
                Assert.DoesNotContain("Secret", names);
            }
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_note_deleted_between_listing_and_reading_is_skipped()
    {
        var folder = Directory.CreateTempSubdirectory("notes-lsp-test-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.md"), "---\ntitle: A\n---\n");
            File.WriteAllText(Path.Combine(folder, "gone.md"), "---\ntitle: Gone\n---\n");
            var log = new StringWriter();
            var scanner = new WorkspaceScanner(new ServerLog(log));
            var paths = scanner.FindNotes([folder], [], CancellationToken.None);
            Assert.Equal(2, paths.Count);
            File.Delete(Path.Combine(folder, "gone.md"));
            Directory.CreateDirectory(Path.Combine(folder, "dir.md")); // A folder where a file was listed.
            var notes = scanner.ReadNotes([.. paths, Path.Combine(folder, "dir.md")], NotesSettings.Default.Tags.Keys, null, CancellationToken.None);
            Assert.Equal(["A"], notes.Select(n => n.Note.Title));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    [Trait("Host", "InProcess")] // reaches into the server's request queue
    public async Task A_note_renamed_while_indexing_ends_up_under_its_new_name_only()
    {
        var folder = Directory.CreateTempSubdirectory("notes-lsp-test-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "keep.md"), "---\ntitle: Keep\n---\n");
            File.WriteAllText(Path.Combine(folder, "old.md"), "---\ntitle: Moving\n---\n");
            var scanner = new WorkspaceScanner(new ServerLog(new StringWriter()));
            var paths = scanner.FindNotes([folder], [], CancellationToken.None);

            // The rename lands between listing and reading: the scan misses the note under both names...
            File.Move(Path.Combine(folder, "old.md"), Path.Combine(folder, "new.md"));
            var notes = scanner.ReadNotes(paths, NotesSettings.Default.Tags.Keys, null, CancellationToken.None);
            Assert.Equal(["Keep"], notes.Select(n => n.Note.Title));

            // ...and the watcher events of the rename (a delete and a create) bring it back under its new name.
            await using var harness = new ServerHarness();
            await harness.InitializeAsync();
            var server = await harness.Server;
            await server.Queue.EnqueueMutation("scan result", s => s.WithNotes(notes.Select(n => n.Note)));
            await harness.FileEventsAsync(new
            {
                changes = new[]
                {
                    new { uri = DocumentUris.FromPath(Path.Combine(folder, "old.md")), type = 3 },
                    new { uri = DocumentUris.FromPath(Path.Combine(folder, "new.md")), type = 1 },
                },
            });
            var symbols = (System.Text.Json.Nodes.JsonArray)(await harness.Client.RequestAsync("workspace/symbol", new { query = "" }))!;
            var found = symbols.Select(s => $"{(string?)s!["name"]} {Path.GetFileName((string?)s["location"]!["uri"])}").Order();
            Assert.Equal(["Keep keep.md", "Moving new.md"], found);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
