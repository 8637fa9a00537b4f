using System.Collections.Immutable;
using NotesLsp.Text;

namespace NotesLsp.Syntax;

/// <summary>
/// The YAML front matter block: a <c>---</c> line at the very start of the note (after an optional BOM),
/// closed by a <c>---</c> or <c>...</c> line.
/// </summary>
/// <param name="Span">From the opening fence to the end of the closing fence's line break (or of the content when unclosed).</param>
/// <param name="OpenFence">The opening <c>---</c>.</param>
/// <param name="Content">The YAML between the fences.</param>
/// <param name="CloseFence">The closing fence, or null when the block is never closed.</param>
/// <param name="Root">The top-level mapping, when the YAML has one.</param>
/// <param name="Errors">Syntax errors and limits hit while reading the YAML; offsets are in the note.</param>
public sealed record FrontMatterSyntax(
    TextSpan Span,
    TextSpan OpenFence,
    TextSpan Content,
    TextSpan? CloseFence,
    YamlNode? RootNode,
    ImmutableArray<YamlSyntaxError> Errors)
{
    public bool IsClosed => CloseFence is not null;

    /// <summary>The top-level mapping, or null when the YAML is empty, broken before its first key, or not a mapping.</summary>
    public YamlMapping? Root => RootNode as YamlMapping;
}

/// <summary>A stand-alone YAML document: its root node and the problems met reading it.</summary>
public sealed record YamlDocumentSyntax(YamlNode? Root, ImmutableArray<YamlSyntaxError> Errors);

/// <summary>Why a YAML error was reported.</summary>
public enum YamlErrorKind
{
    Syntax,
    TooDeep,
    TooLarge,
    TooManyNodes,

    /// <summary>An alias (<c>*name</c>) with no anchor of that name before it: every YAML reader rejects the document.</summary>
    UndefinedAlias,
}

/// <summary>A problem found while reading the front matter, with its place in the note.</summary>
public sealed record YamlSyntaxError(YamlErrorKind Kind, TextSpan Span, string Message);

/// <summary>The style a YAML scalar was written in.</summary>
public enum YamlScalarStyle
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// <summary>A node of the front matter's YAML, with offsets into the note.</summary>
public abstract record YamlNode(TextSpan Span);

/// <summary>A scalar: its parsed value (quotes and escapes resolved) and how it was written.</summary>
public sealed record YamlScalar(TextSpan Span, string Value, YamlScalarStyle Style, string? Tag) : YamlNode(Span)
{
    public bool IsPlain => Style == YamlScalarStyle.Plain;
}

/// <summary>A sequence, written as a block (<c>- a</c>) or in flow style (<c>[a, b]</c>).</summary>
public sealed record YamlSequence(TextSpan Span, ImmutableArray<YamlNode> Items, bool IsFlow) : YamlNode(Span);

/// <summary>A mapping entry; the value is null when the YAML ended (or broke) before it.</summary>
public sealed record YamlEntry(YamlNode Key, YamlNode? Value)
{
    /// <summary>The key's text when it is a scalar, else null.</summary>
    public string? KeyText => (Key as YamlScalar)?.Value;
}

/// <summary>A mapping, block or flow style. Duplicate keys are kept, in order.</summary>
public sealed record YamlMapping(TextSpan Span, ImmutableArray<YamlEntry> Entries, bool IsFlow) : YamlNode(Span)
{
    /// <summary>The first entry with this key.</summary>
    public YamlEntry? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.KeyText == key)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The value of the first entry with this key when it is a scalar.</summary>
    public YamlScalar? GetScalar(string key) => Find(key)?.Value as YamlScalar;
}

/// <summary>
/// An alias (<c>*name</c>); never expanded, so alias bombs cost nothing. <see cref="Target"/> is the node it refers
/// to (the latest complete node anchored with its name before it), or null when there is none.
/// </summary>
public sealed record YamlAlias(TextSpan Span, string Name) : YamlNode(Span)
{
    /// <summary>The node this alias refers to, or null (undefined, or an alias inside its own anchored node).</summary>
    public YamlNode? Target { get; init; }
}
