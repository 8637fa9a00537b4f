using NotesLsp.LspDriver;

namespace NotesLsp.Server.Tests;

/// <summary>The built binary as a child process: LSP over its real stdio, which also proves stdout is clean.</summary>
public class ProcessTests
{
    private static LspClient StartBinary(params string[] arguments) =>
        LspClient.Start(ServerBinary.FileName, [.. ServerBinary.Arguments, .. arguments]);

    [Fact]
    public async Task The_binary_answers_initialize_and_document_symbols_and_exits_zero_after_shutdown()
    {
        var workspace = Directory.CreateTempSubdirectory("notes-lsp-proc-").FullName;
        try
        {
            foreach (var example in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.md"))
            {
                File.Copy(example, Path.Combine(workspace, Path.GetFileName(example)));
            }

            await using var client = StartBinary("--stdio");
            var result = await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = DocumentUris.FromPath(workspace), capabilities = new { } });
            Assert.Equal("utf-16", (string?)result!["capabilities"]!["positionEncoding"]);
            await client.NotifyAsync("initialized", new { });

            // Garbage on stdin is survived by the real binary too.
            await client.WriteRawAsync("Content-Length: 3\r\n\r\n{x}"u8.ToArray());

            var symbols = await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = DocumentUris.FromPath(Path.Combine(workspace, "icml2024-talk-notes.md")) } });
            var rendered = DocumentTests.RenderSymbols(symbols);
            Assert.StartsWith("Montag Vormittag 5:0-22:41 sel 5:2-5:18\n  Predictive attribution", rendered, StringComparison.Ordinal);

            Assert.Null(await client.RequestAsync("shutdown", null));
            await client.NotifyAsync("exit", null);
            Assert.True(client.Process!.WaitForExit(10_000));
            Assert.Equal(0, client.Process.ExitCode);
            await client.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Null(client.ProtocolViolation);
            Assert.Contains("initialized", client.StandardError!.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--stdio" }, true)]
    [InlineData(new[] { "--stdio", "--clientProcessId", "4242" }, true)]
    [InlineData(new[] { "--clientProcessId", "4242", "--stdio" }, true)]
    [InlineData(new[] { "--clientProcessId" }, false)]
    [InlineData(new[] { "--clientProcessId", "x" }, false)]
    [InlineData(new[] { "--help" }, false)]
    [InlineData(new[] { "--version" }, false)]
    [InlineData(new[] { "check", "." }, false)]
    [InlineData(new[] { "--stdoi" }, false)]
    public void Only_the_editors_plain_start_skips_the_command_line_parser(string[] arguments, bool plain) =>
        Assert.Equal(plain, Program.IsPlainServerStart(arguments));

    [Fact]
    public async Task Sigterm_stops_a_server_started_the_way_editors_start_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var client = StartBinary("--stdio", "--clientProcessId", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = (string?)null, capabilities = new { } });
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", client.Process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.True(client.Process.WaitForExit(20_000), "the server did not stop on SIGTERM");
        Assert.Equal(1, client.Process.ExitCode);
        Assert.Contains("stopped", client.StandardError!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_version()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(ServerBinary.FileName, [.. ServerBinary.Arguments, "--version"])
        {
            RedirectStandardOutput = true,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(10_000));
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(Program.Version, output.Trim());
    }

    [Fact]
    public void Check_reports_yaml_and_schema_problems_with_positions_and_exit_code_one()
    {
        // YamlDotNet's event parser and Markdig under the binary that ships (NativeAOT in test.sh).
        var folder = Directory.CreateTempSubdirectory("notes-lsp-proc-check-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "broken.md"), "---\ntitle: BERT: Pre-training\ntags: [a, b\n---\n# Heading\n");
            File.WriteAllText(Path.Combine(folder, "fine.md"), "---\ntitle: Fine\ndate: 2024-07-22\ntags: [ml]\n---\n# A heading\n\nText with a [link](https://example.org).\n");
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(ServerBinary.FileName, [.. ServerBinary.Arguments, "check", folder, "--format", "json"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(20_000));
            Assert.Equal(1, process.ExitCode);
            var report = System.Text.Json.Nodes.JsonNode.Parse(output)!;
            Assert.Equal(2, (int)report["files"]!);
            var diagnostics = report["diagnostics"]!.AsArray();
            Assert.NotEmpty(diagnostics);
            Assert.All(diagnostics, d => Assert.EndsWith("broken.md", (string?)d!["file"], StringComparison.Ordinal));
            Assert.Contains(diagnostics, d => (string?)d!["severity"] == "error" && (int)d["line"]! == 2);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Closing_stdin_without_shutdown_exits_with_one()
    {
        await using var client = StartBinary();
        await client.RequestAsync("initialize", new { capabilities = new { } });
        client.Process!.StandardInput.Close();
        Assert.True(client.Process.WaitForExit(10_000));
        Assert.Equal(1, client.Process.ExitCode);
    }

}

/// <summary>
/// How the tests start the built server: <c>dotnet notes-lsp.dll</c>, or the executable that
/// <c>NOTES_LSP_SERVER</c> names (test.sh points it at the NativeAOT build).
/// </summary>
internal static class ServerBinary
{
    public static string FileName => ServerHarness.Executable ?? "dotnet";

    public static string[] Arguments => ServerHarness.Executable is null ? [Path.Combine(AppContext.BaseDirectory, "notes-lsp.dll")] : [];
}
