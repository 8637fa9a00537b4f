using System.Globalization;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;
using NotesLsp.Text;

/// <summary>
/// Scores search and the heading action on the project's real-phrase fixture
/// (<c>tests/fixtures/papers/icml2024-phrases.tsv</c>): how often the paper meant is first, and in the first five,
/// for <c>notes-lsp papers search</c>; how often the "Link to paper" action on a heading with the phrase offers it.
/// </summary>
internal static class PhraseBench
{
    public static void Run(string fixture, bool verbose)
    {
        var phrases = File.ReadLines(fixture)
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .Where(p => p.Length >= 3)
            .Select(p => (Id: p[0], Kind: p[1], Phrase: p[2]))
            .ToList();
        var catalogs = new PaperCatalogSet(PaperCatalog.LoadAllBundled());
        int top1 = 0, top5 = 0, action = 0, preferred = 0, confident = 0, confidentRight = 0;
        var byKind = new SortedDictionary<string, (int Total, int Top1, int Top5)>(StringComparer.Ordinal);
        foreach (var (id, kind, phrase) in phrases)
        {
            var matches = catalogs.Search(phrase, 5);
            var rank = matches.Select((m, i) => (m, i)).FirstOrDefault(x => x.m.Paper.Id == id, (null!, -1)).Item2;
            var first = rank == 0;
            var five = rank >= 0;
            top1 += first ? 1 : 0;
            top5 += five ? 1 : 0;
            var k = byKind.GetValueOrDefault(kind);
            byKind[kind] = (k.Total + 1, k.Top1 + (first ? 1 : 0), k.Top5 + (five ? 1 : 0));
            var note = new Note("file:///bench/phrase.md", SourceText.From($"## {phrase}\n- notes\n"));
            var snapshot = WorkspaceSnapshot.Empty.WithNote(note);
            var actions = PaperChecks.CodeActions(snapshot, note.Uri, new TextSpan(4, 0), catalogs);
            bool Links(CodeFix f) => f.Change.Edits.Values.SelectMany(e => e).Any(e => e.NewText.Contains("?id=" + id + ")", StringComparison.Ordinal));
            action += actions.Any(Links) ? 1 : 0;
            preferred += actions.Any(f => f.IsPreferred && Links(f)) ? 1 : 0;
            var linked = PaperHeadings.LinkAll(note, catalogs);
            confident += linked.Length;
            confidentRight += linked.Count(l => l.Paper.Id == id);
            if (verbose && !first)
            {
                Console.WriteLine($"  miss ({kind}, rank {rank}): {phrase} -> {matches.FirstOrDefault()?.Paper.Title}");
            }
        }

        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(culture, $"Real phrases ({phrases.Count}, {catalogs.Count} papers): search top-1 {top1}/{phrases.Count}, top-5 {top5}/{phrases.Count}; heading action offers the paper {action}/{phrases.Count} (preferred {preferred}/{phrases.Count}); link-all links {confident} headings, {confidentRight} right"));
        foreach (var (kind, (total, one, five)) in byKind)
        {
            Console.WriteLine(string.Create(culture, $"  {kind}: top-1 {one}/{total}, top-5 {five}/{total}"));
        }
    }
}
