using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace NotesLsp.Papers.Tests;

/// <summary>
/// A damaged or contended cache folder: damaged files read as missing (never a crash, never half an entry),
/// intact neighbours stay readable, and a rewrite rebuilds the damaged entry.
/// </summary>
public sealed class CacheFaultTests : IDisposable
{
    private const string Venue = "ICML.cc/2024/Conference";
    private readonly string directory = Path.Combine(Path.GetTempPath(), "notes-lsp-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ImmutableArray<PaperRecord> Papers(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PaperRecord($"{prefix}{i:D8}", $"{prefix} paper {i}"))];

    private static string Titles(CachedPapers? cached) => cached is null ? "(none)" : string.Join(",", cached.Papers.Select(p => p.Title));

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("empty")]
    [InlineData("header-only")]
    [InlineData("unreadable")]
    public void A_damaged_venue_file_reads_as_missing_keeps_its_neighbours_and_is_rebuilt_by_the_next_write(string damage)
    {
        var cache = new PaperCache(directory);
        Assert.True(cache.WriteVenue(Venue, Papers("A", 3), DateTimeOffset.UnixEpoch).IsSuccess);
        Assert.True(cache.WritePaper(Papers("P", 1)[0], DateTimeOffset.UnixEpoch).IsSuccess);
        var path = Directory.GetFiles(Path.Combine(directory, "venues")).Single();
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "garbage":
                File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))]);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "header-only":
                File.WriteAllBytes(path, bytes[..(Array.IndexOf(bytes, (byte)'\n') + 1)]);
                break;
            case "unreadable":
                // chmod 000 does not stop root (the test user here), so the name is taken by a folder instead:
                // opening it fails for every user, like a file the user may not read.
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
        }

        Assert.Equal("(none)", Titles(new PaperCache(directory).ReadVenue(Venue)));
        Assert.Equal(["P paper 0"], new PaperCache(directory).ReadAll().SelectMany(c => c.Papers).Select(p => p.Title));

        if (damage == "unreadable")
        {
            Directory.Delete(path);
        }

        Assert.True(cache.WriteVenue(Venue, Papers("B", 2), DateTimeOffset.UnixEpoch).IsSuccess);
        Assert.Equal("B paper 0,B paper 1", Titles(cache.ReadVenue(Venue)));
    }

    [Fact]
    public void Two_caches_writing_the_same_folder_at_once_never_show_half_an_entry_nor_lose_a_valid_one()
    {
        // Two server processes share the user's cache folder; two instances in parallel loops stand in for them.
        var first = new PaperCache(directory);
        var second = new PaperCache(directory);
        var versions = new[] { Papers("A", 200), Papers("B", 150) };
        var expected = versions.Select(v => string.Join(",", v.Select(p => p.Title))).ToHashSet();
        Assert.True(first.WriteVenue(Venue, versions[0], DateTimeOffset.UnixEpoch).IsSuccess);
        var seen = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);

        Parallel.Invoke(
            () => Write(first, versions[0], "a"),
            () => Write(second, versions[1], "b"),
            () =>
            {
                var reader = new PaperCache(directory);
                while (DateTime.UtcNow < deadline)
                {
                    seen.Add(Titles(reader.ReadVenue(Venue)));
                    seen.Add(string.Join(";", reader.ReadAll().Where(c => c.Key == Venue).Select(Titles)));
                }
            });

        Assert.Empty(failures);
        // Every read saw one whole version: never "(none)" (a damaged or missing file) nor a mix.
        Assert.Subset(expected, seen.ToHashSet());
        Assert.Contains(Titles(first.ReadVenue(Venue)), expected);

        // Every paper either writer stored under its own key is there, and no temporary file is left behind.
        var all = new PaperCache(directory).ReadAll();
        Assert.Equal(1 + 50 + 50, all.Length);
        Assert.Empty(Directory.GetFiles(directory, "*.tmp", SearchOption.AllDirectories));

        void Write(PaperCache cache, ImmutableArray<PaperRecord> papers, string prefix)
        {
            for (var i = 0; DateTime.UtcNow < deadline || i < 50; i++)
            {
                var result = i < 50
                    ? cache.WritePaper(new PaperRecord($"{prefix}{i:D9}", $"{prefix}{i}"), DateTimeOffset.UnixEpoch)
                    : cache.WriteVenue(Venue, papers, DateTimeOffset.UnixEpoch);
                if (!result.IsSuccess)
                {
                    failures.Add(result.Error!.Message);
                }
            }
        }
    }
}
