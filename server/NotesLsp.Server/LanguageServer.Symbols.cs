using NotesLsp.Analysis;
using NotesLsp.Server.Protocol;
using StreamJsonRpc;

namespace NotesLsp.Server;

/// <summary>The outline, workspace symbols and folding.</summary>
public sealed partial class LanguageServer
{
    private const int WorkspaceSymbolLimit = 256;

    [JsonRpcMethod("textDocument/documentSymbol", UseSingleObjectParameterDeserialization = true)]
    public Task<DocumentSymbol[]> DocumentSymbols(DocumentSymbolParams parameters, CancellationToken cancellationToken)
    {
        var uri = DocumentUris.Normalize(RequireParams(parameters).TextDocument.Uri);
        return Read("documentSymbol", (snapshot, ct) =>
        {
            if (FindOrLoad(snapshot, uri) is not { } note)
            {
                return [];
            }

            var text = note.Text;
            if (!headingSymbols)
            {
                return FrontMatterSymbols(snapshot, note);
            }

            var outline = Outline.Build(note.Syntax);

            // Headings in document order (parents before children) up to the limit: a generated note with 400,000
            // headings made a 92 MB answer that every later answer waited behind.
            var budget = AnswerLimits.DocumentSymbols;
            DocumentSymbol[] MapAll(IEnumerable<OutlineItem> items)
            {
                var mapped = new List<DocumentSymbol>();
                foreach (var item in items)
                {
                    if (budget == 0)
                    {
                        break;
                    }

                    budget--;
                    var children = item.Children.IsEmpty ? null : MapAll(item.Children);
                    mapped.Add(new DocumentSymbol(
                        item.Name,
                        null,
                        item.Level == 1 ? SymbolKinds.Namespace : SymbolKinds.String,
                        Convert.ToRange(text, item.Span),
                        Convert.ToRange(text, item.SelectionSpan),
                        children is { Length: > 0 } ? children : null));
                }

                return [.. mapped];
            }

            var symbols = MapAll(outline);
            if (budget == 0 && note.Syntax.Headings.Length > AnswerLimits.DocumentSymbols)
            {
                LogCap("documentSymbol", uri, note.Syntax.Headings.Length, AnswerLimits.DocumentSymbols);
            }

            return symbols;
        }, cancellationToken);
    }

    [JsonRpcMethod("workspace/symbol", UseSingleObjectParameterDeserialization = true)]
    public Task<SymbolInformation[]> WorkspaceSymbol(WorkspaceSymbolParams parameters, CancellationToken cancellationToken)
    {
        var query = RequireParams(parameters).Query ?? string.Empty;
        return Read("workspace/symbol", (snapshot, ct) =>
            Analysis.Tags.TagNavigation.Symbols(snapshot, query, WorkspaceSymbolLimit, ct)
                .AddRange(WorkspaceSymbols.Search(snapshot, query, WorkspaceSymbolLimit, ct).Where(symbol => headingSymbols || symbol.Kind != Analysis.SymbolKind.Heading))
                .Select(symbol => new SymbolInformation(
                    symbol.Name,
                    symbol.Kind switch { Analysis.SymbolKind.Note => SymbolKinds.File, Analysis.SymbolKind.Tag => SymbolKinds.Key, _ => SymbolKinds.String },
                    Convert.ToLocation(snapshot, new NoteLocation(symbol.Uri, symbol.Span)),
                    symbol.Container))
                .ToArray(), cancellationToken);
    }

    /// <summary>
    /// The outline for a client that already lists headings itself (VS Code's built-in Markdown extension):
    /// only what this server adds, the front matter title with the note's tags below it.
    /// </summary>
    private static DocumentSymbol[] FrontMatterSymbols(WorkspaceSnapshot snapshot, Note note)
    {
        var text = note.Text;
        var tags = Analysis.Tags.TagScanner.Occurrences(text, snapshot.Tags.Keys)
            .Select(tag => new DocumentSymbol($"#{tag.Value}", tag.Key, SymbolKinds.Key, Convert.ToRange(text, tag.Span), Convert.ToRange(text, tag.Span), null))
            .ToArray();
        if (note.Title is not { } title || note.FrontMatter?.Root?.GetScalar("title") is not { } scalar)
        {
            return tags;
        }

        var block = NotesLsp.Text.TextSpan.FromBounds(0, Math.Max(scalar.Span.End, note.Syntax.BodyStart));
        return [new DocumentSymbol(title, "title", SymbolKinds.File, Convert.ToRange(text, block), Convert.ToRange(text, scalar.Span), tags.Length == 0 ? null : tags)];
    }

    [JsonRpcMethod("textDocument/foldingRange", UseSingleObjectParameterDeserialization = true)]
    public Task<FoldingRange[]> FoldingRanges(FoldingRangeParams parameters, CancellationToken cancellationToken)
    {
        var uri = DocumentUris.Normalize(RequireParams(parameters).TextDocument.Uri);
        return Read("foldingRange", (snapshot, ct) =>
        {
            if (FindOrLoad(snapshot, uri) is not { } note)
            {
                return [];
            }

            // The client's own limit (VS Code asks for 5,000) when it gives one, else ours.
            var regions = Outline.Folding(note.Syntax);
            var limit = Math.Min(AnswerLimits.FoldingRanges, clientCapabilities.PositiveInt("textDocument", "foldingRange", "rangeLimit") ?? int.MaxValue);
            if (regions.Length > limit)
            {
                LogCap("foldingRange", uri, regions.Length, limit);
            }

            return regions.Take(limit).Select(r => new FoldingRange(r.StartLine, r.EndLine, r.Kind == FoldKind.FrontMatter ? "region" : null)).ToArray();
        }, cancellationToken);
    }

    /// <summary>
    /// The note for a request: from the snapshot, or read from disk when a client asks about a file before the
    /// start-up scan reached it (or outside the workspace) without opening it; never a document whose text the server lost.
    /// </summary>
    private Note? FindOrLoad(WorkspaceSnapshot snapshot, string uri) =>
        snapshot.Find(uri) ?? (!divergedDocuments.ContainsKey(uri) && DocumentUris.ToPath(uri) is { } path && DocumentUris.IsNoteFile(path) ? scanner.ReadNote(path, snapshot.Tags.Keys) : null);

    /// <summary>One log line when an answer is cut to its limit, so that a missing outline entry has an explanation.</summary>
    private void LogCap(string answer, string uri, int total, int limit) =>
        log.Info($"{answer} for {uri}: {total} items, the answer holds the first {limit} (a limit, see the README's Limits)");

    /// <summary>StreamJsonRpc passes null for missing params; that is the client's error, not ours.</summary>
    private static T RequireParams<T>(T? parameters)
        where T : class =>
        parameters ?? throw Error(ErrorCodes.InvalidParams, "params are required");
}
