using NotesLsp.Papers;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Papers;

/// <summary>Workspaces written as one string with <c>//- /notes/a.md</c> headers and a <c>$0</c> cursor.</summary>
internal static class PaperFixtures
{
    public static readonly Lazy<PaperCatalog> Icml = new(PaperCatalog.LoadBundled);

    public static (WorkspaceSnapshot Snapshot, string Uri, int Offset) Workspace(string fixture, NotesSettings? settings = null)
    {
        var files = new List<(string Path, string Text)>();
        if (!fixture.StartsWith("//- ", StringComparison.Ordinal))
        {
            fixture = "//- /notes/a.md\n" + fixture;
        }

        foreach (var part in fixture.Split("//- ", StringSplitOptions.RemoveEmptyEntries))
        {
            var newline = part.IndexOf('\n', StringComparison.Ordinal);
            files.Add((part[..newline].Trim(), part[(newline + 1)..]));
        }

        var snapshot = WorkspaceSnapshot.Empty.WithSettings(settings ?? NotesSettings.Default);
        string? cursorUri = null;
        var cursor = -1;
        foreach (var (path, raw) in files)
        {
            var uri = "file://" + path;
            var at = raw.IndexOf("$0", StringComparison.Ordinal);
            var text = raw.Replace("$0", string.Empty, StringComparison.Ordinal);
            if (at >= 0)
            {
                (cursorUri, cursor) = (uri, at);
            }

            snapshot = snapshot.WithNote(new Note(uri, SourceText.From(text)));
        }

        return (snapshot, cursorUri ?? throw new ArgumentException("the fixture has no $0 cursor"), cursor);
    }

    /// <summary>A small catalog with the fields a hover shows, including hostile text.</summary>
    public static PaperCatalog Small() => PaperCatalog.Create("test", [
        new PaperRecord("RbiBKPtuHp", "Improving Transformers with Dynamically Composable Multi-Head Attention")
        {
            Authors = ["Da Xiao", "Qingye Meng", "Shengping Li", "Xingyuan Yuan"],
            Venue = "ICML 2024 Oral",
            VenueId = "ICML.cc/2024/Conference",
            Decision = PaperDecision.Oral,
            Abstract = "Multi-Head Attention (MHA) is a key component of Transformer.",
            Keywords = ["attention", "transformer"],
        },
        new PaperRecord("Evil000001", "<img src=x onerror=alert(1)> [click](command:workbench.action.quit) # Heading")
        {
            Authors = ["*Bold* Author", "<b>Tag</b>"],
            Venue = "ICLR 2024 poster",
            Decision = PaperDecision.Poster,
            Tldr = "`code` and ![img](https://x/y.png) and javascript:alert(1)",
            Abstract = "Line one\n\n# not a heading\n- not a list",
        },
        new PaperRecord("ManyAuth01", "Many Authors")
        {
            Authors = [.. Enumerable.Range(1, 11).Select(i => $"Author {i}")],
        },
    ]);
}
