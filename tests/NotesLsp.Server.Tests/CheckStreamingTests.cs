using System.Collections.Immutable;
using NotesLsp.Analysis;
using NotesLsp.Analysis.FrontMatter;

namespace NotesLsp.Server.Tests;

/// <summary>
/// <c>notes-lsp check</c> reads its notes as a stream (each note diagnosed while its text is at hand, then dropped;
/// only notes whose front matter diagnostics weigh the workspace's key counts are kept for the second pass). Its
/// reports must be the ones of the plain reading: every note held in a full workspace snapshot and given
/// <see cref="NoteDiagnostics.Compute"/>, line positions from the text. Compared as the JSON output (every
/// diagnostic with its start and end line and column) over the fixture workspaces, every preset, a schema that
/// warns on every unknown key and an allow-list of tags.
/// </summary>
public sealed class CheckStreamingTests
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

    public static TheoryData<string> Folders()
    {
        var fixtures = Path.Combine(RepositoryRoot(), "tests", "fixtures");
        var data = new TheoryData<string> { Path.Combine(RepositoryRoot(), "examples"), Path.Combine(fixtures, "hugo-docs"), Path.Combine(fixtures, "generated") };
        foreach (var workspace in Directory.GetDirectories(Path.Combine(fixtures, "workspaces")).Order(StringComparer.Ordinal))
        {
            data.Add(workspace);
        }

        return data;
    }

    private const string WarnSchema = """
        unknownKeys: warn
        keys:
          title: { type: string, required: true }
          date: year-or-date
          tags: { type: string-list, listMayBeString: true }
        """;

    private static IEnumerable<NotesSettings> AllSettings(string folder)
    {
        foreach (var preset in FrontMatterPresets.Names)
        {
            yield return new NotesSettings { FrontMatter = new FrontMatterSettings { Preset = preset } };
        }

        yield return new NotesSettings
        {
            FrontMatter = new FrontMatterSettings { Preset = "notes", SchemaFile = new FrontMatterSchemaFile(new Uri(Path.Combine(folder, ".notes", "schema.yaml")).AbsoluteUri, WarnSchema) },
            Tags = new TagSettings { Allowed = ["ml", "nlp", "transformers", "diffusion"] },
        };
    }

    /// <summary>The plain reading: every note held, one full snapshot, <see cref="NoteDiagnostics.Compute"/> per note.</summary>
    private static List<FileReport> HoldingEveryNote(WorkspaceFiles workspace, List<string> paths, NotesSettings settings)
    {
        var read = paths.Select(p => CheckCommand.Read(workspace, p)).ToList();
        var snapshot = WorkspaceSnapshot.Empty.WithSettings(settings).WithNotes(read.Where(r => r.Note is not null).Select(r => r.Note!));
        return
        [
            .. read.Select(r => r.Note is null
                ? r.Report
                : r.Report with { Diagnostics = r.Report.Diagnostics.AddRange(NoteDiagnostics.Compute(snapshot, r.Note, CancellationToken.None)) }),
        ];
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void The_streamed_check_reports_what_holding_every_note_reports(string folder)
    {
        var paths = Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(paths);
        var workspace = new WorkspaceFiles([folder]).ForOneScan();
        var diagnostics = 0;
        foreach (var settings in AllSettings(folder))
        {
            var expected = CheckCommand.ToJson(HoldingEveryNote(workspace, paths, settings));
            var streamed = CheckCommand.ToJson(CheckCommand.Check(workspace, paths, settings, progress: null, CancellationToken.None));
            Assert.Equal(expected.ToJsonString(), streamed.ToJsonString());
            diagnostics += expected["diagnostics"]!.AsArray().Count;
        }

        // Not a comparison of empty outputs: the presets and the strict schema find problems in every fixture folder.
        Assert.True(diagnostics > 0, $"no diagnostics in {folder}");
    }

    /// <summary>
    /// <c>check --cache</c> (a cold run that fills the index, a warm one that takes every unchanged note from it, and
    /// one after a note changed) reports what the plain check reports, line positions included, for every fixture
    /// folder and every setting above.
    /// </summary>
    [Theory]
    [MemberData(nameof(Folders))]
    public void The_cached_check_reports_what_the_plain_check_reports(string folder)
    {
        var paths = Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var copy = Directory.CreateTempSubdirectory("notes-check-cached-").FullName;
        var cache = Directory.CreateTempSubdirectory("notes-check-cache-").FullName;
        try
        {
            // A copy, so one note can change between runs; same relative layout.
            var copied = paths.Select(p => Path.Combine(copy, Path.GetRelativePath(folder, p))).ToList();
            for (var i = 0; i < paths.Count; i++)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(copied[i])!);
                File.Copy(paths[i], copied[i]);
            }

            foreach (var settings in AllSettings(copy))
            {
                string Plain() => CheckCommand.ToJson(CheckCommand.Check(new WorkspaceFiles([copy]).ForOneScan(), copied, settings, progress: null, CancellationToken.None)).ToJsonString();
                string Cached()
                {
                    var workspace = new WorkspaceFiles([copy]).ForOneScan();
                    var listed = copied.ToDictionary(p => p, workspace.ProbeQuickly, StringComparer.Ordinal);
                    return CheckCommand.ToJson(CheckCache.Check(workspace, listed, copied, settings, copy, cache, TextWriter.Null, progress: null, CancellationToken.None)).ToJsonString();
                }

                var expected = Plain();
                Assert.Equal(expected, Cached());
                Assert.Equal(expected, Cached());
                File.AppendAllText(copied[^1], "\n- [x](https://openreview.net/forum?id=bad)\n");
                Assert.Equal(Plain(), Cached());
            }
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void A_note_weighed_against_the_workspaces_key_counts_gets_the_counts_of_every_note()
    {
        // `tag:` is used by three notes (a convention), `tgas:` by one: the typo hint depends on notes read after it.
        var folder = Directory.CreateTempSubdirectory("notes-check-stream-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a-first.md"), "---\ntitle: A\ntgas: [nlp]\ntag: x\n---\n");
            foreach (var name in new[] { "b", "c", "d" })
            {
                File.WriteAllText(Path.Combine(folder, $"{name}.md"), $"---\nlayout: tag_page\ntag: {name}\n---\n");
            }

            var paths = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToList();
            var workspace = new WorkspaceFiles([folder]).ForOneScan();
            var settings = new NotesSettings { FrontMatter = new FrontMatterSettings { Preset = "notes" } };
            var expected = CheckCommand.ToJson(HoldingEveryNote(workspace, paths, settings)).ToJsonString();
            // One warning (`tgas`); read without the counts, `tag` would draw a "did you mean `tags`" as well.
            Assert.Contains("\"warnings\":1,", expected, StringComparison.Ordinal);
            Assert.Contains("tgas", expected, StringComparison.Ordinal);
            Assert.Equal(expected, CheckCommand.ToJson(CheckCommand.Check(workspace, paths, settings, progress: null, CancellationToken.None)).ToJsonString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
