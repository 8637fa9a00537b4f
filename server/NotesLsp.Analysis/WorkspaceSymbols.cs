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
    /// prefix matches, then word starts, then other subsequence matches. An empty query lists note titles.
    /// </summary>
    public static ImmutableArray<WorkspaceSymbol> Search(WorkspaceSnapshot snapshot, string query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        query ??= string.Empty;
        var matches = new List<(int Score, WorkspaceSymbol Symbol)>();
        foreach (var note in snapshot.Notes.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var title = note.Title;
            if (title is not null && FuzzyMatch.Score(query, title) is { } titleScore)
            {
                var titleSpan = note.FrontMatter?.Root?.GetScalar("title")?.Span ?? new TextSpan(0, 0);
                matches.Add((titleScore + 1, new WorkspaceSymbol(title, SymbolKind.Note, note.Uri, titleSpan, Note.FileNameOf(note.Uri))));
            }

            if (query.Length == 0)
            {
                continue;
            }

            foreach (var heading in note.Headings)
            {
                if (FuzzyMatch.Score(query, heading.Text) is { } score)
                {
                    matches.Add((score, new WorkspaceSymbol(heading.Text, SymbolKind.Heading, note.Uri, heading.Span, title ?? Note.FileNameOf(note.Uri))));
                }
            }
        }

        return [.. matches
            .OrderByDescending(m => m.Score)
            .ThenBy(m => m.Symbol.Name.Length)
            .ThenBy(m => m.Symbol.Name, StringComparer.Ordinal)
            .ThenBy(m => m.Symbol.Uri, StringComparer.Ordinal)
            .Take(limit)
            .Select(m => m.Symbol)];
    }
}

/// <summary>Small, allocation-free fuzzy matching used by symbol search.</summary>
public static class FuzzyMatch
{
    /// <summary>Null when the query's characters do not occur in order; otherwise a higher score for a better match.</summary>
    public static int? Score(string query, string candidate)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        if (query.Length == 0)
        {
            return 0;
        }

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
