using System.Diagnostics;
using NotesLsp.Papers.Tests;

namespace NotesLsp.Server.Tests;

/// <summary>Fetched text reaches a terminal without its control characters (escape sequences set titles, clear screens).</summary>
public sealed class PapersCliTerminalTests : IDisposable
{
    private const string Hostile = "\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e";

    private readonly string cache = Directory.CreateTempSubdirectory("notes-lsp-cli-cache-").FullName;

    public void Dispose() => Directory.Delete(cache, recursive: true);

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "notes-lsp.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("OPENREVIEW_TOKEN");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    private static void AssertNoControlCharacters(string text)
    {
        foreach (var c in text)
        {
            Assert.False(c is not ('\n' or '\r') && (char.IsControl(c) || c is '\u202e'), $"U+{(int)c:X4} in {text}");
        }
    }

    [Fact]
    public async Task A_fetched_title_is_printed_without_escape_sequences()
    {
        var title = $"Quokka{Hostile} Graph Networks";
        await using var fake = new FakeOpenReview((_, _) => FakeResponse.Json(Fixtures.Page(1, [Fixtures.V2Note("Venue00001", title.Replace("\u001b", "\\u001b").Replace("\u0007", "\\u0007").Replace("\u009b", "\\u009b").Replace("\u202e", "\\u202e"), "ICLR 2025 oral", "ICLR.cc/2025/Conference")])));
        var fetch = await RunAsync("papers", "fetch", "ICLR.cc/2025/Conference", "--base-url", fake.BaseUrl, "--cache", cache);
        Assert.True(fetch.Code == 0, fetch.Error);

        var (code, output, error) = await RunAsync("papers", "search", "quokka graph networks", "--cache", cache);

        Assert.True(code == 0, error);
        Assert.Contains("Venue00001", output, StringComparison.Ordinal);
        Assert.Contains("Quokka", output, StringComparison.Ordinal);
        Assert.Contains("Graph Networks", output, StringComparison.Ordinal);
        AssertNoControlCharacters(output);
    }

    [Fact]
    public async Task A_server_error_text_is_printed_without_escape_sequences()
    {
        await using var fake = new FakeOpenReview((_, _) => new FakeResponse(500, $$"""{"name":"Boom","message":"down{{Hostile.Replace("\u001b", "\\u001b").Replace("\u0007", "\\u0007").Replace("\u009b", "\\u009b").Replace("\u202e", "\\u202e")}}for maintenance"}"""));

        var (code, _, error) = await RunAsync("papers", "fetch", "ICLR.cc/2025/Conference", "--base-url", fake.BaseUrl, "--cache", cache);

        Assert.Equal(1, code);
        Assert.Contains("down", error, StringComparison.Ordinal);
        Assert.Contains("for maintenance", error, StringComparison.Ordinal);
        AssertNoControlCharacters(error);
    }
}
