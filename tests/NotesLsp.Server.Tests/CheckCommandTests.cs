using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace NotesLsp.Server.Tests;

public sealed class CheckCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("notes-check-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private void Write(string path, string text) => WriteBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    private void WriteBytes(string path, byte[] bytes)
    {
        var full = Path.Combine(folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    private async Task<(int Exit, string Output, string Errors)> Run(string? preset = null, string format = "text", params string[] paths)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var inputs = paths.Length == 0 ? [folder] : paths.Select(p => Path.Combine(folder, p)).ToImmutableArray();
        var exit = await CheckCommand.RunAsync(new CheckOptions(inputs, preset, format), output, errors, CancellationToken.None);
        return (exit, output.ToString().Replace(folder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal).Trim(), errors.ToString());
    }

    [Fact]
    public async Task Text_output_is_file_line_col_severity_code_message_and_an_error_exits_1()
    {
        Write("good.md", "---\ntitle: x\n---\n");
        Write("talks/broken.md", "---\ntitle: BERT: Pre-training\n---\n");
        Write("talks/year.md", "---\ndate: 2024\n---\n");
        var (exit, output, errors) = await Run(preset: "jekyll");
        Assert.Equal(1, exit);
        Assert.Equal("""
            talks/broken.md:2:8: error yaml-syntax a value containing ': ' must be quoted
            talks/year.md:2:7: warning year-only-date `2024` is only a year; `date` expects a full date (YYYY-MM-DD)
            """.Replace("\r\n", "\n", StringComparison.Ordinal), output);
        Assert.Equal("", errors);
    }

    [Fact]
    public async Task Check_learns_the_folders_key_conventions_and_a_valid_site_exits_0()
    {
        // The tag pages' `tag:` is this site's key (its layout reads page.tag), counted over the whole folder as
        // the editor counts its workspace; `rating: {...}` and `authors: A, B` are valid Jekyll, so exit 0.
        foreach (var tag in new[] { "ml", "nlp", "cv" })
        {
            Write($"tags/{tag}.md", $"---\nlayout: tag_page\ntag: {tag}\n---\n");
        }

        Write("_posts/2024-01-01-a.md", "---\ntitle: A\nauthors: Alice Chen, Bob Li\nrating: {novelty: 4, clarity: 3}\ntags: [ml]\n---\n");
        Write("_posts/2024-01-02-b.md", "---\ntitle: B\ntgas: [nlp]\n---\n");
        var (exit, output, _) = await Run(preset: "notes");
        Assert.Equal(0, exit);
        Assert.Equal("_posts/2024-01-02-b.md:3:1: warning unknown-key unknown key `tgas`: did you mean `tags`?", output);

        // Checking one tag page alone has no workspace to learn from: a lone `tag:` looks like a typo.
        Assert.Contains("did you mean `tags`?", (await Run("notes", "text", "tags/ml.md")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warnings_alone_exit_0_and_clean_notes_print_nothing()
    {
        Write("year.md", "---\ndate: 2024\n---\n");
        Assert.Equal(0, (await Run(preset: "hugo")).Exit);
        Assert.Equal((0, "", ""), await Run(preset: "notes"));
    }

    [Fact]
    public async Task Invalid_utf8_and_missing_paths_are_reported_not_fatal()
    {
        WriteBytes("latin1.md", [.. "---\ntitle: caf"u8.ToArray(), 0xE9, .. "\n---\n"u8.ToArray()]);
        Write("ok.md", "---\ntitle: BERT: x\n---\n");
        var (exit, output, _) = await Run(null, "text", "latin1.md", "ok.md", "nowhere.md");
        Assert.Equal(1, exit);
        Assert.Equal("""
            nowhere.md:1:1: error not-found no such file or folder
            latin1.md:1:1: error invalid-utf8 the file is not valid UTF-8 (byte 14); invalid bytes were read as U+FFFD
            ok.md:2:8: error yaml-syntax a value containing ': ' must be quoted
            """.Replace("\r\n", "\n", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task Json_output_lists_diagnostics_with_one_based_positions()
    {
        Write("a.md", "---\ntitle: 論文: x\n---\n");
        var (exit, output, _) = await Run(format: "json");
        Assert.Equal(1, exit);
        var json = JsonNode.Parse(output)!;
        Assert.Equal(1, (int)json["files"]!);
        Assert.Equal(1, (int)json["errors"]!);
        var diagnostic = json["diagnostics"]![0]!;
        Assert.Equal("a.md", (string?)diagnostic["file"]);
        Assert.Equal((2, 8, 2, 13), ((int)diagnostic["line"]!, (int)diagnostic["column"]!, (int)diagnostic["endLine"]!, (int)diagnostic["endColumn"]!));
        Assert.Equal("yaml-syntax", (string?)diagnostic["code"]);
    }

    [Fact]
    public async Task Sarif_output_has_rules_results_and_regions()
    {
        Write("a.md", "---\ntitel: x\n---\n");
        var (exit, output, _) = await Run(format: "sarif");
        Assert.Equal(0, exit);
        var run = JsonNode.Parse(output)!["runs"]![0]!;
        Assert.Equal("notes-lsp", (string?)run["tool"]!["driver"]!["name"]);
        Assert.Equal("unknown-key", (string?)run["tool"]!["driver"]!["rules"]![0]!["id"]);
        var result = run["results"]![0]!;
        Assert.Equal("warning", (string?)result["level"]);
        Assert.Equal("unknown key `titel`: did you mean `title`?", (string?)result["message"]!["text"]);
        var region = result["locations"]![0]!["physicalLocation"]!["region"]!;
        Assert.Equal((2, 1, 2, 6), ((int)region["startLine"]!, (int)region["startColumn"]!, (int)region["endLine"]!, (int)region["endColumn"]!));
    }

    [Fact]
    public async Task A_schema_file_in_the_folder_applies_and_its_own_problems_are_reported()
    {
        Write(".notes/schema.yaml", "keys:\n  title: { type: string, required: true }\n  rating: { type: int }\n  mood: { type: feelings }\n");
        Write("a.md", "---\nrating: 5\n---\n");
        var (exit, output, _) = await Run();
        Assert.Equal(1, exit);
        Assert.Equal("""
            .notes/schema.yaml:4:17: error schema-invalid schema file: unknown type `feelings`; expected one of: string, date, datetime, year, year-or-date, bool, int, number, url, string-list, enum, mapping, any
            a.md:1:1: warning missing-key the schema requires a `title` key
            """.Replace("\r\n", "\n", StringComparison.Ordinal), output);
    }

    [Fact]
    public void The_check_command_parses_its_options()
    {
        var root = Program.BuildCommandLine();
        var result = root.Parse(["check", "notes", "--preset", "hugo", "--format", "sarif"]);
        Assert.Empty(result.Errors);
        Assert.NotEmpty(root.Parse(["check", "--format", "xml"]).Errors);
        Assert.NotEmpty(root.Parse(["check", "--preset", "wordpress"]).Errors);
    }

    [Fact]
    public async Task The_schema_file_is_found_in_a_folder_above_the_checked_one()
    {
        Write(".notes/schema.yaml", "keys:\n  title: { type: string, required: true }\n");
        Write("talks/day1/a.md", "# no front matter\n");
        var (exit, output, _) = await Run(null, "text", "talks/day1");
        Assert.Equal(0, exit);
        Assert.Equal("talks/day1/a.md:1:1: warning front-matter-missing this note has no front matter; the schema requires `title`", output);
    }

    [Fact]
    public async Task Progress_goes_to_stderr_only_and_never_mixes_with_the_report()
    {
        for (var i = 0; i < 250; i++)
        {
            Write($"notes/{i:D3}.md", i == 7 ? "---\ntitel: x\n---\n" : "---\ntitle: x\n---\n");
        }

        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CheckCommand.RunAsync(new CheckOptions([folder], ShowProgress: true), output, errors, CancellationToken.None);
        Assert.Equal(0, exit);
        Assert.Equal("notes/007.md:2:1: warning unknown-key unknown key `titel`: did you mean `title`?",
            output.ToString().Replace(folder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Trim());
        Assert.EndsWith("checked 250/250 notes\n", errors.ToString(), StringComparison.Ordinal);
    }
}
