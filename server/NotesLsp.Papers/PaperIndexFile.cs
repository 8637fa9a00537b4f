using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace NotesLsp.Papers;

/// <summary>
/// A catalog with its search index built, as a compact binary read in place: string tables (UTF-8, each string
/// once), the records as fixed-width rows of string ids, and the index's data as flat little-endian blocks (all
/// postings in one block with offsets, one block per field), each aligned to 8 bytes. Opening a file checks its
/// blocks and decodes nothing: the search reads the blocks where they lie (the bytes embedded in the assembly, or
/// a pinned copy), strings are decoded when first used and a record when a result or a hover needs it.
/// </summary>
/// <remarks>
/// The file holds exactly what <see cref="PaperCatalog.Load"/> and <see cref="PaperSearchIndex"/> make of a
/// catalog's JSON Lines, so there is one reading of the data: the file is produced from the JSON Lines by that
/// code, and a differential test checks that both answer every query alike. A file of another version, a damaged
/// one or a big-endian machine reads as null, and the caller builds from the JSON Lines instead.
/// Written with explicit code, no reflection: it works under NativeAOT.
/// </remarks>
public static unsafe class PaperIndexFile
{
    private const uint Magic = 0x4950_4C4E; // "NLPI"

    /// <summary>Bumped whenever the layout, the index's fields or their meaning change.</summary>
    private const int Version = 2;

    /// <summary>Writes the catalog, building its index if it was not built yet.</summary>
    public static byte[] Write(PaperCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var writer = new Writer();
        writer.Int((int)Magic);
        writer.Int(Version);
        writer.Table([catalog.Name]);
        writer.Int(catalog.SkippedLines);
        writer.Int(catalog.Count);
        PaperRecords.Write(writer, catalog.Papers);
        writer.Block(catalog.Index.Blob.Span);
        return writer.ToArray();
    }

    /// <summary>The catalog in <paramref name="bytes"/> (read from a pinned copy), or null when the file is not one this version reads.</summary>
    public static PaperCatalog? Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var pinned = GC.AllocateUninitializedArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(pinned);
        fixed (byte* start = pinned)
        {
            return Read(start, pinned.Length, pinned);
        }
    }

    /// <summary>
    /// The catalog in <paramref name="stream"/>, or null. A resource embedded in an assembly (an
    /// <see cref="UnmanagedMemoryStream"/>) is read in place, without a copy; any other stream is copied once.
    /// </summary>
    public static PaperCatalog? Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream is UnmanagedMemoryStream { CanRead: true } memory && memory.Length - memory.Position is var length and <= int.MaxValue)
        {
            // The resource's bytes stay mapped while the assembly is loaded (for the process's lifetime).
            return Read(memory.PositionPointer, (int)length, memory);
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Read(copy.ToArray());
    }

    private static PaperCatalog? Read(byte* start, int length, object owner)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return null;
        }

        try
        {
            var reader = new Reader(start, length);
            if (length < 8 || (uint)reader.Int() != Magic || reader.Int() != Version)
            {
                return null;
            }

            var names = reader.Table();
            var name = names.Count == 1 ? names[0] : throw new InvalidDataException("no catalog name");
            var skipped = reader.Int();
            var count = reader.Int();
            var records = PaperRecords.Read(reader, count, owner);
            var index = PaperSearchIndex.Read(records, reader.Block<byte>(), owner);
            return reader.AtEnd ? PaperCatalog.WithIndex(name, records, skipped, index) : null;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidDataException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Writes ints, longs, string tables and aligned blocks, in the order <see cref="Reader"/> reads them.</summary>
    internal sealed class Writer : IDisposable
    {
        private readonly MemoryStream payload = new();

        public void Dispose() => payload.Dispose();

        public void Int(int value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            payload.Write(bytes);
        }

        /// <summary>A block: its element count, padding to 8 bytes, its elements as they lie in memory.</summary>
        public void Block<T>(ReadOnlySpan<T> values)
            where T : unmanaged
        {
            Int(values.Length);
            while (payload.Length % 8 != 0)
            {
                payload.WriteByte(0);
            }

            payload.Write(MemoryMarshal.AsBytes(values));
        }

        /// <summary>A string table: the offsets of each string's UTF-8, then the UTF-8 of all.</summary>
        public void Table(IReadOnlyList<string> strings)
        {
            var offsets = new int[strings.Count + 1];
            var utf8 = new MemoryStream();
            for (var i = 0; i < strings.Count; i++)
            {
                utf8.Write(Encoding.UTF8.GetBytes(strings[i]));
                offsets[i + 1] = checked((int)utf8.Length);
            }

            Block<int>(offsets);
            Block<byte>(utf8.GetBuffer().AsSpan(0, (int)utf8.Length));
        }

        /// <summary>A string table and the hash table (<see cref="KeyIndex"/>) that finds each of its (distinct) strings.</summary>
        public void Keys(IReadOnlyList<string> keys)
        {
            Table(keys);
            var (slots, hashes) = KeyIndex.Build(keys);
            Block<int>(slots);
            Block<int>(hashes);
        }

        public byte[] ToArray() => payload.ToArray();
    }

    /// <summary>Reads what <see cref="Writer"/> wrote, in place; any inconsistency throws, which <see cref="Read(byte[])"/> turns into null.</summary>
    internal sealed class Reader
    {
        private readonly byte* start;
        private readonly int length;
        private int position;

        public Reader(byte* start, int length)
        {
            this.start = start;
            this.length = length;
        }

        public bool AtEnd => position == length;

        public int Int()
        {
            if (length - position < 4)
            {
                throw new InvalidDataException("a read past the end of the file");
            }

            var value = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(start + position, 4));
            position += 4;
            return value;
        }

        public Flat<T> Block<T>()
            where T : unmanaged
        {
            var count = Int();
            var at = (position + 7) & ~7;
            if (count < 0 || at > length || (long)count * sizeof(T) > length - at)
            {
                throw new InvalidDataException("a block past the end of the file");
            }

            for (var pad = position; pad < at; pad++)
            {
                if (start[pad] != 0)
                {
                    throw new InvalidDataException("damaged padding");
                }
            }

            position = at + (count * sizeof(T));
            return new Flat<T>((T*)(start + at), count);
        }

        public StringTable Table()
        {
            var offsets = Block<int>();
            return offsets.Length == 0 ? throw new InvalidDataException("a damaged string table") : new StringTable(offsets, Block<byte>());
        }

        public (StringTable Keys, KeyIndex Index) Keys()
        {
            var keys = Table();
            return (keys, new KeyIndex(Block<int>(), Block<int>(), keys.Count));
        }
    }
}
