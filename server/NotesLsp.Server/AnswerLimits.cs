namespace NotesLsp.Server;

/// <summary>
/// The most one answer may hold. A generated or hostile note can have hundreds of thousands of headings, links or
/// problems; an answer of tens of megabytes then delays every answer queued behind it, and no editor shows that
/// many anyway. When a limit applies the server writes one log line. The README's "Limits" section lists these.
/// </summary>
public static class AnswerLimits
{
    /// <summary>Outline entries (<c>textDocument/documentSymbol</c>), counted in document order.</summary>
    public const int DocumentSymbols = 10_000;

    /// <summary>Folding ranges, or the client's <c>rangeLimit</c> when lower.</summary>
    public const int FoldingRanges = 5_000;

    /// <summary>Inlay hints in one requested range.</summary>
    public const int InlayHints = 2_000;

    /// <summary>Diagnostics published for one note (errors first).</summary>
    public const int DiagnosticsPerNote = 1_000;
}
