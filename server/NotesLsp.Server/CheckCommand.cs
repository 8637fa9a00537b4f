using System.Buffers;
using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotesLsp.Analysis;
using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Analysis.Tags;
using NotesLsp.Index;
using NotesLsp.Text;

namespace NotesLsp.Server;

/// <summary>What <c>notes-lsp check</c> was asked to do.</summary>
/// <param name="Paths">Files and folders; the current folder when empty.</param>
/// <param name="Preset">The front matter preset; null means the default (or the schema file when there is one).</param>
/// <param name="Format">text, json or sarif.</param>
/// <param name="SchemaPath">A schema file; null looks for <c>.notes/schema.yaml</c> in the first folder given and the folders above it.</param>
/// <param name="ShowProgress">Print a progress line on stderr (only when stderr is a terminal).</param>
/// <param name="UseCache">Keep note summaries and per-note results in the persistent index, and re-parse only what changed.</param>
/// <param name="CacheDirectory">Where the index databases are (null: the default cache directory).</param>
public sealed record CheckOptions(
    ImmutableArray<string> Paths,
    string? Preset = null,
    string Format = "text",
    string? SchemaPath = null,
    bool ShowProgress = false,
    bool UseCache = false,
    string? CacheDirectory = null);

/// <summary>
/// <c>notes-lsp check [PATHS...] [--preset P] [--format text|json|sarif]</c>: the editor's diagnostics for a folder
/// of notes, for pre-commit hooks and CI. Exit code 1 when any error is found, 0 otherwise. Files that cannot be
/// read or are not valid UTF-8 are reported as diagnostics, never fatal.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.ZeroOrMore, Description = "Notes or folders to check (default: the current folder)." };
        var preset = new Option<string?>("--preset") { Description = "Front matter preset: notes, jekyll, hugo, obsidian or none." };
        preset.AcceptOnlyFromAmong([.. FrontMatterPresets.Names]);
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var schema = new Option<string?>("--schema") { Description = "A front matter schema file (default: .notes/schema.yaml when present)." };
        var cache = new Option<bool>("--cache") { Description = "Use the persistent note index: re-parse only notes changed since the last run (same output)." };
        var command = new Command("check", "Report front matter and note diagnostics for files and folders; exit 1 when there is an error.")
        {
            paths,
            preset,
            format,
            schema,
            cache,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new CheckOptions(
                [.. result.GetValue(paths) ?? []],
                result.GetValue(preset),
                result.GetValue(format) ?? "text",
                result.GetValue(schema),
                ShowProgress: !Console.IsErrorRedirected,
                UseCache: result.GetValue(cache));
            return RunAsync(options, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(CheckOptions options, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var inputs = options.Paths.IsDefaultOrEmpty ? ["."] : options.Paths;

        // The folders and files given are the roots: a link out of them is not followed (its text would be printed).
        var roots = inputs.Select(input => Directory.Exists(input) ? Path.GetFullPath(input) : Path.GetDirectoryName(Path.GetFullPath(input)) ?? input);
        // One run is one scan: each folder's real location is resolved once (see WorkspaceFiles.ForOneScan).
        var scanner = new WorkspaceScanner(new ServerLog(errors), new WorkspaceFiles(roots).ForOneScan());
        var files = new List<string>();
        var probes = new Dictionary<string, WorkspaceFileResult>(StringComparer.Ordinal);
        var missing = new List<FileReport>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                // Listed, not named: what is not a note of the workspace is skipped as the server skips it. The files
                // are looked at on all cores; the messages keep the listing's order.
                var found = scanner.FindNotes([Path.GetFullPath(input)], [], cancellationToken);
                var looks = new WorkspaceFileResult[found.Count];
                Parallel.For(0, found.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => looks[i] = scanner.Files.ProbeQuickly(found[i]));
                for (var i = 0; i < found.Count; i++)
                {
                    probes[found[i]] = looks[i];
                    if (WorkspaceScanner.NotANote(looks[i]) is { } reason)
                    {
                        await errors.WriteLineAsync($"notes-lsp check: skipped {found[i]}: it {reason}");
                    }
                    else
                    {
                        files.Add(found[i]);
                    }
                }
            }
            else if (File.Exists(input))
            {
                files.Add(Path.GetFullPath(input));
            }
            else
            {
                missing.Add(FileReport.Of(Path.GetFullPath(input), SourceText.Empty, [Problem("not-found", "no such file or folder")]));
            }
        }

        var settings = new NotesSettings
        {
            FrontMatter = new FrontMatterSettings { Preset = options.Preset ?? FrontMatterPresets.DefaultName, SchemaFile = ReadSchema(options, inputs, errors) },
        };
        if (settings.FrontMatter.SchemaFile is { } schemaFile)
        {
            missing.Add(FileReport.Of(DocumentUris.ToPath(schemaFile.Uri)!, schemaFile.Text, schemaFile.Diagnostics));
        }

        var distinct = files.Distinct(StringComparer.Ordinal).ToList();
        var progress = options.ShowProgress ? errors : null;
        var reports = await Task.Run(
            () => options.UseCache
                ? CheckCache.Check(scanner.Files, probes, distinct, settings, CacheFolder(inputs), options.CacheDirectory, errors, progress, cancellationToken)
                : Check(scanner.Files, distinct, settings, progress, cancellationToken),
            cancellationToken);
        var all = missing.Concat(reports).ToList();
        switch (options.Format)
        {
            case "json":
                await output.WriteLineAsync(ToJson(all).ToJsonString(OutputJson));
                break;
            case "sarif":
                await output.WriteLineAsync(ToSarif(all).ToJsonString(OutputJson));
                break;
            default:
                foreach (var report in all)
                {
                    foreach (var diagnostic in report.Diagnostics)
                    {
                        var position = report.RangeOf(diagnostic.Span).Start;
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{Display(report.Path)}:{position.Line + 1}:{position.Character + 1}: {SeverityName(diagnostic.Severity)} {diagnostic.Code} {diagnostic.Message}"));
                    }
                }

                break;
        }

        await output.FlushAsync(cancellationToken);
        return all.Any(r => r.Diagnostics.Any(d => d.Severity == Severity.Error)) ? 1 : 0;
    }

    /// <summary>The folder whose index <c>--cache</c> uses: the first folder given, else the first file's folder.</summary>
    private static string CacheFolder(IReadOnlyList<string> inputs) =>
        Path.GetFullPath(inputs.FirstOrDefault(Directory.Exists) ?? Path.GetDirectoryName(Path.GetFullPath(inputs[0])) ?? ".");

    /// <summary>
    /// The reports of <paramref name="paths"/>: what <see cref="NoteDiagnostics.Compute"/> gives each note in a
    /// snapshot of them all, read as a stream. Each note is read, summarised and diagnosed while its text is at hand,
    /// then dropped: the second pass, after every note is known, needs only the summaries (tag hygiene reads the
    /// workspace's tags; the tag occurrences and their line positions are in the summary). A note whose front matter
    /// diagnostics weighed a key outside the schema depends on the workspace's key counts too: only such notes keep
    /// their text for the second pass. Same output as holding every note (CheckStreamingTests).
    /// </summary>
    internal static List<FileReport> Check(WorkspaceFiles workspace, List<string> paths, NotesSettings settings, TextWriter? progress, CancellationToken cancellationToken)
    {
        var count = paths.Count;
        var reports = new FileReport[count];
        var read = new StreamedNote?[count];
        var schema = FrontMatterSchemas.Resolve(settings);
        var tagKeys = settings.Tags.Keys.IsDefault ? [] : settings.Tags.Keys;
        var pool = new StringPool();
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (note, report) = Read(workspace, paths[i]);
            if (note is null)
            {
                reports[i] = report;
                return;
            }

            // The report's line positions come from the text (its RangeOf holds the text, the largest part of a note):
            // until the second pass gives it the ranges kept below, it holds none, so the text can go now.
            reports[i] = report with { RangeOf = NoRanges };

            // The headings are left out: no diagnostic reads them (the snapshot below has no symbol index).
            var summary = NoteSummary.Of(note, tagKeys, pool, withHeadings: false);
            var frontMatter = FrontMatterValidator.Validate(note, schema, null, out var needsKeyCounts);
            var papers = Analysis.Papers.PaperChecks.Diagnostics(note);
            // The line positions a diagnostic of this note may need: its text-only diagnostics' (usually none) here,
            // its tags' in the summary. A note kept for the second pass places its diagnostics from its text.
            var ranges = needsKeyCounts ? [] : SpanRanges.Of(note.Text, report.Diagnostics, frontMatter, papers);
            var path = paths[i];
            var indexed = Note.FromSummary(note.Uri, summary, _ => workspace.Read(path, WorkspaceScanner.MaxNoteBytes).Bytes);
            read[i] = new StreamedNote(indexed, needsKeyCounts ? note : null, frontMatter, papers, ranges);
        });

        // Every note is in the snapshot, so features that look across notes see the same workspace as the editor;
        // only what diagnostics read is built (tags and front matter key counts, from the summaries).
        var snapshot = WorkspaceSnapshot.ForDiagnostics(settings, read.Where(n => n is not null).Select(n => n!.Indexed));
        var done = 0;
        var lastReport = Environment.TickCount64;
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            if (read[i] is { } streamed)
            {
                var tags = TagHygiene.Diagnostics(snapshot, streamed.Indexed.Summary!.TagOccurrences(), cancellationToken);
                var frontMatter = streamed.Kept is { } kept ? FrontMatterValidator.Validate(kept, schema, snapshot.FrontMatterKeys, out _) : streamed.FrontMatter;
                var report = reports[i];
                ImmutableArray<NoteDiagnostic> diagnostics = [.. report.Diagnostics, .. frontMatter, .. tags, .. streamed.Papers];
                var rangeOf = diagnostics.IsEmpty ? NoRanges : streamed.Kept is { } text ? text.Text.GetRange : SpanRanges.Lookup(streamed.Ranges, streamed.Indexed.Summary!.Tags);
                reports[i] = report with { RangeOf = rangeOf, Diagnostics = diagnostics };
                read[i] = null;
            }

            var finished = Interlocked.Increment(ref done);
            if (progress is not null && count >= 200 && Environment.TickCount64 - Interlocked.Read(ref lastReport) > 100)
            {
                Interlocked.Exchange(ref lastReport, Environment.TickCount64);
                lock (progress)
                {
                    progress.Write($"\rchecked {finished}/{count} notes");
                }
            }
        });

        if (progress is not null && count >= 200)
        {
            progress.Write($"\rchecked {count}/{count} notes\n");
        }

        return [.. reports];
    }

    /// <summary>Stands in for a report's line positions between the two passes of <see cref="Check"/> (the second sets them).</summary>
    private static readonly Func<TextSpan, LineRange> NoRanges = _ => default;

    /// <summary>
    /// One note between the two passes of <see cref="Check"/>: its summary (in the snapshot), the diagnostics that
    /// depend on its text alone, with the line positions of every span a diagnostic may name, and the note itself
    /// only when its front matter diagnostics must be made again with the workspace's key counts.
    /// </summary>
    private sealed record StreamedNote(Note Indexed, Note? Kept, ImmutableArray<NoteDiagnostic> FrontMatter, ImmutableArray<NoteDiagnostic> Papers, ImmutableArray<(TextSpan Span, LineRange Range)> Ranges);

    /// <summary>Readable output: backticks and Japanese stay as written.</summary>
    private static readonly JsonSerializerOptions OutputJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a note strictly: invalid UTF-8 is reported (and the text checked with replacement characters); a file
    /// named on the command line that is not a regular file inside the roots, or is over the indexing limit, is
    /// reported and never opened.
    /// </summary>
    internal static (Note? Note, FileReport Report) Read(WorkspaceFiles workspace, string path) => Read(workspace, path, withHash: false, out _);

    /// <summary>
    /// <see cref="Read(WorkspaceFiles, string)"/>, also giving the index's hash of the bytes read when
    /// <paramref name="withHash"/> (null when the file was not read). The bytes are read into a rented buffer that is
    /// given back once decoded: the note keeps only its text.
    /// </summary>
    internal static (Note? Note, FileReport Report) Read(WorkspaceFiles workspace, string path, bool withHash, out byte[]? hash)
    {
        hash = null;
        var read = workspace.Read(path, WorkspaceScanner.MaxNoteBytes, ArrayPool<byte>.Shared);
        if (!read.IsOk)
        {
            var problem = read.Status == WorkspaceFileStatus.TooLarge
                ? new NoteDiagnostic(new TextSpan(0, 0), Severity.Warning, "too-large", $"not checked: the file {read.Problem}")
                : Problem("unreadable", $"not checked: the file {read.Problem}");
            return (null, FileReport.Of(path, SourceText.Empty, [problem]));
        }

        var rented = read.Bytes!;
        string decoded;
        var problems = ImmutableArray<NoteDiagnostic>.Empty;
        try
        {
            var bytes = rented.AsSpan(0, (int)read.Length);
            if (withHash)
            {
                hash = NoteIndexStore.HashOf(bytes);
            }

            var bom = Utf8Text.HasBom(bytes) ? 3 : 0;
            try
            {
                // One strict pass for the usual valid file; only a broken one is decoded twice.
                decoded = StrictUtf8.GetString(bytes[bom..]);
            }
            catch (DecoderFallbackException exception)
            {
                var at = exception.Index >= 0 ? $" (byte {exception.Index + bom})" : string.Empty;
                problems = [Problem("invalid-utf8", $"the file is not valid UTF-8{at}; invalid bytes were read as U+FFFD")];
                decoded = Utf8Text.Decode(bytes);
            }
        }
        finally
        {
            if (rented.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        var text = SourceText.From(decoded);
        var note = new Note(DocumentUris.FromPath(path), text);
        return (note, FileReport.Of(path, text, problems));
    }

    private static FrontMatterSchemaFile? ReadSchema(CheckOptions options, IReadOnlyList<string> inputs, TextWriter errors)
    {
        var candidate = options.SchemaPath ?? FindSchemaUpwards(inputs.FirstOrDefault(Directory.Exists) ?? Path.GetDirectoryName(Path.GetFullPath(inputs[0])) ?? ".");
        if (candidate is null || !File.Exists(candidate))
        {
            if (options.SchemaPath is not null)
            {
                errors.WriteLine($"notes-lsp check: schema file not found: {options.SchemaPath}");
            }

            return null;
        }

        // Named on the command line or found above the folder given: outside the roots by design, but still
        // a regular file read with a bound.
        var read = WorkspaceFiles.Anywhere.Read(candidate, WorkspaceFiles.MaxSettingsFileBytes);
        if (!read.IsOk)
        {
            errors.WriteLine($"notes-lsp check: skipped the schema file {candidate}: it {read.Problem}");
            return null;
        }

        return new FrontMatterSchemaFile(DocumentUris.FromPath(candidate), Utf8Text.Decode(read.Bytes!));
    }

    /// <summary>
    /// <c>.notes/schema.yaml</c> in the folder or the nearest folder above it, as git finds <c>.git</c>: checking
    /// <c>notes/talks</c> from a hook still uses the workspace's schema.
    /// </summary>
    private static string? FindSchemaUpwards(string folder)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(folder)); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, ".notes", "schema.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static NoteDiagnostic Problem(string code, string message) => new(new TextSpan(0, 0), Severity.Error, code, message);

    private static string Display(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }

    private static string SeverityName(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Information => "info",
        _ => "hint",
    };

    internal static JsonObject ToJson(List<FileReport> reports)
    {
        var diagnostics = new JsonArray();
        foreach (var report in reports)
        {
            foreach (var diagnostic in report.Diagnostics)
            {
                var range = report.RangeOf(diagnostic.Span);
                diagnostics.Add((JsonNode)new JsonObject
                {
                    ["file"] = Display(report.Path),
                    ["line"] = range.Start.Line + 1,
                    ["column"] = range.Start.Character + 1,
                    ["endLine"] = range.End.Line + 1,
                    ["endColumn"] = range.End.Character + 1,
                    ["severity"] = SeverityName(diagnostic.Severity),
                    ["code"] = diagnostic.Code,
                    ["message"] = diagnostic.Message,
                });
            }
        }

        return new JsonObject
        {
            ["files"] = reports.Count,
            ["errors"] = reports.Sum(r => r.Diagnostics.Count(d => d.Severity == Severity.Error)),
            ["warnings"] = reports.Sum(r => r.Diagnostics.Count(d => d.Severity == Severity.Warning)),
            ["diagnostics"] = diagnostics,
        };
    }

    /// <summary>SARIF 2.1.0, as GitHub code scanning reads it; columns are UTF-16 code units (SARIF's default).</summary>
    private static JsonObject ToSarif(List<FileReport> reports)
    {
        var results = new JsonArray();
        var rules = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            foreach (var diagnostic in report.Diagnostics)
            {
                rules.Add(diagnostic.Code);
                var range = report.RangeOf(diagnostic.Span);
                results.Add((JsonNode)new JsonObject
                {
                    ["ruleId"] = diagnostic.Code,
                    ["level"] = diagnostic.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "note" },
                    ["message"] = new JsonObject { ["text"] = diagnostic.Message },
                    ["locations"] = new JsonArray(new JsonObject
                    {
                        ["physicalLocation"] = new JsonObject
                        {
                            ["artifactLocation"] = new JsonObject { ["uri"] = Display(report.Path) },
                            ["region"] = new JsonObject
                            {
                                ["startLine"] = range.Start.Line + 1,
                                ["startColumn"] = range.Start.Character + 1,
                                ["endLine"] = range.End.Line + 1,
                                ["endColumn"] = range.End.Character + 1,
                            },
                        },
                    }),
                });
            }
        }

        return new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "notes-lsp",
                        ["version"] = Program.Version,
                        ["rules"] = new JsonArray([.. rules.Select(id => (JsonNode)new JsonObject { ["id"] = id })]),
                    },
                },
                ["results"] = results,
            }),
        };
    }
}

/// <summary>One checked file: its diagnostics and how to place them (line and column).</summary>
/// <param name="RangeOf">The line positions of a span: from the text, or for a note <c>--cache</c> did not read, from the index.</param>
internal sealed record FileReport(string Path, Func<TextSpan, LineRange> RangeOf, ImmutableArray<NoteDiagnostic> Diagnostics)
{
    public static FileReport Of(string path, SourceText text, ImmutableArray<NoteDiagnostic> diagnostics) => new(path, text.GetRange, diagnostics);
}
