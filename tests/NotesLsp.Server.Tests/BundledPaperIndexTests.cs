using NotesLsp.Papers;

namespace NotesLsp.Server.Tests;

/// <summary>
/// The precomputed paper index embedded in the server at build time (issue 13) is exactly what the bundled JSON
/// Lines give today (byte for byte, so it can never go stale), and the server loads its bundled catalogs from it.
/// That the index file answers every query like the JSON Lines is PaperIndexFileTests' differential test.
/// </summary>
public sealed class BundledPaperIndexTests
{
    [Fact]
    public void The_embedded_index_of_every_bundled_venue_is_what_the_json_lines_give_now()
    {
        var fromJson = PaperCatalog.LoadAllBundled();
        for (var i = 0; i < fromJson.Length; i++)
        {
            var name = PaperCatalog.IndexResourceName(PaperCatalog.BundledVenues[i].Resource);
            var embedded = BundledPaperIndex.Find(name);
            Assert.True(embedded is not null, $"{name} is not embedded in the server");
            Assert.True(PaperIndexFile.Write(fromJson[i]).AsSpan().SequenceEqual(embedded), $"{name} differs from what the JSON Lines give; rebuild the server");
        }

        var loaded = BundledPaperIndex.LoadAll();
        Assert.All(loaded, c => Assert.True(c.IsPrecomputed, c.Name));
        Assert.Equal(fromJson.Select(c => (c.Name, c.Count)), loaded.Select(c => (c.Name, c.Count)));
    }

    [Fact]
    public async Task The_server_loads_its_bundled_catalogs_from_the_precomputed_index()
    {
        await using var harness = new ServerHarness();
        harness.CreateWorkspace();
        await harness.InitializeAsync(initializationOptions: new { settings = new { openReview = new { online = false } } });
        const string expected = "bundled paper catalogs: 13125 papers of 4 venues loaded from their precomputed index";
        for (var waited = 0; waited < 600 && !harness.Log.ToString().Contains(expected, StringComparison.Ordinal); waited++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(expected, harness.Log.ToString(), StringComparison.Ordinal);
    }
}
