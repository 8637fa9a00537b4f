using System.Collections.Immutable;

namespace NotesLsp.Analysis.FrontMatter;

/// <summary>
/// The built-in schemas chosen by <c>notes.frontMatter.preset</c>. Each one lists the keys its site generator or
/// app reads, with the value types it accepts; unknown keys only draw a "did you mean" when they look like a
/// typo, because every one of these tools lets users add their own keys.
/// </summary>
public static class FrontMatterPresets
{
    public const string DefaultName = "notes";

    public static ImmutableArray<string> Names { get; } = ["notes", "jekyll", "hugo", "obsidian", "none"];

    /// <summary>The user's own style (see examples/): Jekyll/Chirpy keys, and <c>date: 2024</c> is fine as a year.</summary>
    public static FrontMatterSchema Notes { get; } = new("notes",
    [
        Key("title", FrontMatterValueType.String, "The note's title.", inTemplate: true),
        Key("date", [FrontMatterValueType.Year, FrontMatterValueType.Date], "When the conference or talk took place: a year (`2024`) or a date (`2024-07-10`, with an optional time).", inTemplate: true),
        List("tags", "Tags: a list, or one string (`tags: conference`).", mayBeString: true, inTemplate: true),
        List("categories", "Categories, most general first.", mayBeString: true),
        Key("math", FrontMatterValueType.Bool, "Render `$...$` math."),
        Key("published", FrontMatterValueType.Bool, "Publish the note (false keeps it a draft)."),
        Key("parse_block_html", FrontMatterValueType.Bool, "Let kramdown parse Markdown inside HTML blocks."),
        Key("layout", FrontMatterValueType.String, "The page layout."),
        Key("permalink", FrontMatterValueType.String, "The page's URL path."),
        Key("description", FrontMatterValueType.String, "A one-sentence summary."),
        Key("author", FrontMatterValueType.String, "The author."),
        Key("authors", [FrontMatterValueType.StringList, FrontMatterValueType.String], "The authors (a list, or one string that the layout prints)."),
        Key("last_modified_at", [FrontMatterValueType.Date], "When the note was last changed."),
        Key("toc", FrontMatterValueType.Bool, "Show a table of contents."),
        Key("comments", FrontMatterValueType.Bool, "Allow comments."),
        Key("pin", FrontMatterValueType.Bool, "Pin the note to the top of the list."),
        Key("mermaid", FrontMatterValueType.Bool, "Render Mermaid diagrams."),
        Key("image", [FrontMatterValueType.String, FrontMatterValueType.Mapping], "A preview image."),
        List("aliases", "Other names of the note."),
        Key("conference", FrontMatterValueType.String, "The conference (for example ICML)."),
        Key("url", FrontMatterValueType.Url, "A link to the paper, talk or site."),
        Key("venue", FrontMatterValueType.String, "Venue and year, for example `ICML 2024`."),
        Key("openreview", FrontMatterValueType.Url, "The paper's OpenReview forum link."),
        Key("arxiv", FrontMatterValueType.String, "The arXiv id, quoted (`\"2401.01234\"`) so it stays text."),
        Key("status", FrontMatterValueType.String, "Reading status (unread, skimmed, deep-dive, ...)."),
        Key("rating", [FrontMatterValueType.Number, FrontMatterValueType.Mapping], "Your rating of the paper: a number, or one per criterion (`{novelty: 4, clarity: 3}`)."),
    ], UnknownKeyPolicy.Typos)
    { Reader = YamlReader.Psych };

    /// <summary>Jekyll with the Chirpy theme: dates may carry a time and offset (<c>2024-07-10 00:00:00 +0900</c>).</summary>
    public static FrontMatterSchema Jekyll { get; } = new("jekyll",
    [
        Key("title", FrontMatterValueType.String, "The post title.", inTemplate: true),
        Key("date", [FrontMatterValueType.Date], "The post date: `YYYY-MM-DD HH:MM:SS +/-TTTT` (time and offset optional).", inTemplate: true),
        List("categories", "Categories, most general first (a list, or a string split on spaces).", mayBeString: true, inTemplate: true),
        Key("category", FrontMatterValueType.String, "A single category."),
        List("tags", "Tags (a list, or a string split on spaces).", mayBeString: true, inTemplate: true),
        Key("layout", FrontMatterValueType.String, "The layout file to use."),
        Key("permalink", FrontMatterValueType.String, "The post's URL path."),
        Key("published", FrontMatterValueType.Bool, "false hides the post."),
        Key("excerpt", FrontMatterValueType.String, "The excerpt shown in lists."),
        Key("description", FrontMatterValueType.String, "A one-sentence summary."),
        Key("author", FrontMatterValueType.String, "The author's id."),
        Key("authors", [FrontMatterValueType.StringList, FrontMatterValueType.String], "The authors' ids (a list, or one string that the layout prints)."),
        Key("last_modified_at", [FrontMatterValueType.Date], "When the post was last changed."),
        Key("math", FrontMatterValueType.Bool, "Load MathJax."),
        Key("mermaid", FrontMatterValueType.Bool, "Render Mermaid diagrams."),
        Key("toc", FrontMatterValueType.Bool, "Show the table of contents."),
        Key("comments", FrontMatterValueType.Bool, "Allow comments."),
        Key("pin", FrontMatterValueType.Bool, "Pin the post on the home page."),
        Key("image", [FrontMatterValueType.String, FrontMatterValueType.Mapping], "The preview image (a path, or path/alt/lqip)."),
        Key("media_subpath", FrontMatterValueType.String, "A prefix for the post's media paths."),
        Key("render_with_liquid", FrontMatterValueType.Bool, "false shows Liquid tags as text."),
        Key("parse_block_html", FrontMatterValueType.Bool, "Let kramdown parse Markdown inside HTML blocks."),
        Key("lang", FrontMatterValueType.String, "The post's language."),
        Key("slug", FrontMatterValueType.String, "The URL slug."),
    ], UnknownKeyPolicy.Typos)
    { Reader = YamlReader.Psych };

    /// <summary>Hugo's page front matter; Hugo reads keys case-insensitively and allows custom keys.</summary>
    public static FrontMatterSchema Hugo { get; } = new("hugo",
    [
        Key("title", FrontMatterValueType.String, "The page title.", inTemplate: true),
        Key("date", [FrontMatterValueType.Date], "The page date.", inTemplate: true),
        Key("draft", FrontMatterValueType.Bool, "true keeps the page out of production builds.", inTemplate: true),
        List("aliases", "Other URLs that redirect to this page.", mayBeString: true),
        Key("build", FrontMatterValueType.Mapping, "Build options (render, list, publishResources)."),
        Key("cascade", [FrontMatterValueType.Mapping, FrontMatterValueType.StringList, FrontMatterValueType.Any], "Front matter passed down to descendants."),
        Key("description", FrontMatterValueType.String, "The page description."),
        Key("expiryDate", [FrontMatterValueType.Date], "After this date the page is not published."),
        Key("headless", FrontMatterValueType.Bool, "A headless bundle is never rendered."),
        Key("isCJKLanguage", FrontMatterValueType.Bool, "Count words as CJK."),
        List("keywords", "Meta keywords.", mayBeString: true),
        Key("lastmod", [FrontMatterValueType.Date], "When the page was last modified."),
        Key("layout", FrontMatterValueType.String, "The template to use."),
        Key("linkTitle", FrontMatterValueType.String, "A shorter title for links and menus."),
        Key("markup", FrontMatterValueType.String, "The content format (markdown, html, ...)."),
        Key("menus", FrontMatterValueType.Any, "Menu entries."),
        Key("menu", FrontMatterValueType.Any, "Menu entries."),
        Key("modified", [FrontMatterValueType.Date], "Same as lastmod."),
        Key("outputs", [FrontMatterValueType.StringList, FrontMatterValueType.String], "Output formats to render."),
        Key("params", FrontMatterValueType.Mapping, "Custom parameters."),
        Key("publishDate", [FrontMatterValueType.Date], "Before this date the page is not published."),
        Key("pubdate", [FrontMatterValueType.Date], "Same as publishDate."),
        Key("published", [FrontMatterValueType.Date], "Same as publishDate."),
        Key("resources", FrontMatterValueType.Any, "Page resource metadata."),
        Key("sitemap", FrontMatterValueType.Mapping, "Sitemap options."),
        Key("slug", FrontMatterValueType.String, "The last URL segment."),
        Key("summary", FrontMatterValueType.String, "The page summary."),
        Key("translationKey", FrontMatterValueType.String, "Links translations of the page."),
        Key("type", FrontMatterValueType.String, "The content type."),
        Key("unpublishdate", [FrontMatterValueType.Date], "Same as expiryDate."),
        Key("url", FrontMatterValueType.String, "The page's URL path from the site root."),
        Key("weight", FrontMatterValueType.Int, "Orders pages in lists (lower first)."),
        List("tags", "Tags taxonomy.", mayBeString: true),
        List("categories", "Categories taxonomy.", mayBeString: true),
        Key("series", [FrontMatterValueType.StringList, FrontMatterValueType.String], "Series (a taxonomy when the site configures it)."),
    ], UnknownKeyPolicy.Typos, caseInsensitiveKeys: true)
    { Reader = YamlReader.GoYaml };

    /// <summary>Obsidian properties: lists are lists (a string <c>tags</c> is deprecated since Obsidian 1.4).</summary>
    public static FrontMatterSchema Obsidian { get; } = new("obsidian",
    [
        List("tags", "Tags, without `#`.", mayBeString: false, inTemplate: true),
        List("aliases", "Other names the note is found by.", mayBeString: false, inTemplate: true),
        List("cssclasses", "CSS classes applied to the note.", mayBeString: false),
        Key("publish", FrontMatterValueType.Bool, "Publish with Obsidian Publish."),
        Key("permalink", FrontMatterValueType.String, "The Publish URL."),
        Key("description", FrontMatterValueType.String, "The Publish description."),
        Key("image", FrontMatterValueType.String, "The Publish preview image."),
        Key("cover", FrontMatterValueType.String, "The Publish preview image."),
    ], UnknownKeyPolicy.Typos)
    { Reader = YamlReader.JsYaml };

    /// <summary>YAML checks only.</summary>
    public static FrontMatterSchema None { get; } = new("none", [], UnknownKeyPolicy.Ignore);

    /// <summary>The preset of that name (case-insensitive); an unknown name means the default.</summary>
    public static FrontMatterSchema Get(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "jekyll" or "chirpy" => Jekyll,
        "hugo" => Hugo,
        "obsidian" => Obsidian,
        "none" => None,
        _ => Notes,
    };

    public static bool Exists(string name) => Names.Contains(name.Trim().ToLowerInvariant()) || name.Trim().Equals("chirpy", StringComparison.OrdinalIgnoreCase);

    private static FrontMatterKey Key(string name, FrontMatterValueType type, string description, bool inTemplate = false) =>
        new(name, [type], Description: description, InTemplate: inTemplate);

    private static FrontMatterKey Key(string name, ImmutableArray<FrontMatterValueType> types, string description, bool inTemplate = false) =>
        new(name, types, Description: description, InTemplate: inTemplate);

    private static FrontMatterKey List(string name, string description, bool mayBeString = false, bool inTemplate = false) =>
        new(name, [FrontMatterValueType.StringList], ListMayBeString: mayBeString, Description: description, InTemplate: inTemplate);
}
