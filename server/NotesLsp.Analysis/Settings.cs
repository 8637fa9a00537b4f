using System.Collections.Immutable;

namespace NotesLsp.Analysis;

/// <summary>
/// The user's settings (VS Code section <c>notes</c>), as plain data. The server deserialises the client's
/// JSON into this shape case-insensitively, so property names here are the setting names.
/// Every property has a default, so a missing or partial configuration is always valid.
/// The properties have setters, not <c>init</c>: the server's source-generated JSON reader passes every
/// init-only property to the object initializer, so a setting absent from the client's JSON would become
/// null or empty instead of keeping its default (NotesLsp.Server.Tests.SettingsJsonTests). Treat them as
/// read-only all the same; copies are made with <c>with</c>.
/// </summary>
public sealed record NotesSettings
{
    public static NotesSettings Default { get; } = new();

    /// <summary>Glob patterns (relative to a workspace folder) of files and folders to skip, beside .git and node_modules.</summary>
    public ImmutableArray<string> Exclude { get; set; } = [];

    public FrontMatterSettings FrontMatter { get; set; } = new();

    public TagSettings Tags { get; set; } = new();

    public PaperSettings Papers { get; set; } = new();

    public OpenReviewSettings OpenReview { get; set; } = new();

    public IndexSettings Index { get; set; } = new();
}

/// <summary><c>notes.index.*</c>: the persistent workspace index (read at start-up only).</summary>
public sealed record IndexSettings
{
    /// <summary>Keep a summary of every note in an SQLite database in the cache directory, so a reopened workspace is ready at once.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the databases go; null means <c>index/</c> under the platform's cache directory (see the README).</summary>
    public string? Directory { get; set; }
}

/// <summary><c>notes.frontMatter.*</c>.</summary>
public sealed record FrontMatterSettings
{
    /// <summary>notes, jekyll, hugo, obsidian or none.</summary>
    public string Preset { get; set; } = "notes";

    /// <summary>A schema file relative to the workspace folder; overrides the preset when present.</summary>
    public string Schema { get; set; } = ".notes/schema.yaml";

    /// <summary>Not a user setting: the text of <see cref="Schema"/> as the server read it (analysis does no I/O); null when absent.</summary>
    public FrontMatter.FrontMatterSchemaFile? SchemaFile { get; set; }
}

/// <summary><c>notes.tags.*</c>.</summary>
public sealed record TagSettings
{
    /// <summary>When non-empty, tags outside this list are warned about.</summary>
    public ImmutableArray<string> Allowed { get; set; } = [];

    /// <summary>
    /// A file of allowed tags, one per line (<c>#</c> starts a comment), relative to the workspace folder. The
    /// server reads it when settings arrive and adds its tags to <see cref="Allowed"/>.
    /// </summary>
    public string? AllowedFile { get; set; }

    /// <summary>Hint at a rare spelling of a more used tag (<c>ml</c> beside <c>ML</c>); false turns the <c>tag-variant</c> hint off.</summary>
    public bool VariantHints { get; init; } = true;

    /// <summary>Offer inline <c>#tag</c> completion in the body (off: <c>#</c> starts headings).</summary>
    public bool InlineCompletion { get; set; }

    /// <summary>Front matter keys whose values are tags; each key is its own vocabulary (Hugo calls them taxonomies).</summary>
    public ImmutableArray<string> Keys { get; set; } = ["tags", "categories"];
}

/// <summary><c>notes.papers.*</c>.</summary>
public sealed record PaperSettings
{
    /// <summary>Extra catalog files (JSON Lines).</summary>
    public ImmutableArray<string> Catalogs { get; set; } = [];

    /// <summary>Offer paper titles while typing a heading.</summary>
    public bool CompleteInHeadings { get; set; } = true;

    /// <summary>Show a paper's title after a bare OpenReview URL.</summary>
    public bool InlayHints { get; set; } = true;

    /// <summary>Where downloaded papers are cached; empty means the platform's cache folder (XDG on Linux).</summary>
    public string? CacheDirectory { get; set; }
}

/// <summary><c>notes.openreview.*</c>.</summary>
public sealed record OpenReviewSettings
{
    public bool Online { get; set; } = true;

    public string BaseUrl { get; set; } = "https://api2.openreview.net";

    /// <summary>API v1, asked when v2 does not know an id or a venue; empty turns the fallback off.</summary>
    public string? FallbackBaseUrl { get; set; } = "https://api.openreview.net";

    /// <summary>A token; never logged. The environment variable OPENREVIEW_TOKEN is used when this is empty.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// True when the client says the base URLs come from the user's own settings (not a workspace's): the token
    /// may then go to them even when they are not OpenReview's hosts. The VS Code client decides with
    /// <c>inspect()</c>; other clients' settings are the user's own, and they set it when they point elsewhere.
    /// </summary>
    public bool BaseUrlFromUserSettings { get; init; }
}
