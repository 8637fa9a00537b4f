namespace NotesLsp.Papers.Tests;

public class LinkAndDecisionTests
{
    private static string Parse(string url) => OpenReviewLink.Parse(url) is { } link ? $"{link.Kind} {link.Id}{(link.Detail is null ? "" : " " + link.Detail)}" : "none";

    // Every link form of OPENREVIEW.md "Link forms a note may contain".
    [Theory]
    [InlineData("https://openreview.net/forum?id=RbiBKPtuHp", "Forum RbiBKPtuHp")]
    [InlineData("https://openreview.net/forum?id=RbiBKPtuHp&noteId=abcdEFGH12&referrer=%5Bthe%20profile%5D", "Forum RbiBKPtuHp")]
    [InlineData("https://openreview.net/forum?referrer=x&id=RbiBKPtuHp", "Forum RbiBKPtuHp")]
    [InlineData("http://www.openreview.net/forum?id=B1ePkHe_x-", "Forum B1ePkHe_x-")]
    [InlineData("https://openreview.net/pdf?id=RbiBKPtuHp", "Pdf RbiBKPtuHp")]
    [InlineData("https://openreview.net/pdf/e92f71b36bf501a4596d0b0a2285f14e5d15d076.pdf", "PdfFile /pdf/e92f71b36bf501a4596d0b0a2285f14e5d15d076.pdf")]
    [InlineData("https://openreview.net/attachment?id=RbiBKPtuHp&name=supplementary_material", "Attachment RbiBKPtuHp supplementary_material")]
    [InlineData("https://openreview.net/attachment?id=RbiBKPtuHp&name=pdf", "Attachment RbiBKPtuHp pdf")]
    [InlineData("https://openreview.net/revisions?id=RbiBKPtuHp", "Revisions RbiBKPtuHp")]
    [InlineData("https://openreview.net/group?id=ICML.cc/2024/Conference", "Group ICML.cc/2024/Conference")]
    [InlineData("https://openreview.net/group?id=ICML.cc/2024/Conference#tab-accept-oral", "Group ICML.cc/2024/Conference tab-accept-oral")]
    [InlineData("https://openreview.net/group?id=ICML.cc%2F2024%2FConference", "Group ICML.cc/2024/Conference")]
    [InlineData("https://openreview.net/profile?id=~First_Last1", "Profile ~First_Last1")]
    [InlineData("https://openreview.net/forum", "none")]
    [InlineData("https://openreview.net.evil.com/forum?id=RbiBKPtuHp", "none")]
    [InlineData("https://example.com/forum?id=RbiBKPtuHp", "none")]
    [InlineData("javascript:alert(1)", "none")]
    [InlineData("not a url", "none")]
    public void Every_link_form_parses_to_its_kind_and_id(string url, string expected) => Assert.Equal(expected, Parse(url));

    [Fact]
    public void A_forum_link_copied_from_a_venue_page_names_that_venue()
    {
        var link = OpenReviewLink.Parse("https://openreview.net/forum?id=RbiBKPtuHp&referrer=%5BICML%202024%20Conference%5D(%2Fgroup%3Fid%3DICML.cc%2F2024%2FConference)")!;
        Assert.Equal("ICML.cc/2024/Conference", link.ReferrerVenueId);
        Assert.Null(OpenReviewLink.Parse("https://openreview.net/forum?id=RbiBKPtuHp&referrer=%5Bthe%20profile%5D")!.ReferrerVenueId);
    }

    [Theory]
    [InlineData("RbiBKPtuHp", true)]
    [InlineData("B1ePkHe_x-", true)]
    [InlineData("rJx", false)]
    [InlineData("Rbi BKPtuHp", false)]
    [InlineData("RbiBKPtuHp<script>", false)]
    public void Note_ids_are_checked_for_shape(string id, bool wellFormed) => Assert.Equal(wellFormed, OpenReviewLink.IsWellFormedNoteId(id));

    // OPENREVIEW.md "Decision labels": the spelling changes per venue and year.
    [Theory]
    [InlineData("ICML 2024 Oral", "ICML.cc/2024/Conference", PaperDecision.Oral)]
    [InlineData("ICML 2024 Spotlight", "ICML.cc/2024/Conference", PaperDecision.Spotlight)]
    [InlineData("ICML 2024 Poster", "ICML.cc/2024/Conference", PaperDecision.Poster)]
    [InlineData("ICLR 2024 oral", "ICLR.cc/2024/Conference", PaperDecision.Oral)]
    [InlineData("ICLR 2024 spotlight", "ICLR.cc/2024/Conference", PaperDecision.Spotlight)]
    [InlineData("NeurIPS 2024 poster", "NeurIPS.cc/2024/Conference", PaperDecision.Poster)]
    [InlineData("ICML 2025 spotlightposter", "ICML.cc/2025/Conference", PaperDecision.Spotlight)]
    [InlineData("ICML 2025 oral", "ICML.cc/2025/Conference", PaperDecision.Oral)]
    [InlineData("Submitted to ICLR 2024", "ICLR.cc/2024/Conference/Rejected_Submission", PaperDecision.Rejected)]
    [InlineData("Submitted to ICLR 2024", null, PaperDecision.Rejected)]
    [InlineData("ICLR 2024 Conference Withdrawn Submission", "ICLR.cc/2024/Conference/Withdrawn_Submission", PaperDecision.Withdrawn)]
    [InlineData(null, "ICLR.cc/2024/Conference/Desk_Rejected_Submission", PaperDecision.DeskRejected)]
    [InlineData("ICLR 2025 Conference Submission", "ICLR.cc/2025/Conference/Submission", PaperDecision.Submitted)]
    [InlineData("Some Workshop Best Talk Ever", "X.cc/2024/Workshop", PaperDecision.Unknown)]
    public void Decisions_come_from_a_table_of_venue_spellings(string? venue, string? venueId, PaperDecision expected) =>
        Assert.Equal(expected, Decisions.FromVenue(venue, venueId));

    [Theory]
    [InlineData("ICML 2024 Oral", null, "ICML 2024")]
    [InlineData("ICML 2025 spotlightposter", null, "ICML 2025")]
    [InlineData("Submitted to ICLR 2024", null, "ICLR 2024")]
    [InlineData(null, "NeurIPS.cc/2023/Conference", "NeurIPS 2023")]
    public void Venue_names_drop_the_presentation_word(string? venue, string? venueId, string expected) =>
        Assert.Equal(expected, Decisions.VenueName(venue, venueId));
}
