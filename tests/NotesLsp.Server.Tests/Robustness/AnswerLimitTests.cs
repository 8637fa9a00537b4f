using System.Text.Json.Nodes;

namespace NotesLsp.Server.Tests.Robustness;

/// <summary>Answers about a huge generated note stay bounded, and the server says so in its log.</summary>
public class AnswerLimitTests
{
    private static int CountSymbols(JsonNode? symbols) =>
        symbols!.AsArray().Sum(s => 1 + (s!["children"] is JsonArray children ? CountSymbols(children) : 0));

    [Fact]
    public async Task The_outline_of_a_note_with_more_headings_than_the_limit_is_cut_and_logged()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var uri = "file:///tmp/many-headings.md";
        var count = AnswerLimits.DocumentSymbols + 2_000;
        await harness.OpenAsync(uri, string.Concat(Enumerable.Range(0, count).Select(i => i % 3 == 0 ? $"# part {i}\n" : $"## section {i}\n")));
        var symbols = await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
        Assert.Equal(AnswerLimits.DocumentSymbols, CountSymbols(symbols));
        Assert.Equal("part 0", symbols!.AsArray()[0]!["name"]!.GetValue<string>());
        Assert.Contains($"documentSymbol for {uri}: {count} items, the answer holds the first {AnswerLimits.DocumentSymbols}", harness.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folding_ranges_honour_the_clients_range_limit()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync(new { textDocument = new { foldingRange = new { rangeLimit = 50 } } });
        var uri = "file:///tmp/many-sections.md";
        await harness.OpenAsync(uri, string.Concat(Enumerable.Range(0, 300).Select(i => $"# part {i}\ntext\n")));
        var ranges = await harness.Client.RequestAsync("textDocument/foldingRange", new { textDocument = new { uri } });
        Assert.Equal(50, ranges!.AsArray().Count);
        Assert.Contains($"foldingRange for {uri}: 300 items, the answer holds the first 50", harness.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_small_outline_is_not_cut_and_not_logged()
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var uri = "file:///tmp/few-headings.md";
        await harness.OpenAsync(uri, "# a\n## b\n# c\n");
        var symbols = await harness.Client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri } });
        Assert.Equal(3, CountSymbols(symbols));
        Assert.DoesNotContain("documentSymbol for", harness.Log.ToString(), StringComparison.Ordinal);
    }
}
