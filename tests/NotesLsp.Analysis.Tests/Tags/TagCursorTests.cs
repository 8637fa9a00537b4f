using System.Collections.Immutable;
using System.Text;
using NotesLsp.Analysis.Tags;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Tags;

/// <summary>
/// Where completion has a tag context, at every cursor position of the front matter. Under each line, a
/// <c>^</c> marks a cursor position (before the character above it; one more column for the line's end)
/// where a tag can be typed, a <c>+</c> one where a space is inserted first (after a colon, dash or comma).
/// </summary>
public class TagCursorTests
{
    private static readonly ImmutableArray<string> Keys = ["tags", "categories"];

    private static void Check(string note, string expected)
    {
        var text = SourceText.From(note);
        var fields = TagScanner.Scan(text, Keys);
        var builder = new StringBuilder();
        for (var line = 0; line < text.LineCount; line++)
        {
            var lineText = text.GetLineText(line);
            builder.Append(lineText).Append('\n');
            var markers = new StringBuilder();
            var start = text.GetLineStart(line);
            for (var column = 0; column <= lineText.Length; column++)
            {
                var context = TagCursor.Find(text, fields, start + column);
                markers.Append(context is null ? ' ' : context.InsertPrefix.Length > 0 ? '+' : '^');
            }

            if (markers.ToString().Trim().Length > 0)
            {
                builder.Append(markers.ToString().TrimEnd()).Append('\n');
            }
        }

        Assert.Equal(WorkspaceFixture.Lines(expected), WorkspaceFixture.Lines(builder.ToString()));
    }

    [Fact]
    public void Flow_list_on_one_line_with_quotes_and_trailing_comma()
    {
        Check("""
            ---
            tags: [ml, "a b",nlp,]
            title: x
            ---
            """, """
            ---
            tags: [ml, "a b",nlp,]
                   ^^^ ^^^^^^^^^^+
            title: x
            ---
            """);
    }

    [Fact]
    public void Flow_list_over_lines_and_unclosed()
    {
        Check("""
            ---
            tags: [
              ml,
              nlp,
            ]
            categories: [ideas,
            """, """
            ---
            tags: [
              ml,
              ^^^
              nlp,
              ^^^^+
            ]
            ^
            categories: [ideas,
                         ^^^^^^+
            """);
    }

    [Fact]
    public void Block_list_at_two_indents_with_an_empty_dash_and_a_comment()
    {
        Check("""
            ---
            tags:
              - ml
            - 'x y'
              -
              - nlp # note
            ---
            """, """
            ---
            tags:
              - ml
                ^^^
            - 'x y'
              ^^^^^^
              -
               +
              - nlp # note
                ^^^^
            ---
            """);
    }

    [Fact]
    public void Empty_value_then_strings_separated_by_spaces_or_commas()
    {
        Check("""
            ---
            tags:
            categories: a  b
            ---
            """, """
            ---
            tags:
                 +
            categories: a  b
                        ^^^^^
            ---
            """);
        Check("""
            ---
            tags: a, b c
            categories: "x y"
            ---
            """, """
            ---
            tags: a, b c
                  ^^+^^^^
            categories: "x y"
                         ^^^^
            ---
            """);
    }

    [Fact]
    public void Nothing_in_other_keys_the_body_or_a_literal_block()
    {
        Check("""
            ---
            title: [a, b]
            tags: |
              ml
            ---
            tags: [x]
            """, """
            ---
            title: [a, b]
            tags: |
              ml
            ---
            tags: [x]
            """);
    }
}
