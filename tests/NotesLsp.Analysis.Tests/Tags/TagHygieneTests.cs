using System.Text;
using NotesLsp.Analysis.Tags;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Tags;

public class TagHygieneTests
{
    /// <summary>time-series is used by 4 notes, transformers by 3, ml by 3 and rl by 3.</summary>
    private const string Corpus = """
        //- /notes/1.md
        ---
        tags: [time-series, transformers, ml, rl]
        ---
        //- /notes/2.md
        ---
        tags: [time-series, transformers, ml, rl]
        ---
        //- /notes/3.md
        ---
        tags: [time-series, transformers, ml, rl]
        ---
        //- /notes/4.md
        ---
        tags: [time-series, iclr2023]
        ---

        """;

    /// <summary>Renders diagnostics as <c>line:col severity code message</c>, then the note after each quick fix.</summary>
    private static void Check(string note, string expected, NotesSettings? settings = null)
    {
        var workspace = WorkspaceFixture.Parse(Corpus + "//- /notes/main.md\n" + note, settings);
        var fixture = workspace with { Note = workspace.Snapshot.Find(WorkspaceFixture.Uri("/notes/main.md"))! };
        var builder = new StringBuilder();
        foreach (var diagnostic in NoteDiagnostics.Compute(fixture.Snapshot, fixture.Note, CancellationToken.None))
        {
            var position = fixture.Note.Text.GetPosition(diagnostic.Span.Start);
            builder.Append(position).Append(' ').Append(diagnostic.Severity).Append(' ').Append(diagnostic.Code).Append(' ').Append(diagnostic.Message).Append('\n');
            foreach (var fix in TagHygiene.Fixes(fixture.Snapshot, fixture.Note, diagnostic.Span, CancellationToken.None).Where(f => f.Fixes.Any(d => d.Span == diagnostic.Span && d.Code == diagnostic.Code)))
            {
                builder.Append("  fix: ").Append(fix.Title).Append('\n');
                var fixedText = TextEdit.Apply(fixture.Note.Text.Text, fix.Change.Edits[fixture.Note.Uri]);
                foreach (var line in fixedText.Split('\n').Where(l => l.StartsWith("tags", StringComparison.Ordinal) || l.StartsWith("  -", StringComparison.Ordinal)))
                {
                    builder.Append("    ").Append(line).Append('\n');
                }
            }
        }

        Assert.Equal(WorkspaceFixture.Lines(expected), WorkspaceFixture.Lines(builder.ToString()));
    }

    [Fact]
    public void A_variant_an_alias_brings_in_is_hinted_once_where_it_is_written_and_gets_no_single_note_fix()
    {
        // `tags: *k` reads the anchored list: YAML readers see Time_Series as a tag. The hint points at the text in
        // `keywords` (once, though `*k` and `[*t]` both reach it); rewriting another key's value from a tag fix
        // would be a surprise, so no fix is offered there.
        Check("---\nkeywords: &k [Time_Series]\ntopic: &t Time_Series\ntags: *k\ncategories: [*t]\n---\n", """
            1:14 Hint tag-variant did you mean `time-series` (used 4 times)?
            """);
    }

    [Fact]
    public void Case_plural_and_separator_variants_of_a_more_common_tag_get_a_hint_and_a_fix()
    {
        Check("---\ntags: [Time_Series, transformer, ML]\n---\n", """
            1:7 Hint tag-variant did you mean `time-series` (used 4 times)?
              fix: Replace with `time-series`
                tags: [time-series, transformer, ML]
            1:20 Hint tag-variant did you mean `transformers` (used 3 times)?
              fix: Replace with `transformers`
                tags: [Time_Series, transformers, ML]
            1:33 Hint tag-variant did you mean `ml` (used 3 times)?
              fix: Replace with `ml`
                tags: [Time_Series, transformer, ml]
            """);
    }

    [Fact]
    public void One_edit_from_a_tag_used_three_times_is_a_typo_but_short_tags_and_digits_are_not()
    {
        Check("---\ntags:\n  - transfomers\n  - rk\n  - iclr2024\n---\n", """
            2:4 Hint tag-variant did you mean `transformers` (used 3 times)?
              fix: Replace with `transformers`
                tags:
                  - transformers
                  - rk
                  - iclr2024
            """);
    }

    [Fact]
    public void The_fix_merges_into_a_tag_the_note_already_has()
    {
        Check("---\ntags:\n  - time-series\n  - timeseries\n---\n", """
            3:4 Hint tag-variant did you mean `time-series` (used 5 times)?
              fix: Replace with `time-series`
                tags:
                  - time-series
            """);
    }

    [Fact]
    public void Common_tags_and_allowed_tags_get_nothing()
    {
        Check("---\ntags: [time-series, ml, rl]\n---\n", string.Empty);
        var settings = NotesSettings.Default with { Tags = new TagSettings { Allowed = ["Time_Series", "time-series"] } };
        Check("---\ntags: [Time_Series]\n---\n", string.Empty, settings);
    }

    [Fact]
    public void With_an_allow_list_unknown_tags_are_warnings_with_the_nearest_allowed_tag()
    {
        var settings = NotesSettings.Default with { Tags = new TagSettings { Allowed = ["time-series", "ml"] } };
        Check("---\ntags: [ml, TimeSeries, zebra]\ncategories: [anything]\n---\n", """
            1:11 Warning unknown-tag `TimeSeries` is not in the allowed tags (notes.tags.allowed); did you mean `time-series`?
              fix: Replace with `time-series`
                tags: [ml, time-series, zebra]
            1:23 Warning unknown-tag `zebra` is not in the allowed tags (notes.tags.allowed)
            """, settings);
    }

    [Fact]
    public void A_spelling_used_by_several_notes_also_gets_a_fix_for_all_of_them()
    {
        var fixture = WorkspaceFixture.Parse("""
            //- /notes/1.md
            ---
            tags: [time-series]
            ---
            //- /notes/2.md
            ---
            tags: [time-series]
            ---
            //- /notes/3.md
            ---
            tags: [time-series]
            ---
            //- /notes/4.md
            ---
            tags: [timeseries, time-series]
            ---
            //- /notes/main.md
            ---
            tags:
              - timeserie$0s
            ---
            """);
        var diagnostic = Assert.Single(NoteDiagnostics.Compute(fixture.Snapshot, fixture.Note, CancellationToken.None));
        var fixes = TagHygiene.Fixes(fixture.Snapshot, fixture.Note, diagnostic.Span, CancellationToken.None);
        Assert.Equal(["Replace with `time-series`", "Replace `timeseries` with `time-series` in all 2 notes"], fixes.Select(f => f.Title));
        Assert.Equal(WorkspaceFixture.Lines("""
            //- /notes/4.md
            ---
            tags: [time-series]
            ---
            //- /notes/main.md
            ---
            tags:
              - time-series
            ---
            """), WorkspaceFixture.Lines(fixture.Apply(fixes[1].Change)));
    }
}
