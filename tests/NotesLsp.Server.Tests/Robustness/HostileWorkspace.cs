using System.Diagnostics;

namespace NotesLsp.Server.Tests.Robustness;

/// <summary>
/// A workspace that attacks its reader, built at run time in a temporary folder (git cannot hold a FIFO): a FIFO
/// and a link to <c>/dev/zero</c> named like notes, links out of the workspace (to a file and to a folder), link
/// loops, a dangling link, a link to a note inside (the same file under a second name) and a link to a non-note
/// file inside. Only <see cref="IndexedTitles"/> may be indexed; nothing from <see cref="Outside"/> may appear.
/// </summary>
internal sealed class HostileWorkspace : IDisposable
{
    /// <summary>What a secret outside the workspace says; it must never be indexed or printed.</summary>
    public const string Secret = "TOPSECRET-3f9a";

    private HostileWorkspace(string root, string outside)
    {
        Root = root;
        Outside = outside;
    }

    /// <summary>The titles of the notes that should be indexed, sorted.</summary>
    public static IReadOnlyList<string> IndexedTitles { get; } = ["Also good", "Good note", "Shared through a link"];

    public string Root { get; }

    public string Outside { get; }

    /// <summary>The hostile entries, relative to <see cref="Root"/>.</summary>
    public static IReadOnlyList<string> HostileEntries { get; } =
        ["fifo.md", "zero.md", "secret.md", "outside-folder", "loop-a.md", "loop-b.md", "dangling.md", "sub/through-folder-link.md", "twin.md"];

    public static HostileWorkspace Create()
    {
        var root = Directory.CreateTempSubdirectory("notes-lsp-hostile-").FullName;
        var outside = Directory.CreateTempSubdirectory("notes-lsp-outside-").FullName;
        File.WriteAllText(Path.Combine(root, "good.md"), "---\ntitle: Good note\n---\n");
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "sub", "also.md"), "---\ntitle: Also good\n---\n");
        Directory.CreateDirectory(Path.Combine(root, "store"));
        File.WriteAllText(Path.Combine(root, "store", "shared.txt"), "---\ntitle: Shared through a link\n---\n");
        File.WriteAllText(Path.Combine(outside, "secret.md"), $"---\ntitle: {Secret}\ntags: [{Secret}]\nbroken: a: b\n---\n# {Secret}\n");

        MakeFifo(Path.Combine(root, "fifo.md"));
        File.CreateSymbolicLink(Path.Combine(root, "zero.md"), "/dev/zero");
        File.CreateSymbolicLink(Path.Combine(root, "secret.md"), Path.Combine(outside, "secret.md"));
        Directory.CreateSymbolicLink(Path.Combine(root, "outside-folder"), outside);
        Directory.CreateSymbolicLink(Path.Combine(root, "sub", "folder-link"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "sub", "through-folder-link.md"), Path.Combine("folder-link", "secret.md"));
        File.CreateSymbolicLink(Path.Combine(root, "loop-a.md"), "loop-b.md");
        File.CreateSymbolicLink(Path.Combine(root, "loop-b.md"), "loop-a.md");
        File.CreateSymbolicLink(Path.Combine(root, "dangling.md"), "nowhere.md");
        File.CreateSymbolicLink(Path.Combine(root, "twin.md"), "good.md");
        File.CreateSymbolicLink(Path.Combine(root, "shared.md"), Path.Combine("store", "shared.txt"));
        Directory.CreateSymbolicLink(Path.Combine(root, "self"), ".");
        return new HostileWorkspace(root, outside);
    }

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Outside, recursive: true);
    }

    public static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"mkfifo failed: {process.StandardError.ReadToEnd()}");
    }
}
