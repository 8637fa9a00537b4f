using System.Text;

namespace NotesLsp.Server;

/// <summary>
/// One spelling per file. Editors and the file system spell the same file differently (percent-encoding,
/// case of hex digits, encoded or plain non-ASCII); notes are keyed by the canonical form produced here,
/// which matches VS Code's own encoding (unreserved characters and '/' kept, the rest UTF-8 percent-encoded).
/// </summary>
public static class DocumentUris
{
    /// <summary>The characters a file URI spells as themselves: ASCII letters and digits, '-', '.', '_', '~' and '/'.</summary>
    private static readonly System.Buffers.SearchValues<char> Unescaped =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/");

    public static string FromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path).Replace('\\', '/');
        if (!full.StartsWith('/'))
        {
            full = "/" + full; // Windows drive paths: file:///c:/...
        }

        // Most paths need no escaping: one string, without the UTF-8 bytes and the builder (the start-up scan makes a
        // URI for every note).
        if (!full.AsSpan().ContainsAnyExcept(Unescaped))
        {
            return string.Concat("file://", full);
        }

        return Escaped(full);
    }

    /// <summary>The URI of a full path with '/' separators, every byte but the unescaped ones percent-encoded (the general case of <see cref="FromPath"/>).</summary>
    internal static string Escaped(string full)
    {
        var builder = new StringBuilder("file://", full.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(full))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>The local path of a file URI, or null for other schemes and unparsable input.</summary>
    public static string? ToPath(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
        {
            return null;
        }

        return parsed.LocalPath;
    }

    /// <summary>The canonical spelling of a URI: file URIs re-encoded, others unchanged.</summary>
    public static string Normalize(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return ToPath(uri) is { } path ? FromPath(path) : uri;
    }

    public static bool IsNoteFile(string path) => IsNoteFile(path.AsSpan());

    /// <inheritdoc cref="IsNoteFile(string)"/>
    public static bool IsNoteFile(ReadOnlySpan<char> path) =>
        path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase);
}
