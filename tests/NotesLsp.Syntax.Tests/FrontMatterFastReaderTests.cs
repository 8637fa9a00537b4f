using System.Globalization;
using System.Text;
using NotesLsp.Text;
using Xunit;
using Xunit.Abstractions;

namespace NotesLsp.Syntax.Tests;

/// <summary>
/// One reading of front matter: the fast reader (<see cref="FrontMatterFastReader"/>) and YamlDotNet must make the
/// same tree, spans and errors of every text. Each test reads texts both ways (the parser's own path, which takes the
/// fast reader when it can, against YamlDotNet alone) and compares full dumps of the results.
/// </summary>
public sealed class FrontMatterFastReaderTests(ITestOutputHelper output)
{
    /// <summary>Every front matter of the fixtures (hugo docs, generated notes, workspaces) and the examples.</summary>
    [Fact]
    public void Fixture_front_matters_read_the_same_both_ways()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, "tests", "fixtures"), "*.md", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "examples"), "*.md", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 200, $"only {files.Count} fixture notes found");

        var withFrontMatter = 0;
        var fast = 0;
        foreach (var file in files)
        {
            var text = SourceText.From(File.ReadAllText(file));
            if (FrontMatterParser.FindBlock(text) is not { } block)
            {
                continue;
            }

            withFrontMatter++;
            fast += AssertSame(text.Text, block.Content, file) ? 1 : 0;
        }

        output.WriteLine($"fast path: {fast} of {withFrontMatter} fixture front matters");

        // The subset is the common case: most fixture front matters must take the fast path, or this test
        // compares YamlDotNet with itself.
        Assert.True(withFrontMatter > 150, $"{withFrontMatter} front matters");
        Assert.True(fast * 2 > withFrontMatter, $"fast path taken for {fast} of {withFrontMatter} fixture front matters");
    }

    /// <summary>The front matter of all 998 Hugo documentation notes (tests/fixtures/front-matter/hugo-docs.txt), each as a note.</summary>
    [Fact]
    public void Hugo_docs_front_matters_read_the_same_both_ways()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "tests", "fixtures", "front-matter", "hugo-docs.txt"));
        var blocks = new List<(string Name, StringBuilder Yaml)>();
        foreach (var line in lines)
        {
            if (line.StartsWith("=== ", StringComparison.Ordinal))
            {
                blocks.Add((line[4..], new StringBuilder()));
            }
            else if (blocks.Count > 0)
            {
                blocks[^1].Yaml.Append(line).Append('\n');
            }
        }

        var fast = 0;
        foreach (var (name, yaml) in blocks)
        {
            var note = "---\n" + yaml + "---\n";
            fast += AssertSame(note, new TextSpan(4, yaml.Length), name) ? 1 : 0;
        }

        output.WriteLine($"fast path: {fast} of {blocks.Count} hugo docs front matters");
        Assert.True(blocks.Count > 900, $"{blocks.Count} blocks");
        Assert.True(fast * 2 > blocks.Count, $"fast path taken for {fast} of {blocks.Count}");
    }

    /// <summary>Seeded random front matter built from YAML-ish lines, many of them outside the subset or broken.</summary>
    [Fact]
    public void Generated_front_matters_read_the_same_both_ways()
    {
        var random = new Random(20261202);
        var fast = 0;
        const int Cases = 20_000;
        for (var i = 0; i < Cases; i++)
        {
            var yaml = GenerateYaml(random);

            // Once as a whole document and once inside a note (offsets in the note, content between fences).
            fast += AssertSame(yaml, new TextSpan(0, yaml.Length), $"case {i}") ? 1 : 0;
            var note = "---\n" + yaml + (yaml.EndsWith('\n') ? string.Empty : "\n") + "---\nbody\n";
            var block = FrontMatterParser.FindBlock(SourceText.From(note));
            Assert.NotNull(block);
            AssertSame(note, block.Value.Content, $"case {i} in a note");
        }

        output.WriteLine($"fast path: {fast} of {Cases} generated front matters");
        Assert.True(fast > Cases / 10, $"fast path taken for {fast} of {Cases} generated front matters");
        Assert.True(fast < Cases * 9 / 10, $"fast path taken for {fast} of {Cases}: the generator makes too few texts outside the subset");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("title: Hello world\n")]
    [InlineData("title: Hello world")]
    [InlineData("\n# c\n\ntitle: x\n")]
    [InlineData("a: x\n\n\n")]
    [InlineData("a: x\n# c")]
    [InlineData("a: x\n  # indented comment\nb: y\n")]
    [InlineData("a:\nb:\n")]
    [InlineData("a:   # c\nb: 1\n")]
    [InlineData("a: x:y #z\nb: a#b\nc: http://x.org/a?b=1\n")]
    [InlineData("a: x:\n")]
    [InlineData("a: x: y\n")]
    [InlineData("a: b #c: d\n")]
    [InlineData("a: 'it''s'  # c\n")]
    [InlineData("a: ''\nb: \"\"\n")]
    [InlineData("a: 'x\n  y'\n")]
    [InlineData("a: \"x\\ty\"\n")]
    [InlineData("a: \"x\" y\n")]
    [InlineData("a: 'x'#c\n")]
    [InlineData("tags: []\nb: [ a b , \"c\" ]  # z\n")]
    [InlineData("tags: [a,b,c]\n")]
    [InlineData("tags: [a, ]\n")]
    [InlineData("tags: [a,, b]\n")]
    [InlineData("tags: [a, [b]]\n")]
    [InlineData("tags: [a: b]\n")]
    [InlineData("tags: [a, b\n  , c]\n")]
    [InlineData("tags: [a, b] c\n")]
    [InlineData("tags: ['x', \"y\", 'it''s']\n")]
    [InlineData("tags: [-x, ?y]\n")]
    [InlineData("list:\n  - x\n  - \"y\"\ndate: 2021-01-01\n")]
    [InlineData("list:\n- x\n- y\nz: 1")]
    [InlineData("list:\n  - x\n\n# c\n")]
    [InlineData("list:\n- x\n# c\n")]
    [InlineData("list:\n  - x\n    - y\n")]
    [InlineData("list:\n  - x\n - y\n")]
    [InlineData("list:\n  - x\n  y\n")]
    [InlineData("list:\n  -\n  - y\n")]
    [InlineData("list:\n  - a: b\n")]
    [InlineData("list:\n  - - a\n")]
    [InlineData("list:\n  - [a]\n")]
    [InlineData("list:\n- x\n  - y\n")]
    [InlineData("a: b\n  c\n")]
    [InlineData("a: b\n\n  c\n")]
    [InlineData("a:\n  b: c\n")]
    [InlineData("a: b\nc\n")]
    [InlineData("  a: b\n")]
    [InlineData("a : b\n")]
    [InlineData("a:b\n")]
    [InlineData("og:image: x\n")]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a: *nope\n")]
    [InlineData("a: !tag x\n")]
    [InlineData("a: |\n  text\n")]
    [InlineData("a: >\n  text\n")]
    [InlineData("a: {b: c}\n")]
    [InlineData("? a\n: b\n")]
    [InlineData("%YAML 1.2\n---\na: b\n")]
    [InlineData("--- x\na: b\n")]
    [InlineData("a: b\n... \n")]
    [InlineData("a:\tb\n")]
    [InlineData("a: b\r\nc: d\r\n")]
    [InlineData("a: b\u0085c: d\n")]
    [InlineData("a: b\u2028c\n")]
    [InlineData("a: caf\u00e9 \u4e2d\u6587\n")]
    [InlineData("a: x\u00a0\n")]
    [InlineData("a: \ud83d\ude00\n")]
    [InlineData("a: null\nb: ~\nc: true\nd: 1.5e3\n")]
    [InlineData("a: x  y   z  \n")]
    [InlineData("a: [x]  \nb: 'y'   \n")]
    [InlineData("a: b\na: c\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("just text\n")]
    [InlineData("a: -1\nb: - x\n")]
    [InlineData("a: @x\nb: `y`\n")]
    [InlineData("a: x, y, [z]\nb: {not flow} here\n")]
    [InlineData("p:\n  a: x\n  b:\n    - y\n  c:\n  d: [1]\n# c\nq: 1\n")]
    [InlineData("p:\n  a: x\n\n")]
    [InlineData("p:\n  s:\n  - y\n  t: 1\n")]
    [InlineData("p:\n  a:\n    b: c\n  d: 1\ne: 2\n")]
    [InlineData("p:\n  a: 1\n b: 2\n")]
    [InlineData("p:\n  a: 1\n    b: 2\n")]
    [InlineData("p:\n  a: 1\n# c\n  b: 2\n")]
    [InlineData("p:\n  s:\n    - x\n  - y\n")]
    [InlineData("p:\n    a: 1\n  b: 2\n")]
    [InlineData("p:\n  - x\n  a: 1\n")]
    [InlineData("p:\n  a: 1\n  - x\n")]
    [InlineData("a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g:\n       h:\n        i:\n         j: 1\n")]
    public void Edge_cases_read_the_same_both_ways(string yaml)
    {
        AssertSame(yaml, new TextSpan(0, yaml.Length), yaml);
        var note = "---\n" + yaml + "\n---\n";
        AssertSame(note, new TextSpan(4, yaml.Length + 1), yaml + " (in a note)");
    }

    [Fact]
    public void Common_front_matter_takes_the_fast_path()
    {
        const string Yaml = "title: Scalable Offline RL\ndate: 2022-07-06\ntags: [muon, kv-cache]\ncategories:\n  - reading-group\n  - TMLR 2022\nopenreview: https://openreview.net/forum?id=dbXODtuugJ\nrating: 5\n";
        Assert.True(FrontMatterFastReader.TryRead(Yaml, new TextSpan(0, Yaml.Length), FrontMatterLimits.Default, out var root));
        var mapping = Assert.IsType<YamlMapping>(root);
        Assert.Equal(["title", "date", "tags", "categories", "openreview", "rating"], mapping.Entries.Select(e => e.KeyText));
        Assert.Equal(["reading-group", "TMLR 2022"], Assert.IsType<YamlSequence>(mapping.Find("categories")!.Value).Items.Select(i => ((YamlScalar)i).Value));
        AssertSame(Yaml, new TextSpan(0, Yaml.Length), "common");
    }

    [Fact]
    public void Limits_are_left_to_the_YamlDotNet_path()
    {
        var yaml = string.Concat(Enumerable.Range(0, 40).Select(i => $"k{i}: v\n"));
        var tight = new FrontMatterLimits(MaxNodes: 30);
        Assert.False(FrontMatterFastReader.TryRead(yaml, new TextSpan(0, yaml.Length), tight, out _));
        var read = FrontMatterParser.ParseYaml(SourceText.From(yaml), new TextSpan(0, yaml.Length), tight);
        Assert.Equal(Dump(FrontMatterParser.ParseYamlWithYamlDotNet(yaml, new TextSpan(0, yaml.Length), tight)), Dump(read));
        Assert.Contains(read.Errors, e => e.Kind == YamlErrorKind.TooManyNodes);

        const string Nested = "a:\n  b:\n    c: [1]\n";
        var shallow = new FrontMatterLimits(MaxDepth: 2);
        Assert.False(FrontMatterFastReader.TryRead(Nested, new TextSpan(0, Nested.Length), shallow, out _));
        var deep = FrontMatterParser.ParseYaml(SourceText.From(Nested), new TextSpan(0, Nested.Length), shallow);
        Assert.Equal(Dump(FrontMatterParser.ParseYamlWithYamlDotNet(Nested, new TextSpan(0, Nested.Length), shallow)), Dump(deep));
        Assert.Contains(deep.Errors, e => e.Kind == YamlErrorKind.TooDeep);
    }

    /// <summary>Asserts both paths agree on <paramref name="content"/>; true when the fast reader read it.</summary>
    private static bool AssertSame(string text, TextSpan content, string what)
    {
        var yamlDotNet = FrontMatterParser.ParseYamlWithYamlDotNet(text, content);
        var expected = Dump(yamlDotNet);
        var actual = Dump(FrontMatterParser.ParseYaml(SourceText.From(text), content));
        if (expected != actual)
        {
            Assert.Fail($"{what}: the fast reader and YamlDotNet disagree on\n{Escape(text.Substring(content.Start, content.Length))}\n--- YamlDotNet\n{expected}\n--- parser\n{actual}");
        }

        var tookFast = FrontMatterFastReader.TryRead(text, content, FrontMatterLimits.Default, out _);
        if (tookFast)
        {
            // A text the fast path reads is one YamlDotNet reads without an error.
            Assert.Empty(yamlDotNet.Errors);
        }

        return tookFast;
    }

    private static string Dump(YamlDocumentSyntax document)
    {
        var builder = new StringBuilder();
        Dump(builder, document.Root, 0);
        foreach (var error in document.Errors)
        {
            builder.Append(CultureInfo.InvariantCulture, $"error {error.Kind} {error.Span} {error.Message}\n");
        }

        return builder.ToString();
    }

    private static void Dump(StringBuilder builder, YamlNode? node, int depth)
    {
        builder.Append(' ', depth * 2);
        switch (node)
        {
            case null:
                builder.Append("(none)\n");
                break;
            case YamlScalar scalar:
                builder.Append(CultureInfo.InvariantCulture, $"scalar {scalar.Span} {scalar.Style} tag={scalar.Tag ?? "-"} \"{Escape(scalar.Value)}\"\n");
                break;
            case YamlAlias alias:
                builder.Append(CultureInfo.InvariantCulture, $"alias {alias.Span} {alias.Name} -> {(alias.Target is { } t ? t.Span.ToString() : "-")}\n");
                break;
            case YamlSequence sequence:
                builder.Append(CultureInfo.InvariantCulture, $"sequence {sequence.Span} flow={sequence.IsFlow} {sequence.Items.Length}\n");
                foreach (var item in sequence.Items)
                {
                    Dump(builder, item, depth + 1);
                }

                break;
            case YamlMapping mapping:
                builder.Append(CultureInfo.InvariantCulture, $"mapping {mapping.Span} flow={mapping.IsFlow} {mapping.Entries.Length}\n");
                foreach (var entry in mapping.Entries)
                {
                    Dump(builder, entry.Key, depth + 1);
                    Dump(builder, entry.Value, depth + 2);
                }

                break;
            default:
                builder.Append(node.GetType().Name).Append('\n');
                break;
        }
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);

    private static readonly string[] Keys = ["title", "tags", "date", "a", "b-c", "x_1", "2021", "k.v", "Title", "caf\u00e9", "key with space", "\"q\"", "'q'", "? x", "<<", "-k", "&a k", "*a", "!t k", "a b", "_", "x:y", "[k]"];

    private static readonly string[] Words = ["x", "hello", "Hello world", "2021-01-01", "12", "-1", "1.5", "null", "~", "true", "caf\u00e9", "\u4e2d\u6587", "http://x.org/a?b=1", "a:b", "a: b", "a:", "a #b", "a#b", "#c", "[", "]", "{", "}", ",", "a,b", "it's", "\"q\"", "'q'", "'it''s'", "\"a\\\"b\"", "\"a\\nb\"", "'", "\"", "&x", "*x", "&x v", "!!str s", "!t", "|", ">", "-", "- x", "?", "? x", ":", "%", "@x", "`x`", "x  y", "x ", " x", "x\u00a0", "\u0085", "\u2028", "\ud83d\ude00", "\t", "x\ty", "\r", "[a, b]", "[a,b]", "[]", "[ ]", "[a, ]", "[a, [b]]", "[a: b]", "['x', \"y\"]", "[a b, c]", "{a: b}", "{}", "a\\b", "---", "...", "<<"];

    /// <summary>A front matter of 0 to 8 entries, each drawn from common shapes and from shapes that break the subset.</summary>
    private static string GenerateYaml(Random random)
    {
        var builder = new StringBuilder();
        AppendEntries(builder, random, string.Empty, 0, random.Next(0, 9));
        return builder.ToString();
    }

    /// <summary>Entries at <paramref name="indent"/>; a nested mapping's entries go one level deeper (odd indents now and then).</summary>
    private static void AppendEntries(StringBuilder builder, Random random, string indent, int depth, int entries)
    {
        for (var e = 0; e < entries; e++)
        {
            var roll = random.Next(100);
            var key = random.Next(100) < 80 ? Keys[random.Next(0, 9)] : Keys[random.Next(Keys.Length)];
            var separator = random.Next(100) < 95 ? ": " : random.Next(4) switch { 0 => ":", 1 => " : ", 2 => ":  ", _ => ":\t" };
            var lineIndent = random.Next(100) < 97 ? indent : Pick(random, string.Empty, " ", indent + "  ", indent + " ");
            builder.Append(lineIndent);
            if (roll < 40)
            {
                builder.Append(key).Append(separator).Append(Value(random)).Append(Trailer(random));
            }
            else if (roll < 55)
            {
                builder.Append(key).Append(separator).Append('[');
                var items = random.Next(0, 5);
                for (var i = 0; i < items; i++)
                {
                    builder.Append(i > 0 ? Pick(random, ", ", ",", " , ", ",  ") : Pick(random, string.Empty, string.Empty, " "));
                    builder.Append(Value(random));
                }

                builder.Append(random.Next(100) < 90 ? Pick(random, "]", "]", " ]", "]  ") : Pick(random, string.Empty, ",]", "\n  ]", "]]", "] x"));
                builder.Append(Trailer(random));
            }
            else if (roll < 72)
            {
                builder.Append(key).Append(separator.TrimEnd(' ')).Append(Trailer(random)).Append('\n');
                var itemsIndent = random.Next(100) < 85 ? Pick(random, indent + "  ", indent, indent + "    ") : Pick(random, indent + " ", indent + "   ", "\t", string.Empty);
                var items = random.Next(0, 5);
                for (var i = 0; i < items; i++)
                {
                    var itemIndent = random.Next(100) < 92 ? itemsIndent : Pick(random, string.Empty, " ", "  ", "      ", indent);
                    builder.Append(itemIndent).Append(random.Next(100) < 95 ? "- " : Pick(random, "-", "-  ", "- - ", "-\t")).Append(Value(random)).Append(Trailer(random));
                    if (i + 1 < items)
                    {
                        builder.Append('\n');
                    }
                }
            }
            else if (roll < 80)
            {
                builder.Append(Pick(random, "# a comment", "  # indented", "#", string.Empty, "   ", "#: not a key"));
            }
            else if (roll < 86)
            {
                builder.Append(key).Append(separator).Append(Value(random)).Append('\n').Append(Pick(random, "  ", " ", "    ", string.Empty, indent)).Append(Value(random));
            }
            else if (depth < 3)
            {
                // A nested mapping.
                builder.Append(key).Append(separator.TrimEnd(' ')).Append(Trailer(random)).Append('\n');
                var inner = indent + (random.Next(100) < 85 ? Pick(random, "  ", "    ") : Pick(random, " ", "   "));
                AppendEntries(builder, random, inner, depth + 1, random.Next(1, 4));
                continue;
            }
            else
            {
                builder.Append(key).Append(separator).Append(Value(random));
            }

            builder.Append(random.Next(100) < 97 ? "\n" : Pick(random, "\n\n", "\r\n", string.Empty));
        }
    }

    private static string Value(Random random)
    {
        if (random.Next(100) < 65)
        {
            return Words[random.Next(0, 14)];
        }

        // Sometimes two pieces side by side, so indicators land inside scalars as well as at their start.
        var value = Words[random.Next(Words.Length)];
        return random.Next(4) == 0 ? value + Pick(random, " ", string.Empty, "  ") + Words[random.Next(Words.Length)] : value;
    }

    private static string Trailer(Random random) => random.Next(100) < 85 ? string.Empty : Pick(random, " # comment", "#x", "  ", " #", "\t# c", " # a: b");

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NotesLsp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root (NotesLsp.sln) was not found above " + AppContext.BaseDirectory);
    }
}
