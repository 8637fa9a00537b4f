using System.Collections.Immutable;

namespace NotesLsp.Analysis.Tests;

/// <summary>
/// The indexes' sorted URI arrays are merged by binary search and whole-run copies; after any batch of additions and
/// removals the array must be what sorting the old URIs minus the removed plus the added gives.
/// </summary>
public sealed class SortedUrisTests
{
    [Fact]
    public void A_batch_merge_equals_sorting_the_old_uris_minus_the_removed_plus_the_added()
    {
        var random = new Random(20261202);
        for (var round = 0; round < 2_000; round++)
        {
            // URIs with long shared prefixes (as a workspace's are) and a small name space, so that removals hit and
            // miss, additions land before, between and after the old ones, and runs of every length occur.
            string Make() => $"file:///home/user/notes/{random.Next(4)}/{random.Next(round % 7 == 0 ? 3 : 400):D3}.md";
            var oldSet = new SortedSet<string>(Enumerable.Range(0, random.Next(0, round % 5 == 0 ? 3 : 300)).Select(_ => Make()), StringComparer.Ordinal);
            var old = oldSet.ToImmutableArray();
            var change = new SortedUris.Change();
            var expected = new HashSet<string>(oldSet, StringComparer.Ordinal);
            foreach (var uri in Enumerable.Range(0, random.Next(0, 60)).Select(_ => Make()).Distinct(StringComparer.Ordinal))
            {
                // Callers diff per note: a URI is added only when it is not in the array, removed only when it may be.
                if (oldSet.Contains(uri) || random.Next(3) == 0)
                {
                    change.Remove(uri);
                    expected.Remove(uri);
                }
                else
                {
                    change.Add(uri);
                    expected.Add(uri);
                }
            }

            var merged = change.Apply(old);
            Assert.Equal(expected.Order(StringComparer.Ordinal), merged);
        }
    }

    [Fact]
    public void Runs_are_copied_around_removals_at_the_ends_and_next_to_each_other()
    {
        ImmutableArray<string> old = ["a", "b", "c", "d", "e", "f"];
        Assert.Equal<string>(["b", "bb", "e"], [.. SortedUris.Merge(old, ["bb"], new HashSet<string>(["a", "c", "d", "f", "zz"], StringComparer.Ordinal))]);
        Assert.Equal<string>(["0", "a", "b", "c", "d", "e", "f", "g"], [.. SortedUris.Merge(old, ["0", "g"], null)]);
        Assert.Empty(SortedUris.Merge(old, [], new HashSet<string>(old, StringComparer.Ordinal)));
        Assert.Equal<string>(["x"], [.. SortedUris.Merge([], ["x"], new HashSet<string>(["q"], StringComparer.Ordinal))]);
    }
}
