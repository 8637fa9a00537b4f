using System.Buffers;
using System.Collections.Immutable;

namespace NotesLsp.Papers;

/// <summary>A search answer: the paper and its score (higher is better; comparable within one query).</summary>
public sealed record PaperMatch(PaperRecord Paper, double Score);

/// <summary>
/// A title search index built once per catalog. Robust to word order, case, punctuation, partial words (prefix
/// matches), typos (bounded edit distance) and acronyms of consecutive title words.
/// </summary>
/// <remarks>
/// Speed at 100,000 titles comes from never scanning all titles: each query word is looked up in an inverted
/// index (exact term), a sorted vocabulary (prefixes) and a trigram index over the vocabulary (typos; edit
/// distance is computed only for vocabulary terms that share enough trigrams). Scores accumulate over the
/// postings of the matched terms, and only the best few hundred candidates are re-scored with the costlier
/// signals (acronyms, word order, title length).
/// </remarks>
public sealed class PaperSearchIndex
{
    private const int RescoreCandidates = 300;

    private readonly ImmutableArray<PaperRecord> papers;
    private readonly string[] terms;
    private readonly int[][] postings;
    private readonly double[] idf;
    private readonly Dictionary<string, int> termIds;
    private readonly int[] sortedTermIds;
    private readonly Dictionary<long, int[]> trigramTerms;
    private readonly int[][] titleTerms;
    private readonly string[] initials;

    public PaperSearchIndex(ImmutableArray<PaperRecord> papers)
    {
        this.papers = papers;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var termList = new List<string>();
        var postingLists = new List<List<int>>();
        titleTerms = new int[papers.Length][];
        var sequence = new List<int>();
        var extra = new List<string>();
        for (var p = 0; p < papers.Length; p++)
        {
            sequence.Clear();
            extra.Clear();
            Tokenize(papers[p].Title, joined: extra, out var main);
            foreach (var token in main)
            {
                sequence.Add(Intern(token));
            }

            foreach (var token in extra)
            {
                Intern(token);
            }

            titleTerms[p] = [.. sequence];

            int Intern(string token)
            {
                if (!ids.TryGetValue(token, out var id))
                {
                    id = termList.Count;
                    ids.Add(token, id);
                    termList.Add(token);
                    postingLists.Add([]);
                }

                var list = postingLists[id];
                if (list.Count == 0 || list[^1] != p)
                {
                    list.Add(p);
                }

                return id;
            }
        }

        terms = [.. termList];

        // First letters of every title word and of the words that are not small ("of", "the"), for acronym
        // queries that match no word at all ("dcmha").
        initials = [.. titleTerms.Select(t => new string([.. t.Select(id => termList[id][0])]) + "|" + new string([.. t.Where(id => !IsSmallWord(termList[id])).Select(id => termList[id][0])]))];
        postings = [.. postingLists.Select(l => l.ToArray())];
        idf = [.. postings.Select(list => Math.Log(1 + ((double)papers.Length / list.Length)))];
        termIds = ids;
        sortedTermIds = [.. Enumerable.Range(0, terms.Length)];
        Array.Sort(sortedTermIds, (a, b) => string.CompareOrdinal(terms[a], terms[b]));
        var trigrams = new Dictionary<long, List<int>>();
        for (var t = 0; t < terms.Length; t++)
        {
            if (terms[t].Length < 3)
            {
                continue;
            }

            foreach (var key in Trigrams(terms[t]).Distinct())
            {
                if (!trigrams.TryGetValue(key, out var list))
                {
                    trigrams[key] = list = [];
                }

                list.Add(t);
            }
        }

        trigramTerms = trigrams.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    public int Count => papers.Length;

    /// <summary>The best matches for <paramref name="query"/>, best first; ties go to orals, then to later venues.</summary>
    public ImmutableArray<PaperMatch> Search(string query, int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        var queryTokens = new List<string>();
        Tokenize(query, joined: null, out var main);
        queryTokens.AddRange(main.Distinct(StringComparer.Ordinal));
        if (queryTokens.Count == 0 || papers.Length == 0 || limit <= 0)
        {
            return [];
        }

        var n = papers.Length;
        var scores = ArrayPool<double>.Shared.Rent(n);
        var best = ArrayPool<double>.Shared.Rent(n);
        var stamp = ArrayPool<int>.Shared.Rent(n);
        var matched = ArrayPool<int>.Shared.Rent(n);
        try
        {
            Array.Clear(stamp, 0, n);
            var candidates = new List<int>();
            var touched = new List<int>();
            var unknownWord = Math.Log(1 + n);
            var possible = 0.0;
            for (var q = 0; q < queryTokens.Count; q++)
            {
                touched.Clear();
                var mark = q + 1;
                var bestForToken = 0.0;
                foreach (var (term, weight) in MatchTerms(queryTokens[q]))
                {
                    var w = weight * idf[term];
                    bestForToken = Math.Max(bestForToken, w);
                    foreach (var p in postings[term])
                    {
                        if (stamp[p] == 0)
                        {
                            scores[p] = 0;
                            matched[p] = 0;
                            candidates.Add(p);
                        }

                        if (stamp[p] != mark && stamp[p] != -mark)
                        {
                            stamp[p] = -mark;
                            best[p] = w;
                            touched.Add(p);
                        }
                        else if (w > best[p])
                        {
                            best[p] = w;
                        }
                    }
                }

                foreach (var p in touched)
                {
                    scores[p] += best[p];
                    matched[p]++;
                    stamp[p] = mark;
                }

                // Scores are divided by what a perfect title would get, so that answers from catalogs of
                // different sizes compare; a word no title has counts as the rarest word.
                possible += touched.Count > 0 ? bestForToken : unknownWord;
                if (touched.Count == 0 && queryTokens[q].Length is >= 2 and <= 8)
                {
                    AddAcronymCandidates(queryTokens[q], stamp, scores, matched, candidates);
                }
            }

            if (candidates.Count == 0)
            {
                return [];
            }

            // Cheap first ranking: more query words matched first, then the summed weights.
            var top = candidates
                .OrderByDescending(p => (matched[p] * 1000.0) + scores[p])
                .Take(Math.Max(RescoreCandidates, limit))
                .Select(p => (Paper: p, Score: Rescore(p, queryTokens, scores[p], matched[p]) / possible))
                .OrderByDescending(c => c.Score)
                .ThenBy(c => Decisions.Rank(papers[c.Paper].Decision))
                .ThenByDescending(c => papers[c.Paper].VenueName ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(c => papers[c.Paper].Title, StringComparer.Ordinal)
                .Take(limit);
            return [.. top.Select(c => new PaperMatch(papers[c.Paper], Math.Round(c.Score, 4)))];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scores);
            ArrayPool<double>.Shared.Return(best);
            ArrayPool<int>.Shared.Return(stamp);
            ArrayPool<int>.Shared.Return(matched);
        }
    }

    /// <summary>Splits text into lowercase words of letters and digits.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Tokenize(text, joined: null, out var main);
        return main;
    }

    private double Rescore(int paper, List<string> query, double raw, int matchedCount)
    {
        var title = titleTerms[paper];
        var score = raw;
        var matchedTokens = matchedCount;

        // Acronyms: a query word that is the initials of consecutive title words ("dcmha", "llm", "lora").
        foreach (var token in query)
        {
            if (token.Length is >= 2 and <= 8 && !ContainsTerm(title, token) && AcronymWeight(title, token) is { } acronym)
            {
                score += 0.8 * acronym;
                matchedTokens++;
            }
        }

        var coverage = Math.Min(1.0, (double)matchedTokens / query.Count);
        score *= 0.4 + (0.6 * coverage);

        // Word order: query words found in the title in the same order read as a phrase.
        var positions = query.Select(q => FirstPosition(title, q)).Where(i => i >= 0).ToList();
        if (positions.Count > 1 && positions.Zip(positions.Skip(1)).All(pair => pair.First < pair.Second))
        {
            score *= 1.05;
        }

        // Prefer the title that is the query (and no more): fewer unmatched title words, a small step each.
        var unmatchedWords = Math.Max(0, title.Length - matchedTokens);
        score *= 1.0 - Math.Min(0.2, 0.01 * unmatchedWords);
        if (title.Length > 0 && FirstPosition(title, query[0]) == 0)
        {
            score *= 1.03;
        }

        return score;
    }

    private void AddAcronymCandidates(string token, int[] stamp, double[] scores, int[] matched, List<int> candidates)
    {
        // A linear pass over short strings, taken only for a query word that matches no title word.
        for (var p = 0; p < initials.Length; p++)
        {
            if (stamp[p] == 0 && initials[p].Contains(token, StringComparison.Ordinal))
            {
                stamp[p] = int.MaxValue;
                scores[p] = 0;
                matched[p] = 0;
                candidates.Add(p);
            }
        }
    }

    private bool ContainsTerm(int[] title, string token) =>
        termIds.TryGetValue(token, out var id) && Array.IndexOf(title, id) >= 0;

    private int FirstPosition(int[] title, string token)
    {
        for (var i = 0; i < title.Length; i++)
        {
            if (terms[title[i]].StartsWith(token, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private double? AcronymWeight(int[] title, string token)
    {
        // Accept a plural acronym ("llms") and skip small words inside ("Dynamically Composable Multi-Head
        // Attention" is "dcmha"; "Learning of X" still gives "lx").
        var letters = token.EndsWith('s') && token.Length > 2 ? [token, token[..^1]] : new[] { token };
        foreach (var acronym in letters)
        {
            for (var start = 0; start < title.Length; start++)
            {
                var i = start;
                var k = 0;
                var idfSum = 0.0;
                while (i < title.Length && k < acronym.Length)
                {
                    var word = terms[title[i]];
                    if (word[0] == acronym[k])
                    {
                        idfSum += idf[title[i]];
                        k++;
                        i++;
                    }
                    else if (k > 0 && IsSmallWord(word))
                    {
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                if (k == acronym.Length)
                {
                    return idfSum / acronym.Length * Math.Min(1.0, acronym.Length / 3.0);
                }
            }
        }

        return null;
    }

    private static bool IsSmallWord(string word) => word is "of" or "and" or "for" or "the" or "a" or "an" or "in" or "on" or "to" or "with";

    private IEnumerable<(int Term, double Weight)> MatchTerms(string token)
    {
        if (termIds.TryGetValue(token, out var exact))
        {
            yield return (exact, 1.0);
        }

        if (token.Length >= 2)
        {
            // Prefixes: the word the user is still typing, or a shortened word ("comp" for "composable").
            // A short prefix such as "in" says little even when it expands to a rare word ("infonet"): each
            // expansion counts at most as much as the prefix itself discriminates, judged by how many titles
            // all its expansions cover together.
            var lo = LowerBound(token);
            var hi = lo;
            var coveredTitles = 0L;
            while (hi < sortedTermIds.Length && terms[sortedTermIds[hi]].StartsWith(token, StringComparison.Ordinal))
            {
                coveredTitles += postings[sortedTermIds[hi]].Length;
                hi++;
            }

            var prefixIdf = Math.Log(1 + ((double)papers.Length / Math.Clamp(coveredTitles, 1, papers.Length)));
            for (var i = lo; i < hi; i++)
            {
                var id = sortedTermIds[i];
                var term = terms[id];
                if (term.Length != token.Length)
                {
                    yield return (id, (0.5 + (0.4 * token.Length / term.Length)) * Math.Min(1.0, prefixIdf / idf[id]));
                }
            }
        }

        if (token.Length >= 4)
        {
            // Typos: one edit for short words, two for long ones; candidates share enough trigrams.
            var maxEdits = token.Length >= 8 ? 2 : 1;
            var grams = Trigrams(token).Distinct().ToList();
            var needed = Math.Max(1, grams.Count - (3 * maxEdits));
            var shared = new Dictionary<int, int>();
            foreach (var gram in grams)
            {
                if (trigramTerms.TryGetValue(gram, out var list))
                {
                    foreach (var term in list)
                    {
                        shared[term] = shared.GetValueOrDefault(term) + 1;
                    }
                }
            }

            foreach (var (term, count) in shared)
            {
                if (count < needed || term == exact && terms[term] == token)
                {
                    continue;
                }

                var candidate = terms[term];
                if (candidate.StartsWith(token, StringComparison.Ordinal))
                {
                    continue;
                }

                if (Math.Abs(candidate.Length - token.Length) <= maxEdits && EditDistance(token, candidate, maxEdits) is var d && d <= maxEdits)
                {
                    yield return (term, d == 1 ? 0.7 : 0.5);
                }
                else if (candidate.Length > token.Length && EditDistance(token, candidate[..token.Length], 1) <= 1 && token.Length >= 5)
                {
                    // A typo in a word still being typed ("dynamicaly comp").
                    yield return (term, 0.45);
                }
            }
        }
    }

    private int LowerBound(string token)
    {
        int lo = 0, hi = sortedTermIds.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(terms[sortedTermIds[mid]], token) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static IEnumerable<long> Trigrams(string term)
    {
        // Padded so that the first and last letters count: "^sa", "sam", ..., "er$".
        var padded = "^" + term + "$";
        for (var i = 0; i + 3 <= padded.Length; i++)
        {
            yield return ((long)padded[i] << 32) | ((long)padded[i + 1] << 16) | padded[i + 2];
        }
    }

    /// <summary>Optimal string alignment distance (a transposition counts as one edit), stopping past <paramref name="max"/>.</summary>
    internal static int EditDistance(string a, string b, int max)
    {
        var rows = new int[3][];
        for (var r = 0; r < 3; r++)
        {
            rows[r] = new int[b.Length + 1];
        }

        for (var j = 0; j <= b.Length; j++)
        {
            rows[1][j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            // Row r lives in rows[(r + 1) % 3], so the three latest rows rotate without copying.
            var previous2 = rows[(i + 2) % 3];
            var previous = rows[i % 3];
            var current = rows[(i + 1) % 3];
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > max)
            {
                return max + 1;
            }
        }

        return rows[(a.Length + 1) % 3][b.Length];
    }

    /// <summary>Lowercase words of letters and digits into <paramref name="main"/>; hyphenated words also joined into <paramref name="joined"/>.</summary>
    private static void Tokenize(string text, List<string>? joined, out List<string> main)
    {
        main = [];
        var word = new System.Text.StringBuilder();
        var hyphenated = new System.Text.StringBuilder();
        var parts = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (word.Length > 0)
            {
                var w = word.ToString();
                main.Add(w);
                hyphenated.Append(w);
                parts++;
                word.Clear();
            }

            // "Low-Rank" also indexes "lowrank" so a query written either way finds it.
            if (c == '-' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))
            {
                continue;
            }

            if (parts > 1)
            {
                joined?.Add(hyphenated.ToString());
            }

            hyphenated.Clear();
            parts = 0;
        }
    }
}
