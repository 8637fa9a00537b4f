using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using NotesLsp.Analysis;
using NotesLsp.Analysis.Tags;
using NotesLsp.Index;
using NotesLsp.Text;

namespace NotesLsp.Server;

/// <summary>
/// <c>notes-lsp check --cache</c>: the same reports as <see cref="CheckCommand"/>, re-parsing only the notes whose
/// size, modification time or content changed since the last run. An unchanged note comes from the persistent
/// index (the server's own, for the folder checked): its summary joins the workspace snapshot (so cross-note
/// features see every note), its text-only diagnostics (front matter, links; with their line positions) are the
/// stored ones, and its tag diagnostics, which depend on every note's tags, are computed again from the tag
/// occurrences the index keeps. The stored results are keyed by a hash of everything they depend on besides the
/// note (settings, schema file, server version), so another preset or schema starts over.
/// </summary>
internal static class CheckCache
{
    /// <param name="listed">How each listed file looked when the folder was listed (the same reader's probe), by path.</param>
    public static List<FileReport> Check(
        WorkspaceFiles workspace,
        IReadOnlyDictionary<string, WorkspaceFileResult> listed,
        List<string> paths, NotesSettings settings, string folder, string? cacheDirectory, TextWriter errors, TextWriter? progress, CancellationToken cancellationToken)
    {
        var directory = cacheDirectory ?? WorkspaceIndexes.DefaultDirectory();
        using var store = NoteIndexStore.Open(NoteIndexStore.PathFor(directory, folder), new IndexIdentity(folder.TrimEnd('/'), Program.Version), m => errors.WriteLine("notes-lsp check: " + m));
        if (store is null)
        {
            return CheckCommand.Check(workspace, paths, settings, progress, cancellationToken);
        }

        var settingsKey = SettingsKey(settings);
        var tagKeys = settings.Tags.Keys.IsDefault ? [] : settings.Tags.Keys;
        var remembered = store.ReadNotes(new StringPool()).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var results = store.ReadCheckResults(settingsKey);

        var count = paths.Count;
        var notes = new Note?[count];
        var reports = new FileReport?[count];
        var cached = new StoredResult?[count];
        var entries = new IndexedNote?[count];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var path = paths[i];
            // Looked at through the workspace reader (links resolved inside the roots, regular files only), before reading:
            // when the folder was listed just now, that look is the one used (an unchanged note costs one look, not two).
            var probe = listed.TryGetValue(path, out var seen) ? seen : workspace.ProbeQuickly(path);
            var exists = probe.IsOk;
            var size = exists ? probe.Length : -1;
            var modified = exists ? probe.LastWriteTimeUtc.Ticks : -1;
            if (exists
                && remembered.TryGetValue(path, out var entry) && entry.Size == size && entry.ModifiedTicks == modified
                && entry.Summary.TagKeys.SequenceEqual(tagKeys, StringComparer.Ordinal)
                && results.TryGetValue(path, out var stored) && stored.Hash.AsSpan().SequenceEqual(entry.Hash)
                && StoredResult.Decode(stored.Result) is { } result)
            {
                notes[i] = Note.FromSummary(DocumentUris.FromPath(path), entry.Summary, _ => workspace.Read(path, WorkspaceScanner.MaxNoteBytes).Bytes);
                cached[i] = result;
                return;
            }

            var (note, report) = CheckCommand.Read(workspace, path, withHash: true, out var hash);
            notes[i] = note;
            reports[i] = report;
            if (note is not null && hash is not null && size >= 0)
            {
                entries[i] = new IndexedNote(path, size, modified, hash, NoteSummary.Of(note, tagKeys));
            }
        });

        // Only what diagnostics read (settings, tags, front matter key counts): no citation or symbol index to build.
        var snapshot = WorkspaceSnapshot.ForDiagnostics(settings, notes.Where(n => n is not null).Select(n => n!));

        // Front matter results also depend on how many notes use each key (the workspace's key conventions): a
        // stored result made under other counts is not used, and its note is read again.
        var keyCounts = KeyCounts(snapshot);
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            if (cached[i] is { } result && result.KeyCounts != keyCounts)
            {
                cached[i] = null;
                var (note, report) = CheckCommand.Read(workspace, paths[i], withHash: true, out var hash);
                reports[i] = report;
                notes[i] = note;
                if (note is not null && hash is not null && remembered.TryGetValue(paths[i], out var entry))
                {
                    entries[i] = entry with { Hash = hash };
                }
            }
        });

        var fresh = new (string Path, byte[] Hash, byte[] Result)?[count];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            if (cached[i] is { } result && notes[i]?.Summary is { } summary)
            {
                var tags = TagHygiene.Diagnostics(snapshot, summary.TagOccurrences(), cancellationToken);
                ImmutableArray<NoteDiagnostic> diagnostics = [.. result.Before.Select(d => d.Diagnostic), .. tags, .. result.After.Select(d => d.Diagnostic)];
                // Placed from the stored positions, then the tags' (the index keeps both); most notes print nothing.
                reports[i] = new FileReport(paths[i], diagnostics.IsEmpty ? NoRanges : SpanRanges.Lookup(result.Before, result.After, summary.Tags), diagnostics);
                return;
            }

            var report = reports[i]!;
            if (notes[i] is not { } note)
            {
                return;
            }

            var parts = NoteDiagnostics.ComputeParts(snapshot, note, cancellationToken);
            var before = report.Diagnostics.AddRange(parts.FrontMatter);
            reports[i] = report with { Diagnostics = [.. before, .. parts.Tags, .. parts.Papers] };
            if (entries[i] is { } entry)
            {
                var text = note.Text;
                var stored = new StoredResult(keyCounts, [.. before.Select(d => (d, text.GetRange(d.Span)))], [.. parts.Papers.Select(d => (d, text.GetRange(d.Span)))]);
                fresh[i] = (paths[i], entry.Hash, stored.Encode());
            }
        });

        progress?.Write($"\rchecked {count}/{count} notes ({cached.Count(c => c is null)} read, the rest from the index)\n");
        // Every path checked was just looked at; only a remembered path this run did not list is looked at again.
        var checkedPaths = new HashSet<string>(paths, StringComparer.Ordinal);
        var gone = remembered.Keys.Where(p => !checkedPaths.Contains(p) && workspace.Probe(p).Status == WorkspaceFileStatus.Missing).ToList();
        store.WriteNotes([.. entries.Where(e => e is not null).Select(e => e!)], gone);
        store.WriteCheckResults(settingsKey, [.. fresh.Where(f => f is not null).Select(f => f!.Value)], gone);
        return [.. reports.Select(r => r!)];
    }

    private static readonly Func<TextSpan, LineRange> NoRanges = _ => default;

    /// <summary>A hash of every front matter key's note count.</summary>
    private static string KeyCounts(WorkspaceSnapshot snapshot)
    {
        var builder = new StringBuilder();
        foreach (var (key, uses) in snapshot.FrontMatterKeys.All.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            builder.Append(key).Append('=').Append(uses).Append('\n');
        }

        return System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())))[..32];
    }

    /// <summary>Everything a note's stored results depend on besides its own text.</summary>
    private static string SettingsKey(NotesSettings settings)
    {
        var key = new StringBuilder()
            .Append(Program.Version).Append('\n')
            .Append(settings.FrontMatter.Preset).Append('\n')
            .Append(settings.FrontMatter.SchemaFile?.Uri).Append('\n')
            .Append(settings.FrontMatter.SchemaFile?.Text.Text).Append('\n')
            .AppendJoin(',', settings.Tags.Keys.IsDefault ? [] : settings.Tags.Keys).Append('\n')
            .AppendJoin(',', settings.Tags.Allowed.IsDefault ? [] : settings.Tags.Allowed);
        return System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())));
    }

    /// <summary>
    /// The text-only diagnostics of one note, in output order around the tag diagnostics, with their line
    /// positions (the only use of the note's text when its results are printed).
    /// </summary>
    private sealed record StoredResult(string KeyCounts, ImmutableArray<(NoteDiagnostic Diagnostic, LineRange Range)> Before, ImmutableArray<(NoteDiagnostic Diagnostic, LineRange Range)> After)
    {
        public byte[] Encode()
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(KeyCounts);
                Write(writer, Before);
                Write(writer, After);
            }

            return stream.ToArray();
        }

        public static StoredResult? Decode(byte[] blob)
        {
            try
            {
                using var reader = new BinaryReader(new MemoryStream(blob, writable: false), Encoding.UTF8);
                var keyCounts = reader.ReadString();
                var before = Read(reader);
                var after = Read(reader);
                return reader.BaseStream.Position == reader.BaseStream.Length ? new StoredResult(keyCounts, before, after) : null;
            }
            catch (Exception exception) when (exception is EndOfStreamException or FormatException or IOException or ArgumentException)
            {
                return null; // Not trusted: the note is checked again.
            }
        }

        private static void Write(BinaryWriter writer, ImmutableArray<(NoteDiagnostic Diagnostic, LineRange Range)> items)
        {
            writer.Write7BitEncodedInt(items.Length);
            foreach (var (diagnostic, range) in items)
            {
                writer.Write7BitEncodedInt(diagnostic.Span.Start);
                writer.Write7BitEncodedInt(diagnostic.Span.Length);
                writer.Write((byte)diagnostic.Severity);
                writer.Write(diagnostic.Code);
                writer.Write(diagnostic.Message);
                writer.Write7BitEncodedInt(range.Start.Line);
                writer.Write7BitEncodedInt(range.Start.Character);
                writer.Write7BitEncodedInt(range.End.Line);
                writer.Write7BitEncodedInt(range.End.Character);
            }
        }

        private static ImmutableArray<(NoteDiagnostic, LineRange)> Read(BinaryReader reader)
        {
            var count = reader.Read7BitEncodedInt();
            if (count < 0 || count > reader.BaseStream.Length)
            {
                throw new FormatException("bad count");
            }

            var items = ImmutableArray.CreateBuilder<(NoteDiagnostic, LineRange)>(count);
            for (var i = 0; i < count; i++)
            {
                var span = new TextSpan(reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt());
                var severity = (Severity)reader.ReadByte();
                var code = reader.ReadString();
                var message = reader.ReadString();
                var range = new LineRange(new LinePosition(reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt()), new LinePosition(reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt()));
                items.Add((new NoteDiagnostic(span, severity, code, message), range));
            }

            return items.MoveToImmutable();
        }
    }
}
