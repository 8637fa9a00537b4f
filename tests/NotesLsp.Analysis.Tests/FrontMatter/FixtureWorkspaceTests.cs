using System.Text.Json;
using static NotesLsp.Analysis.Tests.FrontMatter.FixtureWorkspaces;

namespace NotesLsp.Analysis.Tests.FrontMatter;

/// <summary>
/// Right or silent on whole sites: fixture workspaces in the shapes real note collections take (a Jekyll blog, a
/// Jekyll paper-notes site, MkDocs paper notes, an Obsidian vault, bilingual Chinese/English notes), the real
/// Hugo documentation and a generated corpus. Each folder's every diagnostic is listed in its
/// <c>expected-diagnostics.txt</c>, which says for each line why a user of that generator would agree with it;
/// anything else that fires is noise and fails the test.
/// </summary>
public class FixtureWorkspaceTests
{
    [Theory]
    [InlineData("jekyll-blog", "jekyll")]
    [InlineData("jekyll-papers", "notes")]
    [InlineData("mkdocs-papers", "notes")]
    [InlineData("obsidian-vault", "obsidian")]
    [InlineData("bilingual-zh-en", "jekyll")]
    public void Fixture_workspaces_get_only_the_diagnostics_their_users_agree_with(string name, string preset)
    {
        var folder = Fixture("workspaces", name);
        var actual = Diagnostics(folder, Load(folder, Settings(preset)));
        var expectedFile = Path.Combine(folder, "expected-diagnostics.txt");
        var expected = string.Concat(File.ReadAllLines(expectedFile).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l + "\n"));
        Assert.True(expected == actual, $"Expected:\n{expected}\nActual:\n{actual}");
    }

    [Theory]
    [InlineData("hugo")]
    [InlineData("notes")]
    public void The_hugo_documentation_gets_no_diagnostic_at_all(string preset)
    {
        // 1,004 real content files in the original, 150+ copied here: valid Hugo, so nothing is worth saying.
        var folder = Fixture("hugo-docs");
        Assert.True(MarkdownFiles(folder).Count >= 150);
        var actual = Diagnostics(folder, Load(folder, Settings(preset)));
        Assert.True(actual.Length == 0, actual);
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("jekyll")]
    public void The_generated_corpus_has_errors_only_where_the_generator_broke_a_note(string preset)
    {
        // A sample of `gen-corpus.mjs --n 500` (every deliberately broken note and every 11th valid one).
        var folder = Fixture("generated", "notes");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Fixture("generated", "manifest.json")));
        var invalid = manifest.RootElement.GetProperty("invalid").EnumerateArray()
            .ToDictionary(e => e.GetProperty("file").GetString()!, e => e.GetProperty("kind").GetString()!);
        var actual = Diagnostics(folder, Load(folder, Settings(preset)));
        foreach (var line in actual.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var file = line[..line.IndexOf(':', StringComparison.Ordinal)];
            var severity = line.Split(' ')[1];
            // The generator's own defects: an impossible date (month 13 and later) is an error for every generator.
            Assert.True(severity != "error" || invalid.GetValueOrDefault(file) == "bad-date", $"an error on a note the generator did not break: {line}");
        }

        var expected = string.Concat(File.ReadAllLines(Fixture("generated", "expected-diagnostics.txt")).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l + "\n"));
        Assert.True(expected == actual, $"Expected:\n{expected}\nActual:\n{actual}");
    }
}
