namespace NotesLsp.Papers;

/// <summary>
/// Fetches from OpenReview and keeps what arrived in the disk cache. Only successful answers are written, so a
/// failure (a login wall, a timeout, a broken page) leaves the previous cache as it was.
/// </summary>
public sealed class PaperDownloads
{
    private readonly OpenReviewClient client;
    private readonly PaperCache cache;
    private readonly TimeProvider time;

    public PaperDownloads(OpenReviewClient client, PaperCache cache, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cache);
        this.client = client;
        this.cache = cache;
        this.time = time ?? TimeProvider.System;
    }

    public PaperCache Cache => cache;

    /// <summary>Downloads a venue's accepted papers and caches them.</summary>
    public async Task<PaperResult<CachedPapers>> DownloadVenueAsync(string venueId, IProgress<VenueDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var answer = await client.GetVenuePapersAsync(venueId, progress, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            return PaperResult.Fail<CachedPapers>(answer.Error!);
        }

        if (answer.Value.IsEmpty)
        {
            return PaperResult.Fail<CachedPapers>(PaperErrorKind.NotFound, $"OpenReview lists no accepted papers for {venueId}.");
        }

        var fetchedAt = time.GetUtcNow();
        var written = cache.WriteVenue(venueId, answer.Value, fetchedAt);
        return written.IsSuccess
            ? PaperResult.Ok(new CachedPapers(venueId, fetchedAt, answer.Value))
            : PaperResult.Fail<CachedPapers>(written.Error!);
    }

    /// <summary>Fetches one paper and caches it.</summary>
    public async Task<PaperResult<PaperRecord>> FetchPaperAsync(string id, CancellationToken cancellationToken)
    {
        var answer = await client.GetPaperAsync(id, cancellationToken).ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            // A cache that cannot be written does not make the fetched paper less true; the answer stands.
            _ = cache.WritePaper(answer.Value!, time.GetUtcNow());
        }

        return answer;
    }
}
