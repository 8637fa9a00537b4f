// Every new protocol type must be added here. The server runs as a NativeAOT executable where System.Text.Json
// has no reflection: a type that is sent or received (a request's params or result, a notification, a
// value inside an `object` property such as ProgressParams.Value or an ExecuteCommand result) and is not
// listed below fails at run time with "JsonTypeInfo metadata for type ... was not provided". The AOT
// publish (test.sh) runs the protocol tests against the native binary, which catches a missing entry.
using System.Text.Json;
using System.Text.Json.Serialization;
using NotesLsp.Analysis;

namespace NotesLsp.Server.Protocol;

/// <summary>
/// Source-generated JSON metadata for the wire types and the settings. Naming (camelCase), null handling and
/// escaping come from the options that use this context as their resolver (<see cref="LspJson"/>), not
/// from here, so the same metadata serves the LSP wire, the settings reader and the CLI's JSON output.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, GenerationMode = JsonSourceGenerationMode.Metadata)]

// StreamJsonRpc's own: $/cancelRequest's id (read with the converter the formatter registers).
[JsonSerializable(typeof(StreamJsonRpc.RequestId))]

// Shared shapes and raw JSON.
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonElement?))]
[JsonSerializable(typeof(JsonElement[]))]
[JsonSerializable(typeof(Position))]
[JsonSerializable(typeof(Range))]
[JsonSerializable(typeof(Location))]
[JsonSerializable(typeof(Location[]))]
[JsonSerializable(typeof(TextDocumentIdentifier))]
[JsonSerializable(typeof(VersionedTextDocumentIdentifier))]
[JsonSerializable(typeof(TextDocumentItem))]
[JsonSerializable(typeof(TextDocumentPositionParams))]
[JsonSerializable(typeof(TextEdit))]
[JsonSerializable(typeof(MarkupContent))]
[JsonSerializable(typeof(WorkspaceEdit))]
[JsonSerializable(typeof(Command))]

// Lifecycle, settings, progress, registration.
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(SetTraceParams))]
[JsonSerializable(typeof(LogMessageParams))]
[JsonSerializable(typeof(ShowMessageParams))]
[JsonSerializable(typeof(WorkDoneProgressCreateParams))]
[JsonSerializable(typeof(WorkDoneProgressCancelParams))]
[JsonSerializable(typeof(ProgressParams))]
[JsonSerializable(typeof(WorkDoneProgressBegin))]
[JsonSerializable(typeof(WorkDoneProgressReport))]
[JsonSerializable(typeof(WorkDoneProgressEnd))]
[JsonSerializable(typeof(ConfigurationParams))]
[JsonSerializable(typeof(DidChangeConfigurationParams))]
[JsonSerializable(typeof(DidChangeWatchedFilesParams))]
[JsonSerializable(typeof(RegistrationParams))]
[JsonSerializable(typeof(DidChangeWatchedFilesRegistrationOptions))]
[JsonSerializable(typeof(NotesStatusParams))]

// Documents and features.
[JsonSerializable(typeof(DidOpenTextDocumentParams))]
[JsonSerializable(typeof(DidChangeTextDocumentParams))]
[JsonSerializable(typeof(DidCloseTextDocumentParams))]
[JsonSerializable(typeof(DidSaveTextDocumentParams))]
[JsonSerializable(typeof(DocumentSymbolParams))]
[JsonSerializable(typeof(DocumentSymbol[]))]
[JsonSerializable(typeof(WorkspaceSymbolParams))]
[JsonSerializable(typeof(SymbolInformation[]))]
[JsonSerializable(typeof(FoldingRangeParams))]
[JsonSerializable(typeof(FoldingRange[]))]
[JsonSerializable(typeof(PublishDiagnosticsParams))]
[JsonSerializable(typeof(CompletionParams))]
[JsonSerializable(typeof(CompletionList))]
[JsonSerializable(typeof(HoverParams))]
[JsonSerializable(typeof(Hover))]
[JsonSerializable(typeof(CodeActionParams))]
[JsonSerializable(typeof(CodeAction[]))]
[JsonSerializable(typeof(ReferenceParams))]
[JsonSerializable(typeof(RenameParams))]
[JsonSerializable(typeof(PrepareRenameParams))]
[JsonSerializable(typeof(PrepareRenameResult))]
[JsonSerializable(typeof(ExecuteCommandParams))]
[JsonSerializable(typeof(InlayHintParams))]
[JsonSerializable(typeof(InlayHint[]))]
[JsonSerializable(typeof(PaperSearchRow[]))]
[JsonSerializable(typeof(VenueDownloadResult))]
[JsonSerializable(typeof(LinkHeadingsResult))]
[JsonSerializable(typeof(ApplyWorkspaceEditParams))]
[JsonSerializable(typeof(ApplyWorkspaceEditResult))]
[JsonSerializable(typeof(ShowMessageRequestParams))]
[JsonSerializable(typeof(MessageActionItem))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]

// Settings (workspace/configuration, didChangeConfiguration, initializationOptions).
[JsonSerializable(typeof(NotesSettings))]
internal sealed partial class LspJsonContext : JsonSerializerContext;
