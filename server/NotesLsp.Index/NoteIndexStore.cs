// Layer invariant: NotesLsp.Index keeps what the workspace features need of each note (a NoteSummary) in one
// SQLite database per workspace folder, in the user's cache directory. It is a cache, never the truth: every
// entry carries the file's size, modification time and content hash, the caller checks them against the disk,
// and a database that is damaged, foreign, from another schema or locked for good is moved aside and rebuilt.
// It knows nothing of LSP or JSON; all SQLite access is plain SqliteCommand/SqliteDataReader code (no reflection,
// so it works under NativeAOT).
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using NotesLsp.Analysis;

namespace NotesLsp.Index;

/// <summary>One note as the index remembers it.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Size">Its length in bytes when it was read.</param>
/// <param name="ModifiedTicks">Its last write time (UTC ticks) when it was read.</param>
/// <param name="Hash">The first 16 bytes of the SHA-256 of its bytes.</param>
/// <param name="Summary">What was read from it.</param>
public sealed record IndexedNote(string Path, long Size, long ModifiedTicks, byte[] Hash, NoteSummary Summary);

/// <summary>Who may use a database: the workspace folder it indexes and the server version that wrote it.</summary>
public sealed record IndexIdentity(string WorkspaceFolder, string ServerVersion);

/// <summary>
/// The persistent index of one workspace folder. Thread-safe (one connection, used under a lock). Two servers
/// (two editor windows) may use the same file at once: the database is in WAL mode, so readers never wait for a
/// writer, and writers wait for each other up to the busy timeout. Every write is one transaction, so a server
/// killed mid-write leaves the last committed state.
/// </summary>
public sealed class NoteIndexStore : IDisposable
{
    /// <summary>The layout of the tables below, with the summary blob's layout folded in.</summary>
    public const int SchemaVersion = 100 + SummaryCodec.Version;

    /// <summary>"NLSP": marks the file as ours, so a foreign SQLite database at this path is never read or changed.</summary>
    public const int ApplicationId = 0x4E4C5350;

    /// <summary>How long a write waits for another server's write before giving up (the index is a cache: the next start re-checks).</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private readonly object gate = new();
    private readonly IndexIdentity identity;
    private readonly Action<string> log;
    private SqliteConnection? connection;

    /// <summary>
    /// Why SQLite cannot be used in this process, or null when it can. Microsoft.Data.Sqlite finds SQLitePCLRaw's
    /// bundle by reflection when nothing initialised it; calling the bundle directly keeps that path out (trimming
    /// and NativeAOT keep what is called). The bundle then binds the native library e_sqlite3 by P/Invoke:
    /// libe_sqlite3.so / libe_sqlite3.dylib / e_sqlite3.dll beside the program (runtimes/RID/native in a
    /// framework-dependent build). A package without it for this platform leaves the index off, never the server down.
    /// </summary>
    public static string? NativeProblem => NativeLoad.Value;

    private static readonly Lazy<string?> NativeLoad = new(() =>
    {
        try
        {
            SQLitePCL.Batteries_V2.Init();
            return null;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException or TypeLoadException)
        {
            return $"SQLite's native library (e_sqlite3) did not load: {exception.GetBaseException().Message}";
        }
    });

    private NoteIndexStore(string path, IndexIdentity identity, Action<string> log)
    {
        DatabasePath = path;
        this.identity = identity;
        this.log = log;
    }

    /// <summary>The SQLite library's version (proves the native library loaded).</summary>
    public static string NativeVersion
    {
        get
        {
            if (NativeProblem is { } native)
            {
                throw new InvalidOperationException(native);
            }

            using var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            return Scalar(connection, "SELECT sqlite_version()") as string ?? "?";
        }
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>True after the database had to be moved aside and started empty in this process.</summary>
    public bool WasRebuilt { get; private set; }

    /// <summary>
    /// The database file for a workspace folder: <c>CACHE/index/HASH.db</c>, where HASH names the folder's full
    /// path (so the index is never in the workspace, and two folders never share one).
    /// </summary>
    public static string PathFor(string cacheDirectory, string workspaceFolder)
    {
        ArgumentNullException.ThrowIfNull(cacheDirectory);
        ArgumentNullException.ThrowIfNull(workspaceFolder);
        var full = System.IO.Path.GetFullPath(workspaceFolder).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..20];
        return System.IO.Path.Combine(cacheDirectory, "index", hash + ".db");
    }

    /// <summary>
    /// Opens (or creates) the database. A file that is not a database, is damaged, truncated, written by another
    /// program or another schema, or stays locked past the busy timeout is moved aside (<c>.db.damaged</c>) and a new
    /// one created, with one log line. Returns null only when no database can be created at all (then the server
    /// works without one, as before).
    /// </summary>
    public static NoteIndexStore? Open(string path, IndexIdentity identity, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(log);
        if (NativeProblem is { } native)
        {
            log($"the note index is off: {native}");
            return null;
        }

        var store = new NoteIndexStore(path, identity, log);
        try
        {
            if (System.IO.Path.GetDirectoryName(path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log($"the note index is off: cannot create {System.IO.Path.GetDirectoryName(path)}: {exception.Message}");
            return null;
        }

        if (store.TryConnect(out var problem))
        {
            return store;
        }

        store.MoveAside(problem!);
        if (store.TryConnect(out var again))
        {
            return store;
        }

        log($"the note index is off: cannot create {path}: {again}");
        store.Dispose();
        return null;
    }

    /// <summary>
    /// Every note in the index. A damaged database is moved aside and rebuilt empty; the result is then empty.
    /// Rows are read in batches and each batch's summaries decoded on all cores before the next is read, so the
    /// raw blobs of only one batch are held at a time (all of them were 140 MB at 100,000 notes, on top of the
    /// decoded summaries, and made the peak of a reopen).
    /// </summary>
    public IReadOnlyList<IndexedNote> ReadNotes(StringPool? pool = null)
    {
        const int Batch = 4096;
        var result = new List<IndexedNote>();
        var rows = new List<(string Path, long Size, long Modified, byte[] Hash, int At, int Length)>(Batch);
        var decoded = new IndexedNote[Batch];

        // A batch's summaries are read into one rented buffer, not an array each (they were a tenth of a reopen's
        // allocations at 100,000 notes): they are decoded at once, and the buffer serves the next batch.
        var blobs = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        lock (gate)
        {
            try
            {
                // The rows are stepped through SQLite's own statement API: Microsoft.Data.Sqlite's GetBytes opens a
                // blob stream for each call (column metadata, a blob handle; 6% of a 100,000-note reopen's CPU), while
                // sqlite3_column_blob hands over the row's bytes in place, copied once into the batch's buffer.
                var database = Connection.Handle ?? throw new InvalidOperationException("the note index is not open");
                var rc = raw.sqlite3_prepare_v2(database, "SELECT path, size, mtime, hash, summary FROM notes", out var statement);
                using var owned = statement;
                SqliteException.ThrowExceptionForRC(rc, database);
                var more = true;
                while (more)
                {
                    rows.Clear();
                    var used = 0;
                    while (rows.Count < Batch && (more = Step(statement, database)))
                    {
                        Expect(statement, 0, raw.SQLITE_TEXT, "path");
                        Expect(statement, 1, raw.SQLITE_INTEGER, "size");
                        Expect(statement, 2, raw.SQLITE_INTEGER, "mtime");
                        Expect(statement, 3, raw.SQLITE_BLOB, "hash");
                        Expect(statement, 4, raw.SQLITE_BLOB, "summary");
                        var summary = raw.sqlite3_column_blob(statement, 4);
                        var length = summary.Length;
                        if (used + length > blobs.Length)
                        {
                            var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(used + length, blobs.Length * 2));
                            blobs.AsSpan(0, used).CopyTo(larger);
                            System.Buffers.ArrayPool<byte>.Shared.Return(blobs);
                            blobs = larger;
                        }

                        summary.CopyTo(blobs.AsSpan(used));
                        var path = Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, 0));
                        rows.Add((path, raw.sqlite3_column_int64(statement, 1), raw.sqlite3_column_int64(statement, 2), raw.sqlite3_column_blob(statement, 3).ToArray(), used, length));
                        used += length;
                    }

                    var batch = blobs;
                    Parallel.For(0, rows.Count, i =>
                    {
                        var (path, size, modified, hash, at, length) = rows[i];
                        decoded[i] = new IndexedNote(path, size, modified, hash, SummaryCodec.Decode(batch.AsSpan(at, length), pool));
                    });
                    result.AddRange(decoded.AsSpan(0, rows.Count));
                }

                return result;
            }
            catch (Exception exception) when (exception is SqliteException or InvalidCastException or InvalidDataException || exception is AggregateException { InnerExceptions: var inner } && inner.All(e => e is InvalidDataException))
            {
                Recover(exception is AggregateException aggregate ? aggregate.InnerExceptions[0].Message : exception.Message);
                return [];
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(blobs);
            }
        }
    }

    /// <summary>Steps <paramref name="statement"/> to its next row: false at the end; an error (busy past the timeout, a damaged page) throws <see cref="SqliteException"/>.</summary>
    private static bool Step(sqlite3_stmt statement, sqlite3 database)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }

        return false;
    }

    /// <summary>A row whose column holds another type than the schema's (a foreign or damaged table) is damage, like a summary that does not decode.</summary>
    private static void Expect(sqlite3_stmt statement, int column, int type, string name)
    {
        if (raw.sqlite3_column_type(statement, column) != type)
        {
            throw new InvalidDataException($"the column {name} of a note holds another type than the schema's");
        }
    }

    /// <summary>
    /// Replaces the entries of <paramref name="upserts"/> and removes those of <paramref name="deletes"/>, in one
    /// transaction. Returns false (with a log line) when another server held the database past the busy timeout;
    /// a damaged database is moved aside and rebuilt with these entries.
    /// </summary>
    public bool WriteNotes(IReadOnlyCollection<IndexedNote> upserts, IReadOnlyCollection<string> deletes)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(deletes);
        if (upserts.Count == 0 && deletes.Count == 0)
        {
            return true;
        }

        lock (gate)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var transaction = Connection.BeginTransaction(deferred: false);
                    DeletePaths(transaction, "DELETE FROM notes WHERE path = $path", deletes);

                    using (var upsert = Connection.CreateCommand())
                    {
                        upsert.Transaction = transaction;
                        upsert.CommandText = "INSERT OR REPLACE INTO notes (path, size, mtime, hash, title, summary) VALUES ($path, $size, $mtime, $hash, $title, $summary)";
                        var path = upsert.Parameters.Add("$path", SqliteType.Text);
                        var size = upsert.Parameters.Add("$size", SqliteType.Integer);
                        var mtime = upsert.Parameters.Add("$mtime", SqliteType.Integer);
                        var hash = upsert.Parameters.Add("$hash", SqliteType.Blob);
                        var title = upsert.Parameters.Add("$title", SqliteType.Text);
                        var summary = upsert.Parameters.Add("$summary", SqliteType.Blob);
                        foreach (var note in upserts)
                        {
                            path.Value = note.Path;
                            size.Value = note.Size;
                            mtime.Value = note.ModifiedTicks;
                            hash.Value = note.Hash;
                            title.Value = (object?)note.Summary.Title ?? DBNull.Value;
                            summary.Value = SummaryCodec.Encode(note.Summary);
                            upsert.ExecuteNonQuery();
                        }
                    }

                    transaction.Commit();
                    return true;
                }
                catch (SqliteException exception) when (IsBusy(exception))
                {
                    log($"the note index is busy (another server is writing {DatabasePath}); {upserts.Count + deletes.Count} changes are not saved this time");
                    return false;
                }
                catch (SqliteException exception) when (attempt == 0)
                {
                    Recover(exception.Message);
                }
                catch (SqliteException exception)
                {
                    log($"could not write the note index {DatabasePath}: {exception.Message}");
                    return false;
                }
            }
        }
    }

    /// <summary>Stored results of <c>notes-lsp check</c> for one settings key: path -> (content hash, result blob).</summary>
    public IReadOnlyDictionary<string, (byte[] Hash, byte[] Result)> ReadCheckResults(string settingsKey)
    {
        ArgumentNullException.ThrowIfNull(settingsKey);
        lock (gate)
        {
            try
            {
                var result = new Dictionary<string, (byte[], byte[])>(StringComparer.Ordinal);
                using var command = Connection.CreateCommand();
                command.CommandText = "SELECT path, hash, result FROM check_results WHERE settings = $settings";
                command.Parameters.AddWithValue("$settings", settingsKey);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    result[reader.GetString(0)] = ((byte[])reader.GetValue(1), (byte[])reader.GetValue(2));
                }

                return result;
            }
            catch (Exception exception) when (exception is SqliteException or InvalidCastException)
            {
                Recover(exception.Message);
                return new Dictionary<string, (byte[], byte[])>();
            }
        }
    }

    /// <summary>Replaces the stored check results (for every settings key: a run with other settings starts over).</summary>
    public bool WriteCheckResults(string settingsKey, IReadOnlyCollection<(string Path, byte[] Hash, byte[] Result)> results, IReadOnlyCollection<string> deletes)
    {
        ArgumentNullException.ThrowIfNull(settingsKey);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(deletes);
        lock (gate)
        {
            try
            {
                using var transaction = Connection.BeginTransaction(deferred: false);
                using (var clear = Connection.CreateCommand())
                {
                    clear.Transaction = transaction;
                    clear.CommandText = "DELETE FROM check_results WHERE settings <> $settings";
                    clear.Parameters.AddWithValue("$settings", settingsKey);
                    clear.ExecuteNonQuery();
                }

                DeletePaths(transaction, "DELETE FROM check_results WHERE path = $path", deletes);

                using (var upsert = Connection.CreateCommand())
                {
                    upsert.Transaction = transaction;
                    upsert.CommandText = "INSERT OR REPLACE INTO check_results (path, hash, settings, result) VALUES ($path, $hash, $settings, $result)";
                    var path = upsert.Parameters.Add("$path", SqliteType.Text);
                    var hash = upsert.Parameters.Add("$hash", SqliteType.Blob);
                    upsert.Parameters.AddWithValue("$settings", settingsKey);
                    var result = upsert.Parameters.Add("$result", SqliteType.Blob);
                    foreach (var entry in results)
                    {
                        path.Value = entry.Path;
                        hash.Value = entry.Hash;
                        result.Value = entry.Result;
                        upsert.ExecuteNonQuery();
                    }
                }

                transaction.Commit();
                return true;
            }
            catch (SqliteException exception)
            {
                log($"could not write check results to the note index {DatabasePath}: {exception.Message}");
                return false;
            }
        }
    }

    /// <summary>The content hash the index stores: the first 16 bytes of SHA-256.</summary>
    public static byte[] HashOf(ReadOnlySpan<byte> bytes) => SHA256.HashData(bytes)[..16];

    public void Dispose()
    {
        lock (gate)
        {
            connection?.Dispose();
            connection = null;
        }
    }

    private SqliteConnection Connection => connection ?? throw new ObjectDisposedException(nameof(NoteIndexStore));

    /// <summary>Runs a <c>DELETE ... WHERE path = $path</c> once per path, inside the caller's transaction.</summary>
    private void DeletePaths(SqliteTransaction transaction, string sql, IReadOnlyCollection<string> paths)
    {
        using var delete = Connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = sql;
        var path = delete.Parameters.Add("$path", SqliteType.Text);
        foreach (var deleted in paths)
        {
            path.Value = deleted;
            delete.ExecuteNonQuery();
        }
    }

    private static bool IsBusy(SqliteException exception) =>
        exception.SqliteErrorCode is 5 or 6; // SQLITE_BUSY, SQLITE_LOCKED

    /// <summary>Opens the file and checks or creates the schema; on failure, says why in <paramref name="problem"/>.</summary>
    private bool TryConnect(out string? problem)
    {
        problem = null;
        var candidate = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString());
        try
        {
            candidate.Open();
            Execute(candidate, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
            // Read and create in one write transaction: a second server opening the same new file at the same moment
            // (two editor windows) waits here, then finds the schema complete, instead of reading the first one's
            // half-written header and taking the file for another program's database.
            using (var transaction = candidate.BeginTransaction(deferred: false))
            {
                var applicationId = Convert.ToInt64(Scalar(candidate, "PRAGMA application_id", transaction), System.Globalization.CultureInfo.InvariantCulture);
                var userVersion = Convert.ToInt64(Scalar(candidate, "PRAGMA user_version", transaction), System.Globalization.CultureInfo.InvariantCulture);
                var tables = Convert.ToInt64(Scalar(candidate, "SELECT count(*) FROM sqlite_schema", transaction), System.Globalization.CultureInfo.InvariantCulture);
                if (tables == 0 && applicationId == 0)
                {
                    CreateSchema(candidate, transaction);
                }
                else if (applicationId != ApplicationId)
                {
                    problem = "not a notes-lsp index (another program's database)";
                }
                else if (userVersion != SchemaVersion)
                {
                    problem = $"written with schema {userVersion}, this server uses {SchemaVersion}";
                }

                transaction.Commit();
            }

            if (problem is null)
            {
                if (!string.Equals(Scalar(candidate, "PRAGMA journal_mode = WAL") as string, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    problem = "cannot use write-ahead logging";
                }
                else
                {
                    CheckIdentity(candidate);
                }
            }
        }
        catch (SqliteException exception)
        {
            problem = IsBusy(exception) ? $"locked by another process for more than {BusyTimeout.TotalSeconds:F0} s" : exception.Message;
        }

        if (problem is not null)
        {
            candidate.Dispose();
            return false;
        }

        connection = candidate;
        return true;
    }

    private static void CreateSchema(SqliteConnection candidate, SqliteTransaction transaction)
    {
        foreach (var statement in new[]
        {
            $"PRAGMA application_id = {ApplicationId}",
            $"PRAGMA user_version = {SchemaVersion}",
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE notes (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL, hash BLOB NOT NULL, title TEXT, summary BLOB NOT NULL)",
            "CREATE TABLE check_results (path TEXT PRIMARY KEY, hash BLOB NOT NULL, settings TEXT NOT NULL, result BLOB NOT NULL)",
        })
        {
            using var command = candidate.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// A database of another folder (a hash collision, or a copied cache) or of another server version is emptied:
    /// the summaries a different version computed may differ from what this one computes.
    /// </summary>
    private void CheckIdentity(SqliteConnection candidate)
    {
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = candidate.CreateCommand())
        {
            command.CommandText = "SELECT key, value FROM meta";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                stored[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var folder = stored.GetValueOrDefault("folder");
        var version = stored.GetValueOrDefault("server_version");
        if (folder == identity.WorkspaceFolder && version == identity.ServerVersion)
        {
            return;
        }

        using var transaction = candidate.BeginTransaction(deferred: false);
        foreach (var statement in new[] { "DELETE FROM notes", "DELETE FROM check_results", "DELETE FROM meta" })
        {
            using var command = candidate.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }

        using (var insert = candidate.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO meta (key, value) VALUES ('folder', $folder), ('server_version', $version)";
            insert.Parameters.AddWithValue("$folder", identity.WorkspaceFolder);
            insert.Parameters.AddWithValue("$version", identity.ServerVersion);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        if (folder is not null)
        {
            log(folder != identity.WorkspaceFolder
                ? $"the note index {DatabasePath} belonged to {folder}; rebuilding it for {identity.WorkspaceFolder}"
                : $"the note index {DatabasePath} was written by notes-lsp {version}; rebuilding it for {identity.ServerVersion}");
        }
    }

    /// <summary>A damaged database found while in use: moved aside and started again, empty.</summary>
    private void Recover(string problem)
    {
        connection?.Dispose();
        connection = null;
        MoveAside(problem);
        if (!TryConnect(out var again))
        {
            throw new IOException($"cannot recreate the note index {DatabasePath}: {again}");
        }
    }

    private void MoveAside(string problem)
    {
        SqliteConnection.ClearAllPools();
        var aside = DatabasePath + ".damaged";
        try
        {
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                File.Delete(DatabasePath + suffix);
            }

            if (File.Exists(DatabasePath))
            {
                File.Move(DatabasePath, aside, overwrite: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log($"the note index {DatabasePath} is unusable ({problem}) and cannot be moved aside: {exception.Message}");
            return;
        }

        WasRebuilt = true;
        log($"the note index {DatabasePath} was unusable ({problem}); moved it to {aside} and rebuilding");
    }

    private static void Execute(SqliteConnection candidate, string sql)
    {
        using var command = candidate.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection candidate, string sql, SqliteTransaction? transaction = null)
    {
        using var command = candidate.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
