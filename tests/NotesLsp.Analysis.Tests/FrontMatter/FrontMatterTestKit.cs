using System.Collections.Immutable;
using System.Text;
using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.FrontMatter;

/// <summary>Shared helpers: notes from fixture text and diagnostics rendered as readable lines.</summary>
internal static class FrontMatterTestKit
{
    public const string Uri = "file:///notes/test.md";

    public static Note NoteOf(string text) => new(Uri, SourceText.From(Normalize(text)));

    /// <summary>Raw string literals in tests use the file's line endings; fixtures say "\r\n" explicitly when they mean it.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    public static NotesSettings Settings(string preset = "notes", string? schema = null) => new()
    {
        FrontMatter = new FrontMatterSettings
        {
            Preset = preset,
            SchemaFile = schema is null ? null : new FrontMatterSchemaFile("file:///notes/.notes/schema.yaml", Normalize(schema)),
        },
    };

    /// <summary>One line per diagnostic: <c>start-end severity code message</c>, positions zero-based.</summary>
    public static string Render(SourceText text, IEnumerable<NoteDiagnostic> diagnostics)
    {
        var builder = new StringBuilder();
        foreach (var diagnostic in diagnostics)
        {
            builder.Append(text.GetRange(diagnostic.Span)).Append(' ')
                .Append(diagnostic.Severity.ToString().ToLowerInvariant()).Append(' ')
                .Append(diagnostic.Code).Append(' ')
                .Append(diagnostic.Message);
            foreach (var related in diagnostic.RelatedOrEmpty)
            {
                builder.Append(" (related ").Append(text.GetRange(related.Span)).Append(' ').Append(related.Message).Append(')');
            }

            builder.Append('\n');
        }

        return builder.ToString().Trim();
    }

    /// <summary>Compares rendered text and shows both in full on a failure (Assert.Equal cuts long strings).</summary>
    public static void AssertText(string expected, string actual) =>
        Assert.True(Normalize(expected).Trim() == Normalize(actual).Trim(), $"Expected:\n{Normalize(expected).Trim()}\nActual:\n{Normalize(actual).Trim()}");

    public static ImmutableArray<NoteDiagnostic> Validate(string note, NotesSettings settings) =>
        FrontMatterValidator.Validate(NoteOf(note), settings);
}
