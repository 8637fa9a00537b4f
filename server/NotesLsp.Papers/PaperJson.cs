using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace NotesLsp.Papers;

/// <summary>
/// Reads and writes papers as JSON: OpenReview notes (API v1 and v2 shapes) and the catalog line format.
/// </summary>
/// <remarks>
/// The catalog format is JSON Lines, one paper per line, UTF-8, optionally gzip-compressed (<c>.gz</c>).
/// Only <c>id</c> and <c>title</c> are required; blank lines and lines starting with <c>#</c> are skipped:
/// <code>
/// {"id":"RbiBKPtuHp","title":"...","authors":["A. Author"],"venue":"ICML 2024 Oral",
///  "venueid":"ICML.cc/2024/Conference","decision":"Oral","abstract":"...","tldr":"...",
///  "keywords":["..."],"pdf":"/pdf/....pdf","published":1714610512428}
/// </code>
/// <c>authors</c> may hold strings or <c>{"fullname":..,"username":..}</c> objects; <c>decision</c> is one of
/// Oral, Spotlight, Poster, Accepted, Rejected, Withdrawn, DeskRejected, Submitted (or derived from
/// <c>venue</c>/<c>venueid</c> when missing); <c>published</c> is Unix epoch milliseconds. A line holding an
/// OpenReview note as the API returns it (with <c>content</c>) is read too.
/// </remarks>
public static class PaperJson
{
    /// <summary>Reads one OpenReview note (v1 or v2); null when it has no id or no title.</summary>
    public static PaperRecord? ReadNote(JsonElement note)
    {
        if (note.ValueKind != JsonValueKind.Object || !note.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var id = String(note, "id");
        var title = Clean(String(content, "title", unwrap: true));
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(title))
        {
            return null;
        }

        var venue = Clean(String(content, "venue", unwrap: true));
        var venueId = Clean(String(content, "venueid", unwrap: true));
        var published = Number(note, "pdate") ?? Number(note, "cdate") ?? Number(note, "tcdate");
        return new PaperRecord(id, title)
        {
            Authors = Authors(Field(content, "authors")),
            Venue = venue,
            VenueId = venueId,
            Decision = Decisions.FromVenue(venue, venueId),
            Abstract = Clean(String(content, "abstract", unwrap: true)),
            Tldr = Clean(String(content, "TLDR", unwrap: true) ?? String(content, "TL;DR", unwrap: true)),
            Keywords = Strings(Field(content, "keywords")),
            PdfUrl = Clean(String(content, "pdf", unwrap: true)),
            Published = published is { } ms ? FromMilliseconds(ms) : null,
        };
    }

    /// <summary>Reads one catalog line; null for blank, comment or unusable lines.</summary>
    public static PaperRecord? ReadCatalogLine(ReadOnlySpan<byte> line, string? source)
    {
        var trimmed = line.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] == (byte)'#')
        {
            return null;
        }

        try
        {
            // Most lines are flat catalog objects: read them straight off the bytes (several times faster
            // than building a document per line); an OpenReview note shape falls back to the document path.
            if (ReadFlatLine(trimmed, source, out var flat))
            {
                return flat;
            }

            var reader = new Utf8JsonReader(trimmed);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("content", out _))
            {
                return ReadNote(root) is { } note ? note with { Source = source } : null;
            }

            var id = String(root, "id");
            var title = Clean(String(root, "title"));
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrEmpty(title))
            {
                return null;
            }

            var venue = Clean(String(root, "venue"));
            var venueId = Clean(String(root, "venueid") ?? String(root, "venueId"));
            var decision = Decisions.Parse(String(root, "decision"));
            if (decision == PaperDecision.Unknown)
            {
                decision = Decisions.FromVenue(venue, venueId);
            }

            var published = Number(root, "published");
            return new PaperRecord(id.Trim(), title)
            {
                Authors = Authors(Field(root, "authors")),
                Venue = venue,
                VenueId = venueId,
                Decision = decision,
                Abstract = Clean(String(root, "abstract")),
                Tldr = Clean(String(root, "tldr") ?? String(root, "TLDR") ?? String(root, "TL;DR")),
                Keywords = Strings(Field(root, "keywords")),
                PdfUrl = Clean(String(root, "pdf") ?? String(root, "pdfUrl")),
                CodeUrl = Clean(String(root, "code_url") ?? String(root, "codeUrl")),
                Published = published is { } ms ? FromMilliseconds(ms) : null,
                Source = source,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a flat catalog line; false (and nothing read) when the line holds an OpenReview note
    /// (<c>content</c>) or is not an object. Throws <see cref="JsonException"/> for broken JSON.
    /// </summary>
    private static bool ReadFlatLine(ReadOnlySpan<byte> line, string? source, out PaperRecord? paper)
    {
        paper = null;
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? id = null, title = null, venue = null, venueId = null, decision = null, abstractText = null, tldr = null, pdf = null, code = null;
        long? published = null;
        var authors = ImmutableArray<string>.Empty;
        var keywords = ImmutableArray<string>.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "content":
                    return false;
                case "id":
                    id = StringToken(ref reader);
                    break;
                case "title":
                    title = StringToken(ref reader);
                    break;
                case "venue":
                    venue = StringToken(ref reader);
                    break;
                case "venueid" or "venueId":
                    venueId ??= StringToken(ref reader);
                    break;
                case "decision":
                    decision = StringToken(ref reader);
                    break;
                case "abstract":
                    abstractText = StringToken(ref reader);
                    break;
                case "tldr" or "TLDR" or "TL;DR":
                    tldr ??= StringToken(ref reader);
                    break;
                case "pdf" or "pdfUrl":
                    pdf ??= StringToken(ref reader);
                    break;
                case "code_url" or "codeUrl":
                    code ??= StringToken(ref reader);
                    break;
                case "published":
                    published = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var ms) ? ms : null;
                    break;
                case "authors":
                    authors = ReadNames(ref reader);
                    break;
                case "keywords" when reader.TokenType == JsonTokenType.String:
                    keywords = [.. (reader.GetString() ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                case "keywords":
                    keywords = ReadNames(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        title = Clean(title);
        if (string.IsNullOrWhiteSpace(id) || title is null)
        {
            return true;
        }

        venue = Clean(venue);
        venueId = Clean(venueId);
        var parsed = Decisions.Parse(decision);
        paper = new PaperRecord(id.Trim(), title)
        {
            Authors = authors,
            Venue = venue,
            VenueId = venueId,
            Decision = parsed == PaperDecision.Unknown ? Decisions.FromVenue(venue, venueId) : parsed,
            Abstract = Clean(abstractText),
            Tldr = Clean(tldr),
            Keywords = keywords,
            PdfUrl = Clean(pdf),
            CodeUrl = Clean(code),
            Published = published is { } p ? FromMilliseconds(p) : null,
            Source = source,
        };
        return true;
    }

    private static string? StringToken(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>A list of names: strings, or objects with <c>fullname</c> (else <c>username</c>).</summary>
    private static ImmutableArray<string> ReadNames(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }

        var names = ImmutableArray.CreateBuilder<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string? name = null;
            if (reader.TokenType == JsonTokenType.String)
            {
                name = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                string? fullName = null, userName = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var property = reader.GetString();
                    reader.Read();
                    switch (property)
                    {
                        case "fullname":
                            fullName = StringToken(ref reader);
                            break;
                        case "username":
                            userName = StringToken(ref reader);
                            break;
                        default:
                            reader.Skip();
                            break;
                    }
                }

                name = fullName ?? userName;
            }
            else
            {
                reader.Skip();
            }

            if (Clean(name) is { } cleaned)
            {
                names.Add(cleaned);
            }
        }

        return names.ToImmutable();
    }

    /// <summary>Reads a whole catalog (JSON Lines); counts the lines that were not papers.</summary>
    public static ImmutableArray<PaperRecord> ReadCatalog(ReadOnlySpan<byte> utf8, string? source, out int skippedLines)
    {
        var papers = ImmutableArray.CreateBuilder<PaperRecord>();
        skippedLines = 0;
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        while (!utf8.IsEmpty)
        {
            var newline = utf8.IndexOf((byte)'\n');
            var line = newline >= 0 ? utf8[..newline] : utf8;
            utf8 = newline >= 0 ? utf8[(newline + 1)..] : [];
            var trimmed = line.Trim(" \t\r"u8);
            if (trimmed.IsEmpty || trimmed[0] == (byte)'#')
            {
                continue;
            }

            if (ReadCatalogLine(trimmed, source) is { } paper)
            {
                papers.Add(paper);
            }
            else
            {
                skippedLines++;
            }
        }

        return papers.ToImmutable();
    }

    /// <summary>Writes papers in the catalog line format.</summary>
    public static byte[] WriteCatalog(IEnumerable<PaperRecord> papers)
    {
        ArgumentNullException.ThrowIfNull(papers);
        using var stream = new MemoryStream();
        foreach (var paper in papers)
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                WriteCatalogLine(writer, paper);
            }

            stream.WriteByte((byte)'\n');
        }

        return stream.ToArray();
    }

    private static void WriteCatalogLine(Utf8JsonWriter writer, PaperRecord paper)
    {
        writer.WriteStartObject();
        writer.WriteString("id", paper.Id);
        writer.WriteString("title", paper.Title);
        if (!paper.Authors.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("authors");
            foreach (var author in paper.Authors)
            {
                writer.WriteStringValue(author);
            }

            writer.WriteEndArray();
        }

        WriteOptional(writer, "venue", paper.Venue);
        WriteOptional(writer, "venueid", paper.VenueId);
        if (paper.Decision != PaperDecision.Unknown)
        {
            writer.WriteString("decision", paper.Decision.ToString());
        }

        WriteOptional(writer, "abstract", paper.Abstract);
        WriteOptional(writer, "tldr", paper.Tldr);
        if (!paper.Keywords.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("keywords");
            foreach (var keyword in paper.Keywords)
            {
                writer.WriteStringValue(keyword);
            }

            writer.WriteEndArray();
        }

        WriteOptional(writer, "pdf", paper.PdfUrl);
        WriteOptional(writer, "code_url", paper.CodeUrl);
        if (paper.Published is { } published)
        {
            writer.WriteNumber("published", published.ToUnixTimeMilliseconds());
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static JsonElement? Field(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        // API v2 wraps every content field as {"value": ...}; v1 stores the value itself.
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("value", out var inner))
        {
            return inner;
        }

        return value;
    }

    private static string? String(JsonElement obj, string name, bool unwrap = false)
    {
        var value = unwrap ? Field(obj, name) : obj.TryGetProperty(name, out var v) ? v : null;
        return value is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
    }

    private static long? Number(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static ImmutableArray<string> Authors(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Array } array)
        {
            return [];
        }

        var authors = ImmutableArray.CreateBuilder<string>();
        foreach (var item in array.EnumerateArray())
        {
            // Since mid-2026 OpenReview may send {fullname, username} objects instead of names.
            var name = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Object => item.TryGetProperty("fullname", out var full) && full.ValueKind == JsonValueKind.String ? full.GetString()
                    : item.TryGetProperty("username", out var user) && user.ValueKind == JsonValueKind.String ? user.GetString() : null,
                _ => null,
            };
            if (Clean(name) is { } cleaned)
            {
                authors.Add(cleaned);
            }
        }

        return authors.ToImmutable();
    }

    private static ImmutableArray<string> Strings(JsonElement? value)
    {
        if (value is { ValueKind: JsonValueKind.String } single)
        {
            // Some venues store keywords as one comma-separated string.
            return [.. (single.GetString() ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        if (value is not { ValueKind: JsonValueKind.Array } array)
        {
            return [];
        }

        return [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => Clean(e.GetString())).OfType<string>()];
    }

    private static DateTimeOffset? FromMilliseconds(long ms) =>
        ms is > 0 and < 253402300799999 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>Trims and collapses runs of white space; null for empty text.</summary>
    internal static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
