using NotesLsp.Analysis.Tags;

namespace NotesLsp.Analysis.Tests.Tags;

/// <summary>
/// `tag-variant` is right or silent: only other spellings of one word (case, separators, plural s) and long Latin
/// typos; never an edit-distance guess on CJK or short tags; never a merge of two tags that are each used often.
/// </summary>
public class TagPrecisionTests
{
    private static string Hints(string fixture, NotesSettings? settings = null, string note = "/notes/main.md")
    {
        var workspace = WorkspaceFixture.Parse(fixture, settings);
        var target = workspace.Snapshot.Find(WorkspaceFixture.Uri(note))!;
        return string.Join("\n", NoteDiagnostics.Compute(workspace.Snapshot, target, CancellationToken.None)
            .Where(d => d.Code == TagHygiene.VariantCode)
            .Select(d => $"{target.Text.Slice(d.Span)}: {d.Message}"));
    }

    private static string Notes(params string[] tagLists) =>
        string.Concat(tagLists.Select((tags, i) => $"//- /notes/{i + 1:D2}.md\n---\ntags: [{tags}]\n---\n"));

    [Fact]
    public void Cjk_tags_one_character_apart_are_different_words()
    {
        // BFS and DFS; radix sort and counting sort.
        var fixture = Notes("深度优先搜索", "深度优先搜索", "深度优先搜索", "计数排序", "计数排序", "计数排序") + "//- /notes/main.md\n---\ntags: [广度优先搜索, 基数排序]\n---\n";
        Assert.Equal("", Hints(fixture));
    }

    [Fact]
    public void Short_tags_one_edit_apart_are_different_words()
    {
        var fixture = Notes("Tree", "Tree", "Tree", "BERT", "BERT", "BERT", "sorting", "sorting", "sorting") + "//- /notes/main.md\n---\ntags: [Trie, BART, porting]\n---\n";
        Assert.Equal("", Hints(fixture));
    }

    [Fact]
    public void Two_spellings_that_are_each_used_often_are_two_concepts()
    {
        // benchmark (6 notes) and benchmarks (3 notes, main included): a habit, not a slip.
        var fixture = Notes("benchmark", "benchmark", "benchmark", "benchmark", "benchmark", "benchmark", "benchmarks", "benchmarks")
            + "//- /notes/main.md\n---\ntags: [benchmarks]\n---\n";
        Assert.Equal("", Hints(fixture));

        // A tag on a few notes beside one on twenty times as many is still a slip.
        var many = Notes([.. Enumerable.Repeat("ML", 60), "ml", "ml"]) + "//- /notes/main.md\n---\ntags: [ml]\n---\n";
        Assert.Equal("ml: did you mean `ML` (used 60 times)?", Hints(many));
    }

    [Fact]
    public void Equal_count_case_variants_are_flagged_on_the_spelling_used_later()
    {
        var fixture = "//- /notes/2024-01-05-serving.md\n---\ntags: [LLM]\n---\n//- /notes/2024-02-20-evals.md\n---\ntags: [llm]\n---\n";
        Assert.Equal("llm: did you mean `LLM` (used once)?", Hints(fixture, note: "/notes/2024-02-20-evals.md"));
        Assert.Equal("", Hints(fixture, note: "/notes/2024-01-05-serving.md"));

        // Within one note, the spelling written first is the one kept.
        Assert.Equal("Llm: did you mean `LLM` (used once)?", Hints("---\ntags: [LLM, Llm]\n---\n", note: "/notes/main.md"));
    }

    [Fact]
    public void No_variant_hints_under_preset_none_or_with_the_setting_off()
    {
        var fixture = Notes("time-series", "time-series", "time-series") + "//- /notes/main.md\n---\ntags: [Time_Series]\n---\n";
        Assert.Equal("Time_Series: did you mean `time-series` (used 3 times)?", Hints(fixture));
        Assert.Equal("", Hints(fixture, NotesSettings.Default with { FrontMatter = new FrontMatterSettings { Preset = "none" } }));
        Assert.Equal("", Hints(fixture, NotesSettings.Default with { Tags = new TagSettings { VariantHints = false } }));
    }

    [Fact]
    public void Completion_does_not_offer_another_case_of_a_tag_the_list_has()
    {
        var workspace = WorkspaceFixture.Parse(Notes("ml", "ml", "ML", "mlops") + "//- /notes/main.md\n---\ntags: [ML, m$0]\n---\n");
        var labels = TagCompletion.Complete(workspace.Snapshot, workspace.Note, workspace.Offset, CancellationToken.None).Items.Select(i => i.Label);
        Assert.Equal(["mlops"], labels);
    }
}
