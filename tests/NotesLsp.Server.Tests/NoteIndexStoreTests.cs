using System.Collections.Immutable;
using System.Text;
using Microsoft.Data.Sqlite;
using NotesLsp.Analysis;
using NotesLsp.Index;
using NotesLsp.Text;

namespace NotesLsp.Server.Tests;

/// <summary>The persistent index as a database: round trips, damage of every kind, and two writers at once.</summary>
public sealed class NoteIndexStoreTests : IDisposable
{
    private static readonly IndexIdentity Identity = new("/work/notes", "1.0.0");
    private readonly string directory = Directory.CreateTempSubdirectory("notes-lsp-store-").FullName;
    private readonly List<string> log = [];

    private string DatabasePath => Path.Combine(directory, "index.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void The_native_sqlite_library_loads()
    {
        var version = NoteIndexStore.NativeVersion.Split('.');
        Assert.Equal("3", version[0]);
        Assert.True(int.Parse(version[1], System.Globalization.CultureInfo.InvariantCulture) >= 40);
    }

    /// <summary>Writes the entries with one store, reads them back with another (by path), and checks none is missing.</summary>
    private Dictionary<string, IndexedNote> WrittenAndReadBack(List<IndexedNote> entries)
    {
        using (var store = Open())
        {
            Assert.True(store.WriteNotes(entries, []));
        }

        using var reopened = Open();
        var read = reopened.ReadNotes().ToDictionary(e => e.Path);
        Assert.Equal(entries.Count, read.Count);
        return read;
    }

    [Fact]
    public void Summaries_of_real_notes_round_trip_through_the_database()
    {
        var examples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.md");
        var entries = examples.Select(Entry).ToList();
        var read = WrittenAndReadBack(entries);
        foreach (var entry in entries)
        {
            var back = read[entry.Path];
            Assert.Equal(entry.Size, back.Size);
            Assert.Equal(entry.ModifiedTicks, back.ModifiedTicks);
            Assert.Equal(entry.Hash, back.Hash);
            Assert.Equal(SummaryCodec.Encode(entry.Summary), SummaryCodec.Encode(back.Summary));
            Assert.Equal(entry.Summary.Headings.ToArray(), back.Summary.Headings.ToArray());
            Assert.Equal(entry.Summary.Tags.ToArray(), back.Summary.Tags.ToArray());
            Assert.Equal(entry.Summary.Links.ToArray(), back.Summary.Links.ToArray());
        }

        Assert.Empty(log);
        Assert.Contains(entries, e => e.Summary.Headings.Length > 3 && e.Summary.Tags.Length > 0 && e.Summary.FrontMatterKeys.Contains("title"));
    }

    public static TheoryData<string> Damage => ["random bytes", "truncated", "foreign database", "other schema", "zero-length header garbage"];

    [Theory]
    [MemberData(nameof(Damage))]
    public void A_damaged_or_foreign_database_is_moved_aside_and_rebuilt_with_one_log_line(string damage)
    {
        switch (damage)
        {
            case "random bytes":
                File.WriteAllBytes(DatabasePath, [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7919 % 251))]);
                break;
            case "zero-length header garbage":
                File.WriteAllText(DatabasePath, "SQLite format 3\0 but not really");
                break;
            case "truncated":
                using (var store = Open())
                {
                    store.WriteNotes([.. Enumerable.Range(0, 3000).Select(i => Entry($"/work/notes/n{i:D5}.md", $"---\ntitle: Note {i}\ntags: [a{i % 50}, b]\n---\n# Heading {i}\n\n{new string('x', 200)}\n"))], []);
                }

                SqliteConnection.ClearAllPools();
                using (var file = new FileStream(DatabasePath, FileMode.Open))
                {
                    file.SetLength(file.Length / 2);
                }

                break;
            case "foreign database":
                using (var foreign = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
                {
                    foreign.Open();
                    using var command = foreign.CreateCommand();
                    command.CommandText = "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('cat.jpg');";
                    command.ExecuteNonQuery();
                }

                break;
            case "other schema":
                using (var old = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
                {
                    old.Open();
                    using var command = old.CreateCommand();
                    command.CommandText = $"PRAGMA application_id = {NoteIndexStore.ApplicationId}; PRAGMA user_version = 1; CREATE TABLE notes (path TEXT);";
                    command.ExecuteNonQuery();
                }

                break;
        }

        var original = File.ReadAllBytes(DatabasePath);
        log.Clear();
        using (var store = Open())
        {
            // Usable whatever it found: nothing from the damaged file is trusted, and writes work.
            var read = store.ReadNotes();
            Assert.Empty(read);
            Assert.True(store.WriteNotes([Entry("/work/notes/a.md", "# A\n")], []));
            Assert.Single(store.ReadNotes());
        }

        var line = Assert.Single(log);
        Assert.Contains("moved it to", line, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(DatabasePath + ".damaged"));
    }

    [Fact]
    public void A_database_locked_by_another_process_past_the_busy_timeout_is_moved_aside()
    {
        using (var store = Open())
        {
            store.WriteNotes([Entry("/work/notes/a.md", "# A\n")], []);
        }

        using var holder = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        holder.Open();
        using (var command = holder.CreateCommand())
        {
            // An exclusive lock in rollback-journal mode keeps every other connection out until it ends.
            command.CommandText = "PRAGMA journal_mode = DELETE; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;";
            command.ExecuteNonQuery();
        }

        log.Clear();
        using var second = Open();
        Assert.True(second.WriteNotes([Entry("/work/notes/b.md", "# B\n")], []));
        Assert.Single(second.ReadNotes());
        Assert.Contains("locked", Assert.Single(log), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_server_version_or_folder_empties_the_index_with_one_log_line()
    {
        using (var store = Open())
        {
            store.WriteNotes([Entry("/work/notes/a.md", "# A\n")], []);
        }

        using (var newer = NoteIndexStore.Open(DatabasePath, Identity with { ServerVersion = "2.0.0" }, log.Add)!)
        {
            Assert.Empty(newer.ReadNotes());
            Assert.Contains("written by notes-lsp 1.0.0", Assert.Single(log), StringComparison.Ordinal);
            newer.WriteNotes([Entry("/work/notes/a.md", "# A\n")], []);
        }

        log.Clear();
        using var elsewhere = NoteIndexStore.Open(DatabasePath, new IndexIdentity("/elsewhere", "2.0.0"), log.Add)!;
        Assert.Empty(elsewhere.ReadNotes());
        Assert.Contains("belonged to /work/notes", Assert.Single(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_servers_read_and_write_the_same_index_at_once()
    {
        using var first = Open();
        using var second = Open();
        var errors = new List<Exception>();
        async Task Writer(NoteIndexStore store, string prefix)
        {
            await Task.Yield();
            for (var round = 0; round < 20; round++)
            {
                try
                {
                    Assert.True(store.WriteNotes([.. Enumerable.Range(0, 50).Select(i => Entry($"/work/notes/{prefix}{round:D2}-{i:D2}.md", $"# {prefix} {round} {i}\n"))], []));
                    _ = store.ReadNotes();
                }
                catch (Exception exception)
                {
                    lock (errors)
                    {
                        errors.Add(exception);
                    }
                }
            }
        }

        await Task.WhenAll(Task.Run(() => Writer(first, "a")), Task.Run(() => Writer(second, "b")));
        Assert.Empty(errors);
        Assert.Empty(log);
        Assert.Equal(2000, first.ReadNotes().Count);
        Assert.Equal(2000, second.ReadNotes().Count);
    }

    [Fact]
    public void Summaries_read_in_several_batches_and_past_the_read_buffer_round_trip()
    {
        // More rows than one read batch (4,096), and summaries that together and alone outgrow the first read buffer
        // (1 MB): each must come back as written, none mixed with its neighbours' bytes.
        var big = "---\ntitle: Big\ntags: [a, b]\n---\n" + string.Concat(Enumerable.Range(0, 40_000).Select(i => $"# Heading {i}\n"));
        var entries = Enumerable.Range(0, 5_000)
            .Select(i => Entry($"/work/notes/{i:D5}.md", i % 1_000 == 7 ? big : $"---\ntitle: Note {i}\ntags: [t{i % 13}]\n---\n# H{i}\n[P](https://openreview.net/forum?id=x{i})\n"))
            .ToList();
        var read = WrittenAndReadBack(entries);
        foreach (var entry in entries)
        {
            Assert.Equal(SummaryCodec.Encode(entry.Summary), SummaryCodec.Encode(read[entry.Path].Summary));
            Assert.Equal(entry.Hash, read[entry.Path].Hash);
        }

        Assert.True(SummaryCodec.Encode(entries[7].Summary).Length > 1 << 20);
        Assert.Empty(log);
    }

    /// <summary>Rows the schema allows but this server did not write: SQLite keeps a text in a BLOB or INTEGER column as text.</summary>
    public static TheoryData<string> DamagedRows => ["UPDATE notes SET summary = x'FFFFFFFF0102'", "UPDATE notes SET hash = 'not a hash'", "UPDATE notes SET size = 'large'", "UPDATE notes SET summary = 'text'"];

    [Theory]
    [MemberData(nameof(DamagedRows))]
    public void A_row_that_does_not_read_back_counts_as_damage(string damage)
    {
        using (var store = Open())
        {
            store.WriteNotes([Entry("/work/notes/a.md", "# A\n")], []);
        }

        using (var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            raw.Open();
            using var command = raw.CreateCommand();
            command.CommandText = damage;
            command.ExecuteNonQuery();
        }

        using var reopened = Open();
        Assert.Empty(reopened.ReadNotes());
        Assert.Contains("moved it to", Assert.Single(log), StringComparison.Ordinal);
    }

    internal static IndexedNote Entry(string path) => Entry(path, File.ReadAllText(path));

    internal static IndexedNote Entry(string path, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var note = new Note(DocumentUris.FromPath(path), SourceText.From(text));
        return new IndexedNote(path, bytes.Length, 638_000_000_000_000_000 + text.Length, NoteIndexStore.HashOf(bytes), NoteSummary.Of(note, ImmutableArray.Create("tags", "categories")));
    }

    private NoteIndexStore Open() => NoteIndexStore.Open(DatabasePath, Identity, log.Add) ?? throw new InvalidOperationException("no store");
}
