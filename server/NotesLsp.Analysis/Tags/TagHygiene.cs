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

    /// <summary>A typo must be this long to count: short tags one edit apart (<c>ml</c>, <c>rl</c>) are distinct words.</summary>
    private const int MinTypoLength = 4;

    /// <summary>A typo suggestion points at a tag used at least this often.</summary>
    private const int MinTypoTargetCount = 3;

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
        var diagnostics = ImmutableArray.CreateBuilder<NoteDiagnostic>();
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
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

            if (Suggest(index, tag) is { } suggestion)
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

            var field = fields.First(f => f.Items.Any(i => i.Span == diagnostic.Span));
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
    /// The more common tag this one is probably meant to be: another spelling of it (case, plural <c>s</c>,
    /// <c>-</c>/<c>_</c>/space) used by more notes, else a tag one edit away used by at least three notes and
    /// by more notes than this one. The most used candidate wins.
    /// </summary>
    public static (string Tag, int Count)? Suggest(TagIndex index, TagKey tag)
    {
        ArgumentNullException.ThrowIfNull(index);
        var own = index.Count(tag);
        (string Tag, int Count)? best = null;
        foreach (var variant in index.Variants(tag))
        {
            var count = index.Count(tag with { Value = variant });
            if (variant != tag.Value && count > own && IsBetter(variant, count, best))
            {
                best = (variant, count);
            }
        }

        if (best is not null || tag.Value.Length < MinTypoLength)
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

            if (candidate.Key == tag.Key && TagText.IsOneEditApart(candidate.Value, tag.Value))
            {
                return (candidate.Value, count);
            }
        }

        return best;
    }

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
