using System.Collections;
using System.Reflection;
using System.Text.Json;
using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server.Tests;

/// <summary>
/// The source-generated JSON metadata (the only kind the NativeAOT server has): settings keep their defaults,
/// and every type the RPC target sends or receives is in <see cref="LspJsonContext"/>.
/// </summary>
public class SettingsJsonTests
{
    [Fact]
    public void Empty_settings_are_exactly_the_defaults()
    {
        var read = LspJson.ReadSettings(Parse("{}"));
        Assert.NotNull(read);
        AssertSameValues(new NotesSettings(), read, "notes");
    }

    [Fact]
    public void A_partial_settings_object_keeps_every_other_default()
    {
        var read = LspJson.ReadSettings(Parse("""{ "tags": { "allowed": ["ml"] }, "papers": { "inlayHints": false }, /* a comment */ "exclude": ["drafts/**"], }"""))!;

        Assert.Equal(["ml"], read.Tags.Allowed.ToArray());
        Assert.Equal(["tags", "categories"], read.Tags.Keys.ToArray());
        Assert.False(read.Papers.InlayHints);
        Assert.True(read.Papers.CompleteInHeadings);
        Assert.Equal(["drafts/**"], read.Exclude.ToArray());
        Assert.Equal("notes", read.FrontMatter.Preset);
        Assert.Equal("https://api2.openreview.net", read.OpenReview.BaseUrl);
    }

    [Fact]
    public void Settings_names_are_case_insensitive_and_numbers_may_be_strings_but_the_schema_file_is_never_the_clients()
    {
        var read = LspJson.ReadSettings(Parse("""{ "FRONTMATTER": { "Preset": "hugo", "schemaFile": { "uri": "file:///x", "text": "keys: {}" } }, "tags": { "inlineCompletion": true } }"""))!;
        Assert.Equal("hugo", read.FrontMatter.Preset);
        Assert.Null(read.FrontMatter.SchemaFile);
        Assert.True(read.Tags.InlineCompletion);
    }

    [Fact]
    public void Every_type_an_rpc_method_takes_or_returns_has_generated_metadata()
    {
        var methods = typeof(LanguageServer).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<JsonRpcMethodAttribute>() is not null)
            .ToList();
        Assert.True(methods.Count > 20, "the RPC target's methods were not found");
        var types = methods.SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
            .Select(Unwrap)
            .Where(t => t is not null && t != typeof(CancellationToken) && t != typeof(object))
            .Distinct();
        foreach (var type in types)
        {
            var info = LspJson.Options.GetTypeInfo(type!);
            Assert.Equal(type, info.Type);
        }
    }

    [Fact]
    public void Every_protocol_record_has_generated_metadata()
    {
        var records = typeof(LspJson).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Position).Namespace && t.IsPublic && !t.IsAbstract && t.GetMethod("<Clone>$") is not null)
            .ToList();
        Assert.Contains(typeof(PublishDiagnosticsParams), records);
        var missing = records.Where(t => !HasMetadata(t)).Select(t => t.Name).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Values_in_object_typed_properties_are_written_with_their_own_shape()
    {
        var json = LspJson.Serialize(new ProgressParams("t", new WorkDoneProgressReport("3/10", 30)));
        Assert.Equal("""{"token":"t","value":{"message":"3/10","percentage":30,"kind":"report"}}""", json);
    }

    private static bool HasMetadata(Type type)
    {
        try
        {
            return LspJson.Options.GetTypeInfo(type).Type == type;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    private static Type? Unwrap(Type type)
    {
        if (type == typeof(void) || type == typeof(Task))
        {
            return null;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            type = type.GetGenericArguments()[0];
        }

        return type;
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.Clone();
    }

    /// <summary>Walks the settings records: every property (present now or added later) must equal its default.</summary>
    private static void AssertSameValues(object expected, object actual, string path)
    {
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var e = property.GetValue(expected);
            var a = property.GetValue(actual);
            var where = $"{path}.{property.Name}";
            if (e is null || e is string || e.GetType().IsPrimitive)
            {
                Assert.True(Equals(e, a), $"{where}: expected {e ?? "null"}, read {a ?? "null"}");
            }
            else if (e is IEnumerable sequence)
            {
                Assert.True(a is IEnumerable, $"{where}: expected a list, read {a ?? "null"}");
                Assert.Equal(sequence.Cast<object>().ToList(), ((IEnumerable)a!).Cast<object>().ToList());
            }
            else
            {
                Assert.True(a is not null, $"{where}: expected {e}, read null");
                AssertSameValues(e, a!, where);
            }
        }
    }
}
