using System.Collections.Immutable;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis;

/// <summary>A heading in the outline with the section it heads.</summary>
/// <param name="Name">The heading text.</param>
/// <param name="Level">1 to 6.</param>
/// <param name="Span">The whole section: the heading up to the last non-blank line before the next heading of the same or a higher level.</param>
/// <param name="SelectionSpan">The heading's text.</param>
/// <param name="Children">Sections nested below it.</param>
public sealed record OutlineItem(string Name, int Level, TextSpan Span, TextSpan SelectionSpan, ImmutableArray<OutlineItem> Children);

/// <summary>A foldable line range.</summary>
public enum FoldKind
{
    FrontMatter,
    Section,
    Code,
}

/// <summary>Lines are zero-based and inclusive.</summary>
public sealed record FoldingRegion(int StartLine, int EndLine, FoldKind Kind);

/// <summary>The heading outline of a note and its folding regions.</summary>
public static class Outline
{
    /// <summary>The headings as a tree, nested by level (a skipped level nests under the nearest shallower heading).</summary>
    public static ImmutableArray<OutlineItem> Build(NoteSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var headings = syntax.Headings;
        var ends = SectionEnds(syntax);
        var index = 0;
        return BuildLevel(syntax, headings, ends, ref index, parentLevel: 0);
    }

    private static ImmutableArray<OutlineItem> BuildLevel(NoteSyntax syntax, ImmutableArray<HeadingSyntax> headings, int[] ends, ref int index, int parentLevel)
    {
        var items = ImmutableArray.CreateBuilder<OutlineItem>();
        while (index < headings.Length && headings[index].Level > parentLevel)
        {
            var heading = headings[index];
            var end = ends[index];
            index++;
            var children = BuildLevel(syntax, headings, ends, ref index, heading.Level);
            var name = heading.Text.Length > 0 ? heading.Text : "(empty heading)";
            items.Add(new OutlineItem(name, heading.Level, TextSpan.FromBounds(heading.Span.Start, end), heading.TextSpan, children));
        }

        return items.ToImmutable();
    }

    /// <summary>For each heading, the offset where its section ends (trailing blank lines excluded).</summary>
    private static int[] SectionEnds(NoteSyntax syntax)
    {
        var headings = syntax.Headings;
        var text = syntax.Text;
        var ends = new int[headings.Length];
        for (var i = 0; i < headings.Length; i++)
        {
            var limit = text.Length;
            for (var j = i + 1; j < headings.Length; j++)
            {
                if (headings[j].Level <= headings[i].Level)
                {
                    limit = headings[j].Span.Start;
                    break;
                }
            }

            var end = limit;
            while (end > headings[i].Span.End && char.IsWhiteSpace(text.Text[end - 1]))
            {
                end--;
            }

            ends[i] = Math.Max(end, headings[i].Span.End);
        }

        return ends;
    }

    /// <summary>Folding regions: the front matter block, each heading's section, and multi-line code blocks.</summary>
    public static ImmutableArray<FoldingRegion> Folding(NoteSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var text = syntax.Text;
        var regions = ImmutableArray.CreateBuilder<FoldingRegion>();
        if (syntax.FrontMatter is { } frontMatter)
        {
            var last = frontMatter.CloseFence is { } close ? close.Start : Math.Max(frontMatter.Content.End - 1, frontMatter.Content.Start);
            AddLines(regions, text, frontMatter.Span.Start, last, FoldKind.FrontMatter);
        }

        var ends = SectionEnds(syntax);
        for (var i = 0; i < syntax.Headings.Length; i++)
        {
            AddLines(regions, text, syntax.Headings[i].Span.Start, Math.Max(ends[i] - 1, syntax.Headings[i].Span.Start), FoldKind.Section);
        }

        foreach (var code in syntax.CodeSpans)
        {
            AddLines(regions, text, code.Start, Math.Max(code.End - 1, code.Start), FoldKind.Code);
        }

        return [.. regions.OrderBy(r => r.StartLine).ThenByDescending(r => r.EndLine)];
    }

    private static void AddLines(ImmutableArray<FoldingRegion>.Builder regions, SourceText text, int start, int lastOffset, FoldKind kind)
    {
        var startLine = text.GetLineFromOffset(start);
        var endLine = text.GetLineFromOffset(lastOffset);
        if (endLine > startLine)
        {
            regions.Add(new FoldingRegion(startLine, endLine, kind));
        }
    }
}
