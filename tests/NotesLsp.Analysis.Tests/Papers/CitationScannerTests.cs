using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;
using NotesLsp.Syntax;
using NotesLsp.Text;

namespace NotesLsp.Analysis.Tests.Papers;

public class CitationScannerTests
{
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NotesLsp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found");
    }

    private static string Show(SourceText text, LinkSyntax link) =>
        $"{link.Kind} {text.Slice(link.Span)} url={link.Url}@{link.UrlSpan} label={link.Label}@{link.LabelSpan}";

    /// <summary>The scanner's links and the Markdig parse's OpenReview links, rendered alike.</summary>
    private static (string[] Parsed, string[] Scanned) Both(string note)
    {
        var text = SourceText.From(note);
        var syntax = NoteParser.Parse(text);
        var parsed = syntax.Links.Where(l => OpenReviewLink.Parse(l.Url) is not null).Select(l => Show(text, l)).ToArray();
        var scanned = CitationScanner.Scan(text.Text, syntax.FrontMatter?.Span.End ?? 0).Select(l => Show(text, l)).ToArray();
        return (parsed, scanned);
    }

    private static void Check(string note, params string[] expected)
    {
        var (parsed, scanned) = Both(note);
        Assert.Equal(string.Join("\n", expected), string.Join("\n", scanned));
        Assert.Equal(string.Join("\n", parsed), string.Join("\n", scanned));
    }

    [Fact]
    public void Reads_each_link_form_with_its_spans()
    {
        Check(
            "---\ntitle: x\n---\n- [**Arrows of Time**](https://openreview.net/forum?id=UpSe7ag34v)\n",
            "Inline [**Arrows of Time**](https://openreview.net/forum?id=UpSe7ag34v) url=https://openreview.net/forum?id=UpSe7ag34v@40-82 label=**Arrows of Time**@20-38");
        Check(
            "See <https://openreview.net/pdf?id=UpSe7ag34v> and https://openreview.net/forum?id=RbiBKPtuHp.\n",
            "Autolink <https://openreview.net/pdf?id=UpSe7ag34v> url=https://openreview.net/pdf?id=UpSe7ag34v@5-45 label=@",
            "Bare https://openreview.net/forum?id=RbiBKPtuHp url=https://openreview.net/forum?id=RbiBKPtuHp@51-93 label=@");
        Check(
            "{% linkpreview \"https://openreview.net/group?id=ICML.cc/2024/Conference\" %}\n",
            "Liquid {% linkpreview \"https://openreview.net/group?id=ICML.cc/2024/Conference\" %} url=https://openreview.net/group?id=ICML.cc/2024/Conference@16-71 label=@");
    }

    [Fact]
    public void Finds_the_host_in_any_ascii_case_and_not_in_look_alike_letters()
    {
        // The host is found by one vectorised case-insensitive search; it must read what the parse reads: any
        // ASCII case of the host, and not dotless i, fullwidth o, a one-dot leader or a Cyrillic t.
        Check(
            "A [t](HTTPS://OpenReview.NET/forum?id=UpSe7ag34v) b <http://WWW.openREVIEW.net/pdf?id=RbiBKPtuHp> c https://oPeNrEvIeW.nEt/forum?id=UpSe7ag34v\n",
            "Inline [t](HTTPS://OpenReview.NET/forum?id=UpSe7ag34v) url=HTTPS://OpenReview.NET/forum?id=UpSe7ag34v@6-48 label=t@3-4",
            "Autolink <http://WWW.openREVIEW.net/pdf?id=RbiBKPtuHp> url=http://WWW.openREVIEW.net/pdf?id=RbiBKPtuHp@53-96 label=@",
            "Bare https://oPeNrEvIeW.nEt/forum?id=UpSe7ag34v url=https://oPeNrEvIeW.nEt/forum?id=UpSe7ag34v@100-142 label=@");
        Check("https://openrev\u0131ew.net/forum?id=UpSe7ag34v https://\uFF4Fpenreview.net/forum?id=UpSe7ag34v https://openreview\u2024net/forum?id=UpSe7ag34v https://openreview.ne\u0442/forum?id=UpSe7ag34v\n");
    }

    [Fact]
    public void Skips_code_blocks_and_code_spans()
    {
        Check("```\nhttps://openreview.net/forum?id=UpSe7ag34v\n```\n~~~md\n[a](https://openreview.net/forum?id=UpSe7ag34v)\n~~~\nand `https://openreview.net/forum?id=UpSe7ag34v` and ``x ` [t](https://openreview.net/forum?id=UpSe7ag34v)``\n");
    }

    [Fact]
    public void Ignores_links_elsewhere_and_text_that_only_names_the_site()
    {
        Check("[Example](https://example.com/forum?id=UpSe7ag34v) and openreview.net/forum?id=UpSe7ag34v\n");
    }

    [Theory]
    [InlineData("Intro\n\n[Title](https://openreview.net/forum?id=UpSe7ag34v \"a title\") and [t2](https://openreview.net/pdf?id=RbiBKPtuHp)\n")]
    [InlineData("(https://openreview.net/forum?id=UpSe7ag34v) then *https://openreview.net/forum?id=RbiBKPtuHp*\n")]
    [InlineData("![figure](https://openreview.net/attachment?id=UpSe7ag34v&name=fig.png)\n")]
    [InlineData("- [A [nested] title](https://openreview.net/forum?id=UpSe7ag34v&referrer=%5BICML%202024%5D(%2Fgroup%3Fid%3DICML.cc%2F2024%2FConference))\n")]
    [InlineData("> quoted https://openreview.net/forum?id=UpSe7ag34v, and http://www.openreview.net/revisions?id=RbiBKPtuHp!\n")]
    [InlineData("1. item\n\n   ```python\n   url = \"https://openreview.net/forum?id=UpSe7ag34v\"\n   ```\n\n2. [x](https://openreview.net/forum?id=RbiBKPtuHp)\n")]
    [InlineData("| paper | link |\n|---|---|\n| A | [A](https://openreview.net/forum?id=UpSe7ag34v) |\n| B | https://openreview.net/pdf/0123456789abcdef0123456789abcdef01234567.pdf |\n")]
    [InlineData("Heading\n=======\n\n## [Linked heading](https://openreview.net/forum?id=UpSe7ag34v)\n\n{%- linkpreview 'https://openreview.net/forum?id=RbiBKPtuHp' -%}\n")]
    [InlineData("https://openreview.net/profile?id=~Da_Xiao1 and https://openreview.net/group?id=ICML.cc/2024/Conference#tab-accept-oral\n")]
    [InlineData("> A claim. ([source][r1]) and [R2][] and [r2], not [r1](x) nor `[r1]`\n\n[r1]: https://openreview.net/forum?id=UpSe7ag34v\n[R2]: <https://openreview.net/pdf?id=RbiBKPtuHp> \"title\"\n[other]: https://example.com\n")]
    // Labels matched as Markdig matches them (white space collapsed, case folded; Unicode; longer than the scanner's stack buffer).
    [InlineData("See [the  Paper][Ref \t  One] and [ÉTÉ] and [x][" + "long label " + "long label long label long label long label long label long label long label long label long label long label long label" + "].\n\n[ref one]: https://openreview.net/forum?id=UpSe7ag34v\n[été]: https://openreview.net/pdf?id=RbiBKPtuHp\n[Long label long label long label long label long label long label long label long label long label long label long label long label]: https://openreview.net/forum?id=AbCdEfGhIj\n")]
    public void Agrees_with_the_markdown_parser_on_well_formed_notes(string note)
    {
        var (parsed, scanned) = Both(note);
        Assert.NotEmpty(parsed);
        Assert.Equal(string.Join("\n", parsed), string.Join("\n", scanned));
    }

    [Theory]
    [InlineData("icml2024-oral-papers.md")]
    [InlineData("icml2024-talk-notes.md")]
    public void Agrees_with_the_markdown_parser_on_the_example_notes(string name)
    {
        var (parsed, scanned) = Both(File.ReadAllText(Path.Combine(RepositoryRoot(), "examples", name)));
        Assert.Equal(string.Join("\n", parsed), string.Join("\n", scanned));
    }
}
