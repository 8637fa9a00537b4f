using System.Numerics;
using System.Text;

namespace NotesLsp.Papers;

/// <summary>
/// A read-only array of <typeparamref name="T"/> that lives in memory the GC does not move: the bytes of an index
/// file embedded in the assembly (read in place, never copied) or a pinned array. Every access is bounds-checked;
/// <see cref="PaperIndexFile"/> checks the values (ids in range, lists inside their block) when it opens a file, so
/// a damaged file is refused there instead of failing in a search.
/// </summary>
/// <remarks>The memory must outlive the view: the catalog holding it keeps its owner (a pinned array) alive, and an
/// assembly's resources stay mapped as long as the process runs.</remarks>
internal readonly unsafe struct Flat<T>
    where T : unmanaged
{
    private readonly T* start;

    public Flat(T* start, int length)
    {
        this.start = start;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<T> Span => new(start, Length);

    public T this[int index] => new ReadOnlySpan<T>(start, Length)[index];

    public ReadOnlySpan<T> Slice(int from, int count) => Span.Slice(from, count);
}

/// <summary>Lists of ints, one after another in one block, list <c>k</c> from <c>offsets[k]</c> to <c>offsets[k + 1]</c>.</summary>
internal readonly struct FlatLists
{
    private readonly Flat<int> offsets;

    public FlatLists(Flat<int> offsets, Flat<int> values)
    {
        this.offsets = offsets;
        Values = values;
    }

    public int Count => offsets.Length - 1;

    public Flat<int> Values { get; }

    public int Start(int list) => offsets[list];

    public int End(int list) => offsets[list + 1];

    public ReadOnlySpan<int> this[int list] => Values.Span[offsets[list]..offsets[list + 1]];

    /// <summary>Offsets start at 0, never go down, end at the values' length; values lie in [min, max).</summary>
    public void Check(int count, int min, int max)
    {
        FlatCheck.Offsets(offsets, count, Values.Length);
        FlatCheck.Range(Values.Span, min, max);
    }
}

/// <summary>
/// Strings as UTF-8, one after another, each decoded on first use and kept (so a catalog opens without decoding any,
/// and a string used twice is one object). Thread-safe: two threads decoding the same string keep the first one's.
/// </summary>
internal sealed class StringTable
{
    private readonly Flat<int> offsets;
    private readonly Flat<byte> utf8;
    private readonly string?[] decoded;

    public StringTable(Flat<int> offsets, Flat<byte> utf8)
    {
        this.offsets = offsets;
        this.utf8 = utf8;
        FlatCheck.Offsets(offsets, offsets.Length - 1, utf8.Length);
        decoded = new string?[offsets.Length - 1];
    }

    public int Count => decoded.Length;

    public string this[int id] => decoded[id] ?? Decode(id);

    /// <summary>The string, or null for the id -1.</summary>
    public string? OrNull(int id) => id == -1 ? null : this[id];

    private string Decode(int id)
    {
        var text = Encoding.UTF8.GetString(utf8.Slice(offsets[id], offsets[id + 1] - offsets[id]));
        return Interlocked.CompareExchange(ref decoded[id], text, null) ?? text;
    }
}

/// <summary>
/// An open-addressing hash table from a string to the id of the key that equals it (linear probing, a stable hash
/// of the UTF-16 code units so the table can be written once and read by any process). Keys are compared only when
/// their hashes agree, so a lookup decodes at most the key it finds.
/// </summary>
internal readonly struct KeyIndex
{
    private readonly Flat<int> slots;
    private readonly Flat<int> hashes;

    public KeyIndex(Flat<int> slots, Flat<int> hashes, int keys)
    {
        if (slots.Length == 0 || !BitOperations.IsPow2(slots.Length) || hashes.Length != slots.Length || slots.Length <= keys)
        {
            throw new InvalidDataException("a damaged hash table");
        }

        FlatCheck.Range(slots.Span, -1, keys);
        this.slots = slots;
        this.hashes = hashes;
    }

    /// <summary>The id of the key equal to <paramref name="key"/> (<paramref name="keyOf"/> gives a key's text), or -1.</summary>
    public int Find(string key, Func<int, string> keyOf)
    {
        var hash = Hash(key);
        var mask = slots.Length - 1;
        for (int i = hash & mask, probes = 0; probes < slots.Length; i = (i + 1) & mask, probes++)
        {
            var id = slots[i];
            if (id < 0)
            {
                return -1;
            }

            if (hashes[i] == hash && string.Equals(keyOf(id), key, StringComparison.Ordinal))
            {
                return id;
            }
        }

        return -1;
    }

    /// <summary>FNV-1a over the UTF-16 code units: the same in every process (string.GetHashCode is not).</summary>
    public static int Hash(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7fff_ffff);
    }

    /// <summary>The slots and hashes for <paramref name="keys"/> (distinct), key <c>k</c> stored as id <c>k</c>.</summary>
    public static (int[] Slots, int[] Hashes) Build(IReadOnlyList<string> keys)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, keys.Count * 2));
        var slots = new int[size];
        var hashes = new int[size];
        Array.Fill(slots, -1);
        var mask = size - 1;
        for (var k = 0; k < keys.Count; k++)
        {
            var hash = Hash(keys[k]);
            var i = hash & mask;
            while (slots[i] != -1)
            {
                i = (i + 1) & mask;
            }

            slots[i] = k;
            hashes[i] = hash;
        }

        return (slots, hashes);
    }
}

/// <summary>The checks a file's blocks pass before any search reads them.</summary>
internal static class FlatCheck
{
    // Optimised at once: a framework-dependent server opens its catalogs before tiered compilation reaches these loops.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Offsets(Flat<int> offsets, int count, int total)
    {
        if (count < 0 || offsets.Length != count + 1 || offsets[0] != 0 || offsets[count] != total)
        {
            throw new InvalidDataException("damaged offsets");
        }

        var span = offsets.Span;
        for (var i = 1; i < span.Length; i++)
        {
            if (span[i] < span[i - 1])
            {
                throw new InvalidDataException("damaged offsets");
            }
        }
    }

    /// <summary>Every value in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Range(ReadOnlySpan<int> values, int min, int max)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<int>.Count)
        {
            var low = new Vector<int>(int.MaxValue);
            var high = new Vector<int>(int.MinValue);
            for (; i <= values.Length - Vector<int>.Count; i += Vector<int>.Count)
            {
                var v = new Vector<int>(values[i..]);
                low = Vector.Min(low, v);
                high = Vector.Max(high, v);
            }

            for (var k = 0; k < Vector<int>.Count; k++)
            {
                if (low[k] < min || high[k] >= max)
                {
                    throw new InvalidDataException("a value out of range");
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (values[i] < min || values[i] >= max)
            {
                throw new InvalidDataException("a value out of range");
            }
        }
    }
}
