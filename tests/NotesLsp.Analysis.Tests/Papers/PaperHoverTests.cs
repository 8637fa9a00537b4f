using NotesLsp.Analysis.Papers;
using NotesLsp.Papers;

namespace NotesLsp.Analysis.Tests.Papers;

public class PaperHoverTests
{
    private static void Check(string fixture, string expected, PaperCatalog? catalog = null, PaperHoverOptions? options = null)
    {
        var (snapshot, uri, offset) = PaperFixtures.Workspace(fixture);
        var hover = PaperHover.Hover(snapshot, uri, offset, new PaperCatalogSet([catalog ?? PaperFixtures.Small()]), options);
        var actual = hover is null ? "(none)" : $"{snapshot.Find(uri)!.Text.Slice(hover.Span)}\n---\n{hover.Markdown}";
        Assert.Equal(expected.ReplaceLineEndings("\n").Trim(), actual.Trim());
    }

    private const string DcmhaHover = """
        **Improving Transformers with Dynamically Composable Multi-Head Attention**

        Da Xiao, Qingye Meng, Shengping Li, Xingyuan Yuan

        ICML 2024 · Oral

        Multi-Head Attention (MHA) is a key component of Transformer.

        *Keywords:* attention, transformer

        [Forum](https://openreview.net/forum?id=RbiBKPtuHp) · [PDF](https://openreview.net/pdf?id=RbiBKPtuHp)
        """;

    [Fact]
    public void Inline_link_shows_title_authors_venue_decision_abstract_keywords_and_links() => Check(
        "- [Improving $0Transformers](https://openreview.net/forum?id=RbiBKPtuHp)\n",
        "[Improving Transformers](https://openreview.net/forum?id=RbiBKPtuHp)\n---\n" + DcmhaHover);

    [Theory]
    [InlineData("see https://openreview.net/pdf?id=Rbi$0BKPtuHp now", "https://openreview.net/pdf?id=RbiBKPtuHp")]
    [InlineData("see <https://openreview.net/forum?id=RbiBKPtuHp&noteId=x$0y> now", "<https://openreview.net/forum?id=RbiBKPtuHp&noteId=xy>")]
    [InlineData("{% linkpreview \"https://openreview.net/revisions?id=RbiBKP$0tuHp\" %}", "{% linkpreview \"https://openreview.net/revisions?id=RbiBKPtuHp\" %}")]
    public void Bare_urls_autolinks_and_liquid_tags_hover_the_same(string fixture, string span) => Check(fixture, span + "\n---\n" + DcmhaHover);

    [Fact]
    public void Other_notes_citing_the_paper_are_listed()
    {
        Check("""
            //- /notes/a.md
            [DCMHA](https://openreview.net/forum?id=Rbi$0BKPtuHp)
            //- /notes/b c.md
            ---
            title: Talk (day 1)
            ---
            https://openreview.net/pdf?id=RbiBKPtuHp
            //- /notes/z.md
            [x](https://openreview.net/forum?id=Other00001)
            """, "[DCMHA](https://openreview.net/forum?id=RbiBKPtuHp)\n---\n" + DcmhaHover + "\n\nAlso in your notes: [Talk (day 1)](file:///notes/b%20c.md)");
    }

    [Fact]
    public void Remote_text_is_escaped_so_it_cannot_become_html_links_images_or_headings() => Check(
        "[x](https://openreview.net/forum?id=Evil00000$01)",
        """
        [x](https://openreview.net/forum?id=Evil000001)
        ---
        **\<img src=x onerror=alert(1)> \[click\](command\:workbench.action.quit) # Heading**

        \*Bold\* Author, \<b>Tag\</b>

        ICLR 2024 · Poster

        **TL;DR** \`code\` and !\[img\](https\://x/y.png) and javascript\:alert(1)

        Line one # not a heading - not a list

        [Forum](https://openreview.net/forum?id=Evil000001) · [PDF](https://openreview.net/pdf?id=Evil000001)
        """);

    [Fact]
    public void Authors_are_shortened_past_eight() => Check(
        "https://openreview.net/forum?id=ManyAuth0$01",
        """
        https://openreview.net/forum?id=ManyAuth01
        ---
        **Many Authors**

        Author 1, Author 2, Author 3, Author 4, Author 5, Author 6, Author 7, Author 8 and 3 more

        [Forum](https://openreview.net/forum?id=ManyAuth01) · [PDF](https://openreview.net/pdf?id=ManyAuth01)
        """);

    [Fact]
    public void An_unknown_id_says_it_is_not_cached_and_why() => Check(
        "[x](https://openreview.net/forum?id=Unknown$0001)",
        """
        [x](https://openreview.net/forum?id=Unknown001)
        ---
        **OpenReview paper Unknown001**

        Not in any catalog and not cached. OpenReview asks for a login (ChallengeRequiredError).

        [Forum](https://openreview.net/forum?id=Unknown001) · [PDF](https://openreview.net/pdf?id=Unknown001)
        """,
        options: new PaperHoverOptions("OpenReview asks for a login (ChallengeRequiredError)."));

    [Fact]
    public void A_paper_known_only_from_link_text_says_so()
    {
        var (snapshot, uri, offset) = PaperFixtures.Workspace("[My Favourite Paper](https://openreview.net/forum?id=Mine00000$01)");
        var catalogs = new PaperCatalogSet([PaperFixtures.Small(), WorkspacePapers.Catalog(snapshot)]);
        Assert.Equal("""
            **My Favourite Paper**

            *Known only from link text in your notes; not cached.*

            [Forum](https://openreview.net/forum?id=Mine000001) · [PDF](https://openreview.net/pdf?id=Mine000001)
            """.ReplaceLineEndings("\n"), PaperHover.Hover(snapshot, uri, offset, catalogs)!.Markdown);
    }

    [Fact]
    public void A_venue_link_shows_the_venue_and_how_many_papers_are_cached()
    {
        Check(
            "{% linkpreview \"https://openreview.net/group?id=ICML.cc/2024/Confer$0ence\" %}",
            """
            {% linkpreview "https://openreview.net/group?id=ICML.cc/2024/Conference" %}
            ---
            **Venue: ICML 2024** `ICML.cc/2024/Conference`

            2610 papers of this venue are cached.

            [Open on OpenReview](https://openreview.net/group?id=ICML.cc/2024/Conference)
            """,
            PaperFixtures.Icml.Value);
        Check(
            "<https://openreview.net/group?id=ICLR.cc/2025/Conference#tab-accept-o$0ral>",
            """
            <https://openreview.net/group?id=ICLR.cc/2025/Conference#tab-accept-oral>
            ---
            **Venue: ICLR 2025** `ICLR.cc/2025/Conference`

            No papers of this venue are cached. Download them with the command **Notes: Download venue papers** (`notes.papers.downloadVenue`).

            [Open on OpenReview](https://openreview.net/group?id=ICLR.cc/2025/Conference)
            """);
    }

    [Fact]
    public void Profiles_malformed_ids_and_other_links()
    {
        Check("https://openreview.net/profile?id=~Da_Xia$0o1", "https://openreview.net/profile?id=~Da_Xiao1\n---\n**OpenReview profile** \\~Da_Xiao1");
        Check("[x](https://openreview.net/forum?id=a$0b)", "[x](https://openreview.net/forum?id=ab)\n---\n**OpenReview link**\n\nab is not the shape of an OpenReview paper id; check the link.");
        Check("[x](https://example.com/forum?id=Rbi$0BKPtuHp)", "(none)");
        Check("plain $0text", "(none)");
    }

    [Fact]
    public void A_pdf_file_link_is_matched_to_its_paper_by_the_pdf_path()
    {
        var catalog = PaperCatalog.Create("test", [new PaperRecord("Hashed0001", "A Paper Found By Its PDF") { PdfUrl = "/pdf/e92f71b36bf501a4596d0b0a2285f14e5d15d076.pdf" }]);
        Check(
            "https://openreview.net/pdf/e92f71b36bf501a4596d0b0a2285f14e5d$015d076.pdf",
            """
            https://openreview.net/pdf/e92f71b36bf501a4596d0b0a2285f14e5d15d076.pdf
            ---
            **A Paper Found By Its PDF**

            [Forum](https://openreview.net/forum?id=Hashed0001) · [PDF](https://openreview.net/pdf?id=Hashed0001)
            """,
            catalog);
        var unknownPdf = "https://openreview.net/pdf/" + new string('0', 40) + ".pdf";
        Check(
            unknownPdf.Insert(40, "$0"),
            unknownPdf + "\n---\n**OpenReview PDF**\n\nNo catalog knows which paper this PDF belongs to.",
            catalog);
    }
}
