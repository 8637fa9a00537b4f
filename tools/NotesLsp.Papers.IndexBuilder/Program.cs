// Writes the precomputed index of each bundled catalog (PaperIndexFile) into the folder given, one file per venue
// named after its resource (NotesLsp.Papers.Data.icml2024.jsonl.gz -> NotesLsp.Papers.Data.icml2024.idx). The
// records and the index come from the same code that reads the JSON Lines at run time, so the bundled data keeps
// one reading; PaperIndexFileTests shows that both answer alike.
using NotesLsp.Papers;

if (args is not [var folder])
{
    Console.Error.WriteLine("usage: NotesLsp.Papers.IndexBuilder OUTPUT_FOLDER");
    return 2;
}

Directory.CreateDirectory(folder);
var catalogs = PaperCatalog.LoadAllBundled(precomputed: null);
for (var i = 0; i < catalogs.Length; i++)
{
    var path = Path.Combine(folder, PaperCatalog.IndexResourceName(PaperCatalog.BundledVenues[i].Resource));
    var temporary = path + ".tmp";
    File.WriteAllBytes(temporary, PaperIndexFile.Write(catalogs[i]));
    File.Move(temporary, path, overwrite: true);
    Console.WriteLine($"{catalogs[i].Name}: {catalogs[i].Count} papers -> {path} ({new FileInfo(path).Length / 1024} KB)");
}

return 0;
