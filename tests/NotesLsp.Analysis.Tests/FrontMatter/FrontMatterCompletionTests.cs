using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Text;
using static NotesLsp.Analysis.Tests.FrontMatter.FrontMatterTestKit;

namespace NotesLsp.Analysis.Tests.FrontMatter;

public class FrontMatterCompletionTests
{
    private static readonly DateOnly Today = new(2024, 7, 22);

    /// <summary>Renders completions as <c>label -> "new text" @range</c>, in server order.</summary>
    private static void Check(string fixture, string expected, string preset = "notes", string? schema = null)
    {
        fixture = Normalize(fixture);
        var cursor = fixture.IndexOf("$0", StringComparison.Ordinal);
        var note = NoteOf(fixture.Remove(cursor, 2));
        var result = FrontMatterCompletion.Complete(note, cursor, Settings(preset, schema), Today);
        var lines = result.Items
            .OrderBy(i => i.SortText ?? i.Label, StringComparer.Ordinal)
            .Select(i => $"{i.Label} -> \"{i.NewText}\" @{note.Text.GetRange(i.ReplaceSpan)}" + (i.Detail is null ? "" : $" ({i.Detail})"));
        Assert.Equal(Normalize(expected).Trim(), string.Join("\n", lines));
    }

    private const string Schema = """
        keys:
          title: { type: string, required: true, description: The talk's title. }
          date: { type: year-or-date }
          status: { type: enum, values: [unread, skimmed, deep-dive] }
          tags: { type: string-list }
          math: bool
        """;

    [Fact]
    public void Keys_not_yet_present_are_offered_with_their_description()
    {
        Check("---\ntitle: x\nst$0\n---\n", """
            date -> "date: " @2:0-2:2 (year | date)
            math -> "math: " @2:0-2:2 (bool)
            status -> "status: " @2:0-2:2 (enum)
            tags -> "tags: " @2:0-2:2 (list)
            """, schema: Schema);
        var note = NoteOf("---\n$0\n---\n".Replace("$0", "", StringComparison.Ordinal));
        var title = FrontMatterCompletion.Complete(note, 4, Settings(schema: Schema), Today).Items.Single(i => i.Label == "title");
        Assert.Equal(Analysis.Papers.MarkdownText.Escape("The talk's title."), title.Documentation);
        Assert.Equal("string (required)", title.Detail);
    }

    [Fact]
    public void A_schema_description_reaches_completion_documentation_escaped_like_remote_text()
    {
        // A shared repository's schema file is not the user's text: no command links, remote images or HTML.
        const string hostile = """
            keys:
              title: { type: string, description: "[Run me](command:workbench.action.terminal.new) ![x](https://evil.example/t.png) <img src=x> **loud**" }
            """;
        var note = NoteOf("---\n\n---\n");
        var title = FrontMatterCompletion.Complete(note, 4, Settings(schema: hostile), Today).Items.Single(i => i.Label == "title");
        Assert.Equal(Analysis.Papers.MarkdownText.Escape("[Run me](command:workbench.action.terminal.new) ![x](https://evil.example/t.png) <img src=x> **loud**"), title.Documentation);
        Assert.Contains("\\[Run me\\]", title.Documentation, StringComparison.Ordinal);
        Assert.Contains("\\<img", title.Documentation, StringComparison.Ordinal);
    }

    [Fact]
    public void Renaming_a_key_in_place_keeps_the_value()
    {
        Check("---\nda$0te: 2024\n---\n", """
            title -> "title" @1:0-1:4 (string (required))
            date -> "date" @1:0-1:4 (year | date)
            math -> "math" @1:0-1:4 (bool)
            status -> "status" @1:0-1:4 (enum)
            tags -> "tags" @1:0-1:4 (list)
            """, schema: Schema);
    }

    [Fact]
    public void Enum_and_bool_values_are_offered()
    {
        Check("---\nstatus: s$0\n---\n", """
            deep-dive -> "deep-dive" @1:8-1:9 (allowed `status`)
            skimmed -> "skimmed" @1:8-1:9 (allowed `status`)
            unread -> "unread" @1:8-1:9 (allowed `status`)
            """, schema: Schema);
        Check("---\nmath: $0\n---\n", """
            false -> "false" @1:6-1:6
            true -> "true" @1:6-1:6
            """, schema: Schema);
    }

    [Fact]
    public void Date_keys_offer_today_and_this_year()
    {
        Check("---\ndate: $0\n---\n", """
            2024-07-22 -> "2024-07-22" @1:6-1:6 (today)
            2024 -> "2024" @1:6-1:6 (this year)
            """);
        Check("---\ndate: 20$0 # when\n---\n", """
            2024-07-22 -> "2024-07-22" @1:6-1:8 (today)
            """, preset: "jekyll");
    }

    [Fact]
    public void Tags_and_the_body_get_nothing_here()
    {
        Check("---\ntags: $0\n---\n", "");
        Check("---\ntitle: x\n---\nti$0\n", "");
        Check("# no front matter $0\n", "");
    }
}
