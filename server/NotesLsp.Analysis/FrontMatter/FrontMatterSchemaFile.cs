using System.Collections.Immutable;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.FrontMatter;

/// <summary>
/// The text of a workspace schema file (<c>.notes/schema.yaml</c>) as the server read it. Analysis never does
/// I/O, so the server reads the file and hands it over in <see cref="FrontMatterSettings.SchemaFile"/>; the file
/// is read into a schema once, on first use, and its problems become diagnostics on the file itself.
/// </summary>
/// <remarks>
/// The format:
/// <code>
/// extends: notes          # optional: start from a preset's keys
/// unknownKeys: warn       # ignore | typos | warn
/// caseInsensitiveKeys: false
/// keys:
///   title: { type: string, required: true, description: The talk's title. }
///   date: { type: [year, date] }          # several types: any of them (year-or-date is the same)
///   tags: { type: string-list, listMayBeString: true }
///   status: { type: enum, values: [draft, done] }
///   venue: string                         # a type alone
/// </code>
/// </remarks>
public sealed class FrontMatterSchemaFile
{
    private readonly Lazy<(FrontMatterSchema? Schema, ImmutableArray<NoteDiagnostic> Diagnostics)> loaded;

    public FrontMatterSchemaFile(string uri, string text)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(text);
        Uri = uri;
        Text = SourceText.From(text);
        loaded = new(() => FrontMatterSchemaReader.Read(uri, Text), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Uri { get; }

    public SourceText Text { get; }

    /// <summary>The schema, or null when the file is too broken to use (the preset applies then).</summary>
    public FrontMatterSchema? Schema => loaded.Value.Schema;

    /// <summary>Problems in the schema file, in its offsets; the server publishes them on <see cref="Uri"/>.</summary>
    public ImmutableArray<NoteDiagnostic> Diagnostics => loaded.Value.Diagnostics;
}

/// <summary>Chooses the schema for a note: the workspace schema file when it is usable, else the preset.</summary>
public static class FrontMatterSchemas
{
    public static FrontMatterSchema Resolve(NotesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.FrontMatter.SchemaFile?.Schema ?? FrontMatterPresets.Get(settings.FrontMatter.Preset);
    }
}

/// <summary>Reads a schema file's YAML into a <see cref="FrontMatterSchema"/>, reporting every problem.</summary>
internal static class FrontMatterSchemaReader
{
    private static readonly ImmutableArray<string> TopLevelFields = ["extends", "unknownKeys", "caseInsensitiveKeys", "keys"];
    private static readonly ImmutableArray<string> KeyFields = ["type", "required", "values", "listMayBeString", "description", "template"];

    public static (FrontMatterSchema? Schema, ImmutableArray<NoteDiagnostic> Diagnostics) Read(string uri, SourceText text)
    {
        var diagnostics = ImmutableArray.CreateBuilder<NoteDiagnostic>();
        var document = FrontMatterParser.ParseYamlDocument(text.Text);
        foreach (var error in document.Errors)
        {
            diagnostics.Add(new NoteDiagnostic(error.Span, Severity.Error, FrontMatterCodes.SchemaSyntax, "schema file: " + YamlMessages.Describe(text, error).Message));
        }

        // A half-read schema would flag keys it simply did not get to, so a broken file means the preset applies.
        if (!document.Errors.IsEmpty)
        {
            return (null, diagnostics.ToImmutable());
        }

        if (document.Root is not YamlMapping root)
        {
            diagnostics.Add(new NoteDiagnostic(new TextSpan(0, 0), Severity.Error, FrontMatterCodes.SchemaInvalid,
                "a schema file is a mapping with `keys:` (see README)"));

            return (null, diagnostics.ToImmutable());
        }

        var baseSchema = FrontMatterPresets.None;
        var unknownKeys = (UnknownKeyPolicy?)null;
        var caseInsensitive = (bool?)null;
        var keys = new List<FrontMatterKey>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in root.Entries)
        {
            switch (entry.KeyText)
            {
                case "extends":
                    if (ScalarValue(entry) is { } presetName && FrontMatterPresets.Exists(presetName))
                    {
                        baseSchema = FrontMatterPresets.Get(presetName);
                    }
                    else
                    {
                        Report(diagnostics, entry.Value ?? entry.Key, $"`extends` names a preset: {string.Join(", ", FrontMatterPresets.Names)}");
                    }

                    break;
                case "unknownKeys":
                    unknownKeys = ScalarValue(entry)?.ToLowerInvariant() switch
                    {
                        "ignore" => UnknownKeyPolicy.Ignore,
                        "typos" => UnknownKeyPolicy.Typos,
                        "warn" => UnknownKeyPolicy.Warn,
                        _ => null,
                    };
                    if (unknownKeys is null)
                    {
                        Report(diagnostics, entry.Value ?? entry.Key, "`unknownKeys` is one of: ignore, typos, warn");
                    }

                    break;
                case "caseInsensitiveKeys":
                    caseInsensitive = ReadBool(diagnostics, entry);
                    break;
                case "keys":
                    if (entry.Value is YamlMapping keyMapping)
                    {
                        foreach (var keyEntry in keyMapping.Entries)
                        {
                            if (ReadKey(diagnostics, keyEntry) is { } key && declared.Add(key.Name))
                            {
                                keys.Add(key);
                            }
                        }
                    }
                    else if (entry.Value is not YamlScalar { Value.Length: 0 })
                    {
                        Report(diagnostics, entry.Value ?? entry.Key, "`keys` maps each front matter key to its type or settings");
                    }

                    break;
                default:
                    Report(diagnostics, entry.Key, $"unknown schema field `{entry.KeyText}`; expected one of: {string.Join(", ", TopLevelFields)}", Severity.Warning);
                    break;
            }
        }

        var merged = baseSchema.Keys.Where(k => !declared.Contains(k.Name)).Concat(keys);
        var schema = new FrontMatterSchema(uri, merged,
            unknownKeys ?? (baseSchema.IsEmpty ? UnknownKeyPolicy.Warn : baseSchema.UnknownKeys),
            caseInsensitive ?? baseSchema.CaseInsensitiveKeys)
        {
            Reader = baseSchema.Reader,
            IsFromFile = true,
        };
        return (schema, diagnostics.ToImmutable());
    }

    private static FrontMatterKey? ReadKey(ImmutableArray<NoteDiagnostic>.Builder diagnostics, YamlEntry entry)
    {
        if (entry.KeyText is not { Length: > 0 } name)
        {
            Report(diagnostics, entry.Key, "a key name must be text");
            return null;
        }

        if (entry.Value is YamlScalar or YamlSequence)
        {
            return ReadTypes(diagnostics, entry.Value) is { } shortTypes ? new FrontMatterKey(name, shortTypes) : null;
        }

        if (entry.Value is not YamlMapping settings)
        {
            Report(diagnostics, entry.Key, $"`{name}` needs a type (for example `{name}: string`)");
            return null;
        }

        ImmutableArray<FrontMatterValueType>? types = null;
        var required = false;
        var listMayBeString = false;
        var template = false;
        string? description = null;
        var values = ImmutableArray<string>.Empty;
        foreach (var field in settings.Entries)
        {
            switch (field.KeyText)
            {
                case "type":
                    types = ReadTypes(diagnostics, field.Value ?? field.Key);
                    break;
                case "required":
                    required = ReadBool(diagnostics, field) ?? false;
                    break;
                case "listMayBeString":
                    listMayBeString = ReadBool(diagnostics, field) ?? false;
                    break;
                case "template":
                    template = ReadBool(diagnostics, field) ?? false;
                    break;
                case "description":
                    description = ScalarValue(field);
                    break;
                case "values":
                    if (field.Value is YamlSequence sequence && sequence.Items.All(i => i is YamlScalar))
                    {
                        values = [.. sequence.Items.Cast<YamlScalar>().Select(s => s.Value)];
                    }
                    else
                    {
                        Report(diagnostics, field.Value ?? field.Key, "`values` is a list of allowed values, for example `[draft, done]`");
                    }

                    break;
                default:
                    Report(diagnostics, field.Key, $"unknown key setting `{field.KeyText}`; expected one of: {string.Join(", ", KeyFields)}", Severity.Warning);
                    break;
            }
        }

        if (types is null)
        {
            if (settings.Find("type") is null)
            {
                Report(diagnostics, entry.Key, $"`{name}` needs a `type`");
            }

            return null;
        }

        if (types.Value.Contains(FrontMatterValueType.Enum) && values.IsEmpty)
        {
            Report(diagnostics, entry.Key, $"`{name}` is an enum: list its `values`");
            return null;
        }

        return new FrontMatterKey(name, types.Value, required, values, listMayBeString, description, template || required);
    }

    private static ImmutableArray<FrontMatterValueType>? ReadTypes(ImmutableArray<NoteDiagnostic>.Builder diagnostics, YamlNode node)
    {
        var names = node switch
        {
            YamlScalar scalar => [scalar],
            YamlSequence sequence when sequence.Items.All(i => i is YamlScalar) => sequence.Items.Cast<YamlScalar>().ToList(),
            _ => null,
        };
        if (names is null || names.Count == 0)
        {
            Report(diagnostics, node, "a type is a name or a list of names: " + TypeNames);
            return null;
        }

        var types = ImmutableArray.CreateBuilder<FrontMatterValueType>();
        foreach (var scalar in names)
        {
            switch (scalar.Value.Trim().ToLowerInvariant())
            {
                case "string" or "text": types.Add(FrontMatterValueType.String); break;
                case "date": types.Add(FrontMatterValueType.Date); break;
                case "datetime": types.Add(FrontMatterValueType.DateTime); break;
                case "year": types.Add(FrontMatterValueType.Year); break;
                case "year-or-date": types.Add(FrontMatterValueType.Year); types.Add(FrontMatterValueType.Date); break;
                case "bool" or "boolean": types.Add(FrontMatterValueType.Bool); break;
                case "int" or "integer": types.Add(FrontMatterValueType.Int); break;
                case "number": types.Add(FrontMatterValueType.Number); break;
                case "url": types.Add(FrontMatterValueType.Url); break;
                case "string-list" or "list": types.Add(FrontMatterValueType.StringList); break;
                case "enum": types.Add(FrontMatterValueType.Enum); break;
                case "mapping" or "object": types.Add(FrontMatterValueType.Mapping); break;
                case "any": types.Add(FrontMatterValueType.Any); break;
                default:
                    Report(diagnostics, scalar, $"unknown type `{scalar.Value}`; expected one of: {TypeNames}");
                    return null;
            }
        }

        return types.ToImmutable();
    }

    private const string TypeNames = "string, date, datetime, year, year-or-date, bool, int, number, url, string-list, enum, mapping, any";

    private static bool? ReadBool(ImmutableArray<NoteDiagnostic>.Builder diagnostics, YamlEntry entry)
    {
        switch (ScalarValue(entry))
        {
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Report(diagnostics, entry.Value ?? entry.Key, $"`{entry.KeyText}` is true or false");
                return null;
        }
    }

    private static string? ScalarValue(YamlEntry entry) => (entry.Value as YamlScalar)?.Value.Trim();

    private static void Report(ImmutableArray<NoteDiagnostic>.Builder diagnostics, YamlNode node, string message, Severity severity = Severity.Error) =>
        diagnostics.Add(new NoteDiagnostic(node.Span, severity, FrontMatterCodes.SchemaInvalid, "schema file: " + message));
}
