using System.Collections.Immutable;
using System.Text;
using NotesLsp.Analysis;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests;

/// <summary>
/// The name index behind workspace symbols must answer exactly what scoring every title and heading of every note
/// answers (the search before the index, kept here as the reference), for summarised and open notes mixed.
/// </summary>
public sealed class WorkspaceSymbolIndexTests
{
    private static readonly string[] Words =
    [
        "Summary", "Attention", "attention", "Diffusion", "Key Contributions", "Open Questions", "Limitations", "Math Details",
        "Transformers", "straße", "STRASSE", "İstanbul", "istanbul", "拡散モデル", "注意機構", "😀 emoji", "Résumé", "resume",
        "ML", "ml", "Graph Networks", "graph networks", "A/B testing", "x", "Σigma", "σigma",
    ];

    [Fact]
    public void Indexed_search_returns_what_scoring_every_note_returns()
    {
        var random = new Random(1234);
        var snapshot = WorkspaceSnapshot.Empty;
        var notes = new List<Note>();
        for (var i = 0; i < 300; i++)
        {
            var text = RandomNote(random, i);
            var uri = $"file:///w/{(char)('a' + (i % 26))}/{i:D4}.md";
            var note = new Note(uri, SourceText.From(text), version: 1, isOpen: i % 17 == 0);
            notes.Add(i % 17 == 0 ? note : Note.FromSummary(uri, NoteSummary.Of(note, ["tags"]), _ => Encoding.UTF8.GetBytes(text)));
        }

        snapshot = snapshot.WithNotes(notes);

        // Edits after the first build: replaced, removed and re-added notes keep the index in step.
        snapshot = snapshot.WithoutNote(notes[3].Uri).WithNote(Summarised(notes[5].Uri, "---\ntitle: Attention\n---\n# Summary\n## Summary\n"));
        snapshot = snapshot.WithNote(new Note(notes[8].Uri, SourceText.From("# Diffusion\n"), 2, isOpen: true));

        var queries = new List<string> { string.Empty, "sum", "Summary", "att", "ATTENTION", "kc", "key con", "strasse", "STRASSE", "straße", "ist", "İst", "拡散", "😀", "x", "σ", "Σ", "ml", "gn", "a/b", "zzz", "  " };
        for (var i = 0; i < 200; i++)
        {
            var word = Words[random.Next(Words.Length)];
            var start = random.Next(word.Length);
            var length = 1 + random.Next(Math.Min(6, word.Length - start));
            queries.Add(random.Next(3) == 0 ? Subsequence(random, word) : word.Substring(start, length));
        }

        foreach (var query in queries)
        {
            foreach (var limit in new[] { 1, 7, 256 })
            {
                var expected = Reference(snapshot, query, limit);
                var actual = WorkspaceSymbols.Search(snapshot, query, limit, CancellationToken.None);

                // An index's first search scores each name; later ones use the folded names: the same answer.
                var first = snapshot.Symbols.Unsearched().Search(snapshot, query, limit, CancellationToken.None).Select(m => m.Symbol);
                var later = snapshot.Symbols.Search(snapshot, query, limit, CancellationToken.None).Select(m => m.Symbol);
                Assert.Equal(later, first);
                Assert.True(expected.SequenceEqual(actual), $"query \"{query}\" limit {limit}:\nexpected {string.Join(", ", expected.Take(12))}\nactual   {string.Join(", ", actual.Take(12))}");
            }
        }
    }

    [Fact]
    public void A_search_that_reads_past_its_first_names_takes_them_again_in_the_same_order()
    {
        // The index of one snapshot searched against a snapshot without most of its notes: the best names then
        // yield fewer symbols than there are names, and the search must widen its heap to go on, in order.
        var random = new Random(99);
        var notes = new List<Note>();
        for (var i = 0; i < 200; i++)
        {
            notes.Add(Summarised($"file:///w/{i:D4}.md", RandomNote(random, i)));
        }

        var full = WorkspaceSnapshot.Empty.WithNotes(notes);
        var sparse = full.WithoutNotes(uri => string.CompareOrdinal(uri, "file:///w/0150.md") < 0);
        foreach (var query in new[] { string.Empty, "s", "sum", "att", "a", "ml", "é", "zzz" })
        {
            var everything = full.Symbols.Search(sparse, query, int.MaxValue, CancellationToken.None).ToList();
            Assert.All(everything, m => Assert.NotNull(sparse.Find(m.Symbol.Uri)));
            foreach (var firstSymbols in new[] { 1, 2, 5, 64 })
            {
                var widened = full.Symbols.Search(sparse, query, firstSymbols, CancellationToken.None).ToList();
                Assert.Equal(everything, widened);
            }

            Assert.Equal(
                everything.Take(3).Select(m => m.Symbol),
                WorkspaceSymbols.Search(sparse, query, 3, CancellationToken.None));
        }
    }

    [Fact]
    public void An_edit_that_changes_no_title_or_heading_keeps_the_same_index()
    {
        var uri = "file:///w/a.md";
        var snapshot = WorkspaceSnapshot.Empty.WithNote(Summarised(uri, "---\ntitle: One\n---\n# Head\nbody\n"));
        var before = snapshot.Symbols;
        var after = snapshot.WithNote(Summarised(uri, "---\ntitle: One\n---\n# Head\nother body\n")).Symbols;
        Assert.Same(before, after);
        Assert.NotSame(before, snapshot.WithNote(Summarised(uri, "---\ntitle: Two\n---\n# Head\n")).Symbols);
    }

    private static Note Summarised(string uri, string text)
    {
        var note = new Note(uri, SourceText.From(text));
        return Note.FromSummary(uri, NoteSummary.Of(note, ["tags"]), _ => Encoding.UTF8.GetBytes(text));
    }

    private static string RandomNote(Random random, int i)
    {
        var builder = new StringBuilder();
        if (random.Next(5) != 0)
        {
            builder.Append("---\ntitle: \"").Append(Words[random.Next(Words.Length)]).Append(' ').Append(i % 7).Append("\"\n---\n");
        }

        for (var h = random.Next(6); h > 0; h--)
        {
            builder.Append(new string('#', 1 + random.Next(3))).Append(' ').Append(Words[random.Next(Words.Length)]).Append("\n\ntext\n\n");
        }

        return builder.ToString();
    }

    private static string Subsequence(Random random, string word)
    {
        var builder = new StringBuilder();
        foreach (var c in word)
        {
            if (random.Next(2) == 0 && !char.IsSurrogate(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The search as it was before the index: every title and heading of every note, scored and sorted.</summary>
    private static ImmutableArray<WorkspaceSymbol> Reference(WorkspaceSnapshot snapshot, string query, int limit)
    {
        var matches = new List<(int Score, WorkspaceSymbol Symbol)>();
        foreach (var note in snapshot.Notes.Values)
        {
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
