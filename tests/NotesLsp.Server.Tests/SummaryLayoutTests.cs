using System.Collections.Immutable;
using System.Text;
using NotesLsp.Analysis;
using NotesLsp.Analysis.FrontMatter;
using NotesLsp.Analysis.Papers;
using NotesLsp.Analysis.Tags;
using NotesLsp.Index;
using NotesLsp.Text;

namespace NotesLsp.Server.Tests;

/// <summary>
/// The compact per-note layout (<see cref="NoteSummary"/>: headings and tags as value arrays, shared strings)
/// against a fresh parse of the same text: after the index's codec, with a string pool, a summarised note answers
/// every workspace question (headings, tags with spans and line positions, citations, front matter keys, title)
/// exactly as a note that holds its text does.
/// </summary>
public sealed class SummaryLayoutTests
{
    private static readonly ImmutableArray<string> TagKeys = ["tags", "categories", "keywords"];

    /// <summary>Edge cases beside the repository's fixture notes.</summary>
    private static readonly string[] Handwritten =
    [
        string.Empty,
        "no front matter\n# Only a heading",
        "---\ntitle: \"Quoted: title\"\ntags: [ml, 'time series', \"nlp\", ml]\ncategories:\n  - a\n  - 'b c'\n---\n# Überblick\r\n\r\nSetext\n======\n\n## 詳細 😀\n[p](https://openreview.net/forum?id=RbiBKPtuHp) and <https://openreview.net/pdf?id=abcDEF123>\n",
        "---\ntags: one two, three\nkeywords: 'x'\n---\n```\n# not a heading\n```\n#### Deep ####\nhttps://openreview.net/forum?id=RbiBKPtuHp&referrer=%5BICML%202024%5D(%2Fgroup%3Fid%3DICML.cc%2F2024%2FConference)\n",
        "---\ntitle:\n---\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"## Heading {i % 7}\n[x{i}](https://openreview.net/forum?id=id{i % 5})\n")),
        "---\ntags: [" + string.Join(", ", Enumerable.Range(0, 2000).Select(i => $"t{i % 50}")) + "]\n---\n",
        "---\r\ntitle: CRLF note\r\ntags:\r\n  - crlf\r\n---\r\n# A\r\n# " + new string('x', 1000) + "\r\n",
    ];

    public static TheoryData<string> Notes()
    {
        var data = new TheoryData<string>();
        var root = RepositoryRoot();
        foreach (var file in new[] { "examples", "tests/fixtures/generated/notes", "tests/fixtures/workspaces" }
            .Select(d => Path.Combine(root, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.md", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file));
        }

        for (var i = 0; i < Handwritten.Length; i++)
        {
            data.Add($"handwritten:{i}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Notes))]
    public void A_summary_read_back_from_the_index_answers_as_a_fresh_parse(string name)
    {
        var text = TextOf(name);
        var uri = "file:///work/notes/" + Uri.EscapeDataString(name.Replace('/', '_')) + ".md";
        var fresh = new Note(uri, SourceText.From(text));
        var pool = new StringPool();
        var decoded = SummaryCodec.Decode(SummaryCodec.Encode(NoteSummary.Of(new Note(uri, SourceText.From(text)), TagKeys, pool)), pool);
        var bytes = Encoding.UTF8.GetBytes(text);
        var note = Note.FromSummary(uri, decoded, _ => bytes);

        // Headings: level, text, spans and line positions.
        Assert.Equal(fresh.Headings.ToArray(), note.Headings.ToArray());
        Assert.Equal(fresh.Headings.Select(h => fresh.Text.GetRange(h.Span)), decoded.Headings.Select(h => h.Range));
        Assert.All(fresh.Headings, h => Assert.Equal(fresh.Text.GetRange(h.Span), note.GetRange(h.Span)));

        // Tags with spans, quotes and line positions, and the distinct tags the tag index keeps.
        var occurrences = TagScanner.Occurrences(fresh.Text, TagKeys);
        Assert.Equal(occurrences.ToArray(), decoded.TagOccurrences().ToArray());
        Assert.Equal(occurrences.Select(o => fresh.Text.GetRange(o.Span)), decoded.Tags.Select(t => t.Range));
        Assert.Equal(TagIndex.Extract(fresh, TagKeys).ToArray(), TagIndex.Extract(note, TagKeys).ToArray());

        // Citations (links and their parsed targets), front matter keys, title.
        Assert.Equal(
            CitationIndex.Extract(fresh).Select(c => (c.Uri, c.Link, c.Target)),
            CitationIndex.Extract(note).Select(c => (c.Uri, c.Link, c.Target)));
        Assert.Equal(FrontMatterKeySummary.Read(fresh).Keys.ToArray(), FrontMatterKeySummary.Of(note).Keys.ToArray());
        Assert.Equal(fresh.Title, note.Title);
        Assert.Equal(fresh.TitleSpan, note.TitleSpan);
        if (fresh.Title is not null)
        {
            Assert.Equal(fresh.Text.GetRange(fresh.TitleSpan), note.GetRange(note.TitleSpan));
        }

        Assert.Equal(fresh.FrontMatter?.Span.End ?? 0, decoded.BodyStart);

        // The note reads its text from the loader only when asked, and then it is the same text.
        Assert.Equal(text.Replace("\uFEFF", string.Empty, StringComparison.Ordinal), note.Text.Text);
    }

    [Fact]
    public void Decoding_with_a_pool_shares_repeated_strings_across_notes()
    {
        var pool = new StringPool();
        const string Text = "---\ntags: [transformers]\n---\n# Summary\n[p](https://openreview.net/forum?id=RbiBKPtuHp)\n";
        var blob = SummaryCodec.Encode(NoteSummary.Of(new Note("file:///a.md", SourceText.From(Text)), TagKeys));
        var first = SummaryCodec.Decode(blob, pool);
        var second = SummaryCodec.Decode(blob, pool);

        Assert.Same(first.Headings[0].Text, second.Headings[0].Text);
        Assert.Same(first.Tags[0].Value, second.Tags[0].Value);
        Assert.Same(first.Links[0].Url, second.Links[0].Url);
        Assert.Equal(first.Headings.ToArray(), second.Headings.ToArray());
    }

    [Fact]
    public void Every_truncation_and_every_flipped_byte_of_a_blob_is_rejected_or_decoded_never_a_crash()
    {
        var blob = SummaryCodec.Encode(NoteSummary.Of(new Note("file:///a.md", SourceText.From(TextOf("handwritten:2"))), TagKeys));
        for (var length = 0; length < blob.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => SummaryCodec.Decode(blob.AsSpan(0, length)));
        }

        for (var i = 0; i < blob.Length; i++)
        {
            var damaged = blob.ToArray();
            damaged[i] ^= 0xA5;
            try
            {
                _ = SummaryCodec.Decode(damaged, new StringPool());
            }
            catch (InvalidDataException)
            {
                // Rejected: the store moves such a database aside.
            }
        }
    }

    private static string TextOf(string name) =>
        name.StartsWith("handwritten:", StringComparison.Ordinal)
            ? Handwritten[int.Parse(name["handwritten:".Length..], System.Globalization.CultureInfo.InvariantCulture)]
            : Utf8Text.Decode(File.ReadAllBytes(Path.Combine(RepositoryRoot(), name)));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NotesLsp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("the repository root (NotesLsp.sln) above " + AppContext.BaseDirectory);
    }
}
