namespace NotesLsp.Papers;

/// <summary>What an OpenReview URL points at.</summary>
public enum OpenReviewLinkKind
{
    /// <summary><c>/forum?id=X</c>: a paper's discussion page.</summary>
    Forum,

    /// <summary><c>/pdf?id=X</c>: a paper's PDF by note id.</summary>
    Pdf,

    /// <summary><c>/pdf/&lt;sha1&gt;.pdf</c>: a PDF by content hash; the note id is unknown.</summary>
    PdfFile,

    /// <summary><c>/attachment?id=X&amp;name=...</c>.</summary>
    Attachment,

    /// <summary><c>/revisions?id=X</c>.</summary>
    Revisions,

    /// <summary><c>/group?id=ICML.cc/2024/Conference</c>: a venue.</summary>
    Group,

    /// <summary><c>/profile?id=~First_Last1</c>: a person.</summary>
    Profile,
}

/// <summary>
/// A parsed OpenReview link. <see cref="Id"/> is a note id for paper kinds, the venue id for
/// <see cref="OpenReviewLinkKind.Group"/>, the profile id for <see cref="OpenReviewLinkKind.Profile"/> and the
/// <c>/pdf/...</c> path for <see cref="OpenReviewLinkKind.PdfFile"/>.
/// </summary>
public sealed record OpenReviewLink(OpenReviewLinkKind Kind, string Id)
{
    public const string Site = "https://openreview.net";

    /// <summary>True for the kinds whose id is a note id (forum, pdf?id=, attachment, revisions).</summary>
    public bool IsPaper => Kind is OpenReviewLinkKind.Forum or OpenReviewLinkKind.Pdf or OpenReviewLinkKind.Attachment or OpenReviewLinkKind.Revisions;

    /// <summary>The <c>name=</c> of an attachment link, or the <c>#fragment</c> of a group link; else null.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// The venue a forum link was copied from: OpenReview adds <c>referrer=[ICML 2024 Conference](/group?id=ICML.cc/2024/Conference)</c>
    /// to links on a venue's pages. Null when absent.
    /// </summary>
    public string? ReferrerVenueId { get; init; }

    /// <summary>Parses any link form a note may contain; null when the URL is not an OpenReview page.</summary>
    public static OpenReviewLink? Parse(string? url) => ParsePlain(url) ?? ParseGeneral(url);

    /// <summary>
    /// The two forms nearly every note link has, <c>https://openreview.net/forum?id=X</c> and <c>.../pdf?id=X</c> with
    /// an id of ASCII letters, digits, <c>-</c> and <c>_</c> (nothing to trim, unescape or look up), read without
    /// <see cref="Uri"/>; anything else is null here and goes to <see cref="ParseGeneral"/>, which gives the same answer
    /// for these forms (a differential test checks). The general parse was half of loading a 100,000-note workspace's
    /// 413,000 stored links into the citation index (bench/RESULTS.md).
    /// </summary>
    internal static OpenReviewLink? ParsePlain(string? url)
    {
        const string Https = "https://";
        if (url is null || !url.StartsWith(Https, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = url.AsSpan(Https.Length);
        if (rest.StartsWith("www.", StringComparison.Ordinal))
        {
            rest = rest[4..];
        }

        if (!rest.StartsWith("openreview.net/", StringComparison.Ordinal))
        {
            return null;
        }

        rest = rest["openreview.net/".Length..];
        OpenReviewLinkKind kind;
        if (rest.StartsWith("forum?id=", StringComparison.Ordinal))
        {
            kind = OpenReviewLinkKind.Forum;
            rest = rest["forum?id=".Length..];
        }
        else if (rest.StartsWith("pdf?id=", StringComparison.Ordinal))
        {
            kind = OpenReviewLinkKind.Pdf;
            rest = rest["pdf?id=".Length..];
        }
        else
        {
            return null;
        }

        if (rest.IsEmpty || rest.Length > 200)
        {
            return null;
        }

        foreach (var c in rest)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return null;
            }
        }

        return new OpenReviewLink(kind, rest.ToString());
    }

    /// <summary>Parses any link form through <see cref="Uri"/>: the reference <see cref="ParsePlain"/> agrees with.</summary>
    internal static OpenReviewLink? ParseGeneral(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return null;
        }

        if (uri.Scheme is not ("https" or "http")
            || !(uri.Host.Equals("openreview.net", StringComparison.OrdinalIgnoreCase) || uri.Host.Equals("www.openreview.net", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        var query = ParseQuery(uri.Query);
        var id = query.GetValueOrDefault("id");
        var fragment = uri.Fragment.Length > 1 ? Uri.UnescapeDataString(uri.Fragment[1..]) : null;
        switch (path.ToUpperInvariant())
        {
            case "/FORUM" when !string.IsNullOrEmpty(id):
                return new OpenReviewLink(OpenReviewLinkKind.Forum, id) { ReferrerVenueId = ReferrerVenue(query.GetValueOrDefault("referrer")) };
            case "/PDF" when !string.IsNullOrEmpty(id):
                return new OpenReviewLink(OpenReviewLinkKind.Pdf, id);
            case "/ATTACHMENT" when !string.IsNullOrEmpty(id):
                return new OpenReviewLink(OpenReviewLinkKind.Attachment, id) { Detail = query.GetValueOrDefault("name") };
            case "/REVISIONS" when !string.IsNullOrEmpty(id):
                return new OpenReviewLink(OpenReviewLinkKind.Revisions, id);
            case "/GROUP" when !string.IsNullOrEmpty(id):
                return new OpenReviewLink(OpenReviewLinkKind.Group, id) { Detail = fragment };
            case "/PROFILE" when !string.IsNullOrEmpty(id):
                return new OpenReviewLink(OpenReviewLinkKind.Profile, id);
            default:
                if (path.StartsWith("/pdf/", StringComparison.OrdinalIgnoreCase) && path.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
                {
                    return new OpenReviewLink(OpenReviewLinkKind.PdfFile, path);
                }

                return null;
        }
    }

    /// <summary>
    /// True when <paramref name="id"/> can be an OpenReview note id: v2 ids are 10 characters of
    /// <c>[A-Za-z0-9]</c>, v1 ids 7 to 14 characters that may also hold <c>-</c> and <c>_</c>.
    /// </summary>
    public static bool IsWellFormedNoteId(string? id) =>
        id is { Length: >= 7 and <= 14 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>True when <paramref name="venueId"/> looks like a group id (<c>ICML.cc/2024/Conference</c>).</summary>
    public static bool IsWellFormedVenueId(string? venueId) =>
        !string.IsNullOrWhiteSpace(venueId) && venueId.Length <= 200
        && venueId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '_' or '-');

    public static string ForumUrl(string id) => $"{Site}/forum?id={Uri.EscapeDataString(id)}";

    public static string PdfUrlFor(string id) => $"{Site}/pdf?id={Uri.EscapeDataString(id)}";

    public static string GroupUrl(string venueId) => $"{Site}/group?id={venueId}";

    private static string? ReferrerVenue(string? referrer)
    {
        const string marker = "/group?id=";
        var at = referrer?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return null;
        }

        var rest = referrer![(at + marker.Length)..];
        var end = rest.IndexOfAny([')', '#', '&', ' ']);
        var venue = end >= 0 ? rest[..end] : rest;
        return IsWellFormedVenueId(venue) ? venue : null;
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals >= 0 ? pair[..equals] : pair;
            var value = equals >= 0 ? pair[(equals + 1)..] : string.Empty;
            result.TryAdd(Uri.UnescapeDataString(key), Uri.UnescapeDataString(value.Replace('+', ' ')));
        }

        return result;
    }
}
