using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace NotesLsp.Papers;

/// <summary>
/// One word of a title or query as the search sees it: the word with its hyphens removed (<c>selfextend</c>),
/// its pieces (hyphens, CamelCase and letter/digit boundaries: <c>LLMCompiler</c> is <c>llm</c> + <c>compiler</c>),
/// whether it was written in capitals (an acronym: <c>GLA</c>), or a run of Chinese/Japanese/Korean characters.
/// </summary>
internal sealed record SearchWord(string Joined, string[] Segments, string[] Parts, bool Upper, bool Cjk, bool AfterApostrophe, bool[]? PartsUpper = null)
{
    /// <summary>Punctuation that ends a phrase (a colon, a bracket, a full stop) stands between this word and the one before.</summary>
    public bool BreakBefore { get; init; }

    /// <summary>Character bigrams of a CJK run (the run itself when it is one character).</summary>
    public IEnumerable<string> Bigrams()
    {
        if (Joined.Length == 1)
        {
            yield return Joined;
            yield break;
        }

        for (var i = 0; i + 2 <= Joined.Length; i++)
        {
            yield return Joined.Substring(i, 2);
        }
    }
}

/// <summary>
/// How search reads text: words (folded to lowercase without diacritics, LaTeX commands dropped), Latin words
/// taken out of CJK text, light stemming, and the reading of a query's citation noise (venue, year, "et al.",
/// "paper", presentation type) as context rather than title words.
/// </summary>
internal static partial class SearchText
{
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<a>\p{Lu}[\p{L}'’-]+)\s*(?:&|\band\b|\bund\b)\s*(?<b>\p{Lu}[\p{L}'’-]+)\s*(?:,|\)|\(?\d{4})")]
    private static partial System.Text.RegularExpressions.Regex AuthorPair();

    /// <summary>Words that sit inside acronyms without giving a letter ("Nash Learning from Human Feedback" is NLHF).</summary>
    public static bool IsSmallWord(string word) => word is "of" or "and" or "for" or "the" or "a" or "an" or "in" or "on" or "to" or "with" or "from" or "via" or "by" or "at" or "as" or "into";

    /// <summary>Conference series a query or a note may name; the venue name's first word, lowercased.</summary>
    public static readonly FrozenSet<string> VenueFamilies = new[]
    {
        "icml", "iclr", "neurips", "nips", "aistats", "colt", "uai", "aaai", "ijcai", "cvpr", "iccv", "eccv", "acl",
        "emnlp", "naacl", "kdd", "tmlr", "jmlr", "corl", "rlc", "coling", "interspeech", "icassp", "miccai",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Words of a citation that say where or how a paper appeared, not what it is called.
    private static readonly FrozenSet<string> NoiseWords = new[]
    {
        "paper", "papers", "et", "al", "arxiv", "preprint", "oral", "orals", "spotlight", "poster", "best", "award",
        "awards", "outstanding", "honorable", "mention", "proceedings", "openreview", "github", "pdf", "vs", "conference",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Splits text into search words.</summary>
    public static List<SearchWord> Words(string text)
    {
        var words = new List<SearchWord>();
        var i = 0;
        var pendingBreak = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ':' or ';' or '(' or ')' or '[' or ']' or '?' or '!' or '.' or ',' or '—' or '–' or '|' or '/' or '：' or '（' or '）' or '、' or '。')
            {
                pendingBreak = true;
            }

            if (c == '\\' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))
            {
                // A LaTeX command in a title ($\texttt{MoE}$) is markup, not a word.
                i++;
                while (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    i++;
                }

                continue;
            }

            if (IsCjk(c))
            {
                var start = i;
                while (i < text.Length && IsCjk(text[i]))
                {
                    i++;
                }

                var run = text[start..i];
                words.Add(new SearchWord(run, [run], [], false, true, false) { BreakBefore = true });
                pendingBreak = true;
                continue;
            }

            if (!IsWordChar(c))
            {
                i++;
                continue;
            }

            var afterApostrophe = i > 0 && text[i - 1] is '\'' or '’' or '‘';
            var segments = new List<string>();
            var wordStart = i;
            while (true)
            {
                var segmentStart = i;
                while (i < text.Length && IsWordChar(text[i]))
                {
                    i++;
                }

                segments.Add(text[segmentStart..i]);
                // "Low-Rank", "Self-Extend": one word written in pieces.
                if (i + 1 < text.Length && text[i] is '-' or '‐' && IsWordChar(text[i + 1]))
                {
                    i++;
                    continue;
                }

                break;
            }

            var original = text[wordStart..i];
            var parts = new List<string>();
            foreach (var segment in segments)
            {
                SplitCamel(segment, parts);
            }

            var folded = segments.Select(Fold).ToArray();
            var joined = string.Concat(folded);
            var letters = original.Where(char.IsLetter).ToList();
            var upper = letters.Count >= 2 && letters.All(char.IsUpper);
            var kept = parts.Where(p => p.Length > 0).ToList();
            var foldedParts = kept.Select(Fold).ToArray();
            var partsUpper = kept.Select(p => p.Length >= 2 && p.Where(char.IsLetter).All(char.IsUpper) && p.Any(char.IsLetter)).ToArray();
            words.Add(new SearchWord(joined, folded, foldedParts.Length > 1 ? foldedParts : [], upper, false, afterApostrophe, foldedParts.Length > 1 ? partsUpper : null) { BreakBefore = pendingBreak });
            pendingBreak = false;
        }

        return words;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) && !IsCjk(c) || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark;

    /// <summary>Chinese, Japanese (kana, the long-vowel mark) and Korean characters.</summary>
    public static bool IsCjk(char c) =>
        c is >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF'
            or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF66' and <= '\uFF9F' or >= '\u31F0' and <= '\u31FF';

    /// <summary>Lowercase without diacritics: "Tramèr" is "tramer", "Ä" is "a".</summary>
    public static string Fold(string word)
    {
        var ascii = true;
        foreach (var c in word)
        {
            if (c > 127)
            {
                ascii = false;
                break;
            }
        }

        if (ascii)
        {
            return word.ToLowerInvariant();
        }

        var decomposed = word.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.Replace("ß", "ss").ToString();
    }

    /// <summary>CamelCase, capital runs and letter/digit changes: "LLMCompiler" is LLM + Compiler, "tinyBenchmarks" tiny + Benchmarks, "2bit" 2 + bit.</summary>
    private static void SplitCamel(string segment, List<string> parts)
    {
        var start = 0;
        for (var i = 1; i < segment.Length; i++)
        {
            var a = segment[i - 1];
            var b = segment[i];
            var boundary = char.IsLower(a) && char.IsUpper(b)
                || char.IsUpper(a) && char.IsUpper(b) && i + 1 < segment.Length && char.IsLower(segment[i + 1])
                || char.IsDigit(a) != char.IsDigit(b);
            if (boundary)
            {
                parts.Add(segment[start..i]);
                start = i;
            }
        }

        parts.Add(segment[start..]);
    }

    /// <summary>
    /// A light English stemmer, the same for titles and queries: plurals, -ing, -ed, -ness, -ful, a final e, and
    /// British -is- as -iz- ("debate"/"debating", "truthfulness"/"truthful", "uncertainties"/"uncertainty").
    /// </summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || !char.IsAsciiLetter(word[^1]))
        {
            return word;
        }

        var w = word;
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4)
        {
            w = w[..^3] + "y";
        }
        else if (w.EndsWith("sses", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal))
        {
            w = w[..^1];
        }

        foreach (var suffix in (ReadOnlySpan<string>)["ness", "ful", "ing", "ed"])
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal) && w.Length - suffix.Length >= 3)
            {
                w = w[..^suffix.Length];
                break;
            }
        }

        if (w.EndsWith('e') && w.Length > 3)
        {
            w = w[..^1];
        }

        if (w.EndsWith('y') && w.Length > 3)
        {
            w = w[..^1] + "i";
        }

        if (w.Length >= 6)
        {
            var at = w.LastIndexOf("is", StringComparison.Ordinal);
            if (at >= 3 && at >= w.Length - 3)
            {
                w = w[..at] + "iz" + w[(at + 2)..];
            }
        }

        return w;
    }

    /// <summary>A query read for search: the words to match, the venue it names, and which words are author names.</summary>
    public sealed record Query(List<QueryUnit> Units, string? VenueFamily, int? Year);

    /// <summary>One thing to match: a word (with its pieces), an author name, or an optional hint (a CJK bigram, a glossary word).</summary>
    public sealed record QueryUnit(string Token, string[] Parts, bool Upper, bool Author, bool Optional, bool[]? PartsUpper = null);

    public static Query ReadQuery(string text)
    {
        var words = Words(text);
        string? family = null;
        int? year = null;
        var drop = new bool[words.Count];
        var author = new bool[words.Count];

        // "(Dao & Gu, 2024)": two names in a citation.
        var pairs = new HashSet<string>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match pair in AuthorPair().Matches(text))
        {
            pairs.Add(Fold(pair.Groups["a"].Value));
            pairs.Add(Fold(pair.Groups["b"].Value));
        }

        for (var i = 0; i < words.Count; i++)
        {
            author[i] = !words[i].Cjk && pairs.Contains(words[i].Joined);
        }

        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (w.Cjk)
            {
                continue;
            }

            // "ICML", "ICML2024", "NeurIPS'23", "ICML 2024", "(ICML'24)".
            var venueParts = VenueFamilies.Contains(w.Joined) || w.Parts.Length <= 1 ? [w.Joined] : w.Parts;
            if (VenueFamilies.Contains(venueParts[0]) && venueParts.Skip(1).All(p => p.All(char.IsAsciiDigit)))
            {
                family = venueParts[0] == "nips" ? "neurips" : venueParts[0];
                drop[i] = true;
                if (venueParts.Length > 1 && ReadYear(venueParts[1]) is { } y)
                {
                    year = y;
                }
                else if (i + 1 < words.Count && words[i + 1].Joined.All(char.IsAsciiDigit) && ReadYear(words[i + 1].Joined) is { } next)
                {
                    year = next;
                    drop[i + 1] = true;
                }

                continue;
            }

            if (w.Joined.Length == 4 && w.Joined.All(char.IsAsciiDigit) && ReadYear(w.Joined) is { } alone)
            {
                year ??= alone;
                drop[i] = true;
            }
            else if (w.AfterApostrophe && (w.Joined == "s" || w.Joined.Length == 2 && w.Joined.All(char.IsAsciiDigit)))
            {
                // "Google's", "'24".
                drop[i] = true;
            }
            else if (w.Joined == "et" && i + 1 < words.Count && words[i + 1].Joined == "al")
            {
                // "Liu et al.": the word before is an author's name.
                for (var j = i - 1; j >= 0; j--)
                {
                    if (!words[j].Cjk && !drop[j])
                    {
                        author[j] = true;
                        break;
                    }
                }
            }

            if (NoiseWords.Contains(w.Joined))
            {
                drop[i] = true;
            }
        }

        var units = new List<QueryUnit>();
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (w.Cjk)
            {
                foreach (var gram in w.Bigrams())
                {
                    units.Add(new QueryUnit(gram, [], false, false, Optional: true));
                }

                foreach (var english in Glossary.Translate(w.Joined))
                {
                    units.Add(new QueryUnit(english, [], false, false, Optional: true));
                }

                continue;
            }

            if (drop[i])
            {
                continue;
            }

            units.Add(w.Parts.Length > 1
                ? new QueryUnit(w.Joined, w.Parts, w.Upper, author[i], Optional: false, w.PartsUpper)
                : new QueryUnit(w.Joined, w.Segments.Length > 1 ? w.Segments : [], w.Upper, author[i], Optional: false));
            if (w.Joined.Length >= 5)
            {
                foreach (var english in Glossary.Translate(w.Joined))
                {
                    units.Add(new QueryUnit(english, [], false, false, Optional: true));
                }
            }
        }

        // A query that is only noise ("ICML 2024 paper") still searches its words rather than nothing.
        if (!units.Any(u => !u.Optional))
        {
            foreach (var w in words.Where(w => !w.Cjk))
            {
                units.Add(new QueryUnit(w.Joined, [], w.Upper, false, Optional: false));
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return new Query([.. units.Where(u => seen.Add((u.Author ? "@" : u.Optional ? "?" : "") + u.Token))], family, year);
    }

    private static int? ReadYear(string digits) => digits.Length switch
    {
        4 when int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1980 and <= 2099 => y,
        2 when int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var y) => 2000 + y,
        _ => null,
    };
}
