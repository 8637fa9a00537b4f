using NotesLsp.Papers;

namespace NotesLsp.Server;

/// <summary>
/// The precomputed indexes of the bundled paper catalogs, embedded in the server at build time (target
/// <c>BuildBundledPaperIndex</c> in the project file); a venue whose index is missing or unreadable is read from
/// its JSON Lines instead, as before.
/// </summary>
internal static class BundledPaperIndex
{
    /// <summary>The index file embedded under <paramref name="name"/>, or null.</summary>
    public static byte[]? Find(string name)
    {
        using var stream = typeof(BundledPaperIndex).Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Every bundled venue, each from its precomputed index where the server has one.</summary>
    public static System.Collections.Immutable.ImmutableArray<PaperCatalog> LoadAll() => PaperCatalog.LoadAllBundled(Find);
}
