using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NotesLsp.Analysis.Tags;
using NotesLsp.Analysis.Tests.FrontMatter;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Tags;

/// <summary>
/// One reading of tags: whenever a note's front matter parses, the tolerant tag scanner reads exactly the tags the
/// YAML parser sees (a list's text items; a string split as the generators split it: at commas when it has any,
/// else at white space). Checked over every fixture note and over generated tag fields.
/// </summary>
public class TagScannerDifferentialTests
{
    private static readonly ImmutableArray<string> Keys = ["tags", "categories"];

    /// <summary>The tags as the YAML tree holds them, or null when the front matter does not parse cleanly.</summary>
    internal static List<string>? FromYaml(SourceText text)
    {
        var frontMatter = FrontMatterParser.Parse(text);
        if (frontMatter is null || !frontMatter.IsClosed || !frontMatter.Errors.IsEmpty || frontMatter.Root is not { IsFlow: false } root)
        {
            return null;
        }

        var tags = new List<string>();
        foreach (var entry in root.Entries)
        {
            if (entry.KeyText is not { } keyText || Keys.FirstOrDefault(k => string.Equals(k, keyText, StringComparison.OrdinalIgnoreCase)) is not { } key)
            {
                continue;
            }

            // An alias reads as the node it refers to (what every YAML reader hands the site generator).
            switch (Resolve(entry.Value))
            {
                case YamlSequence sequence:
                    tags.AddRange(sequence.Items.Select(Resolve).OfType<YamlScalar>().Where(s => s.Style is not (YamlScalarStyle.Literal or YamlScalarStyle.Folded))
                        .Where(s => !string.IsNullOrWhiteSpace(s.Value)).Select(s => $"{key}={s.Value}"));
                    break;
                case YamlScalar { Style: not (YamlScalarStyle.Literal or YamlScalarStyle.Folded) } scalar:
                    var separators = scalar.Value.Contains(',', StringComparison.Ordinal) ? new[] { ',' } : [' ', '\t', '\n', '\r'];
                    tags.AddRange(scalar.Value.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Where(t => t.Length > 0).Select(t => $"{key}={t}"));
                    break;
            }
        }

        return tags;
    }

    private static YamlNode? Resolve(YamlNode? node) => node is YamlAlias alias ? alias.Target : node;

    private static List<string> Scanned(SourceText text) => [.. TagScanner.Occurrences(text, Keys).Select(o => $"{o.Key}={o.Value}")];

    [Fact]
    public void Every_fixture_note_that_parses_reads_the_same_tags_as_the_yaml_parser()
    {
        var roots = FixtureWorkspaces.NoteRoots();
        var compared = 0;
        var withTags = 0;
        var disagreements = new List<string>();
        foreach (var file in roots.SelectMany(FixtureWorkspaces.MarkdownFiles))
        {
            var text = FixtureWorkspaces.Text(file);
            if (FromYaml(text) is not { } expected)
            {
                continue;
            }

            compared++;
            withTags += expected.Count > 0 ? 1 : 0;
            var scanned = Scanned(text);
            if (!expected.SequenceEqual(scanned))
            {
                disagreements.Add($"{file}: yaml [{string.Join(" | ", expected)}] scanner [{string.Join(" | ", scanned)}]");
            }
        }

        Assert.True(compared >= 240 && withTags >= 90, $"only {compared} notes compared, {withTags} with tags");
        Assert.Empty(disagreements);
    }

    private static readonly Gen<string> Word = Gen.Elements(
        "ml", "ML", "deep-learning", "time series", "機械学習", "广度优先搜索", "C++", "a.b", "x_y", "2024", "v1.0", "ICML 2024", "émigré", "rl", "#notes", "a:b");

    private static readonly Gen<string> Quoted = Gen.Elements(
        "\"a, b\"", "'it''s'", "\"say \\\"hi\\\"\"", "\"time series\"", "'ML'", "\"\"", "'机器 学习'", "\"x # not a comment\"");

    // Node properties YAML allows before any value: anchors and tags (YAML readers keep the value, the properties are not text).
    private static readonly Gen<string> Properties = Gen.Elements("", "", "", "&a ", "!!str ", "&b !!str ", "!<tag:yaml.org,2002:str> ", "!local ");

    private static readonly Gen<string> FlowItem =
        from properties in Properties
        from item in Gen.OneOf(Word.Where(w => !w.StartsWith('#')), Quoted)
        select properties + item;

    private static readonly Gen<string> CollectionProperties = Gen.Elements("", "", "", " &t", " !!seq", " &t !!seq", " !!seq &t", " !custom");

    private static readonly Gen<string> FlowList =
        from items in Gen.ListOf(FlowItem).Select(l => l.Take(5).ToList())
        from breakAt in Gen.Choose(-1, 4)
        from trailingComma in Gen.Elements(false, true)
        select "[" + string.Join(", ", items.Select((item, i) => i == breakAt ? "\n  " + item : item)) + (trailingComma && items.Count > 0 ? ",]" : "]");

    private static readonly Gen<string> BlockItem =
        from first in FlowItem
        from continuation in Gen.Elements("", "", "\n      - transformers", "\n      series", "\n\n      more")
        from comment in Gen.Elements("", "", " # a comment")
        select (first.StartsWith('"') || first.StartsWith('\'') || first.Length == 0 ? first : first + continuation) + comment;

    private static readonly Gen<string> BlockList =
        from indent in Gen.Elements("", "  ", "    ")
        from items in Gen.ListOf(BlockItem).Where(l => l.Count > 0).Select(l => l.Take(5).ToList())
        from gap in Gen.Elements("", "\n", "\n  # between\n")
        select "\n" + string.Join("\n", items.Select((item, i) => (i == 1 ? gap.TrimStart('\n') : string.Empty) + indent + "- " + item.Replace("\n      ", "\n" + indent + "      ", StringComparison.Ordinal)));

    private static readonly Gen<string> StringValue = Gen.Elements("conference", "ml, rl", "ml rl  nlp", "'a, b'", "\"x y\"", "機械学習");

    private static readonly Gen<string> Field =
        from key in Gen.Elements("tags", "categories", "Tags", "title", "notes")
        from properties in CollectionProperties
        from value in Gen.OneOf(FlowList, BlockList, StringValue.Select(v => " " + v), Gen.Elements(" *t", " *a", " [*t, x]", "\n  - *t\n  - y"))
        select key + ":" + properties + (value.StartsWith('\n') ? value : value.StartsWith(' ') ? value : " " + value);

    /// <summary>Generated tag fields: every one that YAML parses is read the same by the scanner.</summary>
    [Property(MaxTest = 2000)]
    public Property Generated_tag_fields_read_the_same_as_the_yaml_parser() =>
        Prop.ForAll(Gen.ListOf(Field).Where(l => l.Count > 0).Select(l => l.Take(4).ToList()).ToArbitrary(), fields =>
        {
            var text = SourceText.From("---\n" + string.Join("\n", fields) + "\n---\nbody\n");
            if (FromYaml(text) is not { } expected)
            {
                return true.Label("does not parse");
            }

            var scanned = Scanned(text);

            // Spans (what rename replaces and completion edits) cover the tag as written: no property, no alias.
            var badSpans = TagScanner.Occurrences(text, Keys).Where(o => !SpanReads(text.Text, o)).Select(o => $"{o.Value}@{o.Span}").ToList();
            return (expected.SequenceEqual(scanned) && badSpans.Count == 0).Label($"bad spans [{string.Join(" | ", badSpans)}]\n" + $"{text.Text}\nyaml [{string.Join(" | ", expected)}]\nscanner [{string.Join(" | ", scanned)}]");
        });

    private static bool SpanReads(string s, TagOccurrence o)
    {
        var written = s.Substring(o.Span.Start, o.Span.Length);
        return o.Quote != TagQuote.None || o.Value.Contains('\n', StringComparison.Ordinal) || written.Contains('\n', StringComparison.Ordinal)
            ? written.Length > 0 && written[0] is not ('&' or '!' or '*')
            : written == o.Value;
    }

    [Theory]
    [InlineData("tags:\n  - ML\n    - transformers\n", "tags=ML - transformers")]
    [InlineData("tags:\n- a\n  b\n- c\n", "tags=a b|tags=c")]
    [InlineData("tags:\n  - \"multi\n    line\"\n  - x\n", "tags=multi line|tags=x")]
    [InlineData("tags:\n  -\n    nested-value\n", "tags=nested-value")]
    [InlineData("tags:\n  - a\n\n    b\n", "tags=a\nb")]
    [InlineData("tags: &t [a, b]\n", "tags=a|tags=b")]
    [InlineData("tags: &t\n  - a\n  - b\n", "tags=a|tags=b")]
    [InlineData("tags: !!seq [a, &x b, !!str 2024]\n", "tags=a|tags=b|tags=2024")]
    [InlineData("tags: &t !!seq\n- &i a\n- !!str b\nother: *t\n", "tags=a|tags=b")]
    [InlineData("tags: &s ml, rl\n", "tags=ml|tags=rl")]
    [InlineData("keywords: &k [a, b]\ntags: *k\n", "tags=a|tags=b")]
    [InlineData("keywords: &k\n  - a\n  - 'b c'\ntags: *k\n", "tags=a|tags=b c")]
    [InlineData("meta:\n  kw: &k [x, \"y\"]\ntags: *k\n", "tags=x|tags=y")]
    [InlineData("topic: &t deep learning\ntags: [*t, ml]\n", "tags=deep learning|tags=ml")]
    [InlineData("topic: &t \"rl\"\ntags:\n  - *t\n  - ml\n", "tags=rl|tags=ml")]
    [InlineData("tags: [&a ml, *a]\n", "tags=ml|tags=ml")]
    [InlineData("s: &s ml, rl\ntags: *s\n", "tags=ml|tags=rl")]
    [InlineData("x: &x a\nk: &k [*x, b]\ntags: *k\n", "tags=a|tags=b")]
    [InlineData("k: &k [a]\nk2: &k [b]\ntags: *k\n", "tags=b")]
    [InlineData("k: &k {a: 1}\ntags: *k\n", "")]
    [InlineData("k: &k |\n  a b\ntags: *k\n", "")]
    [InlineData("l:\n  - &a 2024\n      - x\ntags: *a\n", "tags=2024|tags=-|tags=x")]
    [InlineData("s: &s \"a\\tb c\"\ntags: *s\n", "tags=a|tags=b|tags=c")]
    public void Continuation_lines_read_as_yaml_reads_them(string yaml, string expected)
    {
        var text = SourceText.From("---\n" + yaml + "---\n");
        Assert.Equal(expected, string.Join("|", FromYaml(text)!));
        Assert.Equal(expected, string.Join("|", Scanned(text)));
        Assert.All(TagScanner.Occurrences(text, Keys), o => Assert.True(SpanReads(text.Text, o), $"{o.Value} at {o.Span}"));
    }
}
