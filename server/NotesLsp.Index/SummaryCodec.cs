using System.Collections.Immutable;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Tags;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Index;

/// <summary>
/// A note's <see cref="NoteSummary"/> as a compact binary blob (one column per note: loading a hundred thousand
/// rows of one blob each is several times faster than joining rows of headings and tags). Plain
/// <see cref="BinaryWriter"/> code, no reflection, so it works unchanged under NativeAOT. A blob that does not
/// decode (a bug, or a file written by something else) throws <see cref="InvalidDataException"/>; the store
/// treats that as a damaged index.
/// </summary>
public static class SummaryCodec
{
    /// <summary>Bumped with every change of the layout below (the store's schema version includes it).</summary>
    public const int Version = 1;

    public static byte[] Encode(NoteSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var stream = new MemoryStream(256);
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            WriteOptional(writer, summary.Title);
            WriteSpan(writer, summary.TitleSpan);
            WriteRange(writer, summary.TitleRange);
            writer.Write7BitEncodedInt(summary.BodyStart);

            writer.Write7BitEncodedInt(summary.Headings.Length);
            foreach (var heading in summary.Headings)
            {
                writer.Write7BitEncodedInt(heading.Level);
                writer.Write(heading.Text);
                WriteSpan(writer, heading.Span);
                WriteSpan(writer, heading.TextSpan);
                WriteRange(writer, heading.Range);
            }

            writer.Write7BitEncodedInt(summary.TagKeys.Length);
            foreach (var key in summary.TagKeys)
            {
                writer.Write(key);
            }

            writer.Write7BitEncodedInt(summary.Tags.Length);
            foreach (var tag in summary.Tags)
            {
                writer.Write(tag.Key);
                writer.Write(tag.Value);
                WriteSpan(writer, tag.Span);
                writer.Write((byte)tag.Quote);
                WriteRange(writer, tag.Range);
            }

            writer.Write7BitEncodedInt(summary.Links.Length);
            foreach (var link in summary.Links)
            {
                writer.Write((byte)link.Kind);
                writer.Write(link.Url);
                WriteSpan(writer, link.Span);
                WriteSpan(writer, link.UrlSpan);
                WriteOptional(writer, link.Label);
                writer.Write(link.LabelSpan.HasValue);
                if (link.LabelSpan is { } labelSpan)
                {
                    WriteSpan(writer, labelSpan);
                }
            }

            writer.Write7BitEncodedInt(summary.FrontMatterKeys.Length);
            foreach (var key in summary.FrontMatterKeys)
            {
                writer.Write(key);
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Decodes a blob; strings that repeat across notes go through <paramref name="pool"/>. Reads the bytes in
    /// place (no stream, no copy of the blob), and a string the pool already holds is looked up by its characters,
    /// so decoding a hundred thousand notes allocates little more than the arrays the summaries keep.
    /// </summary>
    public static NoteSummary Decode(ReadOnlySpan<byte> blob, StringPool? pool = null)
    {
        try
        {
            return DecodeUnchecked(blob, pool);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"a note summary does not decode: {exception.Message}", exception);
        }
    }

    private static NoteSummary DecodeUnchecked(ReadOnlySpan<byte> blob, StringPool? pool)
    {
        var reader = new SpanReader(blob, pool);
        var title = reader.OptionalString(pooled: false);
        var titleSpan = reader.Span();
        var titleRange = reader.Range();
        var bodyStart = reader.Int();

        var headingCount = reader.Count();
        var headings = ImmutableArray.CreateBuilder<SummaryHeading>(headingCount);
        for (var i = 0; i < headingCount; i++)
        {
            var level = reader.Int();
            var text = reader.String(pooled: true);
            var span = reader.Span();
            var textSpan = reader.Span();
            headings.Add(new SummaryHeading(level, text, span, textSpan, reader.Range()));
        }

        var keyCount = reader.Count();
        var keys = ImmutableArray.CreateBuilder<string>(keyCount);
        for (var i = 0; i < keyCount; i++)
        {
            keys.Add(reader.String(pooled: true));
        }

        var tagCount = reader.Count();
        var tags = ImmutableArray.CreateBuilder<SummaryTag>(tagCount);
        for (var i = 0; i < tagCount; i++)
        {
            var key = reader.String(pooled: true);
            var value = reader.String(pooled: true);
            var span = reader.Span();
            var quote = (TagQuote)reader.Byte();
            if (!Enum.IsDefined(quote))
            {
                throw new FormatException("unknown tag quote");
            }

            tags.Add(new SummaryTag(key, value, span, quote, reader.Range()));
        }

        var linkCount = reader.Count();
        var links = ImmutableArray.CreateBuilder<LinkSyntax>(linkCount);
        for (var i = 0; i < linkCount; i++)
        {
            var kind = (LinkKind)reader.Byte();
            if (!Enum.IsDefined(kind))
            {
                throw new FormatException("unknown link kind");
            }

            var url = reader.String(pooled: true);
            var span = reader.Span();
            var urlSpan = reader.Span();
            var label = reader.OptionalString(pooled: true);
            TextSpan? labelSpan = reader.Boolean() ? reader.Span() : null;
            links.Add(new LinkSyntax(kind, url, span, urlSpan, label, labelSpan));
        }

        var frontMatterKeyCount = reader.Count();
        var frontMatterKeys = ImmutableArray.CreateBuilder<string>(frontMatterKeyCount);
        for (var i = 0; i < frontMatterKeyCount; i++)
        {
            frontMatterKeys.Add(reader.String(pooled: true));
        }

        if (!reader.AtEnd)
        {
            throw new FormatException("trailing bytes");
        }

        return new NoteSummary(
            title,
            titleSpan,
            titleRange,
            bodyStart,
            headings.MoveToImmutable(),
            keys.MoveToImmutable(),
            tags.MoveToImmutable(),
            links.MoveToImmutable(),
            pool is null ? frontMatterKeys.MoveToImmutable() : pool.InternList(frontMatterKeys.MoveToImmutable()));
    }

    /// <summary>
    /// Reads what <see cref="BinaryWriter"/> wrote (7-bit encoded integers, booleans as one byte, strings as a
    /// 7-bit byte length and UTF-8), from a span. Every read is bounded by the blob: a damaged one throws
    /// <see cref="FormatException"/>, never reads past the end or asks for more memory than the blob could describe.
    /// </summary>
    private ref struct SpanReader(ReadOnlySpan<byte> blob, StringPool? pool)
    {
        private const int StackChars = 256;
        private readonly ReadOnlySpan<byte> blob = blob;
        private int position;

        public readonly bool AtEnd => position == blob.Length;

        public byte Byte()
        {
            if (position >= blob.Length)
            {
                throw new FormatException("unexpected end of the blob");
            }

            return blob[position++];
        }

        public bool Boolean() => Byte() != 0;

        public int Int()
        {
            // As BinaryReader.Read7BitEncodedInt: at most five bytes, the fifth holding the top four bits.
            uint result = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                if (shift == 28 && b > 0b1111)
                {
                    throw new FormatException("a 7-bit encoded integer is too long");
                }

                result |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return (int)result;
                }
            }

            throw new FormatException("a 7-bit encoded integer is too long");
        }

        /// <summary>A count, bounded by what the rest of the blob could hold, so a damaged blob cannot ask for gigabytes.</summary>
        public int Count()
        {
            var count = Int();
            if (count < 0 || count > blob.Length - position)
            {
                throw new FormatException("a count larger than the blob");
            }

            return count;
        }

        public string String(bool pooled)
        {
            var length = Int();
            if (length < 0 || length > blob.Length - position)
            {
                throw new FormatException("a string longer than the blob");
            }

            var bytes = blob.Slice(position, length);
            position += length;
            if (length == 0)
            {
                return string.Empty;
            }

            if (!pooled || pool is null || length > StackChars)
            {
                var made = System.Text.Encoding.UTF8.GetString(bytes);
                return pooled && pool is not null ? pool.Intern(made) : made;
            }

            // UTF-8 never has fewer bytes than UTF-16 code units, so the characters fit.
            Span<char> chars = stackalloc char[StackChars];
            var count = System.Text.Encoding.UTF8.GetChars(bytes, chars);
            return pool.Intern(chars[..count]);
        }

        public string? OptionalString(bool pooled) => Boolean() ? String(pooled) : null;

        public TextSpan Span()
        {
            var start = Int();
            var length = Int();
            if (start < 0 || length < 0)
            {
                throw new FormatException("a negative span");
            }

            return new TextSpan(start, length);
        }

        public LineRange Range() => new(new LinePosition(Int(), Int()), new LinePosition(Int(), Int()));
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static void WriteSpan(BinaryWriter writer, TextSpan span)
    {
        writer.Write7BitEncodedInt(span.Start);
        writer.Write7BitEncodedInt(span.Length);
    }

    private static void WriteRange(BinaryWriter writer, LineRange range)
    {
        writer.Write7BitEncodedInt(range.Start.Line);
        writer.Write7BitEncodedInt(range.Start.Character);
        writer.Write7BitEncodedInt(range.End.Line);
        writer.Write7BitEncodedInt(range.End.Character);
    }
}
