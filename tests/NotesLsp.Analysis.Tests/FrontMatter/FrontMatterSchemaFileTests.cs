using NotesLsp.Analysis.FrontMatter;
using static NotesLsp.Analysis.Tests.FrontMatter.FrontMatterTestKit;

namespace NotesLsp.Analysis.Tests.FrontMatter;

public class FrontMatterSchemaFileTests
{
    private static void CheckSchema(string schema, string expected)
    {
        var file = new FrontMatterSchemaFile("file:///w/.notes/schema.yaml", Normalize(schema));
        Assert.Equal(Normalize(expected).Trim(), Render(file.Text, file.Diagnostics));
    }

    private static void CheckNote(string schema, string note, string expected)
    {
        var noteObject = NoteOf(note);
        Assert.Equal(Normalize(expected).Trim(), Render(noteObject.Text, FrontMatterValidator.Validate(noteObject, Settings("jekyll", schema))));
    }

    [Fact]
    public void A_valid_schema_has_no_diagnostics_and_overrides_the_preset()
    {
        const string Schema = """
            unknownKeys: warn
            keys:
              title: { type: string, required: true }
              date: year-or-date
              tags: { type: string-list, listMayBeString: true }
              status: { type: enum, values: [unread, done] }
              link: url
            """;
        CheckSchema(Schema, "");
        CheckNote(Schema, """
            ---
            date: 2024
            tags: conference
            status: dnoe
            link: not a link
            layout: post
            ---
            """, """
            0:0-0:3 warning missing-key the schema requires a `title` key
            3:8-3:12 error value-not-allowed `dnoe` is not an allowed `status`: did you mean `done`?
            4:6-4:16 warning wrong-type `link` expects a URL (https://...) or a path starting with '/'
            5:0-5:6 warning unknown-key unknown key `layout`: the schema does not list it
            """);
    }

    [Fact]
    public void Extends_keeps_the_preset_keys_and_policy()
    {
        CheckNote("extends: hugo\nkeys:\n  rating: int\n", "---\nLinkTitle: x\nrating: five\nweigth: 3\n---\n", """
            2:8-2:12 error wrong-type `rating` expects a whole number, not `five`
            3:0-3:6 warning unknown-key unknown key `weigth`: did you mean `weight`?
            """);
    }

    [Fact]
    public void Invalid_schema_files_get_their_own_diagnostics()
    {
        CheckSchema("""
            extends: wordpress
            unknownKeys: sometimes
            colour: red
            keys:
              a: { type: strin }
              b: { type: enum }
              c: { required: maybe, type: bool, extra: 1 }
              d: [string, 12]
            """, """
            0:9-0:18 error schema-invalid schema file: `extends` names a preset: notes, jekyll, hugo, obsidian, none
            1:13-1:22 error schema-invalid schema file: `unknownKeys` is one of: ignore, typos, warn
            2:0-2:6 warning schema-invalid schema file: unknown schema field `colour`; expected one of: extends, unknownKeys, caseInsensitiveKeys, keys
            4:13-4:18 error schema-invalid schema file: unknown type `strin`; expected one of: string, date, datetime, year, year-or-date, bool, int, number, url, string-list, enum, mapping, any
            5:2-5:3 error schema-invalid schema file: `b` is an enum: list its `values`
            6:17-6:22 error schema-invalid schema file: `required` is true or false
            6:36-6:41 warning schema-invalid schema file: unknown key setting `extra`; expected one of: type, required, values, listMayBeString, description, template
            7:14-7:16 error schema-invalid schema file: unknown type `12`; expected one of: string, date, datetime, year, year-or-date, bool, int, number, url, string-list, enum, mapping, any
            """);
    }

    [Fact]
    public void A_broken_schema_file_falls_back_to_the_preset_and_says_why()
    {
        var file = new FrontMatterSchemaFile("file:///w/.notes/schema.yaml", "keys:\n  title: { type: string\n");
        Assert.Null(file.Schema);
        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal("schema-syntax", diagnostic.Code);
        var settings = Settings("hugo", "keys:\n  title: { type: string\n");
        Assert.Same(FrontMatterPresets.Hugo, FrontMatterSchemas.Resolve(settings));
    }
}
