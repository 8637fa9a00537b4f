// Layer invariant: NotesLsp.Papers knows papers (records, catalogs, search), OpenReview's wire format and the
// disk cache. It knows nothing of LSP or of notes; JSON here is OpenReview's data format, never the protocol.
// Network and disk failures become result records with a human message, never exceptions to callers.
using System.Collections.Immutable;

namespace NotesLsp.Papers;

/// <summary>How a venue decided on a paper, normalised across venues and years.</summary>
public enum PaperDecision
{
    Unknown = 0,
    Oral,
    Spotlight,
    Poster,

    /// <summary>Accepted, presentation unknown.</summary>
    Accepted,
    Rejected,
    Withdrawn,
    DeskRejected,

    /// <summary>Under review or never decided.</summary>
    Submitted,
}

/// <summary>One paper. Only <see cref="Id"/> and <see cref="Title"/> are required; everything else may be missing.</summary>
public sealed record PaperRecord(string Id, string Title)
{
    public ImmutableArray<string> Authors { get; init; } = [];

    /// <summary>The venue label as OpenReview spells it, for example <c>ICML 2024 Oral</c>.</summary>
    public string? Venue { get; init; }

    /// <summary>The venue group id, for example <c>ICML.cc/2024/Conference</c>.</summary>
    public string? VenueId { get; init; }

    public PaperDecision Decision { get; init; }

    public string? Abstract { get; init; }

    public string? Tldr { get; init; }

    public ImmutableArray<string> Keywords { get; init; } = [];

    /// <summary>A site path (<c>/pdf/&lt;sha1&gt;.pdf</c>) or a full URL, as OpenReview gave it.</summary>
    public string? PdfUrl { get; init; }

    /// <summary>The paper's code repository (<c>code_url</c>), whose name is often what people call the method.</summary>
    public string? CodeUrl { get; init; }

    /// <summary>Publication date (<c>pdate</c>, else <c>cdate</c>).</summary>
    public DateTimeOffset? Published { get; init; }

    /// <summary>Where the record came from (a catalog name such as <c>ICML 2024</c> or <c>notes</c>); for display only.</summary>
    public string? Source { get; init; }

    /// <summary>A short venue name without the presentation word: <c>ICML 2024</c> for <c>ICML 2024 Oral</c>.</summary>
    public string? VenueName => Decisions.VenueName(Venue, VenueId);

    /// <summary>
    /// Combines two records for the same id: values from <paramref name="preferred"/> win, missing ones are
    /// filled from <paramref name="other"/>. Lets a title-only record from a note's link text gain an abstract
    /// from a catalog without losing anything either knew.
    /// </summary>
    public static PaperRecord Merge(PaperRecord preferred, PaperRecord other)
    {
        ArgumentNullException.ThrowIfNull(preferred);
        ArgumentNullException.ThrowIfNull(other);
        return preferred with
        {
            Title = string.IsNullOrWhiteSpace(preferred.Title) ? other.Title : preferred.Title,
            Authors = preferred.Authors.IsDefaultOrEmpty ? other.Authors : preferred.Authors,
            Venue = preferred.Venue ?? other.Venue,
            VenueId = preferred.VenueId ?? other.VenueId,
            Decision = preferred.Decision == PaperDecision.Unknown ? other.Decision : preferred.Decision,
            Abstract = preferred.Abstract ?? other.Abstract,
            Tldr = preferred.Tldr ?? other.Tldr,
            Keywords = preferred.Keywords.IsDefaultOrEmpty ? other.Keywords : preferred.Keywords,
            PdfUrl = preferred.PdfUrl ?? other.PdfUrl,
            CodeUrl = preferred.CodeUrl ?? other.CodeUrl,
            Published = preferred.Published ?? other.Published,
            Source = preferred.Source ?? other.Source,
        };
    }
}
