using System.Collections.Immutable;
using NotesLsp.Analysis;
using NotesLsp.Text;

namespace NotesLsp.Server;

/// <summary>
/// The line positions of the spans a report of <c>notes-lsp check</c> may print, for a note whose text is gone: the
/// note's own diagnostics' (kept beside it, usually none) and its tags' (in its summary). A search, not a dictionary
/// per note: most notes have no diagnostic, so their positions are never asked for.
/// </summary>
internal static class SpanRanges
{
    /// <summary>The line positions of every diagnostic's span in <paramref name="text"/>, in order, each span once.</summary>
    public static ImmutableArray<(TextSpan Span, LineRange Range)> Of(SourceText text, params ReadOnlySpan<ImmutableArray<NoteDiagnostic>> lists)
    {
        var count = 0;
        foreach (var list in lists)
        {
            count += list.Length;
        }

        if (count == 0)
        {
            return [];
        }

        var ranges = ImmutableArray.CreateBuilder<(TextSpan, LineRange)>(count);
        foreach (var list in lists)
        {
            foreach (var diagnostic in list)
            {
                if (Find(ranges, diagnostic.Span) is null)
                {
                    ranges.Add((diagnostic.Span, text.GetRange(diagnostic.Span)));
                }
            }
        }

        return ranges.DrainToImmutable();
    }

    /// <summary>
    /// Where a span stands: the first of <paramref name="ranges"/> with that span, else the first tag with it, else
    /// the start of the note (as a dictionary of both, filled in that order with the first entry kept, answers).
    /// </summary>
    public static Func<TextSpan, LineRange> Lookup(ImmutableArray<(TextSpan Span, LineRange Range)> ranges, ImmutableArray<SummaryTag> tags) => span =>
    {
        foreach (var (known, range) in ranges)
        {
            if (known == span)
            {
                return range;
            }
        }

        foreach (var tag in tags)
        {
            if (tag.Span == span)
            {
                return tag.Range;
            }
        }

        return default;
    };

    /// <summary>
    /// <see cref="Lookup(ImmutableArray{ValueTuple{TextSpan, LineRange}}, ImmutableArray{SummaryTag})"/> for the stored
    /// results of <c>check --cache</c>: their diagnostics' positions first, then the tags'.
    /// </summary>
    public static Func<TextSpan, LineRange> Lookup(
        ImmutableArray<(NoteDiagnostic Diagnostic, LineRange Range)> before, ImmutableArray<(NoteDiagnostic Diagnostic, LineRange Range)> after, ImmutableArray<SummaryTag> tags) => span =>
    {
        foreach (var list in (ReadOnlySpan<ImmutableArray<(NoteDiagnostic Diagnostic, LineRange Range)>>)[before, after])
        {
            foreach (var (diagnostic, range) in list)
            {
                if (diagnostic.Span == span)
                {
                    return range;
                }
            }
        }

        foreach (var tag in tags)
        {
            if (tag.Span == span)
            {
                return tag.Range;
            }
        }

        return default;
    };

    private static LineRange? Find(ImmutableArray<(TextSpan Span, LineRange Range)>.Builder ranges, TextSpan span)
    {
        foreach (var (known, range) in ranges)
        {
            if (known == span)
            {
                return range;
            }
        }

        return null;
    }
}
