using System.Diagnostics;
using System.Globalization;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;
using NotesLsp.Text;

/// <summary>
/// Paper completion and hover in a large workspace right after an edit: each request follows a new snapshot
/// with one note changed, as when the user types, so whatever is rebuilt per snapshot is in the figure.
/// </summary>
internal static class WorkspaceBench
{
    private const int Edits = 30;

    public static void Run(string directory)
    {
        var culture = CultureInfo.InvariantCulture;
        var files = Directory.GetFiles(directory, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var icml = PaperCatalog.LoadBundled();
        icml.Warm();

        var start = Stopwatch.GetTimestamp();
        var notes = files.Select(f => new Note(new Uri(f).AbsoluteUri, SourceText.From(File.ReadAllText(f)))).ToList();

        // As the server's workspace scan does: front matter now, in parallel; Markdown bodies on demand.
        notes.AsParallel().ForAll(n => _ = n.FrontMatter);
        var snapshot = WorkspaceSnapshot.Empty.WithNotes(notes);
        var load = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        // The edited note: one that cites a paper, so hover has a link to point at.
        var target = notes.First(n => n.Text.Text.Contains("](https://openreview.net/forum?id=", StringComparison.Ordinal));
        var linkAt = target.Text.Text.IndexOf("](https://openreview.net/forum?id=", StringComparison.Ordinal) + 20;
        var body = target.Text.Text;

        // The first paper request after loading pays for whatever the workspace needs built once.
        start = Stopwatch.GetTimestamp();
        var first = Complete(ref snapshot, target.Uri, body + "\nhttps://openreview.net/forum?id=", icml);
        var firstMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Console.WriteLine(string.Create(culture, $"Workspace {directory}: {snapshot.Notes.Count} notes, load {load:0} ms; first id completion after load {firstMs:0.0} ms ({first.Items.Length} items)"));

        var ids = new List<double>();
        var titles = new List<double>();
        var hovers = new List<double>();
        for (var edit = 0; edit < Edits; edit++)
        {
            // Each request comes after its own keystroke: a new snapshot with the note's text changed.
            var typed = string.Create(culture, $"{body}\nedit {edit} ");
            var watch = Stopwatch.GetTimestamp();
            var result = Complete(ref snapshot, target.Uri, typed + "https://openreview.net/forum?id=", icml);
            ids.Add(Stopwatch.GetElapsedTime(watch).TotalMilliseconds);
            if (result.Items.IsDefaultOrEmpty)
            {
                throw new InvalidOperationException("the id completion offered nothing");
            }

            watch = Stopwatch.GetTimestamp();
            Complete(ref snapshot, target.Uri, typed + "- [attention is all yo", icml);
            titles.Add(Stopwatch.GetElapsedTime(watch).TotalMilliseconds);

            watch = Stopwatch.GetTimestamp();
            snapshot = snapshot.WithNote(new Note(target.Uri, SourceText.From(typed)));
            var catalogs = new PaperCatalogSet([icml, WorkspacePapers.Catalog(snapshot)]);
            var hover = PaperHover.Hover(snapshot, target.Uri, linkAt, catalogs);
            hovers.Add(Stopwatch.GetElapsedTime(watch).TotalMilliseconds);
            if (hover is null)
            {
                throw new InvalidOperationException("the hover found no link");
            }
        }

        Report("Edit + paper id completion", ids);
        Report("Edit + paper title completion", titles);
        Report("Edit + paper hover", hovers);
        var parsed = snapshot.Notes.Values.Count(n => n.IsParsed);
        Console.WriteLine(string.Create(culture, $"Notes whose Markdown body was parsed by the end: {parsed} of {snapshot.Notes.Count}"));

        void Report(string name, List<double> latencies) => Console.WriteLine(string.Create(
            culture, $"{name}: p50 {Percentile(latencies, 50):0.00} ms, p95 {Percentile(latencies, 95):0.00} ms, max {latencies.Max():0.00} ms over {Edits} edits"));
    }

    /// <summary>Replaces the note's text (the edit), then completes at its end as the server would.</summary>
    private static CompletionResult Complete(ref WorkspaceSnapshot snapshot, string uri, string text, PaperCatalog icml)
    {
        var note = new Note(uri, SourceText.From(text));
        snapshot = snapshot.WithNote(note);

        // The server's catalog set: the bundled catalog and the notes' own (PaperService.Catalogs).
        var catalogs = new PaperCatalogSet([icml, WorkspacePapers.Catalog(snapshot)]);
        return PaperCompletion.Complete(snapshot, uri, text.Length, catalogs);
    }

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
