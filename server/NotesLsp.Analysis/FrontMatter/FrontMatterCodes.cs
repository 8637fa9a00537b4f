namespace NotesLsp.Analysis.FrontMatter;

/// <summary>The diagnostic codes of front matter validation; quick fixes key on them.</summary>
public static class FrontMatterCodes
{
    public const string Unclosed = "front-matter-unclosed";
    public const string NotAtStart = "front-matter-not-at-start";
    public const string Empty = "front-matter-empty";
    public const string NotMapping = "front-matter-not-mapping";
    public const string Missing = "front-matter-missing";
    public const string TabIndent = "yaml-tab-indent";
    public const string Syntax = "yaml-syntax";
    public const string Limit = "yaml-limit";
    public const string UndefinedAlias = "yaml-undefined-alias";
    public const string DuplicateKey = "duplicate-key";
    public const string UnknownKey = "unknown-key";
    public const string MissingKey = "missing-key";
    public const string WrongType = "wrong-type";
    public const string ValueNotAllowed = "value-not-allowed";
    public const string ImplicitType = "yaml-implicit-type";
    public const string ListAsString = "list-as-string";
    public const string InvalidDate = "invalid-date";
    public const string ImpossibleDate = "impossible-date";
    public const string NonIsoDate = "non-iso-date";
    public const string YearOnlyDate = "year-only-date";
    public const string SchemaSyntax = "schema-syntax";
    public const string SchemaInvalid = "schema-invalid";

    /// <summary>Data keys carried by diagnostics for their quick fixes.</summary>
    public const string DataSuggestion = "suggestion";
    public const string DataQuoteStart = "quoteStart";
    public const string DataQuoteLength = "quoteLength";
    public const string DataKey = "key";

    /// <summary>A duplicate key's two entries as <c>start:length</c> of their whole lines, and the one the generator keeps (<c>first</c> or <c>later</c>).</summary>
    public const string DataFirstEntry = "firstEntry";
    public const string DataLaterEntry = "laterEntry";
    public const string DataKeep = "keep";
}
