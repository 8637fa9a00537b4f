using System.Collections.Immutable;

namespace NotesLsp.Analysis;

/// <summary>
/// The user's settings (VS Code section <c>notes</c>), as plain data. The server deserialises the client's
/// JSON into this shape case-insensitively, so property names here are the setting names.
/// Every property has a default, so a missing or partial configuration is always valid.
/// </summary>
public sealed record NotesSettings
{
    public static NotesSettings Default { get; } = new();

    /// <summary>Glob patterns (relative to a workspace folder) of files and folders to skip, beside .git and node_modules.</summary>
    public ImmutableArray<string> Exclude { get; init; } = [];

    public FrontMatterSettings FrontMatter { get; init; } = new();

    public TagSettings Tags { get; init; } = new();

    public PaperSettings Papers { get; init; } = new();

    public OpenReviewSettings OpenReview { get; init; } = new();

    public IndexSettings Index { get; init; } = new();
}

/// <summary><c>notes.index.*</c>: the persistent workspace index (read at start-up only).</summary>
public sealed record IndexSettings
{
    /// <summary>Keep a summary of every note in an SQLite database in the cache directory, so a reopened workspace is ready at once.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Where the databases go; null means <c>index/</c> under the platform's cache directory (see the README).</summary>
    public string? Directory { get; init; }
}

/// <summary><c>notes.frontMatter.*</c>.</summary>
public sealed record FrontMatterSettings
{
    /// <summary>notes, jekyll, hugo, obsidian or none.</summary>
    public string Preset { get; init; } = "notes";

    /// <summary>A schema file relative to the workspace folder; overrides the preset when present.</summary>
    public string Schema { get; init; } = ".notes/schema.yaml";

    /// <summary>Not a user setting: the text of <see cref="Schema"/> as the server read it (analysis does no I/O); null when absent.</summary>
    public FrontMatter.FrontMatterSchemaFile? SchemaFile { get; init; }
}

/// <summary><c>notes.tags.*</c>.</summary>
public sealed record TagSettings
{
    /// <summary>When non-empty, tags outside this list are warned about.</summary>
    public ImmutableArray<string> Allowed { get; init; } = [];

    /// <summary>
    /// A file of allowed tags, one per line (<c>#</c> starts a comment), relative to the workspace folder. The
    /// server reads it when settings arrive and adds its tags to <see cref="Allowed"/>.
    /// </summary>
    public string? AllowedFile { get; init; }

    /// <summary>Hint at a rare spelling of a more used tag (<c>ml</c> beside <c>ML</c>); false turns the <c>tag-variant</c> hint off.</summary>
    public bool VariantHints { get; init; } = true;

    /// <summary>Offer inline <c>#tag</c> completion in the body (off: <c>#</c> starts headings).</summary>
    public bool InlineCompletion { get; init; }

    /// <summary>Front matter keys whose values are tags; each key is its own vocabulary (Hugo calls them taxonomies).</summary>
    public ImmutableArray<string> Keys { get; init; } = ["tags", "categories"];
}

/// <summary><c>notes.papers.*</c>.</summary>
public sealed record PaperSettings
{
    /// <summary>Extra catalog files (JSON Lines).</summary>
    public ImmutableArray<string> Catalogs { get; init; } = [];

    /// <summary>Offer paper titles while typing a heading.</summary>
    public bool CompleteInHeadings { get; init; } = true;

    /// <summary>Show a paper's title after a bare OpenReview URL.</summary>
    public bool InlayHints { get; init; } = true;

    /// <summary>Where downloaded papers are cached; empty means the platform's cache folder (XDG on Linux).</summary>
    public string? CacheDirectory { get; init; }
}

/// <summary><c>notes.openreview.*</c>.</summary>
public sealed record OpenReviewSettings
{
    public bool Online { get; init; } = true;

    public string BaseUrl { get; init; } = "https://api2.openreview.net";

    /// <summary>API v1, asked when v2 does not know an id or a venue; empty turns the fallback off.</summary>
    public string? FallbackBaseUrl { get; init; } = "https://api.openreview.net";

    /// <summary>A token; never logged. The environment variable OPENREVIEW_TOKEN is used when this is empty.</summary>
    public string? Token { get; init; }
}
