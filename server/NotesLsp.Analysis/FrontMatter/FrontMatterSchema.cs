using System.Collections.Frozen;
using System.Collections.Immutable;

namespace NotesLsp.Analysis.FrontMatter;

/// <summary>The kinds of value a front matter key may hold.</summary>
public enum FrontMatterValueType
{
    /// <summary>Any scalar read as text.</summary>
    String,

    /// <summary><c>YYYY-MM-DD</c>, optionally followed by a time and an offset (as Jekyll, Hugo and Obsidian read it).</summary>
    Date,

    /// <summary>A date with a time: <c>YYYY-MM-DD HH:MM[:SS]</c>, optional <c>T</c>, fraction and offset.</summary>
    DateTime,

    /// <summary>Four digits: <c>2024</c>.</summary>
    Year,

    Bool,
    Int,
    Number,

    /// <summary>An absolute URL or a site path starting with <c>/</c>.</summary>
    Url,

    /// <summary>A list of strings (block or flow); may also be a string when the key allows it.</summary>
    StringList,

    /// <summary>One of the key's allowed values.</summary>
    Enum,

    /// <summary>A nested mapping (Hugo's <c>params</c>, <c>build</c>).</summary>
    Mapping,

    /// <summary>Anything: the key is known but its value is not checked.</summary>
    Any,
}

/// <summary>What to say about keys the schema does not list.</summary>
public enum UnknownKeyPolicy
{
    /// <summary>Nothing.</summary>
    Ignore,

    /// <summary>Only keys that look like a misspelt known key ("did you mean `title`?").</summary>
    Typos,

    /// <summary>Every unknown key, with a suggestion when one is close.</summary>
    Warn,
}

/// <summary>The YAML reader of a preset's site generator or app, where readers differ (duplicate keys, tabs in flow collections).</summary>
public enum YamlReader
{
    /// <summary>No particular reader: YAML 1.2 as written (duplicate keys are an error).</summary>
    Any,

    /// <summary>Ruby's Psych (Jekyll), and PyYAML (MkDocs) alike here: a repeated key keeps the last value; tabs inside flow collections are accepted.</summary>
    Psych,

    /// <summary>Go YAML (Hugo): a repeated key is an error.</summary>
    GoYaml,

    /// <summary>js-yaml (Obsidian): a repeated key is an error; tabs inside flow collections are accepted.</summary>
    JsYaml,
}

/// <summary>One key of a front matter schema.</summary>
/// <param name="Name">The key as it should be written.</param>
/// <param name="Types">What the value may be; several types mean any of them (for example year or date).</param>
/// <param name="Required">A note without this key gets a warning.</param>
/// <param name="AllowedValues">When not empty, the only values (or list items) accepted.</param>
/// <param name="ListMayBeString">A list key that may also be written as one string (<c>tags: conference</c>).</param>
/// <param name="Description">A short sentence shown in completion.</param>
/// <param name="InTemplate">Written into the template inserted into a note without front matter.</param>
public sealed record FrontMatterKey(
    string Name,
    ImmutableArray<FrontMatterValueType> Types,
    bool Required = false,
    ImmutableArray<string> AllowedValues = default,
    bool ListMayBeString = false,
    string? Description = null,
    bool InTemplate = false)
{
    public ImmutableArray<string> AllowedValuesOrEmpty => AllowedValues.IsDefault ? [] : AllowedValues;

    public bool Accepts(FrontMatterValueType type) => Types.Contains(type);

    /// <summary>True when the value is checked as text (so YAML 1.1 booleans and numbers are surprises).</summary>
    public bool ExpectsText => Types.Contains(FrontMatterValueType.String) || Types.Contains(FrontMatterValueType.StringList)
        || Types.Contains(FrontMatterValueType.Url) || Types.Contains(FrontMatterValueType.Enum);

    public bool IsDateLike => Types.Contains(FrontMatterValueType.Date) || Types.Contains(FrontMatterValueType.DateTime)
        || Types.Contains(FrontMatterValueType.Year);
}

/// <summary>
/// The keys a note's front matter may have, built from a preset or a workspace schema file. Immutable and
/// shared: presets are built once, a schema file's schema once per file text.
/// </summary>
public sealed class FrontMatterSchema
{
    private readonly FrozenDictionary<string, FrontMatterKey> byName;

    public FrontMatterSchema(string name, IEnumerable<FrontMatterKey> keys, UnknownKeyPolicy unknownKeys, bool caseInsensitiveKeys = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(keys);
        Name = name;
        Keys = [.. keys];
        UnknownKeys = unknownKeys;
        CaseInsensitiveKeys = caseInsensitiveKeys;
        var comparer = caseInsensitiveKeys ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var dictionary = new Dictionary<string, FrontMatterKey>(comparer);
        foreach (var key in Keys)
        {
            dictionary[key.Name] = key;
        }

        byName = dictionary.ToFrozenDictionary(comparer);
    }

    /// <summary>The preset name, or the schema file's path.</summary>
    public string Name { get; }

    public ImmutableArray<FrontMatterKey> Keys { get; }

    public UnknownKeyPolicy UnknownKeys { get; }

    /// <summary>Hugo reads keys case-insensitively (<c>linktitle</c> is <c>linkTitle</c>).</summary>
    public bool CaseInsensitiveKeys { get; }

    public StringComparer KeyComparer => CaseInsensitiveKeys ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    public FrontMatterKey? Find(string key) => byName.GetValueOrDefault(key);

    /// <summary>The generator's YAML reader, which decides how severe a duplicate key is.</summary>
    public YamlReader Reader { get; init; } = YamlReader.Any;

    /// <summary>True for a workspace schema file: its types are the user's contract (errors), not a preset's opinion (warnings).</summary>
    public bool IsFromFile { get; init; }

    /// <summary>True when the schema checks nothing beyond YAML itself (the <c>none</c> preset).</summary>
    public bool IsEmpty => Keys.IsEmpty && UnknownKeys == UnknownKeyPolicy.Ignore;
}
