namespace NotesLsp.Syntax.Tests;

/// <summary>
/// <see cref="NoteParser.HasManyOpeners"/> (the early-stopping search that picks the headings' parse) against the
/// plain count it replaced: the same answer at, below and above the limit, wherever the body starts.
/// </summary>
public class OpenerCountTests
{
    private const int Limit = NoteParser.MaxOpenersForBlocksOnly;

    private static bool Counted(string text, int start)
    {
        var rest = text.AsSpan(start);
        return rest.Count('[') + rest.Count('*') + rest.Count('_') >= Limit;
    }

    [Theory]
    [InlineData(Limit - 1, false)]
    [InlineData(Limit, true)]
    [InlineData(Limit + 1, true)]
    public void The_limit_counts_each_of_the_three_openers(int openers, bool expected)
    {
        // Mixed openers between prose, so the answer is the sum over the three characters, not one of them.
        var text = string.Concat(Enumerable.Range(0, openers).Select(i => "ab"[i % 2] + "[*_"[i % 3].ToString()));
        Assert.Equal(expected, NoteParser.HasManyOpeners(text, 0));
        Assert.Equal(Counted(text, 0), NoteParser.HasManyOpeners(text, 0));
    }

    [Fact]
    public void Openers_before_the_body_start_are_not_counted()
    {
        var text = new string('_', Limit) + new string('x', Limit);
        Assert.True(NoteParser.HasManyOpeners(text, 0));
        Assert.False(NoteParser.HasManyOpeners(text, 1));
        Assert.False(NoteParser.HasManyOpeners(text, Limit));
    }

    [Fact]
    public void A_short_body_never_has_many()
    {
        Assert.False(NoteParser.HasManyOpeners(new string('*', Limit - 1), 0));
        Assert.False(NoteParser.HasManyOpeners(string.Empty, 0));
    }

    [Fact]
    public void Agrees_with_the_plain_count_on_random_bodies()
    {
        var random = new Random(20261204);
        const string alphabet = "ab \n[]*_()#-";
        for (var round = 0; round < 200; round++)
        {
            // Densities around the limit: lengths of 1-4 times the limit, openers a third to a whole of the characters.
            var length = random.Next(Limit / 2, 4 * Limit);
            var chars = new char[length];
            var density = random.Next(2, 12);
            for (var i = 0; i < length; i++)
            {
                chars[i] = random.Next(density) < 3 ? "[*_"[random.Next(3)] : alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            var start = random.Next(0, length / 2);
            Assert.Equal(Counted(text, start), NoteParser.HasManyOpeners(text, start));
        }
    }
}
