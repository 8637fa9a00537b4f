using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace NotesLsp.Text.Tests;

public class SourceTextTests
{
    [Theory]
    [InlineData("a\nb", new[] { 0, 2 })]
    [InlineData("a\r\nb", new[] { 0, 3 })]
    [InlineData("a\rb", new[] { 0, 2 })]
    [InlineData("a\r\n\r\n", new[] { 0, 3, 5 })]
    [InlineData("\n\r\r\n", new[] { 0, 1, 2, 4 })]
    [InlineData("", new[] { 0 })]
    public void All_three_line_breaks_end_a_line(string text, int[] starts)
    {
        var source = SourceText.From(text);
        Assert.Equal(starts, Enumerable.Range(0, source.LineCount).Select(source.GetLineStart));
    }

    /// <summary>The line starts by the definition: after every "\r\n", lone "\r" and lone "\n".</summary>
    private static List<int> NaiveLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(20_000)]
    public void Line_starts_are_right_past_every_growth_of_the_buffer(int lines)
    {
        // Short lines (the buffer is sized for one line in 32 characters, so these outgrow it) with all three breaks.
        var breaks = new[] { "\n", "\r\n", "\r" };
        var text = string.Concat(Enumerable.Range(0, lines).Select(i => (i % 5 == 0 ? string.Empty : "x") + breaks[i % 3]));
        var source = SourceText.From(text);
        Assert.Equal(NaiveLineStarts(text), Enumerable.Range(0, source.LineCount).Select(source.GetLineStart));
    }

    [Property(MaxTest = 300)]
    public bool Line_starts_match_the_definition_on_any_text(NonNull<string> text)
    {
        var source = SourceText.From(text.Get);
        return NaiveLineStarts(text.Get).SequenceEqual(Enumerable.Range(0, source.LineCount).Select(source.GetLineStart));
    }

    [Fact]
    public void Positions_count_utf16_code_units_for_japanese_and_emoji()
    {
        // "論文" is two UTF-16 units; "😀" is a surrogate pair (two units) as LSP's utf-16 encoding counts it.
        var source = SourceText.From("---\ntitle: 論文😀x\n");
        var offset = source.Text.IndexOf('x', StringComparison.Ordinal);
        Assert.Equal(new LinePosition(1, 11), source.GetPosition(offset));
        Assert.Equal(offset, source.GetOffset(new LinePosition(1, 11)));
    }

    [Fact]
    public void Character_past_line_end_clamps_to_the_line_end_not_the_next_line()
    {
        var source = SourceText.From("ab\r\ncd");
        Assert.Equal(2, source.GetOffset(new LinePosition(0, 99)));
        Assert.Equal(6, source.GetOffset(new LinePosition(7, 0)));
    }

    [Fact]
    public void A_change_without_range_replaces_everything()
    {
        var source = SourceText.From("old");
        Assert.Equal("new", source.WithChange(new TextChange(null, "new")).Text);
    }

    [Fact]
    public void Changes_apply_in_order_each_on_the_previous_result()
    {
        var source = SourceText.From("abc");
        var result = source.WithChanges([
            new TextChange(new LineRange(new(0, 3), new(0, 3)), "\nd"),
            new TextChange(new LineRange(new(1, 0), new(1, 1)), "XY"),
        ]);
        Assert.Equal("abc\nXY", result.Text);
    }

    [Fact]
    public void Text_edits_apply_in_any_order_but_reject_overlaps()
    {
        Assert.Equal("XbY", TextEdit.Apply("abc", [new TextEdit(new TextSpan(2, 1), "Y"), new TextEdit(new TextSpan(0, 1), "X")]));
        Assert.Throws<ArgumentException>(() => TextEdit.Apply("abc", [new TextEdit(new TextSpan(0, 2), "X"), new TextEdit(new TextSpan(1, 1), "Y")]));
    }

    private static readonly string[] Pieces = ["a", "b", " ", "論", "文", "😀", "é", "\n", "\r\n", "\r", "---", "#", "\t", "\uFEFF"];

    private static Gen<string> TextGen =>
        Gen.Elements(Pieces).ListOf().Select(parts => string.Concat(parts));

    private sealed record EditStep(int StartFraction, int LengthFraction, string NewText);

    private static Gen<EditStep> StepGen =>
        from start in Gen.Choose(0, 1000)
        from length in Gen.Choose(0, 1000)
        from text in TextGen
        select new EditStep(start, length, text);

    /// <summary>
    /// Random incremental edits, expressed as LSP ranges on the current text, give the same result as splicing
    /// the strings directly. Positions are derived from offsets so surrogate pairs and CRLF are covered.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Incremental_edits_equal_full_text() =>
        Prop.ForAll(TextGen.ToArbitrary(), StepGen.ListOf().ToArbitrary(), (initial, steps) =>
        {
            var source = SourceText.From(initial);
            var expected = initial;
            foreach (var step in steps)
            {
                var start = SafeOffset(expected, step.StartFraction * expected.Length / 1000);
                var end = SafeOffset(expected, Math.Min(expected.Length, start + (step.LengthFraction * (expected.Length - start) / 1000)));
                var range = new LineRange(source.GetPosition(start), source.GetPosition(end));
                source = source.WithChange(new TextChange(range, step.NewText));
                expected = string.Concat(expected.AsSpan(0, start), step.NewText, expected.AsSpan(end));
            }

            return source.Text == expected;
        });

    [Property(MaxTest = 300)]
    public Property Offset_position_round_trips() =>
        Prop.ForAll(TextGen.ToArbitrary(), text =>
        {
            var source = SourceText.From(text);
            for (var offset = 0; offset <= text.Length; offset++)
            {
                if (!IsLineBreakInterior(text, offset) && source.GetOffset(source.GetPosition(offset)) != offset)
                {
                    return false;
                }
            }

            return true;
        });

    /// <summary>An offset between the \r and \n of a CRLF has no position of its own, as in every editor.</summary>
    private static bool IsLineBreakInterior(string text, int offset) =>
        offset > 0 && offset < text.Length && text[offset - 1] == '\r' && text[offset] == '\n';

    /// <summary>
    /// Moves an offset off the middle of a CRLF (a position cannot name it). LSP positions may split a
    /// surrogate pair, and so may we: the text layer handles it without decoding.
    /// </summary>
    private static int SafeOffset(string text, int offset) => IsLineBreakInterior(text, offset) ? offset - 1 : offset;
}
