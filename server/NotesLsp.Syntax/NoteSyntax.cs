// Layer invariant: NotesLsp.Syntax turns a note's text into plain records with UTF-16 offsets into that
// text. Parsing never fails: whatever the input, the result is a tree plus a list of errors. Nothing here
// knows LSP, JSON or the workspace.
using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Syntax;

/// <summary>Everything the analysis layer needs to know about one note's text.</summary>
public sealed record NoteSyntax(
    SourceText Text,
    FrontMatterSyntax? FrontMatter,
    ImmutableArray<HeadingSyntax> Headings,
    ImmutableArray<LinkSyntax> Links,
    ImmutableArray<TextSpan> CodeSpans)
{
    /// <summary>The note's title: front matter <c>title</c> when it is a non-empty string, else null.</summary>
    public string? Title => FrontMatter?.Root?.GetScalar("title") is { } title && !string.IsNullOrWhiteSpace(title.Value)
        ? title.Value.Trim()
        : null;

    /// <summary>The offset where Markdown content starts (after the front matter, if any).</summary>
    public int BodyStart => FrontMatter?.Span.End ?? 0;

    /// <summary>True when the offset lies in a fenced or indented code block or an inline code span.</summary>
    public bool IsInCode(int offset)
    {
        foreach (var span in CodeSpans)
        {
            if (span.Contains(offset))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>An ATX (<c>## Title</c>) or setext heading.</summary>
/// <param name="Level">1 to 6.</param>
/// <param name="Text">The heading's text without its markers.</param>
/// <param name="Span">The heading's whole line(s).</param>
/// <param name="TextSpan">Where <paramref name="Text"/> stands (for ATX headings; the whole span otherwise).</param>
public sealed record HeadingSyntax(int Level, string Text, TextSpan Span, TextSpan TextSpan);

/// <summary>How a link was written.</summary>
public enum LinkKind
{
    /// <summary><c>[text](url)</c> or an image.</summary>
    Inline,

    /// <summary><c>&lt;https://...&gt;</c>.</summary>
    Autolink,

    /// <summary>A bare <c>https://...</c> in running text.</summary>
    Bare,

    /// <summary>Inside a Liquid tag such as <c>{% linkpreview "https://..." %}</c>.</summary>
    Liquid,
}

/// <summary>A link in the note body.</summary>
/// <param name="Kind">How it was written.</param>
/// <param name="Url">The destination as written.</param>
/// <param name="Span">The whole construct.</param>
/// <param name="UrlSpan">Where the URL stands.</param>
/// <param name="Label">The link text for inline links, else null.</param>
/// <param name="LabelSpan">Where the link text stands (inside the brackets), else null.</param>
public sealed record LinkSyntax(LinkKind Kind, string Url, TextSpan Span, TextSpan UrlSpan, string? Label, TextSpan? LabelSpan);
