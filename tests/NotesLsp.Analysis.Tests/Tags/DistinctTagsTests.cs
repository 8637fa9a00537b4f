using NotesLsp.Analysis.Tags;

namespace NotesLsp.Analysis.Tests.Tags;

/// <summary>
/// TagIndex.DistinctInOrder (what the index keeps of a note's tags): the first of each tag, in order, whether it
/// searches the few kept so far (a note's handful) or hashes (a line of thousands); equal, not only the same instance.
/// </summary>
public class DistinctTagsTests
{
    private static List<TagKey> Reference(IEnumerable<TagKey> tags) => [.. tags.Distinct()];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(TagIndex.LinearDistinctLimit - 1)]
    [InlineData(TagIndex.LinearDistinctLimit)]
    [InlineData(TagIndex.LinearDistinctLimit + 1)]
    [InlineData(500)]
    public void The_first_of_each_tag_in_order_on_both_sides_of_the_limit(int count)
    {
        var random = new Random(count);
        for (var round = 0; round < 50; round++)
        {
            // Keys and values from small vocabularies, so repeats are common; values made anew, so equal tags
            // are different string instances as well as the same ones.
            var tags = Enumerable.Range(0, count)
                .Select(_ => new TagKey(random.Next(3) == 0 ? "categories" : "tags", new string('t', 1) + random.Next(count / 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .ToList();
            Assert.Equal(Reference(tags), TagIndex.DistinctInOrder(tags, tags.Count));
        }
    }

    [Fact]
    public void A_tag_under_two_keys_is_two_tags()
    {
        var tags = new[] { new TagKey("tags", "ml"), new TagKey("categories", "ml"), new TagKey("tags", "ml") };
        Assert.Equal([tags[0], tags[1]], TagIndex.DistinctInOrder(tags, tags.Length).ToArray());
    }
}
