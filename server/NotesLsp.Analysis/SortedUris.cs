using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace NotesLsp.Analysis;

/// <summary>
/// Sorted arrays of note URIs kept by the workspace indexes (tags, citations): a batch's changes to one array
/// are collected, then merged into it once.
/// </summary>
internal static class SortedUris
{
    /// <summary>The URIs added to and removed from one key in a batch (a URI is never in both: callers diff per note).</summary>
    internal sealed class Change
    {
        // One note adding a key is by far the most common change (a start-up scan, a note with 50,000 tags): it is
        // kept without a list, since every allocation here is made once per tag and the collector's cost follows.
        private string? single;
        private List<string>? more;
        private HashSet<string>? removed;

        public void Add(string uri)
        {
            if (removed?.Remove(uri) == true)
            {
                return;
            }

            if (single is null && more is null)
            {
                single = uri;
                return;
            }

            more ??= [];
            if (single is not null)
            {
                more.Add(single);
                single = null;
            }

            more.Add(uri);
        }

        public void Remove(string uri)
        {
            if (single == uri)
            {
                single = null;
                return;
            }

            if (more?.Remove(uri) != true)
            {
                (removed ??= new HashSet<string>(StringComparer.Ordinal)).Add(uri);
            }
        }

        /// <summary>Merges the sorted additions into the old sorted array, skipping the removals.</summary>
        public ImmutableArray<string> Apply(ImmutableArray<string> old)
        {
            if (old.IsEmpty && more is null)
            {
                return single is null ? [] : ImmutableArray.Create(single);
            }

            var added = more ??= [];
            if (single is not null)
            {
                added.Add(single);
                single = null;
            }

            added.Sort(StringComparer.Ordinal);
            return Merge(old, added, removed);
        }
    }

    /// <summary>
    /// <paramref name="old"/> without <paramref name="removed"/>, with the sorted <paramref name="added"/> merged in
    /// (an old URI equal to an added one comes first). The positions are found by binary search and the runs between
    /// them copied whole: a batch adds a few hundred notes to a tag that 50,000 notes carry, and comparing every one
    /// of those 50,000 URIs in each of a 100,000-note scan's 200 batches was a sixth of its CPU (bench/RESULTS.md).
    /// </summary>
    internal static ImmutableArray<string> Merge(ImmutableArray<string> old, List<string> added, HashSet<string>? removed)
    {
        var span = old.AsSpan();
        List<int>? gone = null;
        if (removed is { Count: > 0 })
        {
            foreach (var uri in removed)
            {
                var at = span.BinarySearch(uri, StringComparer.Ordinal);
                if (at < 0)
                {
                    continue;
                }

                // Equal URIs (never expected in an index) all go, as a one-by-one merge would drop them.
                var first = at;
                while (first > 0 && string.Equals(span[first - 1], uri, StringComparison.Ordinal))
                {
                    first--;
                }

                for (var k = first; k < span.Length && string.Equals(span[k], uri, StringComparison.Ordinal); k++)
                {
                    (gone ??= []).Add(k);
                }
            }

            gone?.Sort();
        }

        var result = new string[old.Length - (gone?.Count ?? 0) + added.Count];
        var written = 0;
        var next = 0; // the first old index not copied yet
        var g = 0; // the next removal in gone
        foreach (var uri in added)
        {
            CopyOld(span, gone, result, UpperBound(span, next, uri), ref next, ref g, ref written);
            result[written++] = uri;
        }

        CopyOld(span, gone, result, span.Length, ref next, ref g, ref written);
        return ImmutableCollectionsMarshal.AsImmutableArray(result);
    }

    /// <summary>Copies <c>old[next..end)</c> to <c>into[written..]</c> in runs, leaving out the indexes in <paramref name="gone"/>.</summary>
    private static void CopyOld(ReadOnlySpan<string> old, List<int>? gone, string[] into, int end, ref int next, ref int g, ref int written)
    {
        while (next < end)
        {
            var stop = gone is not null && g < gone.Count && gone[g] < end ? gone[g] : end;
            old[next..stop].CopyTo(into.AsSpan(written));
            written += stop - next;
            next = stop;
            if (stop < end)
            {
                next++; // skip the removed URI
                g++;
            }
        }
    }

    /// <summary>The first index at or after <paramref name="from"/> whose URI sorts after <paramref name="uri"/>.</summary>
    private static int UpperBound(ReadOnlySpan<string> sorted, int from, string uri)
    {
        int low = from, high = sorted.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (string.CompareOrdinal(sorted[middle], uri) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
