using System.Text;
using NotesLsp.Text;

namespace NotesLsp.Syntax.Tests;

/// <summary>Renders syntax as `kind start-end "text"` lines, so expectations read like the note itself.</summary>
internal static class SpanDump
{
    public static string Dump(NoteSyntax syntax)
    {
        var builder = new StringBuilder();
        var text = syntax.Text;
        if (syntax.FrontMatter is { } fm)
        {
            builder.AppendLine($"frontmatter {fm.Span} closed={fm.IsClosed}");
            if (fm.Root is { } root)
            {
                foreach (var entry in root.Entries)
                {
                    builder.AppendLine($"  key {Show(text, entry.Key.Span)} = {Node(text, entry.Value)}");
                }
            }

            foreach (var error in fm.Errors)
            {
                builder.AppendLine($"  error {error.Kind} {error.Span} {error.Message}");
            }
        }

        foreach (var heading in syntax.Headings)
        {
            builder.AppendLine($"h{heading.Level} {Show(text, heading.TextSpan)}");
        }

        foreach (var link in syntax.Links)
        {
            builder.AppendLine($"link {link.Kind} {Show(text, link.UrlSpan)}" + (link.LabelSpan is { } l ? $" label {Show(text, l)}" : string.Empty));
        }

        return builder.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
    }

    private static string Node(SourceText text, YamlNode? node) => node switch
    {
        null => "(none)",
        YamlScalar s => $"scalar {Show(text, s.Span)}",
        YamlSequence seq => $"seq{(seq.IsFlow ? "(flow)" : string.Empty)}[{string.Join(", ", seq.Items.Select(i => Node(text, i)))}]",
        YamlMapping map => $"map{(map.IsFlow ? "(flow)" : string.Empty)}{{{map.Entries.Length}}}",
        YamlAlias a => $"alias {a.Name}",
        _ => "?",
    };

    private static string Show(SourceText text, TextSpan span)
    {
        var slice = text.Slice(span).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        var range = text.GetRange(span);
        return $"{range} \"{slice}\"";
    }
}
