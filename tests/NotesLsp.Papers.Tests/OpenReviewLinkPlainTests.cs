namespace NotesLsp.Papers.Tests;

/// <summary>
/// One reading of a link: the quick parse of the two plain forms (OpenReviewLink.ParsePlain) either declines or gives
/// exactly what the general parse through System.Uri gives, over generated links and near misses.
/// </summary>
public sealed class OpenReviewLinkPlainTests
{
    private static readonly string[] Schemes = ["https://", "http://", "HTTPS://", "https:/", ""];
    private static readonly string[] Hosts = ["openreview.net", "www.openreview.net", "OpenReview.net", "openreview.net.example.com", "www.openreview.net:443", "openreview.org", "wwww.openreview.net"];
    private static readonly string[] Paths = ["/forum", "/pdf", "/Forum", "/forum/", "/pdf/", "/revisions", "/attachment", "/group", "/forum.html", "//forum", "/pdf/abc.pdf"];
    private static readonly string[] Queries = ["?id=", "?ID=", "?id", "?x=1&id=", "?id=%41", "?&id=", "#id=", "?id=  "];
    private static readonly string[] Ids = ["RbiBKPtuHp", "B1ePkHe_x-", "a", "", "abc def", "abc%20", "a+b", "a#frag", "a&referrer=x", "A1b2C3d4E5", "ümlaut", "x/y", "id.with.dots", new string('a', 201), new string('b', 200)];
    private static readonly string[] Tails = ["", "&referrer=%5BICML%202024%20Conference%5D(%2Fgroup%3Fid%3DICML.cc%2F2024%2FConference)", "#discussion", " ", "\n", "&name=file"];

    [Fact]
    public void The_plain_parse_agrees_with_the_general_parse()
    {
        var random = new Random(20261202);
        var plain = 0;
        var urls = new List<string>();
        foreach (var id in Ids)
        {
            urls.Add("https://openreview.net/forum?id=" + id);
            urls.Add("https://www.openreview.net/pdf?id=" + id);
        }

        for (var i = 0; i < 20_000; i++)
        {
            urls.Add(Pick(Schemes, 1) + Pick(Hosts, 2) + Pick(Paths, 2) + Pick(Queries, 1) + Pick(Ids, 2) + Pick(Tails, 1));
        }

        foreach (var url in urls)
        {
            var general = OpenReviewLink.ParseGeneral(url);
            if (OpenReviewLink.ParsePlain(url) is { } quick)
            {
                plain++;
                Assert.True(quick == general, $"{url}: plain {quick}, general {general}");
            }

            Assert.Equal(general, OpenReviewLink.Parse(url));
        }

        // The quick path is taken for the plain forms (else the test would compare nothing).
        Assert.True(plain > 500, $"only {plain} plain links");

        // Each part is one of the plain choices (the first ones) half the time, so near misses differ in one or two parts.
        string Pick(string[] values, int plainChoices) => values[random.Next(2) == 0 ? random.Next(plainChoices) : random.Next(values.Length)];
    }
}
