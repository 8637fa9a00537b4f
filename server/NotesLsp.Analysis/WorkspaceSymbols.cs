using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Analysis;

public enum SymbolKind
{
    Note,
    Heading,
    Tag,
}

/// <summary>A workspace symbol: a note (by its front matter title) or a heading.</summary>
public sealed record WorkspaceSymbol(string Name, SymbolKind Kind, string Uri, TextSpan Span, string? Container);

/// <summary>Workspace-wide symbol search over note titles and headings.</summary>
public static class WorkspaceSymbols
{
    /// <summary>
    /// Symbols whose name contains the query's characters in order (case-insensitive), best first: exact and
    /// prefix matches, then word starts, then other subsequence matches; ties by name length, name, then URI. An
    /// empty query lists note titles. Summarised notes are found through <see cref="WorkspaceSnapshot.Symbols"/>;
    /// notes holding their text (open documents) are scored directly, and the two sorted streams are merged.
    /// </summary>
    public static ImmutableArray<WorkspaceSymbol> Search(WorkspaceSnapshot snapshot, string query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        query ??= string.Empty;
        var loose = new List<(int Score, WorkspaceSymbol Symbol)>();
        foreach (var uri in snapshot.Symbols.LooseNotes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (snapshot.Find(uri) is { } note)
            {
                AddMatches(loose, note, query);
            }
        }

        var direct = loose.OrderBy(m => m, Order).ToList();
        var result = ImmutableArray.CreateBuilder<WorkspaceSymbol>();
        using var indexed = snapshot.Symbols.Search(snapshot, query, limit, cancellationToken).GetEnumerator();
        var hasIndexed = indexed.MoveNext();
        var next = 0;
        while (result.Count < limit && (hasIndexed || next < direct.Count))
        {
            if (!hasIndexed || (next < direct.Count && Order.Compare(direct[next], indexed.Current) <= 0))
            {
                result.Add(direct[next++].Symbol);
            }
            else
            {
                result.Add(indexed.Current.Symbol);
                hasIndexed = indexed.MoveNext();
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The matches of one note's title and headings, scored as the index scores names.</summary>
    internal static void AddMatches(List<(int Score, WorkspaceSymbol Symbol)> matches, Note note, string query)
    {
        var title = note.Title;
        var prepared = new FuzzyQuery(query);
        if (title is not null && FuzzyMatch.Score(prepared, title) is { } titleScore)
        {
            matches.Add((titleScore + 1, new WorkspaceSymbol(title, SymbolKind.Note, note.Uri, note.TitleSpan, Note.FileNameOf(note.Uri))));
        }

        if (query.Length == 0)
        {
            return;
        }

        foreach (var heading in note.Headings)
        {
            if (FuzzyMatch.Score(prepared, heading.Text) is { } score)
            {
                matches.Add((score, new WorkspaceSymbol(heading.Text, SymbolKind.Heading, note.Uri, heading.Span, title ?? Note.FileNameOf(note.Uri))));
            }
        }
    }

    /// <summary>Best first: score, then shorter names, then names and URIs in ordinal order.</summary>
    internal static readonly Comparer<(int Score, WorkspaceSymbol Symbol)> Order = Comparer<(int Score, WorkspaceSymbol Symbol)>.Create(static (a, b) =>
    {
        var byScore = b.Score.CompareTo(a.Score);
        if (byScore != 0)
        {
            return byScore;
        }

        var byLength = a.Symbol.Name.Length.CompareTo(b.Symbol.Name.Length);
        if (byLength != 0)
        {
            return byLength;
        }

        var byName = string.CompareOrdinal(a.Symbol.Name, b.Symbol.Name);
        return byName != 0 ? byName : string.CompareOrdinal(a.Symbol.Uri, b.Symbol.Uri);
    });
}

/// <summary>Small, allocation-free fuzzy matching used by symbol search.</summary>
public static class FuzzyMatch
{
    /// <summary>Candidates up to this long take the ASCII path on a lower-cased copy on the stack.</summary>
    private const int AsciiStackChars = 256;

    /// <summary>Null when the query's characters do not occur in order; otherwise a higher score for a better match.</summary>
    public static int? Score(string query, string candidate)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        return Score(new FuzzyQuery(query), candidate);
    }

    /// <summary>
    /// <see cref="Score(string, string)"/> with the query prepared once (a search scores it against a hundred
    /// thousand names). When query and candidate are both ASCII, ordinal ignore-case comparison is exactly equality
    /// of their ASCII-lower-cased forms, so the prefix, substring and subsequence tests run as vectorised ordinal
    /// searches over a lower-cased copy of the candidate; otherwise the general path compares character by character.
    /// Both give the same scores (see FuzzyMatchTests, which keeps the general path as the reference).
    /// </summary>
    internal static int? Score(FuzzyQuery query, string candidate)
    {
        if (query.Text.Length == 0)
        {
            return 0;
        }

        if (query.Lower is { } lower && candidate.Length <= AsciiStackChars && System.Text.Ascii.IsValid(candidate))
        {
            Span<char> buffer = stackalloc char[AsciiStackChars];
            var folded = buffer[..candidate.Length];
            System.Text.Ascii.ToLower(candidate, folded, out _);
            return ScoreFolded<char, TextWordStarts>(lower, query.Subsequence, folded, new TextWordStarts(candidate));
        }

        return ScoreGeneral(query.Text, candidate);
    }

    /// <summary>
    /// <see cref="Score(FuzzyQuery, string)"/> of an ASCII name that the caller keeps folded (ASCII-lower-cased, one
    /// byte a character) with its word starts marked (<see cref="MarkWordStarts"/>): <see cref="SymbolIndex"/> folds
    /// its names once, not per search, and scores them without reading the names themselves. The query must be ASCII
    /// (<see cref="FuzzyQuery.LowerBytes"/> set) and not empty.
    /// </summary>
    internal static int? ScoreFoldedAscii(FuzzyQuery query, ReadOnlySpan<byte> folded, WordStartMarks marks) =>
        ScoreFolded(query.LowerBytes, query.SubsequenceBytes, folded, marks);

    /// <summary>
    /// <see cref="ScoreFoldedAscii"/> of a name whose folded form is known not to contain the query's (so neither of
    /// the first two tiers applies): only the scattered-characters test runs.
    /// </summary>
    internal static int? ScoreScatteredAscii(FuzzyQuery query, ReadOnlySpan<byte> folded, WordStartMarks marks) =>
        Scattered(query.SubsequenceBytes, folded, marks);

    /// <summary>Sets the bits of <paramref name="marks"/> from <paramref name="offset"/> on where a word of <paramref name="name"/> starts.</summary>
    internal static void MarkWordStarts(string name, ulong[] marks, int offset)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (IsWordStart(name, i))
            {
                var at = offset + i;
                marks[at >> 6] |= 1UL << (at & 63);
            }
        }
    }

    private static int? ScoreFolded<T, TStarts>(ReadOnlySpan<T> lowerQuery, ReadOnlySpan<T> subsequence, ReadOnlySpan<T> folded, TStarts starts)
        where T : IEquatable<T>
        where TStarts : IWordStarts
    {
        if (folded.StartsWith(lowerQuery))
        {
            return folded.Length == lowerQuery.Length ? 400 : 300;
        }

        var index = folded.IndexOf(lowerQuery);
        if (index > 0)
        {
            return starts.IsWordStart(index) ? 200 : 150;
        }

        return Scattered(subsequence, folded, starts);
    }

    /// <summary>
    /// The third tier: each of the query's non-space characters at its leftmost place after the previous one, one
    /// pass over the name (names are short: a scalar loop beats a vectorised search per character); null when they
    /// do not all occur in order.
    /// </summary>
    private static int? Scattered<T, TStarts>(ReadOnlySpan<T> subsequence, ReadOnlySpan<T> folded, TStarts starts)
        where T : IEquatable<T>
        where TStarts : IWordStarts
    {
        if (subsequence.IsEmpty)
        {
            return 50;
        }

        var next = 0;
        var wordStarts = 0;
        for (var i = 0; i <= folded.Length - (subsequence.Length - next); i++)
        {
            if (!folded[i].Equals(subsequence[next]))
            {
                continue;
            }

            if (starts.IsWordStart(i))
            {
                wordStarts++;
            }

            if (++next == subsequence.Length)
            {
                return 50 + wordStarts;
            }
        }

        return null;
    }

    private static int? ScoreGeneral(string query, string candidate)
    {
        if (candidate.StartsWith(query, StringComparison.OrdinalIgnoreCase))
        {
            return candidate.Length == query.Length ? 400 : 300;
        }

        var index = candidate.IndexOf(query, StringComparison.OrdinalIgnoreCase);
        if (index > 0)
        {
            return IsWordStart(candidate, index) ? 200 : 150;
        }

        var position = 0;
        var wordStarts = 0;
        foreach (var c in query)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            var found = -1;
            for (var i = position; i < candidate.Length; i++)
            {
                if (char.ToUpperInvariant(candidate[i]) == char.ToUpperInvariant(c))
                {
                    found = i;
                    break;
                }
            }

            if (found < 0)
            {
                return null;
            }

            if (IsWordStart(candidate, found))
            {
                wordStarts++;
            }

            position = found + 1;
        }

        return 50 + wordStarts;
    }

    internal static bool IsWordStart(string text, int index) =>
        index == 0 || !char.IsLetterOrDigit(text[index - 1]) || (char.IsUpper(text[index]) && char.IsLower(text[index - 1]));
}

/// <summary>A query prepared for <see cref="FuzzyMatch"/>: for an ASCII query, its lower-cased form and its non-space characters lower-cased.</summary>
internal readonly struct FuzzyQuery
{
    public FuzzyQuery(string text)
    {
        Text = text;
        if (System.Text.Ascii.IsValid(text))
        {
            Lower = text.ToLowerInvariant();
            Subsequence = string.Concat(Lower.Where(c => !char.IsWhiteSpace(c)));
            LowerBytes = System.Text.Encoding.ASCII.GetBytes(Lower);
            SubsequenceBytes = System.Text.Encoding.ASCII.GetBytes(Subsequence);
        }
    }

    public string Text { get; }

    /// <summary>The query lower-cased, or null when it is not ASCII.</summary>
    public string? Lower { get; }

    /// <summary>The characters the subsequence test looks for in turn (whitespace skipped), lower-cased; null when not ASCII.</summary>
    public string? Subsequence { get; }

    /// <summary><see cref="Lower"/> one byte a character; null when not ASCII.</summary>
    public byte[]? LowerBytes { get; }

    /// <summary><see cref="Subsequence"/> one byte a character; null when not ASCII.</summary>
    public byte[]? SubsequenceBytes { get; }
}

/// <summary>Where words of a name start, for <see cref="FuzzyMatch"/>'s scoring.</summary>
internal interface IWordStarts
{
    bool IsWordStart(int index);
}

/// <summary>Word starts read from the name itself.</summary>
internal readonly struct TextWordStarts(string text) : IWordStarts
{
    public bool IsWordStart(int index) => FuzzyMatch.IsWordStart(text, index);
}

/// <summary>Word starts read from bits set by <see cref="FuzzyMatch.MarkWordStarts"/>, the name's first at <paramref name="offset"/>.</summary>
internal readonly struct WordStartMarks(ulong[] marks, int offset) : IWordStarts
{
    public bool IsWordStart(int index)
    {
        var at = offset + index;
        return (marks[at >> 6] & (1UL << (at & 63))) != 0;
    }
}
