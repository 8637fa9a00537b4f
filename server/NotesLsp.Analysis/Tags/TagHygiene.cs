using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tags;

/// <summary>
/// Tag hygiene: a hint on a tag that looks like a rarer spelling of a more common tag, and, with an allow-list,
/// a warning on tags outside it. Each comes with a quick fix that replaces the tag in this note.
/// </summary>
public static class TagHygiene
{
    /// <summary>The code of the hint on a rarer spelling of a more common tag.</summary>
    public const string VariantCode = "tag-variant";

    /// <summary>The code of the warning on a tag outside <c>notes.tags.allowed</c>.</summary>
    public const string UnknownCode = "unknown-tag";

    /// <summary>The diagnostic data key holding the suggested tag.</summary>
    public const string ReplacementData = "replacement";

    /// <summary>
    /// A typo must be this long to count: short tags one edit apart are distinct words (<c>Trie</c>/<c>Tree</c>,
    /// <c>BART</c>/<c>BERT</c>, <c>ml</c>/<c>rl</c>).
    /// </summary>
    private const int MinTypoLength = 8;

    /// <summary>A typo suggestion points at a tag used at least this often.</summary>
    private const int MinTypoTargetCount = 3;

    /// <summary>
    /// A spelling used by more notes than this is a choice, not a slip, unless the other spelling is used twenty
    /// times as often: two tags that are each used often are two concepts, and are never merged.
    /// </summary>
    private const int MaxSlipCount = 2;

    public static ImmutableArray<NoteDiagnostic> Diagnostics(WorkspaceSnapshot snapshot, Note note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        return Diagnostics(snapshot, TagScanner.Occurrences(note.Text, snapshot.Tags.Keys), cancellationToken);
    }

    /// <summary>
    /// The diagnostics of a note's tag occurrences (as <see cref="TagScanner.Occurrences"/> reads them): the one
    /// implementation behind <see cref="Diagnostics(WorkspaceSnapshot, Note, CancellationToken)"/> and
    /// <c>notes-lsp check --cache</c>, which has the occurrences of an unchanged note from the index.
    /// </summary>
    public static ImmutableArray<NoteDiagnostic> Diagnostics(WorkspaceSnapshot snapshot, ImmutableArray<TagOccurrence> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var index = snapshot.Tags;
        if (items.IsDefaultOrEmpty)
        {
            return [];
        }

        var allowed = snapshot.Settings.Tags.Allowed.IsDefaultOrEmpty
            ? null
            : snapshot.Settings.Tags.Allowed.ToHashSet(StringComparer.Ordinal);

        // Preset `none` asks for YAML checks only; the setting turns the variant hint off everywhere.
        var variantHints = snapshot.Settings.Tags.VariantHints
            && !(snapshot.Settings.FrontMatter.SchemaFile is null && string.Equals(snapshot.Settings.FrontMatter.Preset?.Trim(), "none", StringComparison.OrdinalIgnoreCase));
        if (allowed is null && !variantHints)
        {
            return [];
        }

        var diagnostics = ImmutableArray.CreateBuilder<NoteDiagnostic>();
        HashSet<TextSpan>? seen = items.Length > 1 ? [] : null;
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // An anchored tag and its alias (`[&a ml, *a]`) are one piece of text: one diagnostic.
            if (seen is not null && !seen.Add(item.Span))
            {
                continue;
            }
            if (allowed is not null && allowed.Contains(item.Value))
            {
                continue;
            }

            var tag = new TagKey(item.Key, item.Value);

            // The allow-list is the vocabulary of the first tag key (tags); other keys such as categories
            // keep their own, open vocabularies.
            if (allowed is not null && item.Key == index.Keys[0])
            {
                var known = SuggestFromAllowList(allowed, item.Value);
                var message = known is null
                    ? $"`{item.Value}` is not in the allowed tags (notes.tags.allowed)"
                    : $"`{item.Value}` is not in the allowed tags (notes.tags.allowed); did you mean `{known}`?";
                diagnostics.Add(new NoteDiagnostic(item.Span, Severity.Warning, UnknownCode, message, Data: DataFor(known)));
                continue;
            }

            if (variantHints && Suggest(index, tag) is { } suggestion)
            {
                var times = suggestion.Count == 1 ? "once" : $"{suggestion.Count} times";
                diagnostics.Add(new NoteDiagnostic(item.Span, Severity.Hint, VariantCode,
                    $"did you mean `{suggestion.Tag}` (used {times})?", Data: DataFor(suggestion.Tag)));
            }
        }

        return diagnostics.ToImmutable();
    }

    /// <summary>Quick fixes for this feature's diagnostics that touch the span: replace the tag in this note.</summary>
    public static ImmutableArray<CodeFix> Fixes(WorkspaceSnapshot snapshot, Note note, TextSpan span, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        var fields = TagScanner.Scan(note.Text, snapshot.Tags.Keys);
        var fixes = ImmutableArray.CreateBuilder<CodeFix>();
        foreach (var diagnostic in Diagnostics(snapshot, note, cancellationToken))
        {
            if (diagnostic.Data?.GetValueOrDefault(ReplacementData) is not { } replacement
                || diagnostic.Span.End < span.Start || diagnostic.Span.Start > span.End)
            {
                continue;
            }

            // A tag an alias brings in (`tags: *k`) is written in another node; no single-note edit is offered there.
            if (fields.FirstOrDefault(f => f.Items.Any(i => i.Span == diagnostic.Span)) is not { } field)
            {
                continue;
            }

            var edits = TagEdits.Replace(note.Text, field, i => i.Span == diagnostic.Span, replacement);
            fixes.Add(new CodeFix($"Replace with `{replacement}`", "quickfix", new WorkspaceChange(
                ImmutableDictionary<string, ImmutableArray<TextEdit>>.Empty.Add(note.Uri, edits)), [diagnostic], IsPreferred: true));

            // The same spelling in other notes is the same slip: offer to fix them all at once.
            var tag = new TagKey(field.Key, field.Items.First(i => i.Span == diagnostic.Span).Value);
            var users = snapshot.Tags.Count(tag);
            if (users > 1)
            {
                fixes.Add(new CodeFix($"Replace `{tag.Value}` with `{replacement}` in all {users} notes", "quickfix",
                    TagNavigation.RenameEverywhere(snapshot, tag, replacement, cancellationToken), [diagnostic]));
            }
        }

        return fixes.ToImmutable();
    }

    /// <summary>
    /// The spelling this tag is probably meant to be, or null. Only another spelling of the same word counts:
    /// case, <c>-</c>/<c>_</c>/space and a plural <c>s</c> (<see cref="TagText.LooseForm"/>), used by more notes,
    /// or by as many notes and first (in the workspace's note order, which for dated posts is their date order).
    /// Beyond spellings, a one-letter typo of a long Latin-script tag used by at least three notes counts, never
    /// in CJK text, never at the first letter. And only a slip is flagged: a spelling used by more than two notes
    /// is a choice, unless the other is used twenty times as often.
    /// </summary>
    public static (string Tag, int Count)? Suggest(TagIndex index, TagKey tag)
    {
        ArgumentNullException.ThrowIfNull(index);
        var own = index.Count(tag);
        (string Tag, int Count)? best = null;
        foreach (var variant in index.Variants(tag))
        {
            if (variant == tag.Value)
            {
                continue;
            }

            var other = tag with { Value = variant };
            var count = index.Count(other);
            var wins = count > own || (count == own && UsedFirst(index, other, tag));
            if (wins && IsSlip(own, count) && IsBetter(variant, count, best))
            {
                best = (variant, count);
            }
        }

        if (best is not null || own > MaxSlipCount || tag.Value.Length < MinTypoLength || tag.Value.Any(IsCjk))
        {
            return best;
        }

        foreach (var (candidate, count) in index.ByCount)
        {
            // Most used first: once below the thresholds, nothing later can qualify, and the first match wins.
            if (count < MinTypoTargetCount || count <= own)
            {
                break;
            }

            if (candidate.Key == tag.Key && candidate.Value.Length >= MinTypoLength && !candidate.Value.Any(IsCjk)
                && char.ToLowerInvariant(candidate.Value[0]) == char.ToLowerInvariant(tag.Value[0])
                && TagText.IsOneEditApart(candidate.Value, tag.Value))
            {
                return (candidate.Value, count);
            }
        }

        return best;
    }

    /// <summary>A spelling used this often beside the other is a slip worth a hint, not a second concept.</summary>
    private static bool IsSlip(int own, int other) => own <= MaxSlipCount || own * 20 <= other;

    /// <summary>
    /// True when <paramref name="a"/> appears before <paramref name="b"/> in the workspace: in the ordinally first
    /// note using either, and within one note in order of appearance.
    /// </summary>
    private static bool UsedFirst(TagIndex index, TagKey a, TagKey b)
    {
        var notesA = index.NotesUsing(a);
        var notesB = index.NotesUsing(b);
        if (notesA.IsEmpty || notesB.IsEmpty)
        {
            return !notesA.IsEmpty;
        }

        var order = string.CompareOrdinal(notesA[0], notesB[0]);
        if (order != 0)
        {
            return order < 0;
        }

        var tags = index.TagsOf(notesA[0]);
        var positionA = tags.IndexOf(a);
        var positionB = tags.IndexOf(b);
        return positionA >= 0 && (positionB < 0 || positionA < positionB);
    }

    /// <summary>Han, kana and Hangul (and surrogates, which hold the rarer Han): one character there is a whole word.</summary>
    private static bool IsCjk(char c) =>
        c is (>= '\u2E80' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFFEF')
        || (c is >= '\u1100' and <= '\u11FF') || char.IsSurrogate(c);

    /// <summary>More notes wins; on a tie the ordinal first spelling does, so the answer never depends on hash order.</summary>
    private static bool IsBetter(string candidate, int count, (string Tag, int Count)? best) =>
        best is not { } current || count > current.Count || (count == current.Count && string.CompareOrdinal(candidate, current.Tag) < 0);

    private static string? SuggestFromAllowList(HashSet<string> allowed, string value)
    {
        var loose = TagText.LooseForm(value);
        return allowed.Where(a => TagText.LooseForm(a) == loose).Order(StringComparer.Ordinal).FirstOrDefault()
            ?? allowed.Where(a => value.Length >= MinTypoLength && TagText.IsOneEditApart(a, value)).Order(StringComparer.Ordinal).FirstOrDefault();
    }

    private static ImmutableDictionary<string, string>? DataFor(string? replacement) =>
        replacement is null ? null : ImmutableDictionary<string, string>.Empty.Add(ReplacementData, replacement);
}
