using NotesLsp.Papers;

namespace NotesLsp.Server;

/// <summary>
/// The precomputed indexes of the bundled paper catalogs, embedded in the server at build time (target
/// <c>BuildBundledPaperIndex</c> in the project file); a venue whose index is missing or unreadable is read from
/// its JSON Lines instead, as before.
/// </summary>
internal static class BundledPaperIndex
{
    /// <summary>
    /// The index file embedded under <paramref name="name"/>, or null: an <see cref="UnmanagedMemoryStream"/> over the
    /// assembly's mapped image, which <see cref="PaperIndexFile.Read(Stream)"/> reads in place (no copy, nothing decoded).
    /// </summary>
    public static Stream? Open(string name) => typeof(BundledPaperIndex).Assembly.GetManifestResourceStream(name);

    /// <summary>A copy of the index file embedded under <paramref name="name"/>, or null.</summary>
    public static byte[]? Find(string name)
    {
        using var stream = Open(name);
        if (stream is null)
        {
            return null;
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Every bundled venue, each from its precomputed index where the server has one.</summary>
    public static System.Collections.Immutable.ImmutableArray<PaperCatalog> LoadAll() => PaperCatalog.LoadAllBundled(Open);
}
