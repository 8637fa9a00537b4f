using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace NotesLsp.Papers;

/// <summary>How to talk to OpenReview. The token is never printed: <see cref="ToString"/> hides it.</summary>
public sealed record OpenReviewClientOptions
{
    public const string TokenEnvironmentVariable = "OPENREVIEW_TOKEN";

    /// <summary>API v2, where ICML 2023+, ICLR 2024+ and NeurIPS 2023+ live.</summary>
    public string BaseUrl { get; init; } = "https://api2.openreview.net";

    /// <summary>API v1, asked when v2 does not know an id or a venue; null turns the fallback off.</summary>
    public string? FallbackBaseUrl { get; init; } = "https://api.openreview.net";

    /// <summary>Sent as <c>Authorization: Bearer</c>; anonymous when null.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Send <see cref="Token"/> to whatever host the base URLs name. Off by default: the token then goes only to
    /// the official OpenReview API hosts over https (<see cref="IsOfficialHost"/>), so that a base URL planted in
    /// a workspace's settings cannot collect it. Set it only when the user chose the URL themselves (their user
    /// settings, the command line).
    /// </summary>
    public bool TokenForAnyHost { get; init; }

    /// <summary>The hosts of OpenReview's API v1 and v2.</summary>
    public static bool IsOfficialHost(string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort
        && uri.Host is "api.openreview.net" or "api2.openreview.net" && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>How long one request (headers and body) may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest <c>Retry-After</c> the client waits for; a longer one is reported instead.</summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a rate-limited request is retried.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>
    /// The largest answer read; a bigger one fails instead of being held in memory. A full page of 1000 papers
    /// with abstracts is a few megabytes, so this leaves ample room while a hostile or broken server cannot
    /// make the language server buffer without bound.
    /// </summary>
    public long MaxResponseBytes { get; init; } = 16L << 20;

    /// <summary>Papers per page when downloading a venue; OpenReview refuses more than 1000.</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>The token from the setting, else from <c>OPENREVIEW_TOKEN</c>; null when neither is set.</summary>
    public static string? ResolveToken(string? setting, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrWhiteSpace(setting))
        {
            return setting.Trim();
        }

        var fromEnvironment = (environment ?? Environment.GetEnvironmentVariable)(TokenEnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment.Trim();
    }

    public override string ToString() =>
        $"OpenReviewClientOptions {{ BaseUrl = {BaseUrl}, FallbackBaseUrl = {FallbackBaseUrl}, Token = {(Token is null ? "none" : "(hidden)")}, RequestTimeout = {RequestTimeout} }}";
}

/// <summary>Progress of a venue download: papers received so far and the total when OpenReview said it.</summary>
public sealed record VenueDownloadProgress(int Received, int? Total);

/// <summary>
/// Reads papers from the OpenReview API. Every failure (no network, timeouts, login walls, rate limits, broken
/// answers, cancellation) comes back as a <see cref="PaperResult{T}"/> with a message a person understands;
/// nothing is thrown to callers.
/// </summary>
public sealed class OpenReviewClient
{
    private const int MaxPages = 500;

    /// <summary>The longest wait a rate-limit header is read as (a day).</summary>
    private const double MaxHintSeconds = 86_400;

    private readonly HttpClient http;
    private readonly OpenReviewClientOptions options;
    private readonly TimeProvider time;

    public OpenReviewClient(HttpClient http, OpenReviewClientOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>One paper by note id, from v2, else from v1.</summary>
    public async Task<PaperResult<PaperRecord>> GetPaperAsync(string id, CancellationToken cancellationToken)
    {
        if (!OpenReviewLink.IsWellFormedNoteId(id))
        {
            return PaperResult.Fail<PaperRecord>(PaperErrorKind.Invalid, $"'{id}' is not an OpenReview paper id.");
        }

        var query = $"/notes?id={Uri.EscapeDataString(id)}";
        var answer = await GetNotesAsync(options.BaseUrl, query, cancellationToken).ConfigureAwait(false);
        if (options.FallbackBaseUrl is { } fallback && (answer.Error?.Kind == PaperErrorKind.NotFound || answer is { IsSuccess: true, Value.Notes.IsEmpty: true }))
        {
            answer = await GetNotesAsync(fallback, query, cancellationToken).ConfigureAwait(false);
        }

        if (!answer.IsSuccess)
        {
            return answer.Error!.Kind == PaperErrorKind.NotFound
                ? PaperResult.Fail<PaperRecord>(PaperErrorKind.NotFound, $"OpenReview has no paper with the id {id}.")
                : PaperResult.Fail<PaperRecord>(answer.Error);
        }

        // Only the paper asked for: an answer naming another one (a broken or hostile server) must not put that
        // paper, under its own id, into the cache, where it would outrank the bundled catalog.
        var paper = answer.Value!.Notes.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal));
        return paper is null
            ? PaperResult.Fail<PaperRecord>(PaperErrorKind.NotFound, $"OpenReview has no paper with the id {id}.")
            : PaperResult.Ok(paper);
    }

    /// <summary>
    /// The accepted papers of a venue (<c>content.venueid</c> = the venue id), paging by <c>offset</c>, from
    /// v2, else from v1. A failure on any page fails the whole download, so no partial venue is ever returned.
    /// </summary>
    public async Task<PaperResult<ImmutableArray<PaperRecord>>> GetVenuePapersAsync(string venueId, IProgress<VenueDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        if (!OpenReviewLink.IsWellFormedVenueId(venueId))
        {
            return PaperResult.Fail<ImmutableArray<PaperRecord>>(PaperErrorKind.Invalid, $"'{venueId}' is not an OpenReview venue id (like ICML.cc/2024/Conference).");
        }

        var result = await GetVenueFromAsync(options.BaseUrl, venueId, progress, cancellationToken).ConfigureAwait(false);

        // Asking the wrong API for a venue gives an empty list, not an error.
        if (options.FallbackBaseUrl is { } fallback && result is { IsSuccess: true, Value.IsEmpty: true })
        {
            result = await GetVenueFromAsync(fallback, venueId, progress, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<PaperResult<ImmutableArray<PaperRecord>>> GetVenueFromAsync(string baseUrl, string venueId, IProgress<VenueDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(options.PageSize, 1, 1000);
        var papers = ImmutableArray.CreateBuilder<PaperRecord>();
        int? total = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = $"/notes?content.venueid={Uri.EscapeDataString(venueId)}&limit={pageSize}&offset={page * pageSize}";
            var answer = await GetNotesAsync(baseUrl, query, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                return PaperResult.Fail<ImmutableArray<PaperRecord>>(answer.Error!);
            }

            total ??= answer.Value!.Count;
            papers.AddRange(answer.Value!.Notes);
            progress?.Report(new VenueDownloadProgress(papers.Count, total));
            if (answer.Value.RawCount < pageSize || (total is { } t && papers.Count >= t))
            {
                break;
            }
        }

        return PaperResult.Ok(papers.ToImmutable());
    }

    private sealed record NotesPage(ImmutableArray<PaperRecord> Notes, int RawCount, int? Count);

    private async Task<PaperResult<NotesPage>> GetNotesAsync(string baseUrl, string pathAndQuery, CancellationToken cancellationToken)
    {
        var body = await GetJsonAsync(baseUrl, pathAndQuery, cancellationToken).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return PaperResult.Fail<NotesPage>(body.Error!);
        }

        try
        {
            using var document = JsonDocument.Parse(body.Value);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("notes", out var notes)
                || notes.ValueKind != JsonValueKind.Array)
            {
                return PaperResult.Fail<NotesPage>(PaperErrorKind.Malformed, "OpenReview's answer has no list of notes.");
            }

            var papers = ImmutableArray.CreateBuilder<PaperRecord>();
            foreach (var note in notes.EnumerateArray())
            {
                if (PaperJson.ReadNote(note) is { } paper)
                {
                    papers.Add(paper);
                }
            }

            int? count = document.RootElement.TryGetProperty("count", out var c) && c.TryGetInt32(out var n) ? n : null;
            return PaperResult.Ok(new NotesPage(papers.ToImmutable(), notes.GetArrayLength(), count));
        }
        catch (JsonException)
        {
            return PaperResult.Fail<NotesPage>(PaperErrorKind.Malformed, "OpenReview's answer is not valid JSON (it may have been cut short).");
        }
    }

    private async Task<PaperResult<byte[]>> GetJsonAsync(string baseUrl, string pathAndQuery, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.RequestTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl.TrimEnd('/') + pathAndQuery);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (options.Token is { } token && (options.TokenForAnyHost || OpenReviewClientOptions.IsOfficialHost(baseUrl)))
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var wait = RetryAfter(response);
                    if (attempt < options.MaxRetries && wait <= options.MaxRetryWait)
                    {
                        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    return PaperResult.Fail<byte[]>(PaperErrorKind.RateLimited, $"OpenReview limits how often it answers; try again in {Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s.");
                }

                var body = await ReadBodyAsync(response.Content, timeout.Token).ConfigureAwait(false);
                if (body is null)
                {
                    return PaperResult.Fail<byte[]>(PaperErrorKind.Malformed, $"OpenReview's answer is larger than {(options.MaxResponseBytes >> 20).ToString(CultureInfo.InvariantCulture)} MB; it was not read.");
                }

                var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
                return Interpret(response.StatusCode, mediaType, body);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return PaperResult.Fail<byte[]>(PaperErrorKind.Cancelled, "Cancelled.");
            }
            catch (OperationCanceledException)
            {
                return PaperResult.Fail<byte[]>(PaperErrorKind.Timeout, $"OpenReview did not answer within {options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ResponseEnded || e.InnerException is IOException)
            {
                return PaperResult.Fail<byte[]>(PaperErrorKind.Malformed, "OpenReview's answer was cut short.");
            }
            catch (HttpRequestException e)
            {
                return PaperResult.Fail<byte[]>(PaperErrorKind.Network, $"Could not reach OpenReview: {e.Message}");
            }
            catch (IOException)
            {
                return PaperResult.Fail<byte[]>(PaperErrorKind.Malformed, "OpenReview's answer was cut short.");
            }
        }
    }

    /// <summary>The body, or null when it is (or announces to be) larger than the limit; read no further than that.</summary>
    private async Task<byte[]?> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var limit = options.MaxResponseBytes;
        if (content.Headers.ContentLength is { } announced && announced > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }

        return buffer.ToArray();
    }

    private static PaperResult<byte[]> Interpret(HttpStatusCode status, string mediaType, byte[] body)
    {
        // Since 2026 anonymous calls may get a browser check page ("Verifying your browser") with status 200.
        var isHtml = mediaType.Contains("html", StringComparison.OrdinalIgnoreCase) || LooksLikeHtml(body);
        if (isHtml && (status == HttpStatusCode.OK || status == HttpStatusCode.Forbidden || status == HttpStatusCode.Unauthorized))
        {
            return PaperResult.Fail<byte[]>(PaperErrorKind.LoginRequired, LoginMessage("it answered with a browser check page"));
        }

        var (name, message) = ReadError(body);
        var said = message is null ? string.Empty : $": {Shorten(message)}";
        switch (status)
        {
            case HttpStatusCode.OK:
                return PaperResult.Ok(body);
            case HttpStatusCode.NotFound:
                return PaperResult.Fail<byte[]>(PaperErrorKind.NotFound, "OpenReview does not know it (404).");
            case HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                when name is "ChallengeRequiredError" or "TokenExpiredError" or null || status == HttpStatusCode.Unauthorized:
                return PaperResult.Fail<byte[]>(PaperErrorKind.LoginRequired, LoginMessage(name ?? $"status {(int)status}"));
            case HttpStatusCode.Forbidden:
                return PaperResult.Fail<byte[]>(PaperErrorKind.LoginRequired, LoginMessage($"{name}{said}"));
            case >= HttpStatusCode.InternalServerError:
                return PaperResult.Fail<byte[]>(PaperErrorKind.ServerError, $"OpenReview had an error ({(int)status}){said}; try again later.");
            default:
                return PaperResult.Fail<byte[]>(PaperErrorKind.Invalid, $"OpenReview refused the request ({(int)status} {name}){said}.");
        }
    }

    private static string LoginMessage(string reason) =>
        $"OpenReview asks for a login ({reason}). Set notes.openreview.token or the {OpenReviewClientOptions.TokenEnvironmentVariable} environment variable.";

    private static (string? Name, string? Message) ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (name, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static bool LooksLikeHtml(byte[] body)
    {
        var start = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 256)).TrimStart();
        return start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retry.Date is { } date)
            {
                var wait = date - time.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        // Any number parses (`1e300`, `Infinity`); a day is already far past the longest wait, and TimeSpan
        // would overflow on the rest.
        if (response.Headers.TryGetValues("ratelimit-reset", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return double.IsFinite(seconds) && seconds < MaxHintSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(MaxHintSeconds);
        }

        // No hint: wait a little, bounded by the same limit.
        return TimeSpan.FromSeconds(1);
    }
}
