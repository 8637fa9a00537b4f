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
            for (var i = 0; i < summary.Headings.Length; i++)
            {
                var heading = summary.Headings[i];
                writer.Write7BitEncodedInt(heading.Level);
                writer.Write(heading.Text);
                WriteSpan(writer, heading.Span);
                WriteSpan(writer, heading.TextSpan);
                WriteRange(writer, summary.HeadingRanges[i]);
            }

            writer.Write7BitEncodedInt(summary.TagKeys.Length);
            foreach (var key in summary.TagKeys)
            {
                writer.Write(key);
            }

            writer.Write7BitEncodedInt(summary.Tags.Length);
            for (var i = 0; i < summary.Tags.Length; i++)
            {
                var tag = summary.Tags[i];
                writer.Write(tag.Key);
                writer.Write(tag.Value);
                WriteSpan(writer, tag.Span);
                writer.Write((byte)tag.Quote);
                WriteRange(writer, summary.TagRanges[i]);
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

    /// <summary>Decodes a blob; strings that repeat across notes go through <paramref name="pool"/>.</summary>
    public static NoteSummary Decode(ReadOnlySpan<byte> blob, StringPool? pool = null)
    {
        try
        {
            return DecodeUnchecked(blob.ToArray(), pool);
        }
        catch (Exception exception) when (exception is EndOfStreamException or FormatException or ArgumentException or IOException or OverflowException)
        {
            throw new InvalidDataException($"a note summary does not decode: {exception.Message}", exception);
        }
    }

    private static NoteSummary DecodeUnchecked(byte[] blob, StringPool? pool)
    {
        using var reader = new BinaryReader(new MemoryStream(blob, writable: false), System.Text.Encoding.UTF8);
        string Pooled(string value) => pool is null ? value : pool.Intern(value);

        var title = ReadOptional(reader);
        var titleSpan = ReadSpan(reader);
        var titleRange = ReadRange(reader);
        var bodyStart = reader.Read7BitEncodedInt();

        var headingCount = Count(reader);
        var headings = ImmutableArray.CreateBuilder<HeadingSyntax>(headingCount);
        var headingRanges = ImmutableArray.CreateBuilder<LineRange>(headingCount);
        for (var i = 0; i < headingCount; i++)
        {
            var level = reader.Read7BitEncodedInt();
            var text = Pooled(reader.ReadString());
            var span = ReadSpan(reader);
            var textSpan = ReadSpan(reader);
            headings.Add(new HeadingSyntax(level, text, span, textSpan));
            headingRanges.Add(ReadRange(reader));
        }

        var keyCount = Count(reader);
        var keys = ImmutableArray.CreateBuilder<string>(keyCount);
        for (var i = 0; i < keyCount; i++)
        {
            keys.Add(Pooled(reader.ReadString()));
        }

        var tagCount = Count(reader);
        var tags = ImmutableArray.CreateBuilder<TagOccurrence>(tagCount);
        var tagRanges = ImmutableArray.CreateBuilder<LineRange>(tagCount);
        for (var i = 0; i < tagCount; i++)
        {
            var key = Pooled(reader.ReadString());
            var value = Pooled(reader.ReadString());
            var span = ReadSpan(reader);
            var quote = (TagQuote)reader.ReadByte();
            if (!Enum.IsDefined(quote))
            {
                throw new FormatException("unknown tag quote");
            }

            tags.Add(new TagOccurrence(key, value, span, quote));
            tagRanges.Add(ReadRange(reader));
        }

        var linkCount = Count(reader);
        var links = ImmutableArray.CreateBuilder<LinkSyntax>(linkCount);
        for (var i = 0; i < linkCount; i++)
        {
            var kind = (LinkKind)reader.ReadByte();
            if (!Enum.IsDefined(kind))
            {
                throw new FormatException("unknown link kind");
            }

            var url = reader.ReadString();
            var span = ReadSpan(reader);
            var urlSpan = ReadSpan(reader);
            var label = ReadOptional(reader);
            TextSpan? labelSpan = reader.ReadBoolean() ? ReadSpan(reader) : null;
            links.Add(new LinkSyntax(kind, url, span, urlSpan, label, labelSpan));
        }

        var frontMatterKeyCount = Count(reader);
        var frontMatterKeys = ImmutableArray.CreateBuilder<string>(frontMatterKeyCount);
        for (var i = 0; i < frontMatterKeyCount; i++)
        {
            frontMatterKeys.Add(Pooled(reader.ReadString()));
        }

        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new FormatException("trailing bytes");
        }

        return new NoteSummary(
            title,
            titleSpan,
            titleRange,
            bodyStart,
            headings.MoveToImmutable(),
            headingRanges.MoveToImmutable(),
            keys.MoveToImmutable(),
            tags.MoveToImmutable(),
            tagRanges.MoveToImmutable(),
            links.MoveToImmutable(),
            frontMatterKeys.MoveToImmutable());
    }

    /// <summary>A count, bounded by what the rest of the blob could hold, so a damaged blob cannot ask for gigabytes.</summary>
    private static int Count(BinaryReader reader)
    {
        var count = reader.Read7BitEncodedInt();
        if (count < 0 || count > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new FormatException("a count larger than the blob");
        }

        return count;
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void WriteSpan(BinaryWriter writer, TextSpan span)
    {
        writer.Write7BitEncodedInt(span.Start);
        writer.Write7BitEncodedInt(span.Length);
    }

    private static TextSpan ReadSpan(BinaryReader reader)
    {
        var start = reader.Read7BitEncodedInt();
        var length = reader.Read7BitEncodedInt();
        if (start < 0 || length < 0)
        {
            throw new FormatException("a negative span");
        }

        return new TextSpan(start, length);
    }

    private static void WriteRange(BinaryWriter writer, LineRange range)
    {
        writer.Write7BitEncodedInt(range.Start.Line);
        writer.Write7BitEncodedInt(range.Start.Character);
        writer.Write7BitEncodedInt(range.End.Line);
        writer.Write7BitEncodedInt(range.End.Character);
    }

    private static LineRange ReadRange(BinaryReader reader) =>
        new(new LinePosition(reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt()), new LinePosition(reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt()));
}
