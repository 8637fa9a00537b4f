namespace NotesLsp.Papers;

/// <summary>
/// The index's data: flat blocks in the layout of an index file (<see cref="PaperIndexFile"/>), read in place. A
/// built index is written to this layout in memory (a pinned array) and read back the same way, so the search
/// has one reading of its data whether it came from a file or from JSON Lines.
/// </summary>
public sealed partial class PaperSearchIndex
{
    private readonly PaperRecords papers;
    private readonly int count;
    private readonly StringTable terms;
    private readonly KeyIndex termIds;
    private readonly Func<int, string> termOf;
    private readonly FlatLists postings;
    private readonly Flat<float> postingWeights;
    private readonly Flat<double> idf;
    private readonly StringTable stemKeys;
    private readonly KeyIndex stemIds;
    private readonly Func<int, string> stemOf;
    private readonly FlatLists stemTerms;
    private readonly Flat<int> sortedTermIds;
    private readonly Flat<long> trigramKeys;
    private readonly FlatLists trigramTerms;
    private readonly FlatLists titleTerms;
    private readonly Flat<ulong> titleBreaks;
    private readonly StringTable misc;
    private readonly Flat<int> names;
    private readonly Flat<int> venueFamily;
    private readonly Flat<short> venueYear;
    private readonly Flat<int> initialOffsets;
    private readonly Flat<byte> initials;
    private readonly StringTable authorKeys;
    private readonly KeyIndex authorIds;
    private readonly Func<int, string> authorOf;
    private readonly FlatLists authorPapers;
    private readonly Flat<byte> authorFirst;
    private readonly Flat<byte> decisions;

    /// <summary>The arrays of the last search, kept for the next one (see Search).</summary>
    private Scratch? spare;

    /// <summary>Keeps the memory the blocks lie in alive (a pinned array, or the stream of an embedded resource).</summary>
    private readonly object owner;

    private PaperSearchIndex(PaperRecords papers, Flat<byte> blob, object owner)
    {
        this.papers = papers;
        this.owner = owner;
        Blob = blob;
        PaperIndexFile.Reader reader;
        unsafe
        {
            fixed (byte* start = blob.Span)
            {
                // The blob's memory never moves (see Flat), so the pointer stays valid after the fixed block.
                reader = new PaperIndexFile.Reader(start, blob.Length);
            }
        }

        count = reader.Int();
        if (count != papers.Count)
        {
            throw new InvalidDataException("an index of another catalog");
        }

        (terms, termIds) = reader.Keys();
        var t = terms.Count;
        postings = new FlatLists(reader.Block<int>(), reader.Block<int>());
        postings.Check(t, 0, count);
        postingWeights = reader.Block<float>();
        idf = reader.Block<double>();
        (stemKeys, stemIds) = reader.Keys();
        stemTerms = new FlatLists(reader.Block<int>(), reader.Block<int>());
        stemTerms.Check(stemKeys.Count, 0, t);
        sortedTermIds = reader.Block<int>();
        FlatCheck.Range(sortedTermIds.Span, 0, t);
        trigramKeys = reader.Block<long>();
        trigramTerms = new FlatLists(reader.Block<int>(), reader.Block<int>());
        trigramTerms.Check(trigramKeys.Length, 0, t);
        titleTerms = new FlatLists(reader.Block<int>(), reader.Block<int>());
        titleTerms.Check(count, 0, t);
        titleBreaks = reader.Block<ulong>();
        misc = reader.Table();
        names = reader.Block<int>();
        FlatCheck.Range(names.Span, -1, misc.Count);
        venueFamily = reader.Block<int>();
        FlatCheck.Range(venueFamily.Span, -1, misc.Count);
        venueYear = reader.Block<short>();
        initialOffsets = reader.Block<int>();
        initials = reader.Block<byte>();
        FlatCheck.Offsets(initialOffsets, count, initials.Length);
        (authorKeys, authorIds) = reader.Keys();
        authorPapers = new FlatLists(reader.Block<int>(), reader.Block<int>());
        authorPapers.Check(authorKeys.Count, 0, count);
        authorFirst = reader.Block<byte>();
        decisions = reader.Block<byte>();
        if (postingWeights.Length != postings.Values.Length || idf.Length != t || sortedTermIds.Length != t || titleBreaks.Length != count
            || names.Length != count || venueFamily.Length != count || venueYear.Length != count || authorFirst.Length != authorPapers.Values.Length
            || decisions.Length != count || !reader.AtEnd)
        {
            throw new InvalidDataException("a damaged index");
        }

        for (var p = 0; p < count; p++)
        {
            // Every title's initials end with the newline that keeps an acronym from running into the next title.
            if (initialOffsets[p + 1] == initialOffsets[p] || initials[initialOffsets[p + 1] - 1] != (byte)'\n' || decisions[p] > (byte)PaperDecision.Submitted)
            {
                throw new InvalidDataException("a damaged index");
            }
        }

        termOf = id => terms[id];
        stemOf = id => stemKeys[id];
        authorOf = id => authorKeys[id];
    }

    /// <summary>The index's bytes, as <see cref="PaperIndexFile.Write"/> stores them.</summary>
    internal Flat<byte> Blob { get; }

    /// <summary>The index in <paramref name="blob"/> (a block of an index file) over <paramref name="papers"/>; throws when it is damaged.</summary>
    internal static PaperSearchIndex Read(PaperRecords papers, Flat<byte> blob, object owner) => new(papers, blob, owner);

    private static unsafe PaperSearchIndex FromBlob(PaperRecords papers, byte[] bytes)
    {
        var pinned = GC.AllocateUninitializedArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(pinned);
        fixed (byte* start = pinned)
        {
            return new PaperSearchIndex(papers, new Flat<byte>(start, pinned.Length), pinned);
        }
    }

    private string Term(int id) => terms[id];

    private int TermId(string token) => termIds.Find(token, termOf);

    private PaperDecision DecisionOf(int paper) => (PaperDecision)decisions[paper];

    /// <summary>The terms that share a stem with <paramref name="stem"/>'s word, as a range of <see cref="stemTerms"/>' values; empty when none.</summary>
    private (int Start, int End) StemRange(string stem)
    {
        var id = stemIds.Find(stem, stemOf);
        return id < 0 ? (0, 0) : (stemTerms.Start(id), stemTerms.End(id));
    }

    private int TrigramList(long gram)
    {
        var at = trigramKeys.Span.BinarySearch(gram);
        return at >= 0 ? at : -1;
    }
}
