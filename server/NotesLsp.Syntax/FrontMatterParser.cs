using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NotesLsp.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NotesLsp.Syntax;

/// <summary>Bounds that keep hostile front matter cheap; exceeding one is an error on the note, never a hang.</summary>
public sealed record FrontMatterLimits(int MaxContentLength = 256 * 1024, int MaxDepth = 64, int MaxNodes = 50_000)
{
    public static FrontMatterLimits Default { get; } = new();
}

/// <summary>Finds the front matter block of a note and reads its YAML into <see cref="YamlNode"/>s.</summary>
public static partial class FrontMatterParser
{
    /// <summary>Finds and parses the front matter, or returns null when the note does not start with <c>---</c>.</summary>
    public static FrontMatterSyntax? Parse(SourceText text, FrontMatterLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= FrontMatterLimits.Default;
        if (FindBlock(text) is not { } block)
        {
            return null;
        }

        var (root, errors) = ReadYaml(text.Text, block.Content, limits);
        return new FrontMatterSyntax(block.Span, block.OpenFence, block.Content, block.CloseFence, root, errors);
    }

    /// <summary>
    /// Reads a whole text as one YAML document (a schema file, for example) with the same limits and error
    /// reporting as front matter, so callers never need a second YAML reader.
    /// </summary>
    public static YamlDocumentSyntax ParseYamlDocument(string text, FrontMatterLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (root, errors) = ReadYaml(text, new TextSpan(0, text.Length), limits ?? FrontMatterLimits.Default);
        return new YamlDocumentSyntax(root, errors);
    }

    /// <summary>
    /// Reads one stretch of a note (part of its front matter, for example one top-level entry after a YAML error)
    /// as a YAML document, with spans in the note's offsets.
    /// </summary>
    public static YamlDocumentSyntax ParseYaml(SourceText text, TextSpan content, FrontMatterLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (root, errors) = ReadYaml(text.Text, content, limits ?? FrontMatterLimits.Default);
        return new YamlDocumentSyntax(root, errors);
    }

    /// <summary>The fences and content of a front matter block, before its YAML is read.</summary>
    public readonly record struct Block(TextSpan Span, TextSpan OpenFence, TextSpan Content, TextSpan? CloseFence);

    /// <summary>
    /// Locates the block. An unclosed block (no closing fence anywhere) ends at the first blank line, so that a
    /// half-typed front matter does not swallow the note's body.
    /// </summary>
    public static Block? FindBlock(SourceText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.LineCount == 0)
        {
            return null;
        }

        // Lines are looked at as spans of the text: a string per line was most of what finding the block allocated.
        var first = LineSpan(text, 0);
        var bom = first.StartsWith('\uFEFF') ? 1 : 0;
        if (first[bom..].TrimEnd() is not "---")
        {
            return null;
        }

        var openFence = new TextSpan(bom, 3);
        var contentStart = text.GetLineStart(1);
        for (var line = 1; line < text.LineCount; line++)
        {
            var lineText = LineSpan(text, line).TrimEnd();
            if (lineText is "---" or "...")
            {
                var closeStart = text.GetLineStart(line);
                var blockEnd = text.GetLineStart(line + 1);
                var closeFence = new TextSpan(closeStart, 3);
                return new Block(TextSpan.FromBounds(0, blockEnd), openFence, TextSpan.FromBounds(Math.Min(contentStart, closeStart), closeStart), closeFence);
            }
        }

        // Never closed: the content runs to the first blank line (or the end of the note).
        var end = text.Length;
        for (var line = 1; line < text.LineCount; line++)
        {
            if (LineSpan(text, line).IsWhiteSpace())
            {
                end = text.GetLineStart(line);
                break;
            }
        }

        contentStart = Math.Min(contentStart, end);
        return new Block(TextSpan.FromBounds(0, end), openFence, TextSpan.FromBounds(contentStart, end), null);
    }

    /// <summary>The line's text without its line break, as <see cref="SourceText.GetLineText"/> gives it, without a string.</summary>
    private static ReadOnlySpan<char> LineSpan(SourceText text, int line)
    {
        var start = text.GetLineStart(line);
        return text.Text.AsSpan(start, text.GetLineContentEnd(line) - start);
    }

    private static (YamlNode? Root, ImmutableArray<YamlSyntaxError> Errors) ReadYaml(string note, TextSpan content, FrontMatterLimits limits)
    {
        if (content.Length <= limits.MaxContentLength && FrontMatterFastReader.TryRead(note, content, limits, out var fast))
        {
            return (fast, []);
        }

        return ReadYamlWithYamlDotNet(note, content, limits);
    }

    /// <summary>The YAML read by YamlDotNet alone (what the fast reader must agree with; tests compare the two).</summary>
    internal static YamlDocumentSyntax ParseYamlWithYamlDotNet(string note, TextSpan content, FrontMatterLimits? limits = null)
    {
        var (root, errors) = ReadYamlWithYamlDotNet(note, content, limits ?? FrontMatterLimits.Default);
        return new YamlDocumentSyntax(root, errors);
    }

    private static (YamlNode? Root, ImmutableArray<YamlSyntaxError> Errors) ReadYamlWithYamlDotNet(string note, TextSpan content, FrontMatterLimits limits)
    {
        var errors = ImmutableArray.CreateBuilder<YamlSyntaxError>();
        if (content.Length > limits.MaxContentLength)
        {
            errors.Add(new YamlSyntaxError(YamlErrorKind.TooLarge, new TextSpan(content.Start, 0),
                $"front matter is too large to check ({content.Length / 1024} KB; the limit is {limits.MaxContentLength / 1024} KB)"));
            return (null, errors.ToImmutable());
        }

        var builder = new TreeBuilder(content.Start);
        var parser = new Parser(new StringReader(note.Substring(content.Start, content.Length)));
        var nodes = 0;
        try
        {
            while (parser.MoveNext())
            {
                if (++nodes > limits.MaxNodes)
                {
                    errors.Add(new YamlSyntaxError(YamlErrorKind.TooManyNodes, new TextSpan(content.Start, 0),
                        $"front matter has more than {limits.MaxNodes} YAML nodes; the rest is not checked"));
                    break;
                }

                builder.Accept(parser.Current!);

                if (builder.Depth > limits.MaxDepth)
                {
                    errors.Add(new YamlSyntaxError(YamlErrorKind.TooDeep, builder.LastSpan,
                        $"front matter is nested more than {limits.MaxDepth} levels deep; the rest is not checked"));
                    break;
                }
            }
        }
        catch (YamlException exception)
        {
            var start = content.Start + ClampIndex(exception.Start.Index, content.Length);
            var end = content.Start + ClampIndex(exception.End.Index, content.Length);
            errors.Add(new YamlSyntaxError(YamlErrorKind.Syntax, TextSpan.FromBounds(start, Math.Max(start, end)), StripPosition(exception.Message)));
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // YamlDotNet 18.1 throws InvalidOperationException on some broken input (`x:` then `{` on the next
            // line, typed every day); parsing must never throw, so it becomes an error after the last good node.
            // Point at what follows the last good node (past its ':' or ',' and spaces): that is what broke.
            var at = Math.Clamp(builder.LastSpan.End, content.Start, content.End);
            while (at < content.End && (char.IsWhiteSpace(note[at]) || note[at] is ':' or ','))
            {
                at++;
            }

            errors.Add(new YamlSyntaxError(YamlErrorKind.Syntax, new TextSpan(at, 0), "the YAML parser could not read the front matter after this point"));
        }

        // Every YAML reader refuses a document whose alias names no anchor defined before it (`foo: *nope`);
        // YamlDotNet's event parser passes it on, so the tree builder notes each one.
        foreach (var alias in builder.UndefinedAliases)
        {
            errors.Add(new YamlSyntaxError(YamlErrorKind.UndefinedAlias, alias.Span,
                $"`*{alias.Name}` refers to no anchor: no `&{alias.Name}` is defined above it (quote the value if it is text)"));
        }

        return (builder.Finish(), errors.ToImmutable());
    }

    private static int ClampIndex(long index, int length) => (int)Math.Clamp(index, 0, length);

    /// <summary>YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 1) - (...): "; the range says that already.</summary>
    private static string StripPosition(string message) => PositionPrefix().Replace(message, string.Empty).Trim();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();

    /// <summary>Builds the node tree from parser events; on an error, <see cref="Finish"/> closes what is open.</summary>
    private sealed class TreeBuilder(int offset)
    {
        private readonly Stack<Frame> stack = new();
        private readonly HashSet<string> anchors = new(StringComparer.Ordinal);

        // The latest complete node of each anchor name: what an alias met now refers to (YAML's rule).
        private readonly Dictionary<string, YamlNode> anchored = new(StringComparer.Ordinal);
        private YamlNode? root;

        /// <summary>Aliases met before (or without) an anchor of their name, in document order.</summary>
        public List<YamlAlias> UndefinedAliases { get; } = [];

        public int Depth => stack.Count;

        public TextSpan LastSpan { get; private set; }

        public void Accept(ParsingEvent parsingEvent)
        {
            var span = Span(parsingEvent.Start.Index, parsingEvent.End.Index);
            LastSpan = span;
            var anchor = parsingEvent is NodeEvent { Anchor.IsEmpty: false } anchoredEvent ? anchoredEvent.Anchor.Value : null;
            if (anchor is not null)
            {
                anchors.Add(anchor);
            }

            switch (parsingEvent)
            {
                case Scalar scalar:
                    Add(Anchored(anchor, new YamlScalar(span, scalar.Value, MapStyle(scalar.Style), scalar.Tag.IsEmpty ? null : scalar.Tag.Value)));
                    break;
                case AnchorAlias alias:
                    var node = new YamlAlias(span, alias.Value.Value) { Target = anchored.GetValueOrDefault(alias.Value.Value) };
                    if (!anchors.Contains(node.Name))
                    {
                        UndefinedAliases.Add(node);
                    }

                    Add(node);
                    break;
                case SequenceStart sequence:
                    stack.Push(new Frame(span.Start, IsMapping: false, sequence.Style == SequenceStyle.Flow, anchor));
                    break;
                case MappingStart mapping:
                    stack.Push(new Frame(span.Start, IsMapping: true, mapping.Style == MappingStyle.Flow, anchor));
                    break;
                case SequenceEnd or MappingEnd:
                    if (stack.Count > 0)
                    {
                        var frame = stack.Pop();
                        Add(Anchored(frame.Anchor, frame.Build(span.End)));
                    }

                    break;
            }
        }

        private YamlNode Anchored(string? anchor, YamlNode node)
        {
            if (anchor is not null)
            {
                anchored[anchor] = node;
            }

            return node;
        }

        public YamlNode? Finish()
        {
            while (stack.Count > 0)
            {
                var frame = stack.Pop();
                Add(frame.Build(frame.LastEnd));
            }

            return root;
        }

        private void Add(YamlNode node)
        {
            if (stack.Count == 0)
            {
                root ??= node;
                return;
            }

            stack.Peek().Add(node);
        }

        private TextSpan Span(long start, long end)
        {
            var s = offset + (int)Math.Max(0, start);
            var e = offset + (int)Math.Max(start, end);
            return TextSpan.FromBounds(s, e);
        }

        private static YamlScalarStyle MapStyle(ScalarStyle style) => style switch
        {
            ScalarStyle.SingleQuoted => YamlScalarStyle.SingleQuoted,
            ScalarStyle.DoubleQuoted => YamlScalarStyle.DoubleQuoted,
            ScalarStyle.Literal => YamlScalarStyle.Literal,
            ScalarStyle.Folded => YamlScalarStyle.Folded,
            _ => YamlScalarStyle.Plain,
        };

        private sealed class Frame(int start, bool IsMapping, bool isFlow, string? anchor)
        {
            public string? Anchor { get; } = anchor;

            private readonly List<YamlNode> items = [];
            private readonly int startOffset = start;

            public int LastEnd { get; private set; } = start;

            public void Add(YamlNode node)
            {
                items.Add(node);
                LastEnd = Math.Max(LastEnd, node.Span.End);
            }

            public YamlNode Build(int end)
            {
                end = Math.Max(end, LastEnd);
                var span = TextSpan.FromBounds(startOffset, end);
                if (!IsMapping)
                {
                    return new YamlSequence(span, [.. items], isFlow);
                }

                var entries = ImmutableArray.CreateBuilder<YamlEntry>(items.Count / 2 + 1);
                for (var i = 0; i < items.Count; i += 2)
                {
                    entries.Add(new YamlEntry(items[i], i + 1 < items.Count ? items[i + 1] : null));
                }

                return new YamlMapping(span, entries.ToImmutable(), isFlow);
            }
        }
    }
}
