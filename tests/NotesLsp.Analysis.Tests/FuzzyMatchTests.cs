using System.Text;
using NotesLsp.Analysis;

namespace NotesLsp.Analysis.Tests;

/// <summary>
/// <see cref="FuzzyMatch.Score(string, string)"/> takes an ASCII path (vectorised ordinal searches over a
/// lower-cased copy) when query and name are both ASCII; it must score exactly as the character-by-character
/// ordinal ignore-case matching it replaced, kept here as the reference, for ASCII and non-ASCII text alike.
/// </summary>
public sealed class FuzzyMatchTests
{
    // ASCII letters of both cases, digits, spaces and punctuation, and non-ASCII characters whose upper case is ASCII
    // (long s, dotless i), or that look like ASCII ones (Kelvin sign, dotted I), and a surrogate pair.
    private static readonly string[] Pieces =
    [
        "a", "A", "b", "B", "k", "K", "s", "S", "i", "I", "m", "M", "u", "U", "z", "0", "7", " ", "\t", "-", "/", "_", ".",
        "ſ", "ı", "İ", "\u212A", "ß", "σ", "Σ", "é", "É", "拡", "😀", "Sum", "sum", "Attention", "Key", "Graph",
    ];

    [Fact]
    public void The_ascii_path_scores_as_ordinal_ignore_case_matching()
    {
        var random = new Random(20261202);
        var checkedAscii = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var candidate = RandomText(random, random.Next(0, 12), ascii: random.Next(3) != 0);
            var query = random.Next(4) switch
            {
                0 when candidate.Length > 0 => Slice(random, candidate),
                1 when candidate.Length > 0 => Subsequence(random, candidate),
                2 when candidate.Length > 0 => Flip(Slice(random, candidate)),
                _ => RandomText(random, random.Next(0, 4), ascii: random.Next(3) != 0),
            };

            if (Ascii.IsValid(query) && Ascii.IsValid(candidate))
            {
                checkedAscii++;

                // The symbol index's path: the name folded once, one byte a character, its word starts marked.
                if (query.Length > 0)
                {
                    var folded = Encoding.ASCII.GetBytes(candidate.ToLowerInvariant());
                    var marks = new ulong[2 + (candidate.Length / 64)];
                    FuzzyMatch.MarkWordStarts(candidate, marks, 3);
                    var starts = new WordStartMarks(marks, 3);
                    Assert.True(
                        Reference(query, candidate) == FuzzyMatch.ScoreFoldedAscii(new FuzzyQuery(query), folded, starts),
                        $"folded: query \"{query}\" candidate \"{candidate}\": expected {Reference(query, candidate)}, got {FuzzyMatch.ScoreFoldedAscii(new FuzzyQuery(query), folded, starts)}");

                    // A name known not to contain the query is scored by its scattered characters alone.
                    if (!candidate.Contains(query, StringComparison.OrdinalIgnoreCase))
                    {
                        Assert.Equal(Reference(query, candidate), FuzzyMatch.ScoreScatteredAscii(new FuzzyQuery(query), folded, starts));
                    }
                }
            }

            Assert.True(Reference(query, candidate) == FuzzyMatch.Score(query, candidate), $"query \"{query}\" candidate \"{candidate}\": expected {Reference(query, candidate)}, got {FuzzyMatch.Score(query, candidate)}");
        }

        Assert.True(checkedAscii > 10_000, $"only {checkedAscii} pairs took the ASCII path");
    }

    [Fact]
    public void Long_names_and_every_score_tier_agree()
    {
        var longName = string.Concat(Enumerable.Repeat("Transformers Attention ", 20)) + "Summary";
        foreach (var (query, candidate) in new[]
        {
            ("summary", "Summary"), ("sum", "Summary"), ("mary", "Summary"), ("ten", "Attention"), ("kc", "Key Contributions"),
            ("key con", "Key Contributions"), ("zzz", "Summary"), ("  ", "a  b"), (" ", "ab"), (string.Empty, "x"), ("summary", longName),
            ("ts", longName), ("SUM", "ſum"), ("k", "\u212A"), ("i", "İ"), ("I", "ı"), ("ml", "ML"), ("a/b", "A/B testing"), ("aB", "xAbC"),
        })
        {
            Assert.Equal(Reference(query, candidate), FuzzyMatch.Score(query, candidate));
        }
    }

    private static string RandomText(Random random, int pieces, bool ascii)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            var piece = Pieces[random.Next(Pieces.Length)];
            if (!ascii || Ascii.IsValid(piece))
            {
                builder.Append(piece);
            }
        }

        return builder.ToString();
    }

    private static string Slice(Random random, string text)
    {
        var start = random.Next(text.Length);
        return text.Substring(start, 1 + random.Next(text.Length - start));
    }

    private static string Subsequence(Random random, string text) => string.Concat(text.Where(_ => random.Next(2) == 0));

    private static string Flip(string text) => string.Concat(text.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));

    /// <summary>The scoring before the ASCII path, unchanged.</summary>
    private static int? Reference(string query, string candidate)
    {
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
