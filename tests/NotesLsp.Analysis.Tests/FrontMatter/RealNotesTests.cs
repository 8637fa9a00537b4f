using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Text;
using static NotesLsp.Analysis.Tests.FrontMatter.FrontMatterTestKit;

namespace NotesLsp.Analysis.Tests.FrontMatter;

/// <summary>No false positives on real notes: the users' examples and real Hugo content files (copied into tests/fixtures).</summary>
public class RealNotesTests
{
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NotesLsp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("NotesLsp.sln not found above the test binaries");
    }

    private static string DiagnosticsOf(string path, string preset)
    {
        var note = new Note(new Uri(path).AbsoluteUri, SourceText.From(File.ReadAllText(path)));
        return Render(note.Text, FrontMatterValidator.Validate(note, Settings(preset)));
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("jekyll")]
    public void The_oral_papers_note_is_clean(string preset)
    {
        // categories and tags as block lists, a Chirpy date with time and offset, math/published booleans.
        Assert.Equal("", DiagnosticsOf(Path.Combine(RepositoryRoot(), "examples", "icml2024-oral-papers.md"), preset));
    }

    [Fact]
    public void The_talk_notes_are_clean_under_notes_and_have_a_year_only_date_under_jekyll()
    {
        var path = Path.Combine(RepositoryRoot(), "examples", "icml2024-talk-notes.md");
        Assert.Equal("", DiagnosticsOf(path, "notes"));

        // `tags: conference` is fine (Jekyll splits a string on spaces); `date: 2024` is not a date Jekyll can use.
        Assert.Equal(
            "3:6-3:10 warning year-only-date `2024` is only a year; `date` expects a full date (YYYY-MM-DD)",
            DiagnosticsOf(path, "jekyll"));
    }

    [Fact]
    public void Real_hugo_content_files_give_no_diagnostics_under_the_hugo_preset()
    {
        var root = Path.Combine(RepositoryRoot(), "tests", "fixtures", "hugo-docs");
        var files = Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 150, $"expected the copied Hugo subset, found {files.Count} files");
        var withFrontMatter = 0;
        var problems = new List<string>();
        foreach (var file in files)
        {
            var note = new Note(new Uri(file).AbsoluteUri, SourceText.From(File.ReadAllText(file)));
            withFrontMatter += note.Syntax.FrontMatter is null ? 0 : 1;
            foreach (var diagnostic in FrontMatterValidator.Validate(note, Settings("hugo")))
            {
                problems.Add($"{Path.GetRelativePath(root, file)}:{note.Text.GetPosition(diagnostic.Span.Start)} {diagnostic.Code} {diagnostic.Message}");
            }
        }

        Assert.True(withFrontMatter >= 140, $"only {withFrontMatter} files had front matter");
        Assert.Empty(problems);
    }
}
