using System.Collections.Immutable;

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
            var result = ImmutableArray.CreateBuilder<string>(old.Length + added.Count);
            var i = 0;
            var j = 0;
            while (i < old.Length || j < added.Count)
            {
                if (j == added.Count || (i < old.Length && string.CompareOrdinal(old[i], added[j]) <= 0))
                {
                    if (removed is null || !removed.Contains(old[i]))
                    {
                        result.Add(old[i]);
                    }

                    i++;
                }
                else
                {
                    result.Add(added[j]);
                    j++;
                }
            }

            return result.DrainToImmutable();
        }
    }
}
