namespace NotesLsp.Papers.Tests;

/// <summary>Answers in the recorded shapes of OPENREVIEW.md (free text replaced).</summary>
internal static class Fixtures
{
    /// <summary>The 12 papers linked in examples/icml2024-oral-papers.md, each with a few words of its title (shared by the search and CLI tests).</summary>
    public static TheoryData<string, string> OralPaperQueries { get; } = new()
    {
        { "dynamically composable", "RbiBKPtuHp" },
        { "recurrent weight matrices", "QBj7Uurdwf" },
        { "compressible dynamics low-rank", "uDkXoZMzBv" },
        { "lora ntk spurious minima", "s1sdx6vNsU" },
        { "arrows of time", "UpSe7ag34v" },
        { "llm arithmetic calculation", "CfOtiepP8s" },
        { "dijiang", "0uUHfhXdnH" },
        { "dpo ppo", "6XH8R7YrSk" },
        { "repoformer", "moyG54Okrj" },
        { "transformers in-context gradient descent", "WsawczEqO6" },
        { "mechanistic dpo toxicity", "dBqHGZPGZI" },
        { "dora weight decomposed", "3d5CIRG1n2" },
    };

    public static string V2Note(string id, string title, string venue = "ICML 2024 Oral", string venueId = "ICML.cc/2024/Conference", string authors = """["A. Author","B. Author"]""", string extra = "") => $$"""
        {"id":"{{id}}","forum":"{{id}}","number":10207,"license":"CC BY 4.0",
          "content":{"title":{"value":"{{title}}"},"authors":{"value":{{authors}}},
            "authorids":{"value":["~A_Author1","~B_Author1"]},"abstract":{"value":"An abstract."},
            "pdf":{"value":"/pdf/e92f71b36bf501a4596d0b0a2285f14e5d15d076.pdf"},
            "venue":{"value":"{{venue}}"},"venueid":{"value":"{{venueId}}"},
            "_bibtex":{"value":"@inproceedings{...}"},"paperhash":{"value":"author|title_words"}{{extra}}},
          "invitations":["ICML.cc/2024/Conference/-/Submission","ICML.cc/2024/Conference/-/Edit"],
          "domain":"ICML.cc/2024/Conference","readers":["everyone"],
          "cdate":1706876283950,"mdate":1719287297883,"pdate":1714610512428,"odate":1717693106458,"version":2}
        """;

    public static string V1Note(string id, string title) => $$"""
        {"id":"{{id}}","forum":"{{id}}","invitation":"ICLR.cc/2019/Conference/-/Blind_Submission",
          "content":{"title":"{{title}}","authors":["C. Author"],"authorids":["~C_Author1"],"abstract":"Old abstract.",
            "TL;DR":"A v1 summary.","keywords":["graphs","attention"],"pdf":"/pdf/0123456789abcdef0123456789abcdef01234567.pdf",
            "venue":"ICLR 2019 Poster","venueid":"ICLR.cc/2019/Conference"},
          "cdate":1538087000000,"tcdate":1538087000000}
        """;

    public static string Notes(params string[] notes) => $$"""{"notes":[{{string.Join(",", notes)}}]}""";

    public static string Page(int count, IEnumerable<string> notes) => $$"""{"notes":[{{string.Join(",", notes)}}],"count":{{count}}}""";

    /// <summary>
    /// A venue that never ends: as many papers as the request's <c>limit</c> asks for, at its <c>offset</c>,
    /// never a short page; with no <c>count</c> unless one is given. The notes are short (id, title, venue), so
    /// that the tests that run into the default bound of 50,000 papers stay quick on a loaded machine.
    /// </summary>
    public static string FullPage(string target, int? count = null)
    {
        var (limit, offset) = (QueryNumber(target, "limit"), QueryNumber(target, "offset"));
        var notes = Enumerable.Range(offset, limit).Select(i => "{\"id\":\"E" + i.ToString("D9", System.Globalization.CultureInfo.InvariantCulture) + "\",\"content\":{\"title\":{\"value\":\"Endless " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"},\"venueid\":{\"value\":\"ICML.cc/2024/Conference\"}}}");
        return count is { } c ? Page(c, notes) : Notes([.. notes]);
    }

    /// <summary>A number in a request target's query (<c>offset=1000</c>).</summary>
    public static int QueryNumber(string target, string name)
    {
        var start = target.IndexOf(name + "=", StringComparison.Ordinal) + name.Length + 1;
        var end = target.IndexOf('&', start);
        return int.Parse(end < 0 ? target[start..] : target[start..end], System.Globalization.CultureInfo.InvariantCulture);
    }

    public const string NotFound = """{"name":"NotFoundError","message":"The Note abc was not found","status":404,"details":{"path":"id","value":"abc"}}""";

    public const string Challenge = """{"name":"ChallengeRequiredError","message":"Please complete the challenge","status":403,"details":{}}""";

    public const string RateLimit = """{"name":"RateLimitError","message":"Too many requests","status":429,"details":{}}""";

    public const string ServerError = """{"name":"InternalServerError","message":"Something went wrong","status":500,"details":{}}""";

    public const string BrowserCheck = """
        <!DOCTYPE html><html><head><title>Verifying your browser</title></head><body>Verifying your browser...</body></html>
        """;
}
