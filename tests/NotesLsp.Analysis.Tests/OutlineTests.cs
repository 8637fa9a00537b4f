using System.Text;
using NotesLsp.Syntax;

namespace NotesLsp.Analysis.Tests;

public class OutlineTests
{
    private static void Check(string note, string expected)
    {
        var syntax = NoteParser.Parse(note);
        var builder = new StringBuilder();
        void Walk(IEnumerable<OutlineItem> items, int depth)
        {
            foreach (var item in items)
            {
                var range = syntax.Text.GetRange(item.Span);
                builder.Append(new string(' ', depth * 2)).Append(item.Name).Append(' ').Append(range).Append('\n');
                Walk(item.Children, depth + 1);
            }
        }

        Walk(Outline.Build(syntax), 0);
        Assert.Equal(expected.Trim(), builder.ToString().Trim());
    }

    [Fact]
    public void Headings_nest_by_level_and_sections_end_before_the_next_sibling()
    {
        Check("""
            ---
            title: x
            ---
            # Montag
            ## Talk A
            - note

            ## Talk B
            # Dienstag
            ### Deep
            text
            """, """
            Montag 3:0-7:9
              Talk A 4:0-5:6
              Talk B 7:0-7:9
            Dienstag 8:0-10:4
              Deep 9:0-10:4
            """);
    }

    [Fact]
    public void Folding_covers_front_matter_and_sections()
    {
        var syntax = NoteParser.Parse("---\ntitle: x\n---\n# A\nline\n# B\n");
        var regions = Outline.Folding(syntax).Select(r => $"{r.Kind} {r.StartLine}-{r.EndLine}");
        Assert.Equal(["FrontMatter 0-2", "Section 3-4"], regions);
    }

    [Fact]
    public void Workspace_symbols_match_titles_and_headings_fuzzily()
    {
        var snapshot = WorkspaceSnapshot.Empty
            .WithNote(new Note("file:///a.md", NotesLsp.Text.SourceText.From("---\ntitle: ICML 2024\n---\n# Strategic Learning\n")))
            .WithNote(new Note("file:///b.md", NotesLsp.Text.SourceText.From("# Genie\n")));
        var names = WorkspaceSymbols.Search(snapshot, "stratlearn", 10, CancellationToken.None).Select(s => s.Name);
        Assert.Equal(["Strategic Learning"], names);
        var all = WorkspaceSymbols.Search(snapshot, "", 10, CancellationToken.None).Select(s => $"{s.Kind} {s.Name}");
        Assert.Equal(["Note ICML 2024"], all);
    }
}
