using System.Text;
using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Text;
using static NotesLsp.Analysis.Tests.FrontMatter.FrontMatterTestKit;

namespace NotesLsp.Analysis.Tests.FrontMatter;

/// <summary>
/// Notes stitched from YAML-ish fragments (fixed seeds, so failures reproduce): validation, quick fixes and
/// completion never throw, and every span and edit stays inside the text.
/// </summary>
public class FrontMatterFuzzTests
{
    private static readonly string[] Fragments =
    [
        "---\n", "---\r\n", "...\n", "title: ", "BERT: Pre-training", "tags: ", "date: ", "2024", "2024-02-30", "2024/7/1",
        "\n", "\r\n", "\r", "\t", "  ", "- ", "[", "]", "{", "}", "{{ .Date }}", "\"", "'", ": ", ",", "# comment", "&a ", "*a",
        "no", "0x1A", "1e3", "😀", "論文", "\uFEFF", "titel: x", "math: yes", "tags: a, b", "categories:\n  - memo\n", "|\n  text",
        "? ", "!!str ", "%YAML 1.2\n", "key: value\n", "title: x\ntitle: y\n", "\n\n", "# Heading\n", "body text ",
    ];

    private static string RandomNote(Random random)
    {
        var builder = new StringBuilder(random.Next(4) == 0 ? string.Empty : "---\n");
        var count = random.Next(0, 30);
        for (var i = 0; i < count; i++)
        {
            builder.Append(Fragments[random.Next(Fragments.Length)]);
        }

        return builder.ToString();
    }

    [Theory]
    [InlineData("notes", 1)]
    [InlineData("jekyll", 2)]
    [InlineData("hugo", 3)]
    [InlineData("obsidian", 4)]
    [InlineData("none", 5)]
    public void Validation_fixes_and_completion_never_throw_and_stay_in_bounds(string preset, int seed)
    {
        var random = new Random(seed);
        var settings = Settings(preset);
        var today = new DateOnly(2024, 7, 22);
        for (var iteration = 0; iteration < 1500; iteration++)
        {
            var text = RandomNote(random);
            var note = new Note(FrontMatterTestKit.Uri, SourceText.From(text));
            var diagnostics = FrontMatterValidator.Validate(note, settings);
            foreach (var diagnostic in diagnostics)
            {
                Assert.True(diagnostic.Span.Start >= 0 && diagnostic.Span.End <= text.Length, $"span {diagnostic.Span} out of bounds in {Escape(text)}");
                foreach (var fix in FrontMatterFixes.Compute(note, diagnostic.Span, settings, today))
                {
                    var edits = fix.Change.Edits[FrontMatterTestKit.Uri];
                    Assert.All(edits, e => Assert.True(e.Span.Start >= 0 && e.Span.End <= text.Length, $"edit {e.Span} out of bounds in {Escape(text)}"));
                    var fixedText = TextEdit.Apply(text, edits);
                    _ = FrontMatterValidator.Validate(new Note(FrontMatterTestKit.Uri, SourceText.From(fixedText)), settings);
                }
            }

            var offset = text.Length == 0 ? 0 : random.Next(text.Length + 1);
            foreach (var item in FrontMatterCompletion.Complete(note, offset, settings, today).Items)
            {
                Assert.True(item.ReplaceSpan.Start >= 0 && item.ReplaceSpan.End <= text.Length && item.ReplaceSpan.ContainsOrTouches(offset),
                    $"completion span {item.ReplaceSpan} for offset {offset} in {Escape(text)}");
            }
        }
    }

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
