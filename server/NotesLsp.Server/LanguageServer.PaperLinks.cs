using System.Collections.Concurrent;
using System.Text.Json;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>
/// Linking every talk heading of a note at once (one workspace edit the user reviews), and the offer to download
/// a venue the notes link to but no catalog holds.
/// </summary>
public sealed partial class LanguageServer
{
    /// <summary>Links every talk heading of a note to its paper: arguments <c>[uri]</c>; the edit goes to the client through <c>workspace/applyEdit</c>.</summary>
    public const string LinkHeadingsCommand = "notes.papers.linkHeadings";

    private const string DownloadAction = "Download";

    private readonly ConcurrentDictionary<string, bool> offeredVenues = new(StringComparer.Ordinal);

    /// <summary>"Link every talk heading to its paper", on a heading; the links are computed only when it is chosen.</summary>
    private IEnumerable<CodeAction> PaperCommandActions(Note note, NotesLsp.Text.TextSpan span)
    {
        if (note.Syntax.Headings.Any(h => h.Span.Start <= span.End && span.Start <= h.Span.End) && note.Syntax.Headings.Length > 1)
        {
            using var argument = JsonDocument.Parse("\"" + JsonEncodedText.Encode(note.Uri) + "\"");
            yield return new CodeAction("Link every talk heading to its paper…", "refactor.rewrite", null, null, null,
                new Command("Link every talk heading to its paper", LinkHeadingsCommand, [argument.RootElement.Clone()]));
        }
    }

    private async Task<object?> LinkHeadingsAsync(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        if (parameters.Arguments is not [{ ValueKind: JsonValueKind.String } argument] || argument.GetString() is not { Length: > 0 } raw)
        {
            throw Error(ErrorCodes.InvalidParams, $"{LinkHeadingsCommand} takes one argument: the note's URI");
        }

        var uri = DocumentUris.Normalize(raw);
        var (edit, count) = await Read("papers/linkHeadings", (snapshot, ct) =>
        {
            if (FindOrLoad(snapshot, uri) is not { } note)
            {
                throw Error(ErrorCodes.InvalidParams, $"no note {uri}");
            }

            var withNote = snapshot.Find(uri) is null ? snapshot.WithNote(note) : snapshot;
            var links = PaperHeadings.LinkAll(note, Papers.Catalogs(withNote), ct);
            return (ToAnnotatedEdit(note, links), links.Length);
        }, cancellationToken);
        if (count == 0)
        {
            return new LinkHeadingsResult(0, Applied: false, "No talk heading names a paper clearly enough to link it.");
        }

        var result = await rpc.SendRequestAsync<ApplyWorkspaceEditParams, ApplyWorkspaceEditResult>(
            "workspace/applyEdit", new ApplyWorkspaceEditParams($"Link {count} talk headings to their papers", edit), cancellationToken);
        return new LinkHeadingsResult(result.Applied ? count : 0, result.Applied, result.Applied ? $"Linked {count} talk headings." : result.FailureReason ?? "The edit was not applied.");
    }

    /// <summary>One edit for all headings; each link is its own annotation (the paper's title) needing confirmation.</summary>
    private AnnotatedWorkspaceEdit ToAnnotatedEdit(Note note, System.Collections.Immutable.ImmutableArray<HeadingLink> links)
    {
        var edits = links.Select(l => new Protocol.TextEdit(Convert.ToRange(note.Text, l.Edit.Span), l.Edit.NewText)).ToArray();
        if (!clientCapabilities.Has("workspace", "workspaceEdit", "documentChanges") || !clientCapabilities.Supports("workspace", "workspaceEdit", "changeAnnotationSupport"))
        {
            return new AnnotatedWorkspaceEdit(null, null, new Dictionary<string, Protocol.TextEdit[]>(StringComparer.Ordinal) { [note.Uri] = edits });
        }

        var annotations = new Dictionary<string, ChangeAnnotation>(StringComparer.Ordinal);
        var annotated = new List<AnnotatedTextEdit>();
        for (var i = 0; i < links.Length; i++)
        {
            var id = $"paper-{i}";
            var link = links[i];
            annotations[id] = new ChangeAnnotation($"{link.Heading.Text} → {link.Paper.Title}", true, PaperCompletion.Detail(link.Paper));
            annotated.Add(new AnnotatedTextEdit(edits[i].Range, edits[i].NewText, id));
        }

        return new AnnotatedWorkspaceEdit([new TextDocumentEdit(new OptionalVersionedTextDocumentIdentifier(note.Uri, note.IsOpen ? note.Version : null), [.. annotated])], annotations, null);
    }

    /// <summary>
    /// When online, asks once per venue whether to download a venue the notes link to (a group link or a link's
    /// referrer) that no catalog holds; downloads only when the user says so.
    /// </summary>
    private async Task OfferMissingVenuesAsync(WorkspaceSnapshot snapshot)
    {
        try
        {
            if (!snapshot.Settings.OpenReview.Online)
            {
                return;
            }

            var catalogs = Papers.Catalogs(snapshot);
            foreach (var (venueId, notes) in WorkspacePapers.LinkedVenues(snapshot))
            {
                if (catalogs.CountInVenue(venueId) > 0 || !offeredVenues.TryAdd(venueId, true))
                {
                    continue;
                }

                var name = Decisions.VenueNameFromId(venueId) ?? venueId;
                var message = $"{notes} note{(notes == 1 ? "" : "s")} link papers of {name} ({venueId}), which is not downloaded. Download its papers from OpenReview for completion, hovers and checks offline?";
                var choice = await rpc.SendRequestAsync<ShowMessageRequestParams, MessageActionItem?>(
                    "window/showMessageRequest", new ShowMessageRequestParams(3, message, [new MessageActionItem(DownloadAction), new MessageActionItem("Not now")]), lifetime.Token);
                if (choice?.Title == DownloadAction)
                {
                    using var argument = JsonDocument.Parse("\"" + JsonEncodedText.Encode(venueId) + "\"");
                    await ExecuteCommand(new ExecuteCommandParams(DownloadVenueCommand, [argument.RootElement.Clone()], null), lifetime.Token);
                }
            }
        }
        catch (Exception exception) when (exception is RemoteInvocationException or RemoteMethodNotFoundException or ConnectionLostException or OperationCanceledException or ObjectDisposedException)
        {
            log.Info($"the offer to download a venue ended: {exception.Message}");
        }
    }
}
