using System.Collections.Frozen;

namespace NotesLsp.Papers;

/// <summary>
/// Turns OpenReview's per-venue spellings into <see cref="PaperDecision"/>. OpenReview spells the
/// presentation differently per venue and year (<c>ICML 2024 Oral</c>, <c>ICLR 2024 oral</c>,
/// <c>ICML 2025 spotlightposter</c>), so this is a table of words, not a pattern: an unknown spelling stays
/// <see cref="PaperDecision.Unknown"/> instead of being guessed.
/// </summary>
public static class Decisions
{
    // The last word of content.venue, compared case-insensitively. Extend when a venue invents a new word.
    private static readonly FrozenDictionary<string, PaperDecision> PresentationWords = new Dictionary<string, PaperDecision>(StringComparer.OrdinalIgnoreCase)
    {
        ["oral"] = PaperDecision.Oral,
        ["orals"] = PaperDecision.Oral,
        ["spotlight"] = PaperDecision.Spotlight,
        ["spotlightposter"] = PaperDecision.Spotlight,
        ["spotlights"] = PaperDecision.Spotlight,
        ["poster"] = PaperDecision.Poster,
        ["posters"] = PaperDecision.Poster,
        ["accept"] = PaperDecision.Accepted,
        ["accepted"] = PaperDecision.Accepted,
        ["conference"] = PaperDecision.Accepted,
        ["main"] = PaperDecision.Accepted,
        ["findings"] = PaperDecision.Accepted,
        ["workshop"] = PaperDecision.Accepted,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // The last path segment of content.venueid when the paper was not accepted.
    private static readonly FrozenDictionary<string, PaperDecision> VenueIdSuffixes = new Dictionary<string, PaperDecision>(StringComparer.Ordinal)
    {
        ["Rejected_Submission"] = PaperDecision.Rejected,
        ["Withdrawn_Submission"] = PaperDecision.Withdrawn,
        ["Desk_Rejected_Submission"] = PaperDecision.DeskRejected,
        ["Submission"] = PaperDecision.Submitted,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Values a catalog file may carry in its own "decision" field.
    private static readonly FrozenDictionary<string, PaperDecision> DecisionNames = Enum.GetValues<PaperDecision>()
        .ToDictionary(d => d.ToString(), d => d, StringComparer.OrdinalIgnoreCase)
        .Concat(new Dictionary<string, PaperDecision>(StringComparer.OrdinalIgnoreCase)
        {
            ["Reject"] = PaperDecision.Rejected,
            ["Desk Rejected"] = PaperDecision.DeskRejected,
            ["Desk_Rejected"] = PaperDecision.DeskRejected,
            ["Accept"] = PaperDecision.Accepted,
            ["Accept (Oral)"] = PaperDecision.Oral,
            ["Accept (Spotlight)"] = PaperDecision.Spotlight,
            ["Accept (Poster)"] = PaperDecision.Poster,
        })
        .ToFrozenDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The decision from a note's <c>content.venue</c> and <c>content.venueid</c>.</summary>
    public static PaperDecision FromVenue(string? venue, string? venueId)
    {
        if (!string.IsNullOrEmpty(venueId))
        {
            var slash = venueId.LastIndexOf('/');
            var last = slash >= 0 ? venueId[(slash + 1)..] : venueId;
            if (VenueIdSuffixes.TryGetValue(last, out var notAccepted))
            {
                return notAccepted;
            }
        }

        if (string.IsNullOrWhiteSpace(venue))
        {
            return PaperDecision.Unknown;
        }

        var trimmed = venue.Trim();
        if (trimmed.StartsWith("Submitted to ", StringComparison.OrdinalIgnoreCase))
        {
            return PaperDecision.Rejected;
        }

        var space = trimmed.LastIndexOf(' ');
        var word = space >= 0 ? trimmed[(space + 1)..] : trimmed;
        return PresentationWords.TryGetValue(word, out var decision) ? decision : PaperDecision.Unknown;
    }

    /// <summary>Reads a catalog file's <c>decision</c> value (<c>Oral</c>, <c>poster</c>, <c>Reject</c>, ...).</summary>
    public static PaperDecision Parse(string? value) =>
        value is not null && DecisionNames.TryGetValue(value.Trim(), out var decision) ? decision : PaperDecision.Unknown;

    /// <summary>How a person reads the decision; empty for unknown.</summary>
    public static string Label(PaperDecision decision) => decision switch
    {
        PaperDecision.Unknown => string.Empty,
        PaperDecision.DeskRejected => "Desk rejected",
        _ => decision.ToString(),
    };

    /// <summary>Orders decisions for ranking ties: orals first, rejected last.</summary>
    public static int Rank(PaperDecision decision) => decision switch
    {
        PaperDecision.Oral => 0,
        PaperDecision.Spotlight => 1,
        PaperDecision.Poster => 2,
        PaperDecision.Accepted => 3,
        PaperDecision.Unknown => 4,
        PaperDecision.Submitted => 5,
        PaperDecision.Rejected => 6,
        PaperDecision.Withdrawn => 7,
        PaperDecision.DeskRejected => 8,
        _ => 9,
    };

    /// <summary><c>ICML 2024</c> from <c>ICML 2024 Oral</c>, else a name made from the venue id (<c>ICML.cc/2024/Conference</c>).</summary>
    public static string? VenueName(string? venue, string? venueId)
    {
        if (!string.IsNullOrWhiteSpace(venue))
        {
            var trimmed = venue.Trim();
            if (trimmed.StartsWith("Submitted to ", StringComparison.OrdinalIgnoreCase))
            {
                return trimmed["Submitted to ".Length..];
            }

            var space = trimmed.LastIndexOf(' ');
            if (space > 0 && PresentationWords.ContainsKey(trimmed[(space + 1)..]))
            {
                return trimmed[..space];
            }

            return trimmed;
        }

        return VenueNameFromId(venueId);
    }

    /// <summary><c>ICML 2024</c> from <c>ICML.cc/2024/Conference</c>; null when the id has no such shape.</summary>
    public static string? VenueNameFromId(string? venueId)
    {
        if (string.IsNullOrWhiteSpace(venueId))
        {
            return null;
        }

        var parts = venueId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var year = parts.FirstOrDefault(p => p.Length == 4 && p.All(char.IsAsciiDigit));
        var host = parts[0];
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        var name = dot > 0 ? host[..dot] : host;
        return year is null ? name : $"{name} {year}";
    }
}
