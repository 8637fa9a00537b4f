using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace NotesLsp.Papers;

/// <summary>
/// A catalog with its search index built, as a compact binary: every string once (interned: venue labels, author
/// names and terms shared by many papers are one string when read), then the records and the index's arrays
/// (postings, weights, field data) as raw little-endian blocks. Reading it does no parsing and no indexing, so a
/// catalog loads in a fraction of the time that reading its JSON Lines and building the index takes.
/// </summary>
/// <remarks>
/// The file holds exactly what <see cref="PaperCatalog.Load"/> and <see cref="PaperSearchIndex"/> make of a
/// catalog's JSON Lines, so there is one reading of the data: the file is produced from the JSON Lines by that
/// code, and a differential test checks that both answer every query alike. A file of another version, a damaged
/// one or a big-endian machine reads as null, and the caller builds from the JSON Lines instead.
/// Written with explicit code, no reflection: it works under NativeAOT.
/// </remarks>
public static class PaperIndexFile
{
    private const uint Magic = 0x4950_4C4E; // "NLPI"

    /// <summary>Bumped whenever the index's fields or their meaning change.</summary>
    private const int Version = 1;

    /// <summary>Writes the catalog, building its index if it was not built yet.</summary>
    public static byte[] Write(PaperCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var writer = new Writer();
        writer.String(catalog.Name);
        writer.Int(catalog.SkippedLines);
        writer.Int(catalog.Count);
        foreach (var paper in catalog.Papers)
        {
            WriteRecord(writer, paper);
        }

        catalog.Index.Write(writer);
        return writer.ToArray();
    }

    /// <summary>The catalog in <paramref name="bytes"/>, or null when the file is not one this version reads.</summary>
    public static PaperCatalog? Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            return null;
        }

        try
        {
            var reader = new Reader(bytes);
            if (reader is not { IsValid: true })
            {
                return null;
            }

            var name = reader.String()!;
            var skipped = reader.Int();
            var count = reader.Int();
            var papers = ImmutableArray.CreateBuilder<PaperRecord>(count);
            for (var i = 0; i < count; i++)
            {
                papers.Add(ReadRecord(reader));
            }

            var records = papers.MoveToImmutable();
            var index = PaperSearchIndex.Read(records, reader);
            return reader.AtEnd ? PaperCatalog.WithIndex(name, records, skipped, index) : null;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidDataException or OverflowException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static void WriteRecord(Writer writer, PaperRecord paper)
    {
        writer.String(paper.Id);
        writer.String(paper.Title);
        writer.Strings(paper.Authors.IsDefault ? [] : [.. paper.Authors]);
        writer.String(paper.Venue);
        writer.String(paper.VenueId);
        writer.Int((int)paper.Decision);
        writer.String(paper.Abstract);
        writer.String(paper.Tldr);
        writer.Strings(paper.Keywords.IsDefault ? [] : [.. paper.Keywords]);
        writer.String(paper.PdfUrl);
        writer.String(paper.CodeUrl);
        writer.Long(paper.Published is { } published ? published.ToUnixTimeMilliseconds() : long.MinValue);
        writer.String(paper.Source);
    }

    private static PaperRecord ReadRecord(Reader reader)
    {
        var id = reader.String() ?? throw new InvalidDataException("a paper without an id");
        var title = reader.String() ?? throw new InvalidDataException("a paper without a title");
        var authors = reader.Strings();
        var venue = reader.String();
        var venueId = reader.String();
        var decision = reader.Int();
        var abstractText = reader.String();
        var tldr = reader.String();
        var keywords = reader.Strings();
        var pdf = reader.String();
        var code = reader.String();
        var published = reader.Long();
        var source = reader.String();
        return new PaperRecord(id, title)
        {
            Authors = ImmutableArray.Create(authors),
            Venue = venue,
            VenueId = venueId,
            Decision = Enum.IsDefined((PaperDecision)decision) ? (PaperDecision)decision : throw new InvalidDataException("an unknown decision"),
            Abstract = abstractText,
            Tldr = tldr,
            Keywords = ImmutableArray.Create(keywords),
            PdfUrl = pdf,
            CodeUrl = code,
            Published = published == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(published),
            Source = source,
        };
    }

    /// <summary>Collects strings into a table (each once) and everything else into a payload that refers to them.</summary>
    internal sealed class Writer : IDisposable
    {
        private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
        private readonly List<string> table = [];
        private readonly MemoryStream payload = new();

        public void Dispose() => payload.Dispose();

        public void Int(int value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            payload.Write(bytes);
        }

        public void Long(long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            payload.Write(bytes);
        }

        /// <summary>A string as its table index; -1 for null.</summary>
        public void String(string? value)
        {
            if (value is null)
            {
                Int(-1);
                return;
            }

            if (!ids.TryGetValue(value, out var id))
            {
                id = table.Count;
                ids.Add(value, id);
                table.Add(value);
            }

            Int(id);
        }

        public void Strings(IReadOnlyList<string?> values)
        {
            Int(values.Count);
            foreach (var value in values)
            {
                String(value);
            }
        }

        public void Ints(int[] values) => Block<int>(values);

        public void Floats(float[] values) => Block<float>(values);

        public void Doubles(double[] values) => Block<double>(values);

        public void ULongs(ulong[] values) => Block<ulong>(values);

        public void Shorts(short[] values) => Block<short>(values);

        public void Bools(bool[] values)
        {
            Int(values.Length);
            foreach (var value in values)
            {
                payload.WriteByte(value ? (byte)1 : (byte)0);
            }
        }

        private void Block<T>(T[] values)
            where T : unmanaged
        {
            Int(values.Length);
            payload.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }

        public byte[] ToArray()
        {
            using var output = new MemoryStream();
            Span<byte> word = stackalloc byte[4];
            foreach (var value in new[] { (int)Magic, Version, table.Count })
            {
                BinaryPrimitives.WriteInt32LittleEndian(word, value);
                output.Write(word);
            }

            foreach (var value in table)
            {
                var bytes = Encoding.UTF8.GetBytes(value);
                BinaryPrimitives.WriteInt32LittleEndian(word, bytes.Length);
                output.Write(word);
                output.Write(bytes);
            }

            payload.Position = 0;
            payload.CopyTo(output);
            return output.ToArray();
        }
    }

    /// <summary>Reads what <see cref="Writer"/> wrote; any inconsistency throws, which <see cref="Read"/> turns into null.</summary>
    internal sealed class Reader
    {
        private readonly byte[] bytes;
        private readonly string[] table = [];
        private int position;

        public Reader(byte[] bytes)
        {
            this.bytes = bytes;
            if (bytes.Length < 12 || (uint)Int() != Magic || Int() != Version)
            {
                return;
            }

            var count = Int();
            table = new string[count];
            for (var i = 0; i < count; i++)
            {
                var length = Int();
                table[i] = Encoding.UTF8.GetString(Take(length));
            }

            IsValid = true;
        }

        public bool IsValid { get; }

        public bool AtEnd => position == bytes.Length;

        public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Long() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public string? String()
        {
            var id = Int();
            return id == -1 ? null : table[id];
        }

        public string[] Strings()
        {
            var values = new string[Count(4)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = String() ?? throw new InvalidDataException("a missing string where one is required");
            }

            return values;
        }

        public string?[] NullableStrings()
        {
            var values = new string?[Count(4)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = String();
            }

            return values;
        }

        public int[] Ints() => Block<int>();

        public float[] Floats() => Block<float>();

        public double[] Doubles() => Block<double>();

        public ulong[] ULongs() => Block<ulong>();

        public short[] Shorts() => Block<short>();

        public bool[] Bools()
        {
            var values = new bool[Count(1)];
            var source = Take(values.Length);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = source[i] != 0;
            }

            return values;
        }

        private T[] Block<T>()
            where T : unmanaged
        {
            var size = Unsafe.SizeOf<T>();
            var values = new T[Count(size)];
            Take(values.Length * size).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        /// <summary>A length, checked against what is left so a damaged file cannot ask for a huge array.</summary>
        private int Count(int elementSize)
        {
            var count = Int();
            if (count < 0 || (long)count * elementSize > bytes.Length - position)
            {
                throw new InvalidDataException("a length past the end of the file");
            }

            return count;
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length < 0 || length > bytes.Length - position)
            {
                throw new InvalidDataException("a read past the end of the file");
            }

            var span = bytes.AsSpan(position, length);
            position += length;
            return span;
        }
    }
}
