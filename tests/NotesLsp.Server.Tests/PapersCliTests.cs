using System.Diagnostics;
using System.Text.Json.Nodes;
using NotesLsp.Papers.Tests;

namespace NotesLsp.Server.Tests;

/// <summary><c>notes-lsp papers search|fetch</c> run as the built binary, the way scripts use them.</summary>
public sealed class PapersCliTests : IDisposable
{
    private readonly string cache = Directory.CreateTempSubdirectory("notes-lsp-cli-cache-").FullName;

    public void Dispose() => Directory.Delete(cache, recursive: true);

    private static async Task<(int Code, string Output, string Error)> RunAsync(IDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(ServerBinary.FileName, [.. ServerBinary.Arguments, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("OPENREVIEW_TOKEN");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    // The 12 papers linked in examples/icml2024-oral-papers.md, each first for a few words of its title among
    // all four bundled venues when the search knows the notes are about ICML 2024 (as the note's front matter
    // tells the editor), and in the first three without that.
    [Theory]
    [MemberData(nameof(Fixtures.OralPaperQueries), MemberType = typeof(Fixtures))]
    public async Task Papers_search_json_ranks_each_linked_oral_paper_first(string query, string id)
    {
        var (code, output, error) = await RunAsync(null, "papers", "search", query, "--json", "--limit", "3", "--venue", "ICML 2024", "--cache", cache);
        Assert.True(code == 0, error);
        var rows = JsonNode.Parse(output)!.AsArray();
        Assert.InRange(rows.Count, 1, 3);
        Assert.Equal(id, (string?)rows[0]!["id"]);
        var (_, anyVenue, _) = await RunAsync(null, "papers", "search", query, "--json", "--limit", "3", "--cache", cache);
        Assert.Contains(id, JsonNode.Parse(anyVenue)!.AsArray().Select(r => (string?)r!["id"]));
        foreach (var field in new[] { "id", "title", "venue", "decision", "score" })
        {
            Assert.NotNull(rows[0]![field]);
        }
    }

    [Fact]
    public async Task Papers_fetch_downloads_a_venue_with_the_token_from_the_environment_and_search_then_finds_it()
    {
        await using var fake = new FakeOpenReview((_, _) => FakeResponse.Json(Fixtures.Page(1, [Fixtures.V2Note("Venue00001", "Quokka Graph Networks", "ICLR 2025 oral", "ICLR.cc/2025/Conference")])));
        var (code, output, error) = await RunAsync(new Dictionary<string, string> { ["OPENREVIEW_TOKEN"] = "cli-secret" }, "papers", "fetch", "ICLR.cc/2025/Conference", "--base-url", fake.BaseUrl, "--cache", cache);
        Assert.True(code == 0, error);
        Assert.Equal($"Downloaded 1 papers of ICLR.cc/2025/Conference into {cache}.", output.Trim());
        Assert.Equal("1/1 papers", error.Trim());
        Assert.Equal("Bearer cli-secret", Assert.Single(fake.Requests).Authorization);
        Assert.DoesNotContain("cli-secret", output + error, StringComparison.Ordinal);

        var search = await RunAsync(null, "papers", "search", "quokka", "--cache", cache);
        Assert.StartsWith("1.", search.Output, StringComparison.Ordinal);
        Assert.Contains("Venue00001  Quokka Graph Networks  [ICLR 2025 · Oral]", search.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Papers_fetch_behind_a_login_wall_fails_with_a_clear_message_and_caches_nothing()
    {
        await using var fake = new FakeOpenReview((_, _) => new FakeResponse(200, Fixtures.BrowserCheck, "text/html"));
        var (code, _, error) = await RunAsync(null, "papers", "fetch", "ICLR.cc/2025/Conference", "--base-url", fake.BaseUrl, "--cache", cache);
        Assert.Equal(1, code);
        Assert.StartsWith("OpenReview asks for a login", error.Trim(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cache, "*", SearchOption.AllDirectories));
    }
}
