using System.Diagnostics;
using System.Text.Json;
using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>Settings, the start-up scan with progress, and file-watcher events.</summary>
public sealed partial class LanguageServer
{
    private int scanGeneration;

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
                _ = queue.EnqueueMutation("file changed", s =>
                {
                    if (s.Find(uri) is { IsOpen: true })
                    {
                        return s; // The editor owns the text of open notes.
                    }

                    var note = scanner.ReadNote(path);
                    return note is null ? s.WithoutNote(uri) : s.WithNote(note);
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
        NotesSettings settings;
        try
        {
            settings = WithAllowedTagsFile(LspJson.ReadSettings(json) ?? NotesSettings.Default);
        }
        catch (JsonException exception)
        {
            log.Warning($"ignored invalid settings from {source}: {exception.Message}");
            return;
        }

        _ = queue.EnqueueMutation("settings", s =>
        {
            var excludeChanged = !s.Settings.Exclude.SequenceEqual(settings.Exclude);
            if (excludeChanged && indexed.Task.IsCompleted)
            {
                // Runs after this mutation: the scan's first step goes through the queue.
                _ = Task.Run(ScanWorkspaceAsync);
            }

            return s.WithSettings(WithSchemaFile(settings, s.Settings));
        });
    }

    /// <summary>
    /// Reads every note under the workspace folders (off the queue, on all cores), then swaps them into the
    /// snapshot in one mutation that leaves open documents alone. A newer scan supersedes an older one.
    /// </summary>
    private async Task ScanWorkspaceAsync()
    {
        var generation = Interlocked.Increment(ref scanGeneration);
        var token = await BeginProgressAsync("Indexing notes");
        var stopwatch = Stopwatch.StartNew();
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
                var paths = scanner.FindNotes(workspaceFolders, exclude, lifetime.Token);
                findMs = stopwatch.ElapsedMilliseconds;
                _ = ReportProgressAsync(token, $"0/{paths.Count}", 0);
                return scanner.ReadNotes(paths, tagKeys, done => _ = ReportProgressAsync(token, $"{done}/{paths.Count}", (int)(100L * done / Math.Max(1, paths.Count))), lifetime.Token);
            }, lifetime.Token);
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
