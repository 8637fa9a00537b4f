using System.Collections;
using System.Collections.Immutable;

namespace NotesLsp.Papers;

/// <summary>
/// A catalog's papers: either records in memory (a catalog read from JSON Lines or made by code), or rows of an
/// index file (<see cref="PaperIndexFile"/>) decoded one by one when first asked for, so opening the bundled
/// catalogs decodes none of their 13,000 records. The search reads single fields (title, venue id, PDF path) of a
/// row without decoding the record.
/// </summary>
internal sealed class PaperRecords : IReadOnlyList<PaperRecord>
{
    // A row: id, title, authors (start, count), venue, venue id, decision, abstract, TL;DR, keywords (start,
    // count), PDF, code, published (low, high 32 bits; long.MinValue for none), source. Strings are ids into the
    // file's table, -1 for none; authors and keywords are runs of string ids in one list block.
    private const int Width = 16;

    // The Unix milliseconds DateTimeOffset can hold (years 1 to 9999).
    private const long MinPublished = -62_135_596_800_000;
    private const long MaxPublished = 253_402_300_799_999;

    private readonly ImmutableArray<PaperRecord> built;
    private readonly Dictionary<string, int>? builtIds;
    private readonly StringTable? strings;
    private readonly Flat<int> rows;
    private readonly Flat<int> lists;
    private readonly KeyIndex ids;
    private readonly PaperRecord?[]? decoded;
    private readonly Func<int, string>? idOf;

    /// <summary>Keeps the memory the rows lie in (a pinned array or the resource's stream) alive.</summary>
    private readonly object? owner;

    public PaperRecords(ImmutableArray<PaperRecord> papers)
    {
        built = papers;
        var byId = new Dictionary<string, int>(papers.Length, StringComparer.Ordinal);
        for (var i = 0; i < papers.Length; i++)
        {
            byId[papers[i].Id] = i;
        }

        // A plain dictionary: never written after construction, so concurrent reads are safe, and it builds
        // several times faster than a frozen one for 100,000 keys.
        builtIds = byId;
        Count = papers.Length;
    }

    private PaperRecords(int count, StringTable strings, Flat<int> rows, Flat<int> lists, KeyIndex ids, object owner)
    {
        Count = count;
        this.strings = strings;
        this.rows = rows;
        this.lists = lists;
        this.ids = ids;
        this.owner = owner;
        decoded = new PaperRecord?[count];
        idOf = Id;
    }

    public int Count { get; }

    public PaperRecord this[int index] => decoded is null ? built[index] : decoded[index] ?? Decode(index);

    public string Id(int paper) => decoded is null ? built[paper].Id : strings![Field(paper, 0)];

    public string Title(int paper) => decoded is null ? built[paper].Title : strings![Field(paper, 1)];

    public string? VenueId(int paper) => decoded is null ? built[paper].VenueId : strings!.OrNull(Field(paper, 5));

    public string? PdfUrl(int paper) => decoded is null ? built[paper].PdfUrl : strings!.OrNull(Field(paper, 11));

    /// <summary>The position of the paper with this id, or -1.</summary>
    public int IndexOf(string id) => builtIds is not null ? builtIds.GetValueOrDefault(id, -1) : ids.Find(id, idOf!);

    public IEnumerator<PaperRecord> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int Field(int paper, int field) => rows[(paper * Width) + field];

    private PaperRecord Decode(int paper)
    {
        GC.KeepAlive(owner);
        var published = ((long)Field(paper, 14) << 32) | (uint)Field(paper, 13);
        var record = new PaperRecord(Id(paper), Title(paper))
        {
            Authors = Strings(Field(paper, 2), Field(paper, 3)),
            Venue = strings!.OrNull(Field(paper, 4)),
            VenueId = VenueId(paper),
            Decision = (PaperDecision)Field(paper, 6),
            Abstract = strings.OrNull(Field(paper, 7)),
            Tldr = strings.OrNull(Field(paper, 8)),
            Keywords = Strings(Field(paper, 9), Field(paper, 10)),
            PdfUrl = PdfUrl(paper),
            CodeUrl = strings.OrNull(Field(paper, 12)),
            Published = published == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(published),
            Source = strings.OrNull(Field(paper, 15)),
        };

        // One record object per paper, whichever thread decoded it first (records compare their lists by reference).
        return Interlocked.CompareExchange(ref decoded![paper], record, null) ?? record;
    }

    private ImmutableArray<string> Strings(int start, int count)
    {
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = strings![lists[start + i]];
        }

        return ImmutableArray.Create(values);
    }

    /// <summary>Writes the records as a string table (each string once, in the order first met), the rows, the lists and the id table.</summary>
    public static void Write(PaperIndexFile.Writer writer, IReadOnlyList<PaperRecord> papers)
    {
        var table = new List<string>();
        var tableIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new int[papers.Count * Width];
        var lists = new List<int>();
        for (var p = 0; p < papers.Count; p++)
        {
            var paper = papers[p];
            var row = rows.AsSpan(p * Width, Width);
            row[0] = Intern(paper.Id);
            row[1] = Intern(paper.Title);
            (row[2], row[3]) = List(paper.Authors);
            row[4] = Intern(paper.Venue);
            row[5] = Intern(paper.VenueId);
            row[6] = (int)paper.Decision;
            row[7] = Intern(paper.Abstract);
            row[8] = Intern(paper.Tldr);
            (row[9], row[10]) = List(paper.Keywords);
            row[11] = Intern(paper.PdfUrl);
            row[12] = Intern(paper.CodeUrl);
            var published = paper.Published is { } date ? date.ToUnixTimeMilliseconds() : long.MinValue;
            row[13] = (int)(uint)published;
            row[14] = (int)(published >> 32);
            row[15] = Intern(paper.Source);
        }

        writer.Table(table);
        writer.Block<int>(rows);
        writer.Block<int>([.. lists]);
        var (slots, hashes) = KeyIndex.Build([.. papers.Select(p => p.Id)]);
        writer.Block<int>(slots);
        writer.Block<int>(hashes);

        int Intern(string? value)
        {
            if (value is null)
            {
                return -1;
            }

            if (!tableIds.TryGetValue(value, out var id))
            {
                id = table.Count;
                tableIds.Add(value, id);
                table.Add(value);
            }

            return id;
        }

        (int Start, int Count) List(ImmutableArray<string> values)
        {
            var start = lists.Count;
            foreach (var value in values.IsDefault ? [] : values)
            {
                lists.Add(Intern(value));
            }

            return (start, lists.Count - start);
        }
    }

    /// <summary>Reads and checks what <see cref="Write"/> wrote, decoding nothing.</summary>
    public static PaperRecords Read(PaperIndexFile.Reader reader, int count, object owner)
    {
        var strings = reader.Table();
        var rows = reader.Block<int>();
        var lists = reader.Block<int>();
        if (count < 0 || rows.Length != (long)count * Width)
        {
            throw new InvalidDataException("damaged records");
        }

        FlatCheck.Range(lists.Span, 0, strings.Count);
        var all = rows.Span;
        for (var p = 0; p < count; p++)
        {
            var row = all.Slice(p * Width, Width);
            if (row[0] < 0 || row[1] < 0 || row[6] is < 0 or > (int)PaperDecision.Submitted
                || row[2] < 0 || row[3] < 0 || row[2] > lists.Length - row[3] || row[9] < 0 || row[10] < 0 || row[9] > lists.Length - row[10])
            {
                throw new InvalidDataException("a damaged record");
            }

            var published = ((long)row[14] << 32) | (uint)row[13];
            if (published != long.MinValue && published is < MinPublished or > MaxPublished)
            {
                throw new InvalidDataException("a damaged record");
            }

            foreach (var field in (ReadOnlySpan<int>)[0, 1, 4, 5, 7, 8, 11, 12, 15])
            {
                if (row[field] < -1 || row[field] >= strings.Count)
                {
                    throw new InvalidDataException("a damaged record");
                }
            }
        }

        var ids = new KeyIndex(reader.Block<int>(), reader.Block<int>(), count);
        return new PaperRecords(count, strings, rows, lists, ids, owner);
    }
}
