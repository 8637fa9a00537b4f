using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using NotesLsp.Text;

namespace NotesLsp.Syntax;

/// <summary>Parses a note: front matter by hand (so its rules are ours), the body with Markdig.</summary>
public static partial class NoteParser
{
    // One pipeline for the process: building it is far costlier than parsing a short note.
    // Precise source locations give us offsets for link URLs and labels; auto-links find bare URLs.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePreciseSourceLocation()
        .UseAutoLinks()
        .Build();

    public static NoteSyntax Parse(string text) => Parse(SourceText.From(text));

    public static NoteSyntax Parse(SourceText text, FrontMatterLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text, FrontMatterParser.Parse(text, limits));
    }

    /// <summary>Parses the body of a note whose front matter was already read (it is the cheap half, needed first).</summary>
    public static NoteSyntax Parse(SourceText text, FrontMatterSyntax? frontMatter)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bodyStart = frontMatter?.Span.End ?? 0;

        // Markdig sees the note with the front matter blanked out (line breaks kept), so its offsets are the
        // note's offsets and a `---` fence is never mistaken for a thematic break or a setext underline.
        var markdown = LimitNesting(bodyStart == 0 ? text.Text : BlankPrefix(text.Text, bodyStart));
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig refuses inlines nested past its depth limit (thousands of `[` on one line, as a paste
            // accident or a generated file makes). That note then has no Markdown structure, rather than
            // failing every feature that asks for its syntax; its front matter and Liquid links still count.
            document = new MarkdownDocument();
        }

        var headings = ImmutableArray.CreateBuilder<HeadingSyntax>();
        var links = ImmutableArray.CreateBuilder<LinkSyntax>();
        var code = ImmutableArray.CreateBuilder<TextSpan>();
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case HeadingBlock heading:
                    headings.Add(ReadHeading(text, heading));
                    break;
                case CodeBlock block:
                    code.Add(ToSpan(block.Span, text.Length));
                    break;
                case CodeInline inline:
                    code.Add(ToSpan(inline.Span, text.Length));
                    break;
                case LinkInline link when !string.IsNullOrEmpty(link.Url):
                    links.Add(ReadLink(text, link));
                    break;
                case AutolinkInline autolink when !autolink.IsEmail:
                    {
                        var span = ToSpan(autolink.Span, text.Length);
                        var urlSpan = span.Length >= 2 ? new TextSpan(span.Start + 1, span.Length - 2) : span;
                        links.Add(new LinkSyntax(LinkKind.Autolink, autolink.Url, span, urlSpan, null, null));
                        break;
                    }
            }
        }

        var codeSpans = code.ToImmutable();
        AddLiquidLinks(text.Text, bodyStart, codeSpans, links);
        links.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        return new NoteSyntax(text, frontMatter, headings.ToImmutable(), links.ToImmutable(), codeSpans);
    }

    /// <summary>
    /// Markdig's block parser is quadratic in container depth: one line of 13,000 `>` took a second, 100,000
    /// took a minute (found by the pipeline fuzz tests). No real note nests blockquotes or lists this deep, so
    /// markers past <see cref="MaxContainerDepth"/> on a line become spaces; offsets are unchanged.
    /// </summary>
    private static string LimitNesting(string text)
    {
        char[]? copy = null;
        var lineStart = true;
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                lineStart = true;
                depth = 0;
                continue;
            }

            if (!lineStart || c is ' ' or '\t')
            {
                continue;
            }

            var isMarker = c == '>' || (c is '-' or '*' or '+' && i + 1 < text.Length && text[i + 1] is ' ' or '\t');
            if (!isMarker)
            {
                lineStart = false;
                continue;
            }

            if (++depth > MaxContainerDepth)
            {
                copy ??= text.ToCharArray();
                copy[i] = ' ';
            }
        }

        return copy is null ? text : new string(copy);
    }

    private const int MaxContainerDepth = 32;

    private static string BlankPrefix(string text, int length)
    {
        return string.Create(text.Length, (text, length), static (buffer, state) =>
        {
            state.text.AsSpan().CopyTo(buffer);
            for (var i = 0; i < state.length; i++)
            {
                if (buffer[i] is not ('\n' or '\r'))
                {
                    buffer[i] = ' ';
                }
            }
        });
    }

    private static TextSpan ToSpan(SourceSpan span, int textLength)
    {
        // Markdig's SourceSpan.End is inclusive.
        var start = Math.Clamp(span.Start, 0, textLength);
        var end = Math.Clamp(span.End + 1, start, textLength);
        return TextSpan.FromBounds(start, end);
    }

    private static HeadingSyntax ReadHeading(SourceText text, HeadingBlock heading)
    {
        var span = ToSpan(heading.Span, text.Length);
        var raw = text.Slice(span);
        if (heading.IsSetext)
        {
            // The text is every line but the underline.
            var lastBreak = raw.TrimEnd().LastIndexOfAny(['\n', '\r']);
            var content = lastBreak > 0 ? raw[..lastBreak] : raw;
            var trimmedStart = content.Length - content.TrimStart().Length;
            var textSpan = new TextSpan(span.Start + trimmedStart, content.Trim().Length);
            return new HeadingSyntax(heading.Level, NormalizeSpaces(content.Trim()), span, textSpan);
        }

        // ATX: up to three spaces, the #s, spaces, the text, an optional closing run of #s.
        var i = 0;
        while (i < raw.Length && raw[i] == ' ')
        {
            i++;
        }

        while (i < raw.Length && raw[i] == '#')
        {
            i++;
        }

        while (i < raw.Length && raw[i] is ' ' or '\t')
        {
            i++;
        }

        var end = raw.Length;
        while (end > i && raw[end - 1] is ' ' or '\t' or '\r' or '\n')
        {
            end--;
        }

        var closing = end;
        while (closing > i && raw[closing - 1] == '#')
        {
            closing--;
        }

        if (closing < end && (closing == i || raw[closing - 1] is ' ' or '\t'))
        {
            end = closing;
            while (end > i && raw[end - 1] is ' ' or '\t')
            {
                end--;
            }
        }

        return new HeadingSyntax(heading.Level, raw[i..end], span, TextSpan.FromBounds(span.Start + i, span.Start + end));
    }

    private static string NormalizeSpaces(string value) => MultipleSpaces().Replace(value, " ");

    private static LinkSyntax ReadLink(SourceText text, LinkInline link)
    {
        var span = ToSpan(link.Span, text.Length);
        if (link.IsAutoLink)
        {
            return new LinkSyntax(LinkKind.Bare, link.Url!, span, span, null, null);
        }

        var urlSpan = link.UrlSpan.IsEmpty ? span : ToSpan(link.UrlSpan, text.Length);
        TextSpan? labelSpan = link.LabelSpan.IsEmpty ? null : ToSpan(link.LabelSpan, text.Length);
        var label = labelSpan is { } l ? text.Slice(l) : link.Label;
        return new LinkSyntax(LinkKind.Inline, link.Url!, span, urlSpan, label, labelSpan);
    }

    private static void AddLiquidLinks(string text, int bodyStart, ImmutableArray<TextSpan> code, ImmutableArray<LinkSyntax>.Builder links)
    {
        if (text.IndexOf("{%", bodyStart, StringComparison.Ordinal) < 0)
        {
            return;
        }

        foreach (Match match in LiquidUrl().Matches(text, bodyStart))
        {
            var url = match.Groups["url"];
            if (code.Any(c => c.Contains(match.Index)))
            {
                continue;
            }

            links.Add(new LinkSyntax(LinkKind.Liquid, url.Value, new TextSpan(match.Index, match.Length), new TextSpan(url.Index, url.Length), null, null));
        }
    }

    [GeneratedRegex(@"\{%-?\s*[A-Za-z_][\w-]*\s+[""'](?<url>https?://[^""'\s]+)[""'][^%\n]*%\}")]
    private static partial Regex LiquidUrl();

    [GeneratedRegex(@"\s+")]
    private static partial Regex MultipleSpaces();
}
