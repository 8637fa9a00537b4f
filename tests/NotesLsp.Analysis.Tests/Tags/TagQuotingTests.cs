using NotesLsp.Analysis.Tags;
using NotesLsp.Syntax;

namespace NotesLsp.Analysis.Tests.Tags;

/// <summary>
/// A tag written by a rename or a completion must read back as the same string. The check reads the written text
/// with the server's own YAML reader (FrontMatterParser) and its YAML 1.1 typing, so the two cannot disagree.
/// </summary>
public class TagQuotingTests
{
    // What the server's reader makes of `key: TEXT` (block) or `key: [TEXT]` (flow): the string, or null when the
    // text is not one plain string scalar equal to the tag, or YAML 1.1 would give it another type.
    private static string? ReadBack(string written, bool flow)
    {
        var document = FrontMatterParser.ParseYamlDocument(flow ? $"tags: [{written}]\n" : $"tags:\n  - {written}\n");
        if (!document.Errors.IsEmpty || document.Root is not YamlMapping { Entries: [{ Value: YamlSequence { Items: [YamlScalar scalar] } }] })
        {
            return null;
        }

        return scalar.IsPlain && !TagText.ReadsAsNonString(scalar.Value) ? scalar.Value : scalar.IsPlain ? null : scalar.Value;
    }

    [Theory]
    [InlineData("2024-01-01")]
    [InlineData("2024-1-1")]
    [InlineData("2001-12-14t21:59:43.10-05:00")]
    [InlineData("12:30")]
    [InlineData("1_000")]
    [InlineData("0b101")]
    [InlineData("0o17")]
    [InlineData("017")]
    [InlineData("<<")]
    [InlineData("=")]
    [InlineData("1e3")]
    [InlineData("+.inf")]
    [InlineData("NULL")]
    [InlineData("Off")]
    [InlineData("a: b")]
    [InlineData("x #y")]
    [InlineData("- x")]
    [InlineData("ml")]
    [InlineData("time-series")]
    [InlineData("C++")]
    [InlineData("日本語")]
    public void A_formatted_tag_reads_back_as_the_same_string(string tag)
    {
        foreach (var flow in new[] { false, true })
        {
            var written = TagText.Format(tag, flow ? TagSlot.FlowItem : TagSlot.BlockItem);
            Assert.NotNull(written);
            Assert.Equal(tag, ReadBack(written, flow));
        }
    }

    [Theory]
    [InlineData("2024-01-01")]
    [InlineData("12:30")]
    [InlineData("1_000")]
    [InlineData("0b101")]
    [InlineData("<<")]
    [InlineData("=")]
    public void Yaml_11_typed_tags_are_quoted(string tag) =>
        Assert.Equal($"\"{tag}\"", TagText.Format(tag, TagSlot.BlockItem));

    [Fact]
    public void Random_tags_read_back_as_themselves()
    {
        var random = new Random(16);
        const string alphabet = "ab1-_.:#<=>@ 0x9e+!&*[]{},'\"%`|?~";
        for (var i = 0; i < 3000; i++)
        {
            var tag = new string([.. Enumerable.Range(0, random.Next(1, 7)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            if (tag.Trim() != tag)
            {
                continue;
            }

            foreach (var flow in new[] { false, true })
            {
                var written = TagText.Format(tag, flow ? TagSlot.FlowItem : TagSlot.BlockItem)!;
                Assert.True(ReadBack(written, flow) == tag, $"{tag} written as {written} (flow: {flow}) reads back as {ReadBack(written, flow) ?? "(not a string)"}");
            }
        }
    }
}
