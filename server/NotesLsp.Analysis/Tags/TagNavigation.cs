using System.Collections.Immutable;
using System.Text;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tags;

/// <summary>What a rename would change: the span to highlight and the current name, as LSP's prepareRename answers.</summary>
public sealed record RenameTarget(TextSpan Span, string Placeholder);

/// <summary>A rename's outcome: the edits, or why it was refused.</summary>
public sealed record RenameOutcome(WorkspaceChange? Change, string? Error)
{
    public static RenameOutcome Refused(string error) => new(null, error);
}

/// <summary>Hover, references, rename and workspace symbols for tags; a tag is identified by its key and exact spelling.</summary>
public static class TagNavigation
{
    /// <summary>How many note titles a hover lists.</summary>
    public const int HoverTitles = 5;

    /// <summary>How many notes use the tag under the cursor, and the first few of them as links.</summary>
    public static HoverResult? Hover(WorkspaceSnapshot snapshot, Note note, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        if (At(snapshot, note, offset) is not { } found)
        {
            return null;
        }

        var tag = new TagKey(found.Occurrence.Key, found.Occurrence.Value);
        var uris = snapshot.Tags.NotesUsing(tag);
        var markdown = new StringBuilder();
        markdown.Append("**").Append(EscapeMarkdown(tag.Value)).Append("** (`").Append(tag.Key).Append("`): used in ")
            .Append(uris.Length == 1 ? "1 note" : $"{uris.Length} notes").Append("\n\n");
        foreach (var uri in uris.Take(HoverTitles))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var title = snapshot.Find(uri)?.DisplayName ?? Note.FileNameOf(uri);
            markdown.Append("- [").Append(EscapeMarkdown(title)).Append("](").Append(uri.Replace(" ", "%20", StringComparison.Ordinal)
                .Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)).Append(")\n");
        }

        if (uris.Length > HoverTitles)
        {
            markdown.Append("- and ").Append(uris.Length - HoverTitles).Append(" more\n");
        }

        return new HoverResult(markdown.ToString().TrimEnd('\n'), found.Occurrence.Span);
    }

    /// <summary>Every occurrence of the tag under the cursor, in every note, ordered by note and offset.</summary>
    public static ImmutableArray<NoteLocation> References(WorkspaceSnapshot snapshot, Note note, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        if (At(snapshot, note, offset) is not { } found)
        {
            return [];
        }

        var tag = new TagKey(found.Occurrence.Key, found.Occurrence.Value);
        var locations = ImmutableArray.CreateBuilder<NoteLocation>();
        var seen = new HashSet<(string, TextSpan)>();
        foreach (var (uri, occurrence) in Occurrences(snapshot, tag, cancellationToken))
        {
            // An anchored tag and an alias of it are one place in the text.
            if (seen.Add((uri, occurrence.Span)))
            {
                locations.Add(new NoteLocation(uri, occurrence.Span));
            }
        }

        return locations.ToImmutable();
    }

    /// <summary>The tag under the cursor (without its quotes), or null: only tags can be renamed here.</summary>
    public static RenameTarget? PrepareRename(WorkspaceSnapshot snapshot, Note note, int offset)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        if (At(snapshot, note, offset) is not { } found)
        {
            return null;
        }

        var occurrence = found.Occurrence;
        var span = occurrence.Span;
        var s = note.Text.Text;
        if (found.Field.Shape != TagFieldShape.String && occurrence.Quote != TagQuote.None && span.Length >= 2 && s[span.End - 1] == s[span.Start])
        {
            span = new TextSpan(span.Start + 1, span.Length - 2);
        }

        return new RenameTarget(span, occurrence.Value);
    }

    /// <summary>
    /// Renames the tag under the cursor in every note that uses it. Renaming into a tag a note already has
    /// merges the two: the resulting duplicate is removed from that note.
    /// </summary>
    public static RenameOutcome Rename(WorkspaceSnapshot snapshot, Note note, int offset, string newName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(newName);
        if (At(snapshot, note, offset) is not { } found)
        {
            return RenameOutcome.Refused("Only a tag can be renamed here.");
        }

        var name = Unquote(newName.Trim());
        if (name.Length == 0 || name.Any(c => c is '\r' or '\n'))
        {
            return RenameOutcome.Refused("A tag cannot be empty or span lines.");
        }

        return new RenameOutcome(RenameEverywhere(snapshot, new TagKey(found.Occurrence.Key, found.Occurrence.Value), name, cancellationToken), null);
    }

    /// <summary>The edits that rename a tag in every note using it, merging duplicates the rename creates.</summary>
    public static WorkspaceChange RenameEverywhere(WorkspaceSnapshot snapshot, TagKey tag, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(name);
        var edits = ImmutableDictionary.CreateBuilder<string, ImmutableArray<TextEdit>>(StringComparer.Ordinal);
        if (name == tag.Value)
        {
            return new WorkspaceChange(edits.ToImmutable());
        }

        foreach (var uri in snapshot.Tags.NotesUsing(tag))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (snapshot.Find(uri) is not { } user)
            {
                continue;
            }

            var noteEdits = ImmutableArray.CreateBuilder<TextEdit>();
            foreach (var field in TagScanner.Scan(user.Text, snapshot.Tags.Keys))
            {
                if (field.Key == tag.Key)
                {
                    noteEdits.AddRange(TagEdits.Replace(user.Text, field, i => i.Value == tag.Value, name));
                }
            }

            if (noteEdits.Count > 0)
            {
                edits[uri] = noteEdits.ToImmutable();
            }
        }

        return new WorkspaceChange(edits.ToImmutable());
    }

    /// <summary>Tags for a <c>#tag</c> workspace symbol query (fuzzy, best first); any other query gets none.</summary>
    public static ImmutableArray<WorkspaceSymbol> Symbols(WorkspaceSnapshot snapshot, string query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (string.IsNullOrEmpty(query) || query[0] != '#')
        {
            return [];
        }

        var pattern = query[1..];
        var matches = new List<(int Score, int Count, TagKey Tag, ImmutableArray<string> Notes)>();
        foreach (var (tag, notes) in snapshot.Tags.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FuzzyMatch.Score(pattern, tag.Value) is { } score)
            {
                matches.Add((score, notes.Length, tag, notes));
            }
        }

        var symbols = ImmutableArray.CreateBuilder<WorkspaceSymbol>();
        foreach (var match in matches
            .OrderByDescending(m => m.Score)
            .ThenByDescending(m => m.Count)
            .ThenBy(m => m.Tag.Value, StringComparer.Ordinal)
            .ThenBy(m => m.Tag.Key, StringComparer.Ordinal)
            .Take(limit))
        {
            // A symbol needs one place: the tag's first occurrence in the first note (by URI) that uses it.
            var uri = match.Notes[0];
            var span = snapshot.Find(uri) is { } first
                ? TagScanner.Occurrences(first.Text, snapshot.Tags.Keys).FirstOrDefault(o => o.Key == match.Tag.Key && o.Value == match.Tag.Value)?.Span ?? default
                : default;
            var container = $"{match.Tag.Key}, used in " + (match.Count == 1 ? "1 note" : $"{match.Count} notes");
            symbols.Add(new WorkspaceSymbol("#" + match.Tag.Value, SymbolKind.Tag, uri, span, container));
        }

        return symbols.ToImmutable();
    }

    /// <summary>Every occurrence of a tag, in every note that uses it, ordered by URI and offset.</summary>
    public static IEnumerable<(string Uri, TagOccurrence Occurrence)> Occurrences(WorkspaceSnapshot snapshot, TagKey tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var uri in snapshot.Tags.NotesUsing(tag))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (snapshot.Find(uri) is not { } user)
            {
                continue;
            }

            foreach (var occurrence in TagScanner.Occurrences(user.Text, snapshot.Tags.Keys))
            {
                if (occurrence.Key == tag.Key && occurrence.Value == tag.Value)
                {
                    yield return (uri, occurrence);
                }
            }
        }
    }

    private static (TagField Field, TagOccurrence Occurrence)? At(WorkspaceSnapshot snapshot, Note note, int offset) =>
        TagCursor.FindOccurrence(TagScanner.Scan(note.Text, snapshot.Tags.Keys), offset);

    private static string Unquote(string name) =>
        name.Length >= 2 && name[0] is '"' or '\'' && name[^1] == name[0] ? name[1..^1] : name;

    private static string EscapeMarkdown(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '<' or '>' or '#' or '!' or '|' or '~')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
