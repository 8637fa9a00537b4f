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

    public static Task<int> Main(string[] args) =>
        IsPlainServerStart(args) ? RunServerUntilSignalAsync() : BuildCommandLine().Parse(args).InvokeAsync();

    /// <summary>
    /// What editors run: no arguments, or only <c>--stdio</c> / <c>--clientProcessId N</c>. That start skips building
    /// the command line (every option of <c>check</c> and <c>papers</c>), which was a tenth of the native server's
    /// start-up CPU; anything else (a command, <c>--help</c>, a typo) goes through the parser as before.
    /// </summary>
    internal static bool IsPlainServerStart(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--stdio")
            {
                continue;
            }

            if (args[i] == "--clientProcessId" && i + 1 < args.Length && int.TryParse(args[i + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }

    /// <summary>The server as the parser's action runs it: Ctrl+C or SIGTERM cancels it (it logs "stopped" and exits).</summary>
    private static async Task<int> RunServerUntilSignalAsync()
    {
        using var stop = new CancellationTokenSource();
        void Stop(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        return await RunServerAsync(stop.Token);
    }

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
