namespace NotesLsp.Server.Tests;

/// <summary>
/// <see cref="DocumentUris.FromPath"/> spells a path that needs no escaping without encoding it; the general escaping
/// (<see cref="DocumentUris.Escaped"/>) is the reference, and both must give one spelling per file.
/// </summary>
public sealed class DocumentUriTests
{
    public static TheoryData<string> Paths() =>
    [
        "/home/ana/notes/2024-01-02_idea.md",
        "/w/a~b/c.d/E_F-9.markdown",
        "/w/with space/n.md",
        "/w/percent%20already.md",
        "/w/ümlaut/ñ.md",
        "/w/emoji-😀.md",
        "/w/brackets[1](2)#x?y&z=1+2,3;4@5!'$.md",
        "/w/tab\tand:colon.md",
        "/",
    ];

    [Theory]
    [MemberData(nameof(Paths))]
    public void The_short_spelling_is_the_escaping_of_the_path(string path)
    {
        Assert.Equal(DocumentUris.Escaped(Path.GetFullPath(path)), DocumentUris.FromPath(path));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void A_uri_reads_back_as_its_path(string path)
    {
        Assert.Equal(Path.GetFullPath(path), DocumentUris.ToPath(DocumentUris.FromPath(path)));
    }

    [Fact]
    public void Every_ascii_character_in_a_path_is_spelled_as_the_escaping_spells_it()
    {
        for (var c = (char)1; c < 128; c++)
        {
            if (c == '/' || c == '\\')
            {
                continue;
            }

            var path = $"/w/a{c}b.md";
            Assert.Equal(DocumentUris.Escaped(Path.GetFullPath(path)), DocumentUris.FromPath(path));
        }
    }
}
