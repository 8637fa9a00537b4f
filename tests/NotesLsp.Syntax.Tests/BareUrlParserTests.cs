using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace NotesLsp.Syntax.Tests;

/// <summary>
/// One reading of a bare URL: the note parser's linear <see cref="BareUrlParser"/> must find the links Markdig's
/// auto-link extension finds, with the same spans and URLs, on every shape around a URL that changes the answer
/// (emphasis, open brackets, HTML anchors, code, trailing punctuation, other schemes).
/// </summary>
public class BareUrlParserTests
{
    private static readonly MarkdownPipeline MarkdigAutoLinks = new MarkdownPipelineBuilder().UsePreciseSourceLocation().UseAutoLinks().Build();

    private static readonly string[] Pieces =
    [
        "https://openreview.net/forum?id=abc", "http://a.example.org/x_(y)", "www.example.com", "ftp://files.example.net/a",
        "mailto:someone@example.org", "tel:+1-555", "https://", "https://localhost", "[", "]", "(", ")", "](", "*", "**", "_",
        "~", "`", "<a href=\"x\">", "</a>", "<b>", " ", " ", " ", "\n", "\n\n", ".", ",", "!", "word", "h", "https://x.y/z.",
    ];

    private static string Links(IEnumerable<(string Url, int Start, int End)> links) =>
        string.Join("\n", links.Select(l => $"{l.Start}-{l.End} {l.Url}"));

    private static string Reference(string text) =>
        Links(Markdown.Parse(text, MarkdigAutoLinks).Descendants<LinkInline>()
            .Where(l => l.IsAutoLink)
            .Select(l => (l.Url!, l.Span.Start, l.Span.End + 1)));

    private static string Ours(string text) =>
        Links(NoteParser.Parse(text).Links.Where(l => l.Kind == LinkKind.Bare).Select(l => (l.Url, l.Span.Start, l.Span.End)));

    [Fact]
    public void Finds_the_links_markdig_auto_links_find_on_random_link_shapes()
    {
        var random = new Random(1606);
        for (var sample = 0; sample < 3000; sample++)
        {
            var count = random.Next(1, 14);
            var text = string.Concat(Enumerable.Range(0, count).Select(_ => Pieces[random.Next(Pieces.Length)]));
            Assert.True(Reference(text) == Ours(text), $"differs on {System.Text.Json.JsonSerializer.Serialize(text)}:\nMarkdig:\n{Reference(text)}\nours:\n{Ours(text)}");
        }
    }

    [Theory]
    [InlineData("see https://openreview.net/forum?id=abc.")]
    [InlineData("*https://openreview.net/forum?id=abc*")]
    [InlineData("<a href=\"x\">https://openreview.net/forum?id=abc</a> https://example.com")]
    [InlineData("[label https://example.com](https://example.org)")]
    [InlineData("www.example.com and mailto:a@b.org and ftp://f.example.net")]
    [InlineData("line https://a.example.com\nline https://b.example.com\n")]
    public void Finds_the_links_markdig_auto_links_find_on_known_shapes(string text) =>
        Assert.Equal(Reference(text), Ours(text));

    [Fact]
    public void An_inline_link_after_many_unclosed_openers_on_one_line_is_still_read()
    {
        // The defused `](` are the ones that cannot start a link; the last one, whose title closes later, still does.
        var text = string.Concat(Enumerable.Repeat("[a](", 40)) + "https://example.com \"title\n more\") after";
        var reference = Markdown.Parse(text, MarkdigAutoLinks).Descendants<LinkInline>().Select(l => $"{l.Url} {l.Span.Start}").ToList();
        var ours = NoteParser.Parse(text).Links.Select(l => $"{l.Url} {l.Span.Start}").ToList();
        Assert.Equal(reference, ours);
        Assert.Single(ours);
    }
}
