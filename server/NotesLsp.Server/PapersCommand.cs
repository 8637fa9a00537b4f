using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NotesLsp.Papers;

namespace NotesLsp.Server;

/// <summary>
/// <c>notes-lsp papers fetch VENUE_ID</c> and <c>notes-lsp papers search QUERY [--json] [--limit N]</c>: the
/// same catalogs and search as the editor, for terminals and scripts. Results go to stdout, progress and errors
/// to stderr; the exit code is 0 on success, 1 on failure.
/// </summary>
public static class PapersCommand
{
    public static Command Build()
    {
        var papers = new Command("papers", "Search the paper catalogs and download OpenReview venues.");
        papers.Subcommands.Add(BuildSearch());
        papers.Subcommands.Add(BuildFetch());
        return papers;
    }

    private static Option<string?> CacheOption() => new("--cache") { Description = "The cache folder (default: $XDG_CACHE_HOME/notes-lsp or ~/.cache/notes-lsp)." };

    private static Command BuildSearch()
    {
        var query = new Argument<string>("query") { Description = "A few words of the title, in any order; typos and acronyms are fine." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {id, title, venue, venueId, decision, authors, score}." };
        var limit = new Option<int>("--limit") { Description = "How many matches to print.", DefaultValueFactory = _ => 10 };
        var catalogs = new Option<string[]>("--catalog") { Description = "Extra catalog files (JSON Lines), searched first.", AllowMultipleArgumentsPerToken = true };
        var venue = new Option<string?>("--venue") { Description = "A venue to rank first among comparable matches, such as \"ICML 2024\" (as a note about it would)." };
        var cache = CacheOption();
        var command = new Command("search", "Print the papers whose titles best match QUERY, best first.") { query, json, limit, catalogs, venue, cache };
        command.SetAction(parse =>
        {
            var sources = new List<PaperCatalog>();
            foreach (var file in parse.GetValue(catalogs) ?? [])
            {
                var loaded = PaperCatalog.LoadFile(file);
                if (!loaded.IsSuccess)
                {
                    Console.Error.WriteLine(TerminalText.Clean(loaded.Error!.Message));
                    return 1;
                }

                sources.Add(loaded.Value!);
            }

            // The editor's order: downloaded venues, the bundled catalog, then papers fetched one by one.
            var (venues, fetched) = new PaperCache(parse.GetValue(cache) ?? PaperCache.DefaultDirectory()).LoadCatalogs();
            sources.Add(venues);
            sources.AddRange(PaperCatalog.LoadAllBundled());
            sources.Add(fetched);
            var matches = new PaperCatalogSet(sources).Search(parse.GetValue(query) ?? string.Empty, Math.Max(1, parse.GetValue(limit)), SearchContext.FromText(parse.GetValue(venue)));
            if (parse.GetValue(json))
            {
                var rows = matches.Select(m => new Protocol.PaperSearchRow(
                    m.Paper.Id,
                    m.Paper.Title,
                    m.Paper.Venue,
                    m.Paper.VenueId,
                    m.Paper.Decision == PaperDecision.Unknown ? null : m.Paper.Decision.ToString(),
                    m.Paper.Authors,
                    m.Score)).ToArray();
                Console.Out.WriteLine(LspJson.Serialize(rows));
            }
            else
            {
                foreach (var m in matches)
                {
                    Console.Out.WriteLine(TerminalText.Clean(string.Create(CultureInfo.InvariantCulture, $"{m.Score:0.000}  {m.Paper.Id}  {m.Paper.Title}  [{string.Join(" · ", new[] { m.Paper.VenueName, Decisions.Label(m.Paper.Decision) }.Where(s => !string.IsNullOrEmpty(s)))}]")));
                }
            }

            return matches.IsEmpty ? 1 : 0;
        });
        return command;
    }

    private static Command BuildFetch()
    {
        var venue = new Argument<string>("venue-id") { Description = "An OpenReview venue id such as ICML.cc/2024/Conference." };
        var baseUrl = new Option<string?>("--base-url") { Description = "The OpenReview API v2 URL (default https://api2.openreview.net)." };
        var cache = CacheOption();
        var command = new Command("fetch", "Download a venue's accepted papers into the cache (token: OPENREVIEW_TOKEN).") { venue, baseUrl, cache };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var defaults = new OpenReviewClientOptions();
            var custom = parse.GetValue(baseUrl);
            var options = defaults with
            {
                BaseUrl = custom ?? defaults.BaseUrl,
                FallbackBaseUrl = custom is null ? defaults.FallbackBaseUrl : null,
                Token = OpenReviewClientOptions.ResolveToken(null),

                // A URL typed on the command line is the user's own choice.
                TokenForAnyHost = custom is not null,
            };
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var downloads = new PaperDownloads(new OpenReviewClient(http, options), new PaperCache(parse.GetValue(cache) ?? PaperCache.DefaultDirectory()));
            var progress = new SynchronousProgress(p => Console.Error.WriteLine(p.Total is { } total ? $"{p.Received}/{total} papers" : $"{p.Received} papers"));
            var venueId = parse.GetValue(venue) ?? string.Empty;
            var result = await downloads.DownloadVenueAsync(venueId, progress, cancellationToken);
            if (!result.IsSuccess)
            {
                Console.Error.WriteLine(TerminalText.Clean(result.Error!.Message));
                return 1;
            }

            Console.Out.WriteLine(TerminalText.Clean($"Downloaded {result.Value!.Papers.Length} papers of {venueId} into {downloads.Cache.Directory}."));
            return 0;
        });
        return command;
    }

    private sealed class SynchronousProgress(Action<VenueDownloadProgress> report) : IProgress<VenueDownloadProgress>
    {
        public void Report(VenueDownloadProgress value) => report(value);
    }
}
