using System.Collections.Immutable;
using NotesLsp.Analysis.FrontMatter;

namespace NotesLsp.Analysis.Tests;

/// <summary>
/// The front matter key counts are kept incrementally (batches of notes added, replaced and removed); after any
/// sequence of batches they must be what counting every note's keys from scratch gives.
/// </summary>
public sealed class FrontMatterKeyIndexTests
{
    private static readonly string[] Keys = ["title", "tags", "venue", "date", "status", "authors", "Tags", "layout", "x"];

    [Fact]
    public void Incremental_counts_equal_a_fresh_count_after_random_batches()
    {
        var random = new Random(14);
        var index = FrontMatterKeyIndex.Empty;
        var current = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        for (var round = 0; round < 300; round++)
        {
            var batch = new List<(string Uri, FrontMatterKeySummary Summary)>();
            for (var i = random.Next(1, 40); i > 0; i--)
            {
                var uri = $"file:///w/{random.Next(60)}.md";

                // Fresh string instances, as each note's YAML gives them; sometimes no keys (a removal).
                var keys = random.Next(5) == 0 ? [] : Keys.Where(_ => random.Next(3) == 0).Select(k => new string(k.AsSpan())).ToImmutableArray();
                batch.Add((uri, new FrontMatterKeySummary(keys)));
                current[uri] = keys;
            }

            var remove = random.Next(4) == 0;
            index = remove ? index.WithoutNotes(batch.Select(b => b.Uri)) : index.WithSummaries(batch);
            if (remove)
            {
                // The removal above: those notes have no keys now.
                foreach (var (uri, _) in batch)
                {
                    current[uri] = [];
                }
            }

            var expected = current.Values.SelectMany(k => k).GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), index.All.OrderBy(e => e.Key, StringComparer.Ordinal));
            foreach (var (uri, keys) in current)
            {
                Assert.Equal<string>([.. keys], [.. index.KeysOf(uri).Keys]);
            }
        }
    }
}
