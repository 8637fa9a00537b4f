using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tags;

/// <summary>Completion of tags in front matter tag fields (and, behind a setting, of inline <c>#tags</c> in the body).</summary>
public static class TagCompletion
{
    /// <summary>At most this many items; the result is always incomplete so the editor asks again as the user types.</summary>
    public const int MaxItems = 200;

    /// <summary>
    /// Tags of the field's vocabulary that match what was typed, best first: used by more notes, then a better
    /// match (prefix, word start, subsequence). Tags the field already holds, in any case, are left out.
    /// </summary>
    public static CompletionResult Complete(WorkspaceSnapshot snapshot, Note note, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        var fields = TagScanner.Scan(note.Text, snapshot.Tags.Keys);
        if (TagCursor.Find(note.Text, fields, offset) is { } context)
        {
            return InField(snapshot, note, fields, context, cancellationToken);
        }

        return snapshot.Settings.Tags.InlineCompletion && fields.All(f => offset < f.ValueStart || offset > f.End)
            ? Inline(snapshot, note, offset, cancellationToken)
            : CompletionResult.None;
    }

    private static CompletionResult InField(WorkspaceSnapshot snapshot, Note note, ImmutableArray<TagField> fields, TagCursorContext context, CancellationToken cancellationToken)
    {
        // Counts are of the other notes: the half-typed word under the cursor is in the index too (as a tag of
        // this note), and must neither be offered back nor count as a use.
        // Every other tag of this note is in `present` below and skipped; only the word under the cursor needs
        // its own use subtracted (a set of the note's own tags cost a hash of each of up to 50,000 tags).
        var key = context.Field.Key;
        // `ml` is the same tag as an `ML` the list already has: offering it would write the variant hygiene flags.
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
        {
            if (field.Key != key)
            {
                continue;
            }

            foreach (var item in field.Items)
            {
                if (!ReferenceEquals(item, context.Current))
                {
                    present.Add(item.Value);
                }
            }
        }

        var typed = context.Typed;
        var candidates = new List<Candidate>();
        foreach (var (tag, total) in snapshot.Tags.TagsIn(key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (present.Contains(tag))
            {
                continue;
            }

            var count = context.Current?.Value == tag && IsUsedBy(snapshot, new TagKey(key, tag), note.Uri) ? total - 1 : total;
            if (count == 0)
            {
                continue;
            }

            var quality = TagText.MatchQuality(typed, tag);
            if (quality == 0 || TagText.Format(tag, context.Slot, context.Quote, context.Field.CommaSeparated) is not { } written)
            {
                continue;
            }

            candidates.Add(new Candidate(tag, count, quality, written));
        }

        // An opening quote the user typed is part of the editor's filter word, so the filter text keeps it.
        var opened = context.Current is { } current ? context.ReplaceSpan.Start == current.Span.Start : context.ReplaceSpan.Length > 0;
        var quotePrefix = context.Slot is TagSlot.BlockItem or TagSlot.FlowItem && context.Quote != TagQuote.None && opened
            ? (context.Quote == TagQuote.Single ? "'" : "\"")
            : string.Empty;
        return Rank(candidates, context.ReplaceSpan, context.InsertPrefix, typed, quotePrefix);
    }

    private static bool IsUsedBy(WorkspaceSnapshot snapshot, TagKey tag, string uri) =>
        ImmutableArray.BinarySearch(snapshot.Tags.NotesUsing(tag), uri, StringComparer.Ordinal) >= 0;

    /// <summary>Inline <c>#tag</c> in the body: after a <c>#</c> that starts a word and is not a heading marker.</summary>
    private static CompletionResult Inline(WorkspaceSnapshot snapshot, Note note, int offset, CancellationToken cancellationToken)
    {
        var s = note.Text.Text;
        var start = offset;
        while (start > 0 && IsInlineTagChar(s[start - 1]))
        {
            start--;
        }

        var hash = start - 1;
        if (hash < 0 || s[hash] != '#' || (hash > 0 && !char.IsWhiteSpace(s[hash - 1]) && s[hash - 1] != '('))
        {
            return CompletionResult.None;
        }

        var syntax = note.Syntax;
        if (offset < syntax.BodyStart || syntax.IsInCode(hash))
        {
            return CompletionResult.None;
        }

        var end = offset;
        while (end < s.Length && IsInlineTagChar(s[end]))
        {
            end++;
        }

        var typed = s[start..offset];
        var key = snapshot.Tags.Keys.IsEmpty ? "tags" : snapshot.Tags.Keys[0];
        var candidates = new List<Candidate>();
        foreach (var (tag, count) in snapshot.Tags.TagsIn(key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var quality = TagText.MatchQuality(typed, tag);
            if (quality > 0 && tag.All(IsInlineTagChar))
            {
                candidates.Add(new Candidate(tag, count, quality, tag));
            }
        }

        return Rank(candidates, TextSpan.FromBounds(start, end), string.Empty, typed, string.Empty);
    }

    private static bool IsInlineTagChar(char c) => char.IsLetterOrDigit(c) || c is '-' or '_' or '/';

    private static CompletionResult Rank(List<Candidate> candidates, TextSpan replace, string insertPrefix, string typed, string quotePrefix)
    {
        candidates.Sort(static (a, b) =>
            a.Count != b.Count ? b.Count.CompareTo(a.Count)
            : a.Quality != b.Quality ? b.Quality.CompareTo(a.Quality)
            : string.CompareOrdinal(a.Tag, b.Tag));
        var items = ImmutableArray.CreateBuilder<Completion>(Math.Min(candidates.Count, MaxItems));
        foreach (var candidate in candidates.Take(MaxItems))
        {
            // Editors keep an item only when their own fuzzy match accepts the filter text. A subsequence match
            // in the middle of a tag would be hidden, so its filter text starts with what the user typed.
            var filter = quotePrefix + (candidate.Quality == 1 ? typed + candidate.Tag : candidate.Tag);
            items.Add(new Completion(
                candidate.Tag,
                CompletionKind.Tag,
                replace,
                insertPrefix + candidate.Written,
                Detail: candidate.Count == 1 ? "used in 1 note" : $"used in {candidate.Count} notes",
                FilterText: filter,
                SortText: items.Count.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)));
        }

        // Always incomplete: the server narrows by what was typed, so the editor must ask again as typing goes on.
        return new CompletionResult(true, items.ToImmutable());
    }

    private sealed record Candidate(string Tag, int Count, int Quality, string Written);
}
