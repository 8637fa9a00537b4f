using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>
/// The JSON conventions of the wire: camelCase names, nulls omitted. Every type's metadata comes from the
/// source-generated <see cref="LspJsonContext"/> (no reflection, so the NativeAOT build behaves like this one).
/// </summary>
public static class LspJson
{
    public static JsonSerializerOptions Options { get; } = Freeze(new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 64,
        TypeInfoResolver = LspJsonContext.Default,
    });

    /// <summary>Settings from the client: case-insensitive, comments and trailing commas tolerated.</summary>
    public static JsonSerializerOptions SettingsOptions { get; } = Freeze(new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        TypeInfoResolver = LspJsonContext.Default.WithAddedModifier(IgnoreServerOwnedSettings),
    });

    /// <summary>The wire metadata of <typeparamref name="T"/> (throws when the type is missing from <see cref="LspJsonContext"/>).</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>Reads the client's <c>notes</c> settings object.</summary>
    public static NotesSettings? ReadSettings(JsonElement json) =>
        json.Deserialize((JsonTypeInfo<NotesSettings>)SettingsOptions.GetTypeInfo(typeof(NotesSettings)));

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>());

    /// <summary>
    /// Reads and writes the shapes of the initialize round trip once, so that the runtime's reflection data for
    /// their types (built on a type's first use, process-wide) is there before the client's request arrives. The
    /// host runs it on a second core at start-up; what it reads and writes is thrown away.
    /// </summary>
    public static void WarmInitializeTypes()
    {
        var parameters = JsonSerializer.Deserialize(
            """{"processId":1,"clientInfo":{"name":"n","version":"1"},"rootUri":null,"workspaceFolders":[{"uri":"file:///w","name":"w"}],"capabilities":{},"initializationOptions":{}}"""u8,
            TypeInfo<InitializeParams>());
        _ = Serialize(new InitializeResult(new ServerCapabilities(), new ServerInfo(parameters?.ClientInfo?.Name ?? "", "")));
        _ = Serialize(new LogMessageParams(MessageType.Info, ""));
    }

    public static JsonElement SerializeToElement<T>(T value) => JsonSerializer.SerializeToElement(value, TypeInfo<T>());

    /// <summary>
    /// A notification whose params are <paramref name="parameters"/> as one JSON object. StreamJsonRpc's
    /// object-taking overloads reflect over the argument; this one hands it the object's members, already
    /// serialized by the source-generated metadata, as named arguments.
    /// </summary>
    public static Task SendNotificationAsync<T>(this JsonRpc rpc, string method, T parameters)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var (arguments, types) = NamedArguments(parameters);
        return rpc.NotifyWithParameterObjectAsync(method, arguments, types);
    }

    /// <summary>A request with <paramref name="parameters"/> as its params object (see <see cref="SendNotificationAsync"/>).</summary>
    public static Task<TResult> SendRequestAsync<T, TResult>(this JsonRpc rpc, string method, T parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var (arguments, types) = NamedArguments(parameters);
        return rpc.InvokeWithParameterObjectAsync<TResult>(method, arguments, types, cancellationToken);
    }

    /// <summary>A request whose answer the server does not read (it still waits for it, and sees errors).</summary>
    public static Task SendRequestAsync<T>(this JsonRpc rpc, string method, T parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var (arguments, types) = NamedArguments(parameters);
        return rpc.InvokeWithParameterObjectAsync(method, arguments, types, cancellationToken);
    }

    private static (Dictionary<string, object?> Arguments, Dictionary<string, Type> Types) NamedArguments<T>(T parameters)
    {
        var element = SerializeToElement(parameters);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"the params of an LSP message must be an object, not {element.ValueKind}", nameof(parameters));
        }

        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        var types = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            arguments[property.Name] = property.Value;
            types[property.Name] = typeof(JsonElement);
        }

        return (arguments, types);
    }

    /// <summary><c>FrontMatterSettings.SchemaFile</c> is the server's reading of the schema file, never the client's to send.</summary>
    private static void IgnoreServerOwnedSettings(JsonTypeInfo info)
    {
        if (info.Type == typeof(FrontMatterSettings))
        {
            foreach (var property in info.Properties.Where(p => p.PropertyType == typeof(NotesLsp.Analysis.FrontMatter.FrontMatterSchemaFile)).ToList())
            {
                info.Properties.Remove(property);
            }
        }
    }

    private static JsonSerializerOptions Freeze(JsonSerializerOptions options)
    {
        options.MakeReadOnly();
        return options;
    }
}
