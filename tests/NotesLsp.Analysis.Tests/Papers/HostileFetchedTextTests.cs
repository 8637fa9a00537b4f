using System.Text.Json;
using System.Text.RegularExpressions;
using Markdig;
using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;

namespace NotesLsp.Analysis.Tests.Papers;

/// <summary>
/// End to end from OpenReview's JSON to the rendered hover: hostile titles, abstracts, authors and keywords go
/// through the JSON reader, the disk cache and the catalog, and the hover still shows them only as text.
/// </summary>
public sealed partial class HostileFetchedTextTests : IDisposable
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private readonly string cacheDirectory = Path.Combine(Path.GetTempPath(), "notes-lsp-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(cacheDirectory))
        {
            Directory.Delete(cacheDirectory, recursive: true);
        }
    }

    // Written as OpenReview sends them: JSON strings, some with \u escapes for '<' and '>'.
    private const string V2 = """
        {"notes":[{"id":"Evil000001","forum":"Evil000001","content":{
          "title":{"value":"\u003cscript\u003ealert(1)\u003c/script\u003e [Quit](command:workbench.action.quit) <img src=x onerror=alert(1)>"},
          "authors":{"value":["<b>Bold</b> Author","[me](https://evil.example)"]},
          "abstract":{"value":"# Heading\n\n- list\n\n![img](https://x/y.png) <a href=\"command:workbench.action.reloadWindow\">reload</a> www.evil.example **bold** `code`"},
          "TLDR":{"value":"[click](command:notes.papers.downloadVenue?%5B%22x%22%5D) | table | row |"},
          "keywords":{"value":["<i>k</i>","[k](command:x)"]},
          "venue":{"value":"ICLR 2024 <em>Poster</em>"},"venueid":{"value":"ICLR.cc/2024/Conference"}}}]}
        """;

    private const string V1 = """
        {"notes":[{"id":"Evil000001","forum":"Evil000001","content":{
          "title":"<iframe src=\"command:workbench.action.quit\"></iframe> *Title*",
          "authors":["<u>A</u>"],"abstract":"[link](javascript:alert(1)) <https://evil.example>",
          "TL;DR":"<details open>x</details>","keywords":["# k"],"venue":"ICLR 2019 Poster","venueid":"ICLR.cc/2019/Conference"}}]}
        """;

    [Theory]
    [InlineData(V2, "<script>alert(1)</script> [Quit](command:workbench.action.quit) <img src=x onerror=alert(1)>")]
    [InlineData(V1, "<iframe src=\"command:workbench.action.quit\"></iframe> *Title*")]
    public void Fetched_html_markdown_and_command_links_render_only_as_text(string answer, string title)
    {
        using var document = JsonDocument.Parse(answer);
        var fetched = PaperJson.ReadNote(document.RootElement.GetProperty("notes")[0]);
        Assert.NotNull(fetched);
        Assert.Equal(title, fetched.Title);

        // The hover reads papers from the cache, so the text also makes the round trip through the disk.
        var cache = new PaperCache(cacheDirectory);
        Assert.True(cache.WritePaper(fetched, DateTimeOffset.UnixEpoch).IsSuccess);
        var (snapshot, uri, offset) = PaperFixtures.Workspace("[x](https://openreview.net/forum?id=Evil00000$01)");
        var hover = PaperHover.Hover(snapshot, uri, offset, new PaperCatalogSet([cache.LoadCatalog()]));
        Assert.NotNull(hover);

        var html = Markdown.ToHtml(hover.Markdown, Pipeline);
        var elements = Element().Matches(html).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal);
        // Only the hover's own elements: bold title, the "*Keywords:*" label, paragraphs and the Forum and PDF links.
        Assert.Equal(["a", "em", "p", "strong"], elements);
        var links = Href().Matches(html).Select(m => m.Groups[1].Value);
        Assert.Equal(["https://openreview.net/forum?id=Evil000001", "https://openreview.net/pdf?id=Evil000001"], links);
        Assert.DoesNotContain("command:", string.Concat(links), StringComparison.Ordinal);

        // The words themselves are all there, as text: the title renders back to exactly what OpenReview sent.
        var firstParagraph = html[..html.IndexOf("</p>", StringComparison.Ordinal)];
        Assert.Equal($"<p><strong>{System.Net.WebUtility.HtmlEncode(title).Replace("&#39;", "'", StringComparison.Ordinal)}</strong>", firstParagraph);
    }

    [GeneratedRegex("<([a-z0-9]+)[ >]")]
    private static partial Regex Element();

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex Href();
}
