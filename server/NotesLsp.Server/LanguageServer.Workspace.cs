using System.Diagnostics;
using System.Text.Json;
using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>Settings, the start-up scan with progress, and file-watcher events.</summary>
public sealed partial class LanguageServer
{
    private readonly SemaphoreSlim scanGate = new(1, 1);
    private int scanGeneration;
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
        foreach (var change in parameters.Changes ?? [])
        {
            var uri = DocumentUris.Normalize(change.Uri);
            var path = DocumentUris.ToPath(uri);
            if (path is null || OnSchemaFileEvent(path))
            {
                continue;
            }

            if (change.Type == FileChangeType.Deleted)
            {
                // A deleted folder arrives as one event for the folder.
                var prefix = uri.TrimEnd('/') + "/";
                _ = queue.EnqueueMutation("file deleted", s =>
                    s.WithoutNotes(u => (u == uri || u.StartsWith(prefix, StringComparison.Ordinal)) && s.Find(u) is { IsOpen: false }))
                    .ContinueWith(_ => SendStatusAsync(onlyWhenChanged: true), TaskScheduler.Default);
            }
            else if (DocumentUris.IsNoteFile(path))
            {
                // Read first (off the queue: a slow or hostile file delays only itself), then apply in order.
                _ = queue.EnqueuePreparedMutation("file changed", () =>
                {
                    var note = scanner.ReadNote(path);
                    return s => s.Find(uri) is { IsOpen: true }
                        ? s // The editor owns the text of open notes.
                        : note is null ? s.WithoutNote(uri) : s.WithNote(note);
                }).ContinueWith(_ => SendStatusAsync(onlyWhenChanged: true), TaskScheduler.Default);
            }
        }
    });

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
            await queue.EnqueueMutation("scan settings", s =>
            {
                exclude = s.Settings.Exclude;
                tagKeys = s.Tags.Keys;
                return s;
            });
            long findMs = 0, readMs = 0;
            var notes = await Task.Run(() =>
            {
                var paths = scanner.FindNotes(workspaceFolders, exclude, cancellationToken);
                findMs = stopwatch.ElapsedMilliseconds;
                _ = ReportProgressAsync(token, $"0/{paths.Count}", 0);
                return scanner.ReadNotes(paths, tagKeys, done => _ = ReportProgressAsync(token, $"{done}/{paths.Count}", (int)(100L * done / Math.Max(1, paths.Count))), cancellationToken);
            }, cancellationToken);
            readMs = stopwatch.ElapsedMilliseconds - findMs;

            if (generation != Volatile.Read(ref scanGeneration))
            {
                return;
            }

            var found = notes.Select(n => n.Uri).ToHashSet(StringComparer.Ordinal);
            await queue.EnqueueMutation("workspace scan", s =>
            {
                var kept = s.WithoutNotes(uri => s.Find(uri) is { IsOpen: false } && !found.Contains(uri));
                return kept.WithNotes(notes.Where(n => kept.Find(n.Uri) is not { IsOpen: true }));
            });
            log.Info($"indexed {notes.Count} notes in {stopwatch.ElapsedMilliseconds} ms (find {findMs} ms, read and prepare {readMs} ms, index {stopwatch.ElapsedMilliseconds - findMs - readMs} ms; GC pauses since start {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms in {GC.CollectionCount(0)} collections)");
            ended = true;
            await EndProgressAsync(token, $"{notes.Count} notes");
            await SendStatusAsync();
            _ = Task.Run(
                () =>
                {
                    var warm = Stopwatch.StartNew();
                    WorkspaceScanner.WarmUp(notes, lifetime.Token);
                    if (!lifetime.IsCancellationRequested)
                    {
                        log.Info($"read the headings of {notes.Count} notes in the background in {warm.ElapsedMilliseconds} ms");
                    }
                },
                lifetime.Token);
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
