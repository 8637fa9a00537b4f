using System.Collections.Immutable;

namespace NotesLsp.Papers;

/// <summary>The index written as a compact binary (<see cref="PaperIndexFile"/>) and read back with little work.</summary>
public sealed partial class PaperSearchIndex
{
    private PaperSearchIndex(ImmutableArray<PaperRecord> papers, PaperIndexFile.Reader reader)
    {
        this.papers = papers;
        terms = reader.Strings();
        termIds = new Dictionary<string, int>(terms.Length, StringComparer.Ordinal);
        for (var t = 0; t < terms.Length; t++)
        {
            termIds[terms[t]] = t;
        }

        postingPapers = new int[terms.Length][];
        postingWeights = new float[terms.Length][];
        for (var t = 0; t < terms.Length; t++)
        {
            postingPapers[t] = reader.Ints();
            postingWeights[t] = reader.Floats();
        }

        idf = reader.Doubles();
        var stems = reader.Int();
        stemTerms = new Dictionary<string, int[]>(stems, StringComparer.Ordinal);
        for (var i = 0; i < stems; i++)
        {
            stemTerms[reader.String()!] = reader.Ints();
        }

        sortedTermIds = reader.Ints();
        var grams = reader.Int();
        trigramTerms = new Dictionary<long, int[]>(grams);
        for (var i = 0; i < grams; i++)
        {
            trigramTerms[reader.Long()] = reader.Ints();
        }

        titleTerms = new int[papers.Length][];
        for (var p = 0; p < titleTerms.Length; p++)
        {
            titleTerms[p] = reader.Ints();
        }

        titleBreaks = reader.ULongs();
        names = reader.NullableStrings();
        initials = reader.Strings();
        var authorCount = reader.Int();
        authorPostings = new Dictionary<string, (int[] Papers, bool[] First)>(authorCount, StringComparer.Ordinal);
        for (var i = 0; i < authorCount; i++)
        {
            authorPostings[reader.String()!] = (reader.Ints(), reader.Bools());
        }

        venueFamily = reader.NullableStrings();
        venueYear = reader.Shorts();
    }

    internal static PaperSearchIndex Read(ImmutableArray<PaperRecord> papers, PaperIndexFile.Reader reader) => new(papers, reader);

    internal void Write(PaperIndexFile.Writer writer)
    {
        writer.Strings(terms);
        for (var t = 0; t < terms.Length; t++)
        {
            writer.Ints(postingPapers[t]);
            writer.Floats(postingWeights[t]);
        }

        writer.Doubles(idf);

        // Keys in ordinal order, so the same catalog always gives the same bytes (dictionary order is not stable).
        writer.Int(stemTerms.Count);
        foreach (var (stem, list) in stemTerms.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.String(stem);
            writer.Ints(list);
        }

        writer.Ints(sortedTermIds);
        writer.Int(trigramTerms.Count);
        foreach (var (gram, list) in trigramTerms.OrderBy(p => p.Key))
        {
            writer.Long(gram);
            writer.Ints(list);
        }

        foreach (var title in titleTerms)
        {
            writer.Ints(title);
        }

        writer.ULongs(titleBreaks);
        writer.Strings(names);
        writer.Strings(initials);
        writer.Int(authorPostings.Count);
        foreach (var (name, (list, first)) in authorPostings.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.String(name);
            writer.Ints(list);
            writer.Bools(first);
        }

        writer.Strings(venueFamily);
        writer.Shorts(venueYear);
    }
}
