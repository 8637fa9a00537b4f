using System.Diagnostics;
using System.Text.Json;
using NotesLsp.Analysis;
using NotesLsp.Index;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>Settings, the start-up scan with progress, and file-watcher events.</summary>
public sealed partial class LanguageServer
{
    /// <summary>
    /// How many notes the start-up scan reads before publishing them in one mutation: small enough that applying a batch
    /// holds the request queue for a few milliseconds, large enough that the per-batch work of the indexes (merging
    /// each touched tag's and heading's sorted list of notes) stays small beside reading the notes.
    /// </summary>
    internal const int ScanBatchSize = 500;

    /// <summary>The largest scan batch (<see cref="ScanBatchFor"/>).</summary>
    internal const int MaxScanBatchSize = 4000;

    /// <summary>
    /// The size of the next scan batch once <paramref name="read"/> notes have been read: <see cref="ScanBatchSize"/>
    /// at first, then an eighth of what was read, up to <see cref="MaxScanBatchSize"/>. Every batch copies the sorted
    /// note lists of the tags and headings it touches, and popular ones grow with the workspace: 200 batches of 500
    /// copied lists of up to 50,000 notes 200 times over, large-object allocations that made a 100,000-note first
    /// open spend a third of its time in full collections. Growing batches make the copying linear in the workspace.
    /// </summary>
    internal static int ScanBatchFor(int read) => Math.Clamp(read / 8, ScanBatchSize, MaxScanBatchSize);

    /// <summary>The (start, length) of each scan batch over <paramref name="count"/> notes, sized by <see cref="ScanBatchFor"/>.</summary>
    internal static IEnumerable<(int Start, int Length)> ScanBatches(int count)
    {
        for (var start = 0; start < count;)
        {
            var length = Math.Min(ScanBatchFor(start), count - start);
            yield return (start, length);
            start += length;
        }
    }

    /// <summary>
    /// The managed heap as the last collection left it, for the "indexed" log line: what the notes keep (the heap
    /// after a collection) against what the GC holds from the system (committed), the two parts of the peak RSS the
    /// scale benchmark reports.
    /// </summary>
    private static string HeapAfterLastCollection()
    {
        var info = GC.GetGCMemoryInfo();
        return $"heap after the last collection {info.HeapSizeBytes >> 20} MB ({info.FragmentedBytes >> 20} MB fragmented), committed {info.TotalCommittedBytes >> 20} MB";
    }

    private readonly SemaphoreSlim scanGate = new(1, 1);
    private int scanGeneration;
    private int indexOpened;

    /// <summary>Where the persistent index goes when <c>notes.index.directory</c> is not set (null: the user's cache directory; tests set a temporary one).</summary>
    internal string? IndexDirectory { get; set; }

    /// <summary>Awaited after the index is loaded and before the disk is checked (tests hold the scan there).</summary>
    internal Func<Task>? BeforeDiskCheck { get; set; }
    private readonly object saveGate = new();
    private WorkspaceIndexes indexes = WorkspaceIndexes.None;
    private Task saving = Task.CompletedTask;
    private CancellationTokenSource? currentScan;

    private async Task OnInitializedAsync()
    {
        try
        {
            if (clientCapabilities.Has("workspace", "didChangeWatchedFiles", "dynamicRegistration"))
            {
                var watchers = new DidChangeWatchedFilesRegistrationOptions([new Protocol.FileSystemWatcher("**/*.{md,markdown}", null), new Protocol.FileSystemWatcher("**/", 4), new Protocol.FileSystemWatcher("**/*.{yaml,yml}", null)]);
                await rpc.SendRequestAsync("client/registerCapability",
                    new RegistrationParams([new Registration("notes-watch", "workspace/didChangeWatchedFiles", watchers)]), lifetime.Token);
            }

            await PullSettingsAsync();
            await ReloadSchemaFileAsync();
            await ScanWorkspaceAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log.Error($"start-up failed: {exception}");
            indexed.TrySetResult();
        }
    }

    [JsonRpcMethod("workspace/didChangeConfiguration", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeConfiguration(DidChangeConfigurationParams? parameters) => Guard(() =>
    {
        if (parameters?.Settings is { ValueKind: JsonValueKind.Object } settings && settings.TryGetProperty("notes", out var notes))
        {
            ApplySettingsJson(notes, "didChangeConfiguration");
            return;
        }

        // VS Code sends null settings and expects the server to pull them.
        _ = PullSettingsAsync();
    });

    [JsonRpcMethod("workspace/didChangeWatchedFiles", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeWatchedFiles(DidChangeWatchedFilesParams parameters) => Guard(() =>
    {
        var changes = parameters.Changes ?? [];
        try
        {
            foreach (var change in changes)
            {
                var uri = DocumentUris.Normalize(change.Uri);
                var path = DocumentUris.ToPath(uri);
                if (path is null || OnSchemaFileEvent(path))
                {
                    continue;
                }

                // A deleted folder arrives as one event for the folder; any other path is a note if it looks like one.
                if (change.Type == FileChangeType.Deleted || DocumentUris.IsNoteFile(path))
                {
                    watchedFiles.Add(uri, path);
                }
            }
        }
        finally
        {
            // Counted even when an event is malformed, so that a client waiting for its events is not left waiting.
            watchedFiles.Received(changes.Length);
        }
    });

    /// <summary>
    /// Applies a batch of coalesced file events (see <see cref="WatchedFileBatcher"/>): the files were read off the
    /// queue; this mutation only swaps notes in and out, so requests keep being answered while a change storm
    /// (a git checkout of 10,000 files) is re-indexed. The disk is the truth: a path that can be read is (re)indexed,
    /// one that cannot is dropped, and a path that was a folder drops every note below it.
    /// </summary>
    private async Task ApplyWatchedFilesAsync(IReadOnlyList<(string Uri, string Path)> batch, CancellationToken cancellationToken)
    {
        var tagKeys = queue.Current.Tags.Keys;
        var paths = batch.Select(b => b.Path).ToList();
        var read = scanner.ReadNotes(paths, tagKeys, null, cancellationToken, maxParallelism: 1);
        var byUri = read.ToDictionary(n => n.Note.Uri, StringComparer.Ordinal);
        var folders = batch.Where(b => !byUri.ContainsKey(b.Uri) && !DocumentUris.IsNoteFile(b.Path) && !Directory.Exists(b.Path)).Select(b => b.Uri.TrimEnd('/') + "/").ToList();
        var removed = new List<string>();
        await queue.EnqueueMutation("files changed", s =>
        {
            removed.Clear();
            var gone = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (uri, _) in batch)
            {
                if (!byUri.ContainsKey(uri) && s.Find(uri) is { IsOpen: false })
                {
                    gone.Add(uri);
                }
            }

            foreach (var prefix in folders)
            {
                foreach (var uri in s.Notes.Keys)
                {
                    if (uri.StartsWith(prefix, StringComparison.Ordinal) && s.Find(uri) is { IsOpen: false })
                    {
                        gone.Add(uri);
                    }
                }
            }

            var next = gone.Count == 0 ? s : s.WithoutNotes(gone.Contains);
            removed.AddRange(gone.Select(u => DocumentUris.ToPath(u)).Where(p => p is not null).Select(p => p!));

            // The editor owns the text of open notes.
            var added = read.Select(n => n.Note).Where(n => next.Find(n.Uri) is not { IsOpen: true }).ToList();
            return added.Count == 0 ? next : next.WithNotes(added);
        });
        SaveToIndex([.. read.Select(n => n.Entry)], removed, log: false);
        _ = SendStatusAsync(onlyWhenChanged: true);
    }

    /// <summary>
    /// Writes to the persistent index in the background, one write after another (in order, so a later state of a
    /// file always wins); <see cref="Dispose"/> waits for the last one, so a server that exits after the first
    /// scan of a large workspace still leaves its index behind.
    /// </summary>
    private void SaveToIndex(List<IndexedNote> upserts, List<string> deletes, bool log)
    {
        if (!indexes.IsEnabled || (upserts.Count == 0 && deletes.Count == 0))
        {
            return;
        }

        lock (saveGate)
        {
            saving = saving.ContinueWith(
                _ =>
                {
                    var write = Stopwatch.StartNew();
                    indexes.Save(upserts, deletes);
                    if (log)
                    {
                        this.log.Info($"saved {upserts.Count} notes to the index and dropped {deletes.Count} in {write.ElapsedMilliseconds} ms");
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    /// <summary>Completes when every write to the persistent index asked for so far is done.</summary>
    internal Task IndexSaved
    {
        get
        {
            lock (saveGate)
            {
                return saving;
            }
        }
    }

    private async Task PullSettingsAsync()
    {
        if (!clientCapabilities.Has("workspace", "configuration"))
        {
            return;
        }

        try
        {
            var result = await rpc.SendRequestAsync<ConfigurationParams, JsonElement[]>("workspace/configuration",
                new ConfigurationParams([new ConfigurationItem(null, "notes")]), lifetime.Token);
            if (result is { Length: > 0 } && result[0].ValueKind == JsonValueKind.Object)
            {
                ApplySettingsJson(result[0], "workspace/configuration");
            }
        }
        catch (Exception exception) when (exception is RemoteInvocationException or RemoteMethodNotFoundException or JsonException)
        {
            log.Warning($"could not read settings from the client: {exception.Message}");
        }
    }

    private void ApplySettingsJson(JsonElement json, string source)
    {
        NotesSettings parsed;
        try
        {
            parsed = LspJson.ReadSettings(json) ?? NotesSettings.Default;
        }
        catch (JsonException exception)
        {
            log.Warning($"ignored invalid settings from {source}: {exception.Message}");
            return;
        }

        // The files the settings name (allowed tags, the schema) are read before the ordered step.
        _ = queue.EnqueuePreparedMutation("settings", () =>
        {
            var settings = WithAllowedTagsFile(parsed);
            var schemaFile = ReadSchemaFile(settings.FrontMatter.Schema);
            return s =>
            {
                var excludeChanged = !s.Settings.Exclude.SequenceEqual(settings.Exclude);
                if (excludeChanged && indexed.Task.IsCompleted)
                {
                    // Runs after this mutation: the scan's first step goes through the queue.
                    _ = Task.Run(ScanWorkspaceAsync);
                }

                return s.WithSettings(settings with { FrontMatter = settings.FrontMatter with { SchemaFile = schemaFile } });
            };
        });
    }

    /// <summary>
    /// Reads every note under the workspace folders (off the queue, on all cores), then swaps them into the
    /// snapshot in one mutation that leaves open documents alone. One scan runs at a time, and a newer scan
    /// cancels an older one at once (between files), so quick <c>notes.exclude</c> changes cost one scan, not one each.
    /// </summary>
    /// <remarks>
    /// With the persistent index (see <see cref="WorkspaceIndexes"/>), the first scan starts from what the index
    /// remembers: those notes go into the snapshot at once, so completion, hover and symbols work while the disk
    /// is checked; then only files whose size or modification time changed are read (and parsed only when their
    /// content hash changed too), deleted ones are dropped, and the index is updated in the background.
    /// </remarks>
    private async Task ScanWorkspaceAsync()
    {
        var generation = Interlocked.Increment(ref scanGeneration);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
        var older = Interlocked.Exchange(ref currentScan, cancellation);
        try
        {
            older?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That scan has finished already.
        }

        try
        {
            await scanGate.WaitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            if (!lifetime.IsCancellationRequested)
            {
                log.Info("a newer scan of the workspace replaced one that had not started yet");
            }

            return;
        }

        try
        {
            await ScanOnceAsync(generation, cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested && !lifetime.IsCancellationRequested)
        {
            log.Info("a newer scan of the workspace cancelled this one");
        }
        finally
        {
            Interlocked.CompareExchange(ref currentScan, null, cancellation);
            scanGate.Release();
            indexed.TrySetResult();
        }
    }

    private async Task ScanOnceAsync(int generation, CancellationToken cancellationToken)
    {
        var token = await BeginProgressAsync("Indexing notes");
        var stopwatch = Stopwatch.StartNew();
        var ended = false;
        try
        {
            // A pass through the queue: every settings change that arrived before this scan has been applied.
            var exclude = System.Collections.Immutable.ImmutableArray<string>.Empty;
            var tagKeys = System.Collections.Immutable.ImmutableArray<string>.Empty;
            var indexSettings = new IndexSettings();
            await queue.EnqueueMutation("scan settings", s =>
            {
                exclude = s.Settings.Exclude;
                tagKeys = s.Tags.Keys;
                indexSettings = s.Settings.Index;
                return s;
            });

            var firstScan = Interlocked.Exchange(ref indexOpened, 1) == 0;

            // The folders are listed (a stat per file, mostly kernel time) while the index is read and loaded, not
            // after: at 100,000 notes the listing took 1.1-1.9 s of a reopen. A test that holds the scan before the
            // disk check (BeforeDiskCheck) gets the listing after its hold, so the changes it makes there are seen.
            long findMs = 0;
            var checkStart = 0L;
            Task<IReadOnlyList<FoundNote>> ListFiles() => Task.Run(
                () =>
                {
                    var started = stopwatch.ElapsedMilliseconds;
                    var listed = scanner.FindNoteFiles(workspaceFolders, exclude, cancellationToken);
                    findMs = stopwatch.ElapsedMilliseconds - started;
                    return listed;
                },
                cancellationToken);
            var listing = BeforeDiskCheck is null ? ListFiles() : null;
            // One pool for the whole scan, the index's notes and the notes read: a tag, heading or link URL is one string
            // however many batches hold it (a pool per batch made each batch's copies and grew each batch's table anew).
            var pool = new Analysis.StringPool();
            var remembered = await Task.Run(
                () =>
                {
                    if (firstScan)
                    {
                        indexes = WorkspaceIndexes.Open(workspaceFolders, indexSettings with { Directory = indexSettings.Directory ?? IndexDirectory }, log);
                    }

                    return indexes.ReadAll(pool);
                },
                lifetime.Token);
            var loadMs = stopwatch.ElapsedMilliseconds;
            bool Usable(IndexedNote entry) => entry.Summary.TagKeys.SequenceEqual(tagKeys, StringComparer.Ordinal);

            // The notes made from the index, by path: each path becomes a URI once (at 100,000 notes the end of the scan
            // made three more of each, for the set of files found, the unchanged notes and the deletes).
            var loaded = new Dictionary<string, Note>(StringComparer.Ordinal);
            if (firstScan && remembered.Count > 0)
            {
                // Usable at once: the remembered notes answer requests while the disk is checked below.
                var fromIndex = new List<Note>(remembered.Count);
                foreach (var entry in remembered.Values)
                {
                    if (Usable(entry))
                    {
                        var note = scanner.FromIndex(entry);
                        fromIndex.Add(note);
                        loaded[entry.Path] = note;
                    }
                }

                await queue.EnqueueBackgroundMutation("index loaded", s => s.WithNotes(fromIndex.Where(n => s.Find(n.Uri) is not { IsOpen: true })));
                log.Info($"loaded {fromIndex.Count} notes from the index in {stopwatch.ElapsedMilliseconds} ms");
            }

            if (BeforeDiskCheck is { } hold)
            {
                await hold();
            }

            checkStart = stopwatch.ElapsedMilliseconds;
            listing ??= ListFiles();
            long readMs = 0;
            var (unchanged, scanned) = await Task.Run(
                async () =>
                {
                    var files = await listing;
                    var same = new List<IndexedNote>();
                    var changed = new List<string>();
                    foreach (var file in files)
                    {
                        if (remembered.TryGetValue(file.Path, out var entry) && entry.Size == file.Size && entry.ModifiedTicks == file.ModifiedTicks && Usable(entry))
                        {
                            same.Add(entry);
                        }
                        else
                        {
                            changed.Add(file.Path);
                        }
                    }

                    _ = ReportProgressAsync(token, $"0/{changed.Count}", 0);

                    // Read and published in batches, so requests see the notes read so far instead of waiting for the
                    // whole workspace. Each batch is merged into the indexes off the queue (a background mutation) and
                    // only swapped in by it, so a request is not held behind a batch. The next batch is read meanwhile.
                    var read = new List<ScannedNote>(changed.Count);
                    var published = new List<Task>();
                    foreach (var (offset, length) in ScanBatches(changed.Count))
                    {
                        var batch = scanner.ReadNotes(
                            changed.GetRange(offset, length),
                            tagKeys,
                            done => _ = ReportProgressAsync(token, $"{offset + done}/{changed.Count}", (int)(100L * (offset + done) / Math.Max(1, changed.Count))),
                            cancellationToken,
                            previous: path => remembered.GetValueOrDefault(path),
                            deferLarge: true,
                            pool: pool);
                        if (generation != Volatile.Read(ref scanGeneration))
                        {
                            break;
                        }

                        read.AddRange(batch);
                        var notes = batch.Select(n => n.Note).ToList();

                        // At most one batch waits in the queue: reading runs ahead of applying, and a backlog of
                        // batches would put a request behind all of them (on an idle machine the first request
                        // during the scan was answered only after the whole scan).
                        if (published.Count > 0)
                        {
                            await published[^1].WaitAsync(cancellationToken);
                        }

                        published.Add(queue.EnqueueBackgroundMutation("workspace scan batch", s => s.WithNotes(notes.Where(n => s.Find(n.Uri) is not { IsOpen: true }))));
                    }

                    await Task.WhenAll(published).WaitAsync(cancellationToken);
                    return (same, read);
                },
                cancellationToken);
            readMs = stopwatch.ElapsedMilliseconds - checkStart;

            if (generation != Volatile.Read(ref scanGeneration))
            {
                return;
            }

            // What the workspace holds now: the notes read (new or changed) and the unchanged ones the index remembers.
            // A listed file that could not be read (gone, binary) is in neither, so it is dropped like a deleted one.
            var alreadyLoaded = firstScan && remembered.Count > 0;
            var unchangedNotes = unchanged.Select(e => loaded.TryGetValue(e.Path, out var note) ? note : scanner.FromIndex(e)).ToList();
            loaded.Clear();
            var found = new HashSet<string>(scanned.Count + unchangedNotes.Count, StringComparer.Ordinal);
            var foundPaths = new HashSet<string>(scanned.Count + unchanged.Count, StringComparer.Ordinal);
            foreach (var n in scanned)
            {
                found.Add(n.Note.Uri);
                foundPaths.Add(n.Entry.Path);
            }

            foreach (var n in unchangedNotes)
            {
                found.Add(n.Uri);
            }

            foreach (var e in unchanged)
            {
                foundPaths.Add(e.Path);
            }

            // The notes read from disk are in the snapshot already (in batches, above); this step drops what is gone
            // and adds the unchanged notes the index remembers when they were not loaded before.
            var notes = alreadyLoaded ? [] : unchangedNotes;
            await queue.EnqueueBackgroundMutation("workspace scan", s =>
            {
                var kept = s.WithoutNotes(uri => s.Find(uri) is { IsOpen: false } && !found.Contains(uri));
                return kept.WithNotes(notes.Where(n => kept.Find(n.Uri) is not { IsOpen: true }));
            });
            var count = queue.Current.Notes.Count;
            log.Info($"indexed {count} notes in {stopwatch.ElapsedMilliseconds} ms (index {loadMs} ms: {remembered.Count} remembered; find {findMs} ms (alongside); read {scanned.Count} new or changed {readMs} ms; GC pauses since start {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms in {GC.CollectionCount(0)} collections ({GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2), {GC.GetTotalAllocatedBytes() >> 20} MB allocated; {HeapAfterLastCollection()}; process CPU {Environment.CpuUsage.TotalTime.TotalMilliseconds:F0} ms)");

            // The save is queued before the client hears the workspace is indexed: a client that exits at once (a
            // benchmark, a short editor session) must find it queued, since exit waits only for queued saves. Queued
            // after the status, 100,000 notes' first index was lost that way (exit came while the list was made).
            var upserts = scanned.Where(n => !n.IsPartial).Select(n => n.Entry).Where(e => !remembered.TryGetValue(e.Path, out var old) || old.Size != e.Size || old.ModifiedTicks != e.ModifiedTicks || !ReferenceEquals(old.Summary, e.Summary)).ToList();
            var deletes = remembered.Keys.Where(p => !foundPaths.Contains(p)).ToList();
            remembered.Clear();
            SaveToIndex(upserts, deletes, log: true);

            ended = true;
            await EndProgressAsync(token, $"{count} notes");
            await SendStatusAsync();

            var partial = scanned.Where(n => n.IsPartial).ToList();
            if (partial.Count > 0)
            {
                _ = Task.Run(() => CompletePartialNotesAsync(partial, tagKeys), lifetime.Token);
            }
        }
        finally
        {
            if (!ended)
            {
                _ = EndProgressAsync(token, "stopped");
            }

            indexed.TrySetResult();
            _ = OfferMissingVenuesAsync(queue.Current);
        }
    }

    /// <summary>Reads the headings of the very large notes the start-up scan summarised without them, one at a time.</summary>
    private async Task CompletePartialNotesAsync(List<ScannedNote> partial, System.Collections.Immutable.ImmutableArray<string> tagKeys)
    {
        foreach (var scanned in partial)
        {
            if (lifetime.IsCancellationRequested)
            {
                return;
            }

            if (scanner.ReadSummarised(scanned.Entry.Path, tagKeys) is not { } full)
            {
                continue;
            }

            // Only if nothing replaced the note meanwhile (an edit, a file event): those brought their own summary.
            await queue.EnqueueMutation("headings of a large note", s => ReferenceEquals(s.Find(scanned.Note.Uri), scanned.Note) ? s.WithNote(full.Note) : s);
            SaveToIndex([full.Entry], [], log: false);
        }
    }

    /// <summary>Sends <c>notes/status</c> when the counts differ from the last ones sent (or always, after indexing).</summary>
    private async Task SendStatusAsync(bool onlyWhenChanged = false)
    {
        var snapshot = queue.Current;
        var status = new NotesStatusParams(snapshot.Notes.Count, Papers.Catalogs(snapshot).Count, Indexing: false);
        lock (statusGate)
        {
            if (onlyWhenChanged && (!indexed.Task.IsCompleted || status == lastStatus))
            {
                return;
            }

            lastStatus = status;
        }

        try
        {
            await rpc.SendNotificationAsync("notes/status", status);
        }
        catch (Exception exception) when (exception is ObjectDisposedException or ConnectionLostException)
        {
        }
    }

    private async Task<string?> BeginProgressAsync(string title)
    {
        if (!clientCapabilities.Has("window", "workDoneProgress"))
        {
            return null;
        }

        var token = $"notes-{Guid.NewGuid():N}";
        try
        {
            await rpc.SendRequestAsync("window/workDoneProgress/create", new WorkDoneProgressCreateParams(token), lifetime.Token);
            await rpc.SendNotificationAsync("$/progress", new ProgressParams(token, new WorkDoneProgressBegin(title, false, null, 0)));
            return token;
        }
        catch (Exception exception) when (exception is RemoteInvocationException or RemoteMethodNotFoundException or ConnectionLostException)
        {
            log.Warning($"the client refused a progress token: {exception.Message}");
            return null;
        }
    }

    private async Task ReportProgressAsync(string? token, string message, int percentage)
    {
        if (token is null)
        {
            return;
        }

        try
        {
            await rpc.SendNotificationAsync("$/progress", new ProgressParams(token, new WorkDoneProgressReport(message, percentage)));
        }
        catch (Exception exception) when (exception is ObjectDisposedException or ConnectionLostException)
        {
        }
    }

    private async Task EndProgressAsync(string? token, string message)
    {
        if (token is null)
        {
            return;
        }

        try
        {
            await rpc.SendNotificationAsync("$/progress", new ProgressParams(token, new WorkDoneProgressEnd(message)));
        }
        catch (Exception exception) when (exception is ObjectDisposedException or ConnectionLostException)
        {
        }
    }
}
