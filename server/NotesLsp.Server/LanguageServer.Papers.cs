using System.Collections.Concurrent;
using System.Text.Json;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>Paper completion and hover, and the venue download command with cancellable progress.</summary>
public sealed partial class LanguageServer
{
    public const string DownloadVenueCommand = "notes.papers.downloadVenue";

    /// <summary>Ranked title search over all catalogs, for the client's paper picker: arguments <c>[query, limit?]</c>.</summary>
    public const string SearchPapersCommand = "notes.papers.search";

    private const int SearchCommandDefaultLimit = 50;

    private readonly ConcurrentDictionary<string, CancellationTokenSource> cancellableProgress = new(StringComparer.Ordinal);
    private PaperService? paperService;

    internal PaperService Papers => LazyInitializer.EnsureInitialized(ref paperService, () => new PaperService(log, () => workspaceFolders));

    /// <summary>Paper link checks for the diagnostics publisher (they need the catalogs beside the snapshot).</summary>
    private System.Collections.Immutable.ImmutableArray<NoteDiagnostic> PaperDiagnostics(WorkspaceSnapshot snapshot, Note note) =>
        PaperChecks.CatalogDiagnostics(note, Papers.Catalogs(snapshot));

    /// <summary>Adds paper completions (link text, headings, ids, Liquid URLs) to the other features' list.</summary>
    private CompletionList WithPaperCompletions(WorkspaceSnapshot snapshot, Note note, int offset, CompletionList others)
    {
        var withNote = snapshot.Find(note.Uri) is null ? snapshot.WithNote(note) : snapshot;
        var papers = PaperCompletion.Complete(withNote, note.Uri, offset, Papers.Catalogs(withNote));
        if (papers.Items.IsEmpty)
        {
            // No paper yet, but the editor must ask again as the title grows.
            return others with { IsIncomplete = others.IsIncomplete || papers.IsIncomplete };
        }

        var converted = Convert.ToCompletionList(note.Text, papers);
        return new CompletionList(others.IsIncomplete || converted.IsIncomplete, [.. others.Items, .. converted.Items]);
    }

    /// <summary>Use the title, Add title and Link to paper, for the code action handler.</summary>
    private System.Collections.Immutable.ImmutableArray<CodeFix> PaperCodeFixes(WorkspaceSnapshot snapshot, Note note, NotesLsp.Text.TextSpan span) =>
        PaperChecks.CodeActions(snapshot, note.Uri, span, Papers.Catalogs(snapshot));

    [JsonRpcMethod("workspace/executeCommand", UseSingleObjectParameterDeserialization = true)]
    public Task<object?> ExecuteCommand(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        var p = RequireParams(parameters);
        EnsureInitialized();
        return p.Command switch
        {
            DownloadVenueCommand => DownloadVenueAsync(p, cancellationToken),
            SearchPapersCommand => SearchPapers(p, cancellationToken),
            LinkHeadingsCommand => LinkHeadingsAsync(p, cancellationToken),
            _ => throw Error(ErrorCodes.InvalidParams, $"unknown command {p.Command}"),
        };
    }

    /// <summary>The hover for an OpenReview link, fetching an unknown paper when online (bounded wait).</summary>
    private async Task<Hover?> PaperHoverAsync(WorkspaceSnapshot snapshot, Note note, int offset, CancellationToken cancellationToken)
    {
        var withNote = snapshot.Find(note.Uri) is null ? snapshot.WithNote(note) : snapshot;
        if (PaperHover.FindLink(withNote, note.Uri, offset) is not var (_, target))
        {
            return null;
        }

        var catalogs = Papers.Catalogs(withNote);
        PaperHoverOptions? options = null;
        var known = target.IsPaper ? catalogs.Find(target.Id) : null;
        if (target.IsPaper && OpenReviewLink.IsWellFormedNoteId(target.Id) && (known is null || known.Source == WorkspacePapers.SourceName))
        {
            var (paper, why) = await Papers.LookUpForHoverAsync(withNote.Settings, target.Id, cancellationToken);
            if (paper is not null)
            {
                catalogs = catalogs.WithFirst(PaperCatalog.Create("fetched", [paper]));
            }
            else
            {
                options = new PaperHoverOptions(why);
            }
        }

        return PaperHover.Hover(withNote, note.Uri, offset, catalogs, options) is { } hover ? Convert.ToHover(note.Text, hover) : null;
    }

    [JsonRpcMethod("textDocument/inlayHint", UseSingleObjectParameterDeserialization = true)]
    public Task<InlayHint[]> InlayHints(InlayHintParams parameters, CancellationToken cancellationToken)
    {
        var p = RequireParams(parameters);
        var uri = DocumentUris.Normalize(p.TextDocument.Uri);
        return Read("inlayHint", (snapshot, ct) =>
        {
            if (snapshot.Find(uri) is not { } note)
            {
                return [];
            }

            var span = Convert.ToSpan(note.Text, p.Range);
            var hints = PaperChecks.InlayHints(snapshot, note, span, Papers.Catalogs(snapshot));
            if (hints.Length > AnswerLimits.InlayHints)
            {
                LogCap("inlayHint", uri, hints.Length, AnswerLimits.InlayHints);
            }

            return hints.Take(AnswerLimits.InlayHints)
                .Select(h => new InlayHint(Convert.ToPosition(note.Text, h.Offset), h.Label, null, h.Tooltip is null ? null : MarkupContent.Markdown(h.Tooltip), true, null))
                .ToArray();
        }, cancellationToken);
    }

    private Task<object?> SearchPapers(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        if (parameters.Arguments is not [{ ValueKind: JsonValueKind.String } argument, ..] || argument.GetString() is not { } query)
        {
            throw Error(ErrorCodes.InvalidParams, $"{SearchPapersCommand} takes a query string and an optional limit");
        }

        var limit = parameters.Arguments is [_, { ValueKind: JsonValueKind.Number } n, ..] && n.TryGetInt32(out var l) ? Math.Clamp(l, 1, 500) : SearchCommandDefaultLimit;
        return Read<object?>("papers/search", (snapshot, ct) => Papers.Catalogs(snapshot).Search(query, limit).Select(m => new PaperSearchRow(
            m.Paper.Id,
            m.Paper.Title,
            m.Paper.VenueName,
            m.Paper.VenueId,
            m.Paper.Decision == PaperDecision.Unknown ? null : Decisions.Label(m.Paper.Decision),
            m.Paper.Authors,
            m.Score)).ToArray(), cancellationToken);
    }

    private async Task<object?> DownloadVenueAsync(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        if (parameters.Arguments is not [{ ValueKind: JsonValueKind.String } argument] || argument.GetString() is not { Length: > 0 } venueId)
        {
            throw Error(ErrorCodes.InvalidParams, $"{DownloadVenueCommand} takes one argument: a venue id such as ICML.cc/2024/Conference");
        }

        var settings = queue.Current.Settings;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
        var token = await BeginCancellableProgressAsync(parameters.WorkDoneToken, $"Downloading {venueId}", cancel);
        try
        {
            var progress = new Progress<VenueDownloadProgress>(p => _ = ReportProgressAsync(
                token,
                p.Total is { } total ? $"{p.Received}/{total} papers" : $"{p.Received} papers",
                p.Total is { } t && t > 0 ? (int)(100L * p.Received / t) : 0));
            var result = await Papers.DownloadVenueAsync(settings, venueId, progress, cancel.Token);
            var message = result.IsSuccess
                ? $"Downloaded {result.Value!.Count} papers of {venueId}."
                : result.Error!.Message;
            log.Info(message);
            await EndProgressAsync(token, message);
            await SendStatusAsync(onlyWhenChanged: true);

            // Failures are errors to the client, which shows them (with a token action for login walls);
            // cancellation answers as cancelled.
            if (result.Error is { Kind: PaperErrorKind.Cancelled })
            {
                throw new OperationCanceledException(message, cancel.Token);
            }

            if (!result.IsSuccess)
            {
                throw Error(ErrorCodes.RequestFailed, message);
            }

            return new VenueDownloadResult(venueId, result.Value!.Count, Success: true, message);
        }
        finally
        {
            if (token is not null)
            {
                cancellableProgress.TryRemove(token, out _);
            }
        }
    }

    [JsonRpcMethod("window/workDoneProgress/cancel", UseSingleObjectParameterDeserialization = true)]
    public void CancelWorkDoneProgress(WorkDoneProgressCancelParams? parameters) => Guard(() =>
    {
        if (parameters?.Token is { } token && cancellableProgress.TryGetValue(token, out var cancel))
        {
            cancel.Cancel();
        }
    });

    private async Task<string?> BeginCancellableProgressAsync(string? clientToken, string title, CancellationTokenSource cancel)
    {
        var token = clientToken;
        if (token is null)
        {
            if (!clientCapabilities.Has("window", "workDoneProgress"))
            {
                return null;
            }

            token = $"notes-{Guid.NewGuid():N}";
            try
            {
                await rpc.SendRequestAsync("window/workDoneProgress/create", new WorkDoneProgressCreateParams(token), lifetime.Token);
            }
            catch (Exception exception) when (exception is RemoteInvocationException or RemoteMethodNotFoundException or ConnectionLostException)
            {
                log.Warning($"the client refused a progress token: {exception.Message}");
                return null;
            }
        }

        cancellableProgress[token] = cancel;
        try
        {
            await rpc.SendNotificationAsync("$/progress", new ProgressParams(token, new WorkDoneProgressBegin(title, true, null, 0)));
        }
        catch (Exception exception) when (exception is ObjectDisposedException or ConnectionLostException)
        {
        }

        return token;
    }
}
