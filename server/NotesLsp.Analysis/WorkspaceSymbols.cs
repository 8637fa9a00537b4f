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
        using var indexed = snapshot.Symbols.Search(snapshot, query, cancellationToken).GetEnumerator();
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
            return ScoreFolded(lower, query.Subsequence!, candidate, folded);
        }

        return ScoreGeneral(query.Text, candidate);
    }

    private static int? ScoreFolded(string lowerQuery, string subsequence, string candidate, ReadOnlySpan<char> folded)
    {
        if (folded.StartsWith(lowerQuery))
        {
            return candidate.Length == lowerQuery.Length ? 400 : 300;
        }

        var index = folded.IndexOf(lowerQuery);
        if (index > 0)
        {
            return IsWordStart(candidate, index) ? 200 : 150;
        }

        var position = 0;
        var wordStarts = 0;
        foreach (var c in subsequence)
        {
            var found = folded[position..].IndexOf(c);
            if (found < 0)
            {
                return null;
            }

            found += position;
            if (IsWordStart(candidate, found))
            {
                wordStarts++;
            }

            position = found + 1;
        }

        return 50 + wordStarts;
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

    private static bool IsWordStart(string text, int index) =>
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
        }
    }

    public string Text { get; }

    /// <summary>The query lower-cased, or null when it is not ASCII.</summary>
    public string? Lower { get; }

    /// <summary>The characters the subsequence test looks for in turn (whitespace skipped), lower-cased; null when not ASCII.</summary>
    public string? Subsequence { get; }
}
