namespace NotesLsp.Papers;

/// <summary>A venue written to the cache: how many papers, when, and the file that holds them.</summary>
public sealed record DownloadedVenue(string VenueId, DateTimeOffset FetchedAt, int Count, string Path);

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

    /// <summary>
    /// Downloads a venue's accepted papers into the cache, streaming each page to a temporary file there (so
    /// memory stays that of one page) that replaces the venue's file only when every page arrived. A failure, a
    /// bound exceeded or a cancellation deletes the temporary file and leaves the previous cache as it was.
    /// </summary>
    public async Task<PaperResult<DownloadedVenue>> DownloadVenueAsync(string venueId, IProgress<VenueDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        if (!OpenReviewLink.IsWellFormedVenueId(venueId))
        {
            return PaperResult.Fail<DownloadedVenue>(OpenReviewClient.InvalidVenue(venueId));
        }

        // The temporary file is made when the first page arrives, so a refusal (a login wall) touches no disk.
        CacheFileWriter? writer = null;
        try
        {
            var answer = await client.GetVenuePapersAsync(
                venueId,
                page =>
                {
                    if (writer is null)
                    {
                        var begun = cache.BeginVenue(venueId);
                        if (!begun.IsSuccess)
                        {
                            return begun.Error;
                        }

                        writer = begun.Value!;
                    }

                    return writer.Append(page);
                },
                progress,
                cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                return PaperResult.Fail<DownloadedVenue>(answer.Error!);
            }

            if (writer is not { Count: > 0 })
            {
                return PaperResult.Fail<DownloadedVenue>(PaperErrorKind.NotFound, $"OpenReview lists no accepted papers for {venueId}.");
            }

            var fetchedAt = time.GetUtcNow();
            var written = writer.Commit(fetchedAt);
            return written.IsSuccess
                ? PaperResult.Ok(new DownloadedVenue(venueId, fetchedAt, writer.Count, written.Value!))
                : PaperResult.Fail<DownloadedVenue>(written.Error!);
        }
        finally
        {
            // Deletes the temporary file unless it was committed (a failure, a bound, a cancellation).
            writer?.Dispose();
        }
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
