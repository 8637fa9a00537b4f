using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tags;

/// <summary>Rewrites tags inside one note's fields: replacing a tag and removing the duplicates that creates.</summary>
public static class TagEdits
{
    /// <summary>
    /// The edits that turn every item <paramref name="isTarget"/> picks into <paramref name="replacement"/>, in one
    /// field. When the field then holds <paramref name="replacement"/> twice, the later copy is removed (with its
    /// separator or its line), so merging a tag into an existing one leaves no duplicate.
    /// </summary>
    public static ImmutableArray<TextEdit> Replace(SourceText text, TagField field, Func<TagOccurrence, bool> isTarget, string replacement)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(isTarget);
        ArgumentNullException.ThrowIfNull(replacement);
        var items = field.Items;
        var targets = items.Select(isTarget).ToArray();
        if (!targets.Any(t => t))
        {
            return [];
        }

        var keep = new bool[items.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Length; i++)
        {
            var value = targets[i] ? replacement : items[i].Value;
            keep[i] = seen.Add(value) || !(targets[i] || value == replacement);
        }

        var slot = field.Shape switch
        {
            TagFieldShape.BlockList => TagSlot.BlockItem,
            TagFieldShape.FlowList => TagSlot.FlowItem,
            _ => field.ScalarQuote == TagQuote.None ? TagSlot.PlainString : TagSlot.QuotedString,
        };

        var edits = ImmutableArray.CreateBuilder<TextEdit>();
        for (var i = 0; i < items.Length; i++)
        {
            if (!keep[i] || !targets[i] || items[i].Value == replacement)
            {
                continue;
            }

            var quote = slot == TagSlot.QuotedString ? field.ScalarQuote : items[i].Quote;
            if (TagText.Format(replacement, slot, quote, field.CommaSeparated) is not { } written)
            {
                // A space-separated string cannot hold the new tag: rewrite the value as a flow list.
                return [AsFlowList(field, items, targets, keep, replacement)];
            }

            edits.Add(new TextEdit(items[i].Span, written));
        }

        if (field.Shape == TagFieldShape.BlockList)
        {
            for (var i = 0; i < items.Length; i++)
            {
                if (!keep[i])
                {
                    var line = text.GetLineFromOffset(items[i].Span.Start);
                    edits.Add(new TextEdit(TextSpan.FromBounds(text.GetLineStart(line), text.GetLineStart(line + 1)), string.Empty));
                }
            }

            return edits.ToImmutable();
        }

        // Flow lists and strings: a run of removed items goes with the separators up to the next kept item, or,
        // at the end of the list, with the separators after the previous kept item.
        var index = 0;
        while (index < items.Length)
        {
            if (keep[index])
            {
                index++;
                continue;
            }

            var runEnd = index;
            while (runEnd + 1 < items.Length && !keep[runEnd + 1])
            {
                runEnd++;
            }

            var previousKept = index - 1;
            var span = runEnd + 1 < items.Length
                ? TextSpan.FromBounds(items[index].Span.Start, items[runEnd + 1].Span.Start)
                : TextSpan.FromBounds(previousKept >= 0 ? items[previousKept].Span.End : items[index].Span.Start, items[runEnd].Span.End);
            edits.Add(new TextEdit(span, string.Empty));
            index = runEnd + 1;
        }

        return edits.ToImmutable();
    }

    private static TextEdit AsFlowList(TagField field, ImmutableArray<TagOccurrence> items, bool[] targets, bool[] keep, string replacement)
    {
        var values = new List<string>();
        for (var i = 0; i < items.Length; i++)
        {
            if (keep[i])
            {
                values.Add(TagText.Format(targets[i] ? replacement : items[i].Value, TagSlot.FlowItem)!);
            }
        }

        return new TextEdit(field.ValueSpan, "[" + string.Join(", ", values) + "]");
    }
}
