using System.CommandLine;
using System.Reflection;

namespace NotesLsp.Server;

/// <summary>
/// The <c>notes-lsp</c> executable. With no command it is the language server on stdio; other commands
/// (check, papers) run the same analysis from a terminal.
/// </summary>
public static class Program
{
    public static string Version { get; } =
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static Task<int> Main(string[] args) => BuildCommandLine().Parse(args).InvokeAsync();

    public static RootCommand BuildCommandLine()
    {
        // Editors pass these when they start a server; stdio is the only transport, so both are accepted and ignored.
        var stdio = new Option<bool>("--stdio") { Description = "Speak LSP over stdin/stdout (the default)." };
        var clientProcessId = new Option<int?>("--clientProcessId") { Description = "Accepted for compatibility; the server watches the processId sent in initialize." };
        var root = new RootCommand("NotesLsp: a language server for Markdown research notes (front matter, tags, OpenReview papers).")
        {
            stdio,
            clientProcessId,
        };
        root.Subcommands.Add(CheckCommand.Create());
        root.SetAction((_, cancellationToken) => RunServerAsync(cancellationToken));
        root.Subcommands.Add(PapersCommand.Build());
        return root;
    }

    private static async Task<int> RunServerAsync(CancellationToken cancellationToken)
    {
        var stdout = Console.OpenStandardOutput();
        var stdin = Console.OpenStandardInput();

        // Only framed messages may reach stdout: anything else printing through Console goes to stderr.
        Console.SetOut(Console.Error);
        var log = new ServerLog(Console.Error);
        return await LspHost.RunAsync(stdin, stdout, log, cancellationToken);
    }
}
