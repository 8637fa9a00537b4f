using System.Collections.Immutable;

namespace NotesLsp.Papers;

/// <summary>A search answer: the paper and its score (higher is better; comparable within one query).</summary>
public sealed record PaperMatch(PaperRecord Paper, double Score);

/// <summary>What a search knows besides its words: the venue the note is about (front matter, title), ranked first.</summary>
public sealed record SearchContext(string? VenueFamily = null, int? Year = null)
{
    public static SearchContext None { get; } = new();

    /// <summary>The venue a text names (<c>ICML 2024</c>, <c>NeurIPS'23</c>, <c>iclr2023</c>), or null.</summary>
    public static SearchContext? FromText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var query = SearchText.ReadQuery(text);
        return query.VenueFamily is null ? null : new SearchContext(query.VenueFamily, query.Year);
    }
}

/// <summary>
/// A search index built once per catalog, BM25F-style over fields: the title (with its joined and split words and
/// common expansions such as LLM = large language model), code repository names (<c>code_url</c>, strong aliases
/// of method names), keywords, abstract and TL;DR (weaker), and author names. Robust to word order, case,
/// punctuation, partial words (prefixes), typos (bounded edit distance), stems, CamelCase and hyphenation on
/// either side, acronyms of title words (<c>GLA</c>, <c>LookSAM</c>), citation noise (<c>(Liu et al., ICML'24
/// Oral)</c>) and Chinese/Japanese text (Latin words taken out, character bigrams, a small glossary).
/// </summary>
/// <remarks>
/// Speed at 200,000 papers comes from never scanning all papers for a normal word: each query word is looked up
/// in an inverted index (exact term), by stem, in a sorted vocabulary (prefixes) and in a trigram index over the
/// vocabulary (typos). Only a word written in capitals, or one that matches nothing, scans the papers' title
/// initials (short strings). Scores accumulate over postings; the best few hundred candidates are re-scored with
/// word order, title length and venue context.
/// </remarks>
public sealed partial class PaperSearchIndex
{
    private const int RescoreCandidates = 300;
    private const float TitleWeight = 1f;
    private const float TitleExtraWeight = 0.9f;
    private const float CodeWeight = 0.95f;
    private const float KeywordWeight = 0.55f;
    private const float AbstractWeight = 0.4f;

    // Phrases and their usual short forms, added to a title that has either so a query may use the other.
    private static readonly (string[] Phrase, string[] Short)[] Expansions =
    [
        (["large", "language", "model"], ["llm", "llms"]),
        (["large", "language", "models"], ["llm", "llms"]),
        (["language", "model"], ["lm", "lms"]),
        (["language", "models"], ["lm", "lms"]),
        (["vision", "language", "model"], ["vlm", "vlms"]),
        (["vision", "language", "models"], ["vlm", "vlms"]),
        (["reinforcement", "learning"], ["rl"]),
        (["graph", "neural", "network"], ["gnn", "gnns"]),
        (["graph", "neural", "networks"], ["gnn", "gnns"]),
        (["mixture", "of", "experts"], ["moe"]),
        (["state", "space", "model"], ["ssm", "ssms"]),
        (["state", "space", "models"], ["ssm", "ssms"]),
        (["vision", "transformer"], ["vit"]),
        (["vision", "transformers"], ["vit", "vits"]),
    ];

    /// <summary>Builds the index of <paramref name="papers"/> in memory, in the layout of an index file (one reading of both).</summary>
    internal static PaperSearchIndex Build(PaperRecords papers) => FromBlob(papers, BuildBlob(papers));

    private static byte[] BuildBlob(PaperRecords papers)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var termList = new List<string>();
        var paperLists = new List<List<int>>();
        var weightLists = new List<List<float>>();
        var titleTerms = new int[papers.Count][];
        var titleBreaks = new ulong[papers.Count];
        var paperNames = new string?[papers.Count];
        var venueFamily = new string?[papers.Count];
        var venueYear = new short[papers.Count];
        var authors = new Dictionary<string, (List<int> Papers, List<bool> First)>(StringComparer.Ordinal);
        var families = new Dictionary<string, string>(StringComparer.Ordinal);
        var local = new Dictionary<int, float>();
        var sequence = new List<int>();
        var abstractCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var averageAbstract = Math.Max(1.0, papers.Where(p => p.Abstract is not null).Select(p => (double)p.Abstract!.Length / 7).DefaultIfEmpty(1).Average());
        for (var p = 0; p < papers.Count; p++)
        {
            var paper = papers[p];
            local.Clear();
            sequence.Clear();
            var titleWords = SearchText.Words(paper.Title);
            var flat = new List<string>();

            // The method's name: the one to three words before a title's colon ("GaLore: Memory-Efficient ...").
            var nameLength = titleWords.FindIndex(1, w => w.BreakBefore);
            if (nameLength is >= 1 and <= 3 && !titleWords[0].Cjk)
            {
                paperNames[p] = titleWords[0].Joined;
            }

            foreach (var word in titleWords)
            {
                if (word.Cjk)
                {
                    foreach (var gram in word.Bigrams())
                    {
                        Add(gram, TitleWeight);
                    }

                    continue;
                }

                if (word.BreakBefore && sequence.Count is > 0 and < 64)
                {
                    titleBreaks[p] |= 1UL << sequence.Count;
                }

                foreach (var segment in word.Segments)
                {
                    sequence.Add(Add(segment, TitleWeight));
                    flat.Add(segment);
                }

                // "Low-Rank" is also "lowrank", "SelfExtend" also "self" and "extend", "LLMs" also "llm".
                if (word.Segments.Length > 1)
                {
                    Add(word.Joined, TitleExtraWeight);
                }

                foreach (var part in word.Parts)
                {
                    if (part.Length > 1)
                    {
                        Add(part, TitleExtraWeight);
                    }
                }
            }

            foreach (var (phrase, shortForms) in Expansions)
            {
                if (ContainsRun(flat, phrase))
                {
                    foreach (var s in shortForms)
                    {
                        Add(s, TitleExtraWeight);
                    }
                }

                if (shortForms.Any(s => flat.Contains(s, StringComparer.Ordinal)))
                {
                    foreach (var s in phrase)
                    {
                        Add(s, TitleExtraWeight * 0.9f);
                    }
                }
            }

            titleTerms[p] = [.. sequence];
            if (paper.CodeUrl is { } code && RepositoryName(code) is { } repository)
            {
                foreach (var word in SearchText.Words(repository))
                {
                    Add(word.Joined, CodeWeight);
                    foreach (var part in word.Parts.Concat(word.Segments))
                    {
                        if (part.Length > 1)
                        {
                            Add(part, CodeWeight * 0.9f);
                        }
                    }
                }
            }

            foreach (var keyword in paper.Keywords.IsDefault ? [] : paper.Keywords)
            {
                foreach (var word in SearchText.Words(keyword))
                {
                    foreach (var token in word.Cjk ? word.Bigrams() : word.Segments.Append(word.Joined).Distinct())
                    {
                        Add(token, KeywordWeight);
                    }
                }
            }

            var body = paper.Abstract is null ? paper.Tldr : paper.Tldr is null ? paper.Abstract : paper.Tldr + " " + paper.Abstract;
            if (body is not null)
            {
                abstractCounts.Clear();
                var length = 0;
                foreach (var word in SearchText.Words(body))
                {
                    foreach (var token in word.Cjk ? word.Bigrams() : word.Segments.Length > 1 ? word.Segments.Append(word.Joined) : word.Segments)
                    {
                        abstractCounts[token] = abstractCounts.GetValueOrDefault(token) + 1;
                        length++;
                    }
                }

                // BM25 saturation and length normalisation (k1 1.2, b 0.75) within the abstract field.
                var norm = 1.2 * (0.25 + (0.75 * length / averageAbstract));
                foreach (var (token, tf) in abstractCounts)
                {
                    Add(token, (float)(AbstractWeight * (tf * 2.2 / (tf + norm)) / 2.2 * 1.6));
                }
            }

            foreach (var (term, weight) in local)
            {
                paperLists[term].Add(p);
                weightLists[term].Add(Math.Min(weight, TitleWeight));
            }

            if (!paper.Authors.IsDefaultOrEmpty)
            {
                for (var a = 0; a < paper.Authors.Length; a++)
                {
                    var names = SearchText.Words(paper.Authors[a]).Where(w => !w.Cjk && w.Joined.Length > 1).Select(w => w.Joined).ToList();
                    for (var k = 0; k < names.Count; k++)
                    {
                        if (!authors.TryGetValue(names[k], out var list))
                        {
                            authors[names[k]] = list = ([], []);
                        }

                        if (list.Papers.Count > 0 && list.Papers[^1] == p)
                        {
                            list.First[^1] |= a == 0 && k == names.Count - 1;
                            continue;
                        }

                        list.Papers.Add(p);
                        list.First.Add(a == 0 && k == names.Count - 1);
                    }
                }
            }

            if (paper.VenueName is { } venueName)
            {
                var space = venueName.IndexOf(' ', StringComparison.Ordinal);
                var family = SearchText.Fold(space > 0 ? venueName[..space] : venueName);
                family = family == "nips" ? "neurips" : family;
                if (!families.TryGetValue(family, out var shared))
                {
                    families[family] = shared = family;
                }

                venueFamily[p] = shared;
                var yearText = venueName.Split(' ').FirstOrDefault(w => w.Length == 4 && w.All(char.IsAsciiDigit));
                venueYear[p] = yearText is null ? (short)0 : short.Parse(yearText, System.Globalization.CultureInfo.InvariantCulture);
            }

            int Add(string token, float weight)
            {
                if (!ids.TryGetValue(token, out var id))
                {
                    id = termList.Count;
                    ids.Add(token, id);
                    termList.Add(token);
                    paperLists.Add([]);
                    weightLists.Add([]);
                }

                local[id] = Math.Max(local.GetValueOrDefault(id), weight);
                return id;
            }
        }

        string[] terms = [.. termList];

        // First letters of every title word and of the words that are not small ("of", "the"), for acronym
        // queries that match no word at all ("dcmha").
        // A colon or bracket in the title shows as ':' so an acronym does not run across it.
        string[] initials = [.. titleTerms.Select((t, p) => Initials(t, titleBreaks[p], termList, skipSmall: false) + "|" + Initials(t, titleBreaks[p], termList, skipSmall: true))];
        double[] idf = [.. paperLists.Select(list => Math.Log(1 + ((double)papers.Count / Math.Max(1, list.Count))))];
        var stemTerms = Enumerable.Range(0, terms.Length)
            .Where(t => terms[t].Length > 3)
            .GroupBy(t => SearchText.Stem(terms[t]), StringComparer.Ordinal)
            .Where(g => g.Skip(1).Any())
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        int[] sortedTermIds = [.. Enumerable.Range(0, terms.Length)];
        Array.Sort(sortedTermIds, (a, b) => string.CompareOrdinal(terms[a], terms[b]));
        var trigrams = new Dictionary<long, List<int>>();
        for (var t = 0; t < terms.Length; t++)
        {
            if (terms[t].Length < 3 || SearchText.IsCjk(terms[t][0]))
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

        // The layout PaperSearchIndex.Binary.cs reads; keys in ordinal order, so the same catalog always gives
        // the same bytes (dictionary order is not stable).
        using var writer = new PaperIndexFile.Writer();
        writer.Int(papers.Count);
        writer.Keys(terms);
        writer.Block<int>(Offsets(paperLists.Select(l => l.Count)));
        writer.Block<int>([.. paperLists.SelectMany(l => l)]);
        writer.Block<float>([.. weightLists.SelectMany(l => l)]);
        writer.Block<double>(idf);
        var stems = stemTerms.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        writer.Keys([.. stems.Select(pair => pair.Key)]);
        writer.Block<int>(Offsets(stems.Select(pair => pair.Value.Length)));
        writer.Block<int>([.. stems.SelectMany(pair => pair.Value)]);
        writer.Block<int>(sortedTermIds);
        var grams = trigrams.OrderBy(pair => pair.Key).ToList();
        writer.Block<long>([.. grams.Select(pair => pair.Key)]);
        writer.Block<int>(Offsets(grams.Select(pair => pair.Value.Count)));
        writer.Block<int>([.. grams.SelectMany(pair => pair.Value)]);
        writer.Block<int>(Offsets(titleTerms.Select(t => t.Length)));
        writer.Block<int>([.. titleTerms.SelectMany(t => t)]);
        writer.Block<ulong>(titleBreaks);
        var misc = new List<string>();
        var miscIds = new Dictionary<string, int>(StringComparer.Ordinal);
        int[] nameIds = [.. paperNames.Select(Intern)];
        int[] familyIds = [.. venueFamily.Select(Intern)];
        writer.Table(misc);
        writer.Block<int>(nameIds);
        writer.Block<int>(familyIds);
        writer.Block<short>(venueYear);

        // Each paper's initials then a newline, so one scan of the block finds an acronym in every title.
        var initialBytes = initials.Select(i => System.Text.Encoding.UTF8.GetBytes(i + "\n")).ToList();
        writer.Block<int>(Offsets(initialBytes.Select(b => b.Length)));
        writer.Block<byte>([.. initialBytes.SelectMany(b => b)]);
        var authorList = authors.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        writer.Keys([.. authorList.Select(pair => pair.Key)]);
        writer.Block<int>(Offsets(authorList.Select(pair => pair.Value.Papers.Count)));
        writer.Block<int>([.. authorList.SelectMany(pair => pair.Value.Papers)]);
        writer.Block<byte>([.. authorList.SelectMany(pair => pair.Value.First).Select(f => f ? (byte)1 : (byte)0)]);
        writer.Block<byte>([.. papers.Select(paper => (byte)paper.Decision)]);
        return writer.ToArray();

        int Intern(string? value)
        {
            if (value is null)
            {
                return -1;
            }

            if (!miscIds.TryGetValue(value, out var id))
            {
                id = misc.Count;
                miscIds.Add(value, id);
                misc.Add(value);
            }

            return id;
        }
    }

    private static int[] Offsets(IEnumerable<int> lengths)
    {
        var offsets = new List<int> { 0 };
        foreach (var length in lengths)
        {
            offsets.Add(checked(offsets[^1] + length));
        }

        return [.. offsets];
    }

    public int Count => count;

    private static string Initials(int[] title, ulong breaks, List<string> termList, bool skipSmall)
    {
        var builder = new System.Text.StringBuilder(title.Length + 4);
        for (var i = 0; i < title.Length; i++)
        {
            if (i > 0 && i < 64 && (breaks & (1UL << i)) != 0)
            {
                builder.Append(':');
            }

            if (!skipSmall || !SearchText.IsSmallWord(termList[title[i]]))
            {
                builder.Append(termList[title[i]][0]);
            }
        }

        return builder.ToString();
    }

    /// <summary>The best matches for <paramref name="query"/>, best first; ties go to orals, then to later venues.</summary>
    public ImmutableArray<PaperMatch> Search(string query, int limit) => Search(query, limit, null);

    /// <summary>
    /// The best matches for <paramref name="query"/>; papers of the venue the query names, else of
    /// <paramref name="context"/>'s venue, rank first among comparable matches.
    /// </summary>
    public ImmutableArray<PaperMatch> Search(string query, int limit, SearchContext? context)
    {
        ArgumentNullException.ThrowIfNull(query);
        var read = SearchText.ReadQuery(query);
        var units = read.Units;
        if (units.Count == 0 || count == 0 || limit <= 0)
        {
            return [];
        }

        var family = read.VenueFamily ?? context?.VenueFamily;
        var year = read.VenueFamily is not null ? read.Year : read.Year ?? context?.Year;
        var n = count;

        // The per-paper arrays of the last search, handed back clean (the loops below rely on zeros and reset what
        // they touch), so a search costs what its postings cost, not a clearing of arrays as long as the catalog.
        // A search running beside another takes fresh ones; one that throws leaves its arrays to the GC.
        var scratch = Interlocked.Exchange(ref spare, null) ?? new Scratch(n);
        var (scores, cover, token, unit, partSum, partCount, inCandidates, matchedUnits) = scratch;
        var candidates = scratch.Candidates;
        var result = Find();
        foreach (var p in candidates)
        {
            inCandidates[p] = false;
        }

        candidates.Clear();
        spare = scratch;
        return result;

        ImmutableArray<PaperMatch> Find()
        {
            var (tokenTouched, unitTouched, partTouched) = (scratch.TokenTouched, scratch.UnitTouched, scratch.PartTouched);
            var possible = 0.0;
            var required = 0;
            var unknownWord = Math.Log(1 + n);
            for (var u = 0; u < units.Count; u++)
            {
                var q = units[u];
                // The word itself straight into the unit's scores (they are zero here), the papers in the order found.
                var best = ScoreToken(q.Token, q.Upper, q.Author, unit, unitTouched, allowScan: true);

                // The pieces of a joined or CamelCase word ("LLMCompiler", "CodeAct"), else a split of a long
                // lowercase word into two vocabulary words ("codeact"), each piece counting for part of the word.
                var parts = q.Parts.Length > 1 ? q.Parts : best == 0 && !q.Author ? SplitJoined(q.Token) : [];
                if (parts.Length > 1)
                {
                    partTouched.Clear();
                    var bestParts = 0.0;
                    var pieces = 0;
                    for (var i = 0; i < parts.Length; i++)
                    {
                        var part = parts[i];
                        if (part.Length < 2 && !char.IsAsciiDigit(part[0]))
                        {
                            continue;
                        }

                        pieces++;
                        var capitals = q.Upper || q.PartsUpper is { } upperParts && i < upperParts.Length && upperParts[i];
                        bestParts += ScoreToken(part, capitals && part.Length <= 6, false, token, tokenTouched, allowScan: part.Length >= 2);
                        foreach (var p in tokenTouched)
                        {
                            if (partCount[p] == 0)
                            {
                                partTouched.Add(p);
                            }

                            partSum[p] += token[p];
                            partCount[p]++;
                        }

                        Reset(token, tokenTouched);
                    }

                    foreach (var p in partTouched)
                    {
                        // The pieces together count as one word: their mean, less when some are missing.
                        var combined = 0.85 * partSum[p] / pieces * (partCount[p] == pieces ? 1.0 : 0.6);
                        if (combined > unit[p])
                        {
                            if (unit[p] == 0)
                            {
                                unitTouched.Add(p);
                            }

                            unit[p] = combined;
                        }

                        partSum[p] = 0;
                        partCount[p] = 0;
                    }

                    best = Math.Max(best, 0.85 * bestParts / Math.Max(1, pieces));
                }

                // What a perfect paper would get for this word: its exact title match, or when no title has the
                // word, as much as a rare word, so that a catalog where the word only half matches does not
                // look as sure as one that has it (catalogs' answers are merged by these scores).
                var unitPossible = TermId(q.Token) is var exactTerm and >= 0 ? idf[exactTerm] * 0.9 : 0.6 * unknownWord;
                if (q.Author || q.Optional)
                {
                    unitPossible = 0;
                }

                foreach (var p in unitTouched)
                {
                    unitPossible = Math.Max(unitPossible, unit[p]);
                }

                if (!q.Optional)
                {
                    required++;
                    possible += unitTouched.Count > 0 ? unitPossible : 0.5 * unknownWord;
                }
                else
                {
                    possible += 0.5 * unitPossible;
                }

                foreach (var p in unitTouched)
                {
                    if (!inCandidates[p])
                    {
                        inCandidates[p] = true;
                        scores[p] = 0;
                        cover[p] = 0;
                        matchedUnits[p] = 0;
                        candidates.Add(p);
                    }

                    scores[p] += q.Optional ? 0.5 * unit[p] : unit[p];
                    if (!q.Optional)
                    {
                        cover[p] += 0.5 + (0.5 * Math.Min(1.0, unit[p] / unitPossible));
                    }

                    if (u < 64)
                    {
                        matchedUnits[p] |= 1UL << u;
                    }
                }

                Reset(unit, unitTouched);
            }

            if (candidates.Count == 0 || possible <= 0)
            {
                return [];
            }

            // Cheap first ranking: more query words matched first, then the summed weights (the first found first
            // among equals).
            var top = scratch.Best(Math.Max(RescoreCandidates, limit))
                .Select(p => (Paper: p, Score: Rescore(p, units, scores[p], cover[p], required, matchedUnits[p], family, year) / possible))
                .OrderByDescending(c => c.Score)
                .ThenBy(c => Decisions.Rank(DecisionOf(c.Paper)))
                .ThenByDescending(c => venueYear[c.Paper])
                .ThenBy(c => papers.Title(c.Paper), StringComparer.Ordinal)
                .Take(limit);
            return [.. top.Select(c => new PaperMatch(papers[c.Paper], Math.Round(c.Score, 4)))];
        }
    }

    /// <summary>A search's per-paper arrays; between searches every entry is zero (false) but scores, cover and matched units.</summary>
    private sealed class Scratch(int n)
    {
        public double[] Scores { get; } = new double[n];

        public double[] Cover { get; } = new double[n];

        public double[] Token { get; } = new double[n];

        public double[] Unit { get; } = new double[n];

        public double[] PartSum { get; } = new double[n];

        public int[] PartCount { get; } = new int[n];

        public bool[] InCandidates { get; } = new bool[n];

        public ulong[] MatchedUnits { get; } = new ulong[n];

        public List<int> Candidates { get; } = [];

        public List<int> TokenTouched { get; } = [];

        public List<int> UnitTouched { get; } = [];

        public List<int> PartTouched { get; } = [];

        private (double Key, int Index)[] heap = [];

        /// <summary>
        /// The <paramref name="k"/> candidates of highest key (cover * 1000 + score), best first, the earlier
        /// candidate first among equal keys: what a stable sort of all candidates then taking <paramref name="k"/>
        /// gives, without sorting (or allocating for) tens of thousands of candidates that a common word touches.
        /// </summary>
        public int[] Best(int k)
        {
            var keep = Math.Min(k, Candidates.Count);
            if (heap.Length < keep)
            {
                heap = new (double, int)[Math.Max(keep, Math.Min(2 * heap.Length, k))];
            }

            // A heap of the kept ones with the worst at its root: lower key, or the same key found later.
            var size = 0;
            for (var i = 0; i < Candidates.Count; i++)
            {
                var p = Candidates[i];
                var entry = ((Cover[p] * 1000.0) + Scores[p], i);
                if (size < keep)
                {
                    heap[size] = entry;
                    Up(size++);
                }
                else if (Worse(heap[0], entry))
                {
                    heap[0] = entry;
                    Down(size);
                }
            }

            var kept = heap.AsSpan(0, size);
            kept.Sort(static (a, b) => Worse(a, b) ? 1 : Worse(b, a) ? -1 : 0);
            var best = new int[size];
            for (var i = 0; i < size; i++)
            {
                best[i] = Candidates[kept[i].Index];
            }

            return best;
        }

        // The order of a stable descending sort by key: a is worse than b when its key is lower, or equal and a came later.
        private static bool Worse((double Key, int Index) a, (double Key, int Index) b)
        {
            var order = a.Key.CompareTo(b.Key);
            return order < 0 || (order == 0 && a.Index > b.Index);
        }

        private void Up(int at)
        {
            while (at > 0 && Worse(heap[at], heap[(at - 1) / 2]))
            {
                (heap[at], heap[(at - 1) / 2]) = (heap[(at - 1) / 2], heap[at]);
                at = (at - 1) / 2;
            }
        }

        private void Down(int size)
        {
            var at = 0;
            while (true)
            {
                var worst = at;
                var left = (2 * at) + 1;
                if (left < size && Worse(heap[left], heap[worst]))
                {
                    worst = left;
                }

                if (left + 1 < size && Worse(heap[left + 1], heap[worst]))
                {
                    worst = left + 1;
                }

                if (worst == at)
                {
                    return;
                }

                (heap[at], heap[worst]) = (heap[worst], heap[at]);
                at = worst;
            }
        }

        public void Deconstruct(out double[] scores, out double[] cover, out double[] token, out double[] unit, out double[] partSum, out int[] partCount, out bool[] inCandidates, out ulong[] matchedUnits) =>
            (scores, cover, token, unit, partSum, partCount, inCandidates, matchedUnits) = (Scores, Cover, Token, Unit, PartSum, PartCount, InCandidates, MatchedUnits);
    }

    /// <summary>Lowercase words of letters and digits, as the index reads them (hyphenated words in pieces).</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. SearchText.Words(text).SelectMany(w => w.Cjk ? [w.Joined] : w.Segments)];
    }

    private static void Reset(double[] values, List<int> touched)
    {
        foreach (var p in touched)
        {
            values[p] = 0;
        }
    }

    /// <summary>
    /// The best weight per paper for one query token into <paramref name="best"/> (papers in <paramref name="touched"/>);
    /// returns the best weight any paper got.
    /// </summary>
    private double ScoreToken(string token, bool upper, bool authorOnly, double[] best, List<int> touched, bool allowScan)
    {
        touched.Clear();
        var top = 0.0;
        if (!authorOnly)
        {
            var anyTerm = false;
            var exact = false;
            var exactIdf = TermId(token) is var exactTerm and >= 0 ? idf[exactTerm] : double.MaxValue;
            foreach (var (term, weight) in MatchTerms(token, upper))
            {
                anyTerm = true;
                exact |= weight >= 1.0;

                // A fuzzy match (prefix, typo, stem) of a rarer word never outweighs the word itself: "GNNs" is
                // not "SNNs", however rare that is.
                var w = weight * Math.Min(idf[term], exactIdf);
                var list = postings[term];
                var weights = postingWeights.Slice(postings.Start(term), list.Length);
                for (var k = 0; k < list.Length; k++)
                {
                    var p = list[k];
                    var v = w * weights[k];
                    if (best[p] == 0)
                    {
                        touched.Add(p);
                    }

                    if (v > best[p])
                    {
                        best[p] = v;
                        top = Math.Max(top, v);
                    }
                }
            }

            // An acronym of title words: always for a word in capitals ("GLA", where "glasses" is only a prefix
            // match), else only when nothing else matched ("dcmha").
            if (allowScan && token.Length is >= 2 and <= 8 && token.All(char.IsAsciiLetterOrDigit) && (upper && token.Length <= 6 || !anyTerm) && !SearchText.IsCjk(token[0]))
            {
                top = Math.Max(top, AcronymScan(token, exact, upper, best, touched));
            }
        }

        if (authorIds.Find(token, authorOf) is var author and >= 0)
        {
            // A name before "et al." is an author's; any other word may be one too, weakly.
            var authored = authorPapers[author];
            var first = authorFirst.Slice(authorPapers.Start(author), authored.Length);
            var w = Math.Log(1 + ((double)count / authored.Length)) * (authorOnly ? 1.0 : 0.35);
            for (var k = 0; k < authored.Length; k++)
            {
                var p = authored[k];
                var v = w * (first[k] != 0 ? 1.0 : 0.6);
                if (best[p] == 0)
                {
                    touched.Add(p);
                }

                if (v > best[p])
                {
                    best[p] = v;
                    top = Math.Max(top, v);
                }
            }
        }

        return top;
    }

    private double AcronymScan(string token, bool exactExists, bool upper, double[] best, List<int> touched)
    {
        // "LLMs" is the plural of LLM; "LATS" written in capitals is itself the acronym.
        var acronym = !upper && token.EndsWith('s') && token.Length > 2 ? token[..^1] : token;
        var found = new List<(int Paper, bool AtStart)>();

        // One scan of all titles' initials (each ends with a newline, which an acronym never holds), taking each
        // title's first occurrence, as a search title by title would: the acronym is ASCII, so its UTF-8 bytes
        // are found exactly where its characters are.
        Span<byte> needle = stackalloc byte[acronym.Length];
        for (var i = 0; i < acronym.Length; i++)
        {
            needle[i] = (byte)acronym[i];
        }

        var all = initials.Span;
        var starts = initialOffsets.Span;
        var from = 0;
        var paper = 0;
        while (from < all.Length && all[from..].IndexOf(needle) is var offset and >= 0)
        {
            var at = from + offset;
            while (starts[paper + 1] <= at)
            {
                paper++;
            }

            found.Add((paper, at == starts[paper] || all[at - 1] is (byte)'|' or (byte)':'));
            from = starts[paper + 1];
        }

        if (found.Count == 0)
        {
            return 0;
        }

        // As strong as a rare title word; a little less when the word is also a title word somewhere.
        var w = Math.Log(1 + ((double)count / found.Count)) * (exactExists ? 0.8 : 0.95) * Math.Min(1.0, acronym.Length / 3.0);
        var top = 0.0;
        foreach (var (p, atStart) in found)
        {
            var v = w * (atStart ? 1.0 : 0.85);
            if (best[p] == 0)
            {
                touched.Add(p);
            }

            if (v > best[p])
            {
                best[p] = v;
            }

            top = Math.Max(top, best[p]);
        }

        return top;
    }

    /// <summary>A lowercase word that no title has, read as two vocabulary words ("codeact" is code + act...).</summary>
    private string[] SplitJoined(string token)
    {
        if (token.Length < 6 || !token.All(char.IsAsciiLetter))
        {
            return [];
        }

        string[] bestSplit = [];
        var bestScore = 0.0;
        for (var i = 2; i <= token.Length - 3; i++)
        {
            var left = token[..i];
            var right = token[i..];
            if (TermId(left) is var l and >= 0 && (TermId(right) is var r and >= 0 ? idf[r] : HasPrefix(right) ? 1.0 : 0) is var rightScore and > 0)
            {
                var score = Math.Min(idf[l], rightScore) + (i >= 3 ? 0.5 : 0);
                if (score > bestScore)
                {
                    bestScore = score;
                    bestSplit = [left, right];
                }
            }
        }

        return bestSplit;
    }

    private bool HasPrefix(string token)
    {
        var lo = LowerBound(token);
        return lo < sortedTermIds.Length && Term(sortedTermIds[lo]).StartsWith(token, StringComparison.Ordinal);
    }

    private double Rescore(int paper, List<SearchText.QueryUnit> query, double raw, double covered, int required, ulong matched, string? family, int? year)
    {
        var title = titleTerms[paper];
        var score = raw;
        var matchedTokens = covered;

        // Acronyms: a query word that is the initials of consecutive title words ("dcmha", "llm", "lora").
        for (var u = 0; u < query.Count && u < 64; u++)
        {
            var token = query[u].Token;
            if (!query[u].Optional && !query[u].Author && (matched & (1UL << u)) == 0 && token.Length is >= 2 and <= 8 && AcronymWeight(title, titleBreaks[paper], token) is { } acronym)
            {
                score += 0.8 * acronym;
                matchedTokens++;
            }
        }

        var coverage = required == 0 ? 1.0 : Math.Min(1.0, matchedTokens / required);
        score *= 0.4 + (0.6 * coverage);

        // Word order: query words found in the title in the same order read as a phrase.
        var inOrder = true;
        var found = 0;
        var last = -1;
        foreach (var q in query)
        {
            if (!q.Optional && !q.Author && FirstPosition(title, q.Token) is var position and >= 0)
            {
                inOrder &= position > last;
                last = position;
                found++;
            }
        }

        if (found > 1 && inOrder)
        {
            score *= 1.05;
        }

        // Prefer the title that is the query (and no more): fewer unmatched title words, a small step each.
        var unmatchedWords = Math.Max(0, title.Length - matchedTokens);
        score *= 1.0 - Math.Min(0.2, 0.01 * unmatchedWords);
        if (title.Length > 0 && query.FirstOrDefault(q => !q.Optional && !q.Author) is { } first && FirstPosition(title, first.Token) == 0)
        {
            score *= 1.03;
        }

        // The paper's own name ("GaLore" of "GaLore: Memory-Efficient ...") is what people call it.
        if (misc.OrNull(names[paper]) is { } name && query.Any(q => !q.Optional && !q.Author && q.Token == name))
        {
            score *= 1.25;
        }

        // Venue context: the venue the query or the note names ranks first among comparable matches.
        if (family is not null && misc.OrNull(venueFamily[paper]) == family)
        {
            score *= year is null || venueYear[paper] == year ? 1.3 : 1.08;
        }
        else if (family is null && year is not null && venueYear[paper] == year)
        {
            score *= 1.1;
        }

        // Not accepted: shown, but after an accepted paper that matches as well.
        if (DecisionOf(paper) is PaperDecision.Rejected or PaperDecision.Withdrawn or PaperDecision.DeskRejected or PaperDecision.Submitted)
        {
            score *= 0.95;
        }

        return score;
    }

    private int FirstPosition(ReadOnlySpan<int> title, string token)
    {
        for (var i = 0; i < title.Length; i++)
        {
            if (Term(title[i]).StartsWith(token, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private double? AcronymWeight(ReadOnlySpan<int> title, ulong breaks, string token)
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
                    if (i > start && i < 64 && (breaks & (1UL << i)) != 0)
                    {
                        break;
                    }

                    var word = Term(title[i]);
                    if (word[0] == acronym[k])
                    {
                        idfSum += idf[title[i]];
                        k++;
                        i++;
                    }
                    else if (k > 0 && SearchText.IsSmallWord(word))
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

    private IEnumerable<(int Term, double Weight)> MatchTerms(string token, bool upper)
    {
        var exact = TermId(token);
        var hasExact = exact >= 0;
        if (hasExact)
        {
            yield return (exact, 1.0);
        }

        if (SearchText.IsCjk(token[0]))
        {
            yield break;
        }

        // Other forms of the same word: "debating" for "debate", "uncertainties" for "uncertainty".
        if (token.Length > 3 && StemRange(SearchText.Stem(token)) is (var stemStart, var stemEnd) && stemStart < stemEnd)
        {
            for (var s = stemStart; s < stemEnd; s++)
            {
                var term = stemTerms.Values[s];
                if (!hasExact || term != exact)
                {
                    yield return (term, 0.9);
                }
            }
        }

        if (token.Length >= 2)
        {
            // Prefixes: the word the user is still typing, or a shortened word ("comp" for "composable").
            // A short prefix such as "in" says little even when it expands to a rare word ("infonet"): each
            // expansion counts at most as much as the prefix itself discriminates, judged by how many titles
            // all its expansions cover together. A word in capitals is an acronym, not a word being typed.
            var lo = LowerBound(token);
            var hi = lo;
            var coveredTitles = 0L;
            while (hi < sortedTermIds.Length && Term(sortedTermIds[hi]).StartsWith(token, StringComparison.Ordinal))
            {
                coveredTitles += postings.End(sortedTermIds[hi]) - postings.Start(sortedTermIds[hi]);
                hi++;
            }

            var prefixIdf = Math.Log(1 + ((double)count / Math.Clamp(coveredTitles, 1, count)));
            var damp = upper ? 0.35 : 1.0;
            for (var i = lo; i < hi; i++)
            {
                var id = sortedTermIds[i];
                var term = Term(id);
                if (term.Length != token.Length)
                {
                    yield return (id, damp * (0.5 + (0.4 * token.Length / term.Length)) * Math.Min(1.0, prefixIdf / idf[id]));
                }
            }
        }

        if (token.Length >= 4 && !(upper && token.Length <= 6))
        {
            // Typos: one edit for short words, two for long ones; candidates share enough trigrams.
            var maxEdits = token.Length >= 8 ? 2 : 1;
            var grams = Trigrams(token).Distinct().ToList();
            var needed = Math.Max(1, grams.Count - (3 * maxEdits));
            var shared = new Dictionary<int, int>();
            foreach (var gram in grams)
            {
                if (TrigramList(gram) is var list and >= 0)
                {
                    for (var k = trigramTerms.Start(list); k < trigramTerms.End(list); k++)
                    {
                        var term = trigramTerms.Values[k];
                        shared[term] = shared.GetValueOrDefault(term) + 1;
                    }
                }
            }

            foreach (var (term, count) in shared)
            {
                if (count < needed || hasExact && term == exact)
                {
                    continue;
                }

                var candidate = Term(term);
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

    private static bool ContainsRun(List<string> words, string[] phrase)
    {
        for (var i = 0; i + phrase.Length <= words.Count; i++)
        {
            var all = true;
            for (var k = 0; k < phrase.Length && all; k++)
            {
                all = words[i + k] == phrase[k];
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"CodeAct" from <c>https://github.com/xingyaoww/code-act</c> or <c>.../CodeAct.git</c>.</summary>
    private static string? RepositoryName(string url)
    {
        var trimmed = url.Trim().TrimEnd('/');
        if (trimmed.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[..^4];
        }

        var slash = trimmed.LastIndexOf('/');
        var name = slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
        return name.Length is > 0 and <= 100 && !name.Contains('.', StringComparison.Ordinal) ? name : null;
    }

    private int LowerBound(string token)
    {
        int lo = 0, hi = sortedTermIds.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(Term(sortedTermIds[mid]), token) < 0)
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
}
