using NotesLsp.LspDriver;

namespace NotesLsp.Server.Tests;

/// <summary>The built binary as a child process: LSP over its real stdio, which also proves stdout is clean.</summary>
public class ProcessTests
{
    private static LspClient StartBinary(params string[] arguments) =>
        LspClient.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "notes-lsp.dll"), .. arguments]);

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

    [Fact]
    public void Version_prints_the_version()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "notes-lsp.dll"), "--version"])
        {
            RedirectStandardOutput = true,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(10_000));
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(Program.Version, output.Trim());
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
