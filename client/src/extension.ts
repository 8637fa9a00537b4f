// The VS Code side of NotesLsp. It stays thin on purpose: it starts the .NET language server,
// forwards settings (and the OpenReview token from the secret storage), shows the server's state
// in the status bar and offers a few commands that call the server. Everything that does not need
// the `vscode` module lives in serverPath.ts, settings.ts, status.ts and papers.ts, with unit tests.
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  ReferencesRequest,
  State,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type FeatureState,
  type LanguageClientOptions,
  type ProgressToken,
  type ServerOptions,
  type StaticFeature,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from 'vscode-languageclient/node';
import { CrashPolicy } from './crashPolicy';
import { isInFrontMatter, shouldTriggerSuggest } from './editorContext';
import { extendMarkdownIt } from './markdownIt';
import { bundledVenueNote, venuePlaceholder, describeDownloadResult, normalizeVenueId, paperDescription, paperLink, parseSearchResults, validateVenueId, type PaperHit } from './papers';
import { dotnetDownloadUrl, missingRuntimeHint, repairedExecutableMode, resolveServerLaunch, type ServerCommand } from './serverPath';
import { configurationFor, configurationSection, redactSecret, restartSettings, toServerSettings, type ServerSettings } from './settings';
import { stderrLevel } from './serverLog';
import { parseStatusNotification, renderStatus, type ServerStatus } from './status';

const tokenSecretKey = 'notes.openreview.token';
const searchCommand = 'notes.papers.search';
const downloadVenueCommand = 'notes.papers.downloadVenue';
/** VS Code's built-in Markdown extension: it already gives the heading outline, breadcrumbs and Ctrl+T. */
const builtinMarkdownExtension = 'vscode.markdown-language-features';
const frontMatterRenameRefusal = 'Only tags can be renamed in the front matter.';
/** How long after a keystroke the client asks for completion (see suggestWhileTyping). */
const suggestDelayMs = 120;

let controller: NotesController | undefined;

/** What VS Code's built-in Markdown extension takes from this one (package.json: markdown.markdownItPlugins). */
export interface NotesExtensionApi {
  extendMarkdownIt: typeof extendMarkdownIt;
}

export async function activate(context: vscode.ExtensionContext): Promise<NotesExtensionApi> {
  controller = new NotesController(context, Date.now());
  await controller.start();
  return { extendMarkdownIt };
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

/** Owns the language client, the output channel and the status bar item for one window. */
class NotesController {
  private readonly output: vscode.LogOutputChannel;
  private readonly statusItem: vscode.StatusBarItem;
  private client: LanguageClient | undefined;
  private status: ServerStatus = { state: 'starting' };
  private counts: { notes?: number; papers?: number } = {};
  private readonly activeProgress = new Map<ProgressToken, { title: string; message?: string; percentage?: number }>();
  private firstDiagnosticsLogged = false;
  private inFrontMatterContext = false;
  private firstProblemLogged = false;
  private readonly openedAt = new Map<string, number>();
  private token: string | undefined;
  private readonly crashes = new CrashPolicy();
  /** The reason the server stays stopped after too many crashes, for the status bar. */
  private crashStop: string | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly activatedAt: number,
  ) {
    this.output = vscode.window.createOutputChannel('Notes', { log: true });
    this.statusItem = vscode.window.createStatusBarItem('notes.status', vscode.StatusBarAlignment.Right, 100);
    this.statusItem.name = 'Notes';
    this.statusItem.command = 'notes.showOutput';
    context.subscriptions.push(this.output, this.statusItem);

    const register = (id: string, run: (...args: unknown[]) => unknown): void => {
      context.subscriptions.push(vscode.commands.registerCommand(id, run));
    };
    register('notes.showOutput', () => this.output.show(true));
    register('notes.restartServer', () => this.restart());
    register('notes.searchPapers', () => this.searchPapers());
    register('notes.downloadVenuePapers', (venue?: unknown) => this.downloadVenuePapers(typeof venue === 'string' ? venue : undefined));
    register('notes.checkWorkspace', () => this.checkWorkspace());
    register('notes.setOpenReviewToken', () => this.setToken());
    register('notes.clearOpenReviewToken', () => this.clearToken());
    register('notes.findTagReferences', () => this.findTagReferences());

    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (restartSettings.some((setting) => event.affectsConfiguration(setting))) {
          void this.restart();
        } else if (event.affectsConfiguration(configurationSection)) {
          void this.pushSettings();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((event) => this.suggestWhileTyping(event)),
      vscode.window.onDidChangeTextEditorSelection((event) => this.updateFrontMatterContext(event.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.updateFrontMatterContext(editor)),
      context.secrets.onDidChange(async (event) => {
        if (event.key === tokenSecretKey) {
          this.token = await context.secrets.get(tokenSecretKey);
          await this.pushSettings();
        }
      }),
    );
    this.render();
    this.statusItem.show();
  }

  async start(): Promise<void> {
    this.setStatus({ state: 'starting' });
    this.token = await this.context.secrets.get(tokenSecretKey);
    const plan = resolveServerLaunch({
      extensionPath: this.context.extensionPath,
      serverPathSetting: this.config().get<string>('server.path', ''),
      dotnetPathSetting: this.config().get<string>('dotnetPath', ''),
      platform: process.platform,
      env: process.env,
      homeDir: os.homedir(),
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      isFile: (path) => {
        try {
          return fs.statSync(path).isFile();
        } catch {
          return false;
        }
      },
    });
    if (plan.kind === 'error') {
      this.output.error(plan.message);
      this.setStatus({ state: 'stopped', reason: plan.message });
      void this.showStartError(plan.message, plan.dotnetMissing);
      return;
    }
    this.output.info(`Starting ${plan.description}`);
    if (plan.bundledNative === true && process.platform !== 'win32') {
      this.ensureExecutable(plan.command);
    }

    const client = new LanguageClient('notes', 'Notes', serverOptionsFor(plan), this.clientOptions());
    client.registerFeature(new StatusProgressFeature(client, this));
    client.onNotification('notes/status', (params: unknown) => {
      this.counts = { ...this.counts, ...parseStatusNotification(params) };
      this.refreshReadyStatus();
    });
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) {
        this.output.info(`Server ready ${Date.now() - this.activatedAt} ms after activation`);
        this.refreshReadyStatus();
      } else if (event.newState === State.Starting) {
        this.setStatus({ state: 'starting' });
      } else {
        this.activeProgress.clear();
        this.setStatus({ state: 'stopped', reason: this.crashStop ?? 'it stopped. Run "Notes: Restart Server" to start it again.' });
      }
    });
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      const message = errorMessage(error);
      this.output.error(`The server failed to start: ${message}`);
      const runtimeHint = plan.args.length > 0 ? await this.diagnoseRuntime(plan.command) : undefined;
      this.setStatus({ state: 'stopped', reason: runtimeHint ?? message });
      void this.showStartError(runtimeHint ?? `The Notes language server failed to start: ${message}`, runtimeHint !== undefined);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined && client.needsStop()) {
      await client.stop().catch((error: unknown) => this.output.warn(`Stopping the server: ${errorMessage(error)}`));
    }
  }

  async restart(): Promise<void> {
    this.output.info('Restarting the server');
    this.crashes.reset();
    this.crashStop = undefined;
    await this.stop();
    this.counts = {};
    this.activeProgress.clear();
    await this.start();
  }

  /** Called by StatusProgressFeature for every `$/progress` of a server-created token. */
  onServerProgress(token: ProgressToken, value: WorkDoneProgressBegin | WorkDoneProgressReport | { kind: 'end' }): void {
    if (value.kind === 'end') {
      this.activeProgress.delete(token);
    } else if (value.kind === 'begin') {
      this.activeProgress.set(token, {
        title: value.title,
        ...(value.message !== undefined ? { message: value.message } : {}),
        ...(value.percentage !== undefined ? { percentage: value.percentage } : {}),
      });
    } else {
      const previous = this.activeProgress.get(token);
      if (previous !== undefined) {
        this.activeProgress.set(token, {
          ...previous,
          ...(value.message !== undefined ? { message: value.message } : {}),
          ...(value.percentage !== undefined ? { percentage: value.percentage } : {}),
        });
      }
    }
    this.refreshReadyStatus();
  }

  clearServerProgress(): void {
    this.activeProgress.clear();
    this.refreshReadyStatus();
  }

  private clientOptions(): LanguageClientOptions {
    // No synchronize.fileEvents: the server registers its own file watchers dynamically, and
    // static ones as well would deliver every change twice.
    return {
      // The server's own log lines arrive once as window/logMessage; their stderr copy goes to debug.
      stdioOptions: {
        stdout: (input, channel) => readLines(input, (line) => channel.info(line)),
        stderr: (input, channel) =>
          // From initialize on (state Starting), the server's lines also arrive as window/logMessage.
          readLines(input, (line) =>
            stderrLevel(line, this.client !== undefined && this.client.state !== State.Stopped) === 'debug' ? channel.debug(line) : channel.error(line),
          ),
      },
      // A dead server is noticed by its closed connection; the writes that failed before it are
      // not a reason to stop for good (the default handler's fourth write error is: crashPolicy.ts).
      errorHandler: {
        error: (error, _message, count) => {
          if (count === 1) {
            this.output.warn(`Writing to the server failed: ${errorMessage(error)}`);
          }
          return { action: ErrorAction.Continue, handled: true };
        },
        closed: () => {
          const decision = this.crashes.onClosed();
          if (decision.restart) {
            this.output.warn(decision.message);
            return { action: CloseAction.Restart, handled: true };
          }
          this.crashStop = decision.message;
          this.output.error(decision.message);
          this.offerRestart((text, ...items) => vscode.window.showErrorMessage(text, ...items), decision.message);
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'untitled', language: 'markdown' },
      ],
      outputChannel: this.output,
      // Verbose tracing prints every message, settings included: the token from the secret storage is
      // replaced before the text reaches the channel.
      traceOutputChannel: redactingChannel(this.output, () => this.token),
      initializationOptions: {
        settings: this.serverSettings(),
        // Beside VS Code's Markdown extension the outline, breadcrumbs and Ctrl+T already list every
        // heading; the server then adds only the title and tags. Without it (disabled), it lists all.
        headingSymbols: vscode.extensions.getExtension(builtinMarkdownExtension) === undefined,
      },
      middleware: {
        // Inside the front matter, F2 belongs to the server (tags) or to nobody: VS Code would
        // otherwise fall through to the built-in Markdown rename, which reads `[a, b]` as a link.
        // A refusal that is not an Error stops VS Code from trying the next rename provider.
        prepareRename: async (document, position, token, next) => {
          const inFrontMatter = isInFrontMatter(documentLines(document), position.line);
          try {
            const result = await next(document, position, token);
            if (result !== undefined && result !== null) {
              return result;
            }
          } catch (error) {
            if (!inFrontMatter) {
              throw error;
            }
          }
          if (!inFrontMatter) {
            return undefined;
          }
          vscode.window.setStatusBarMessage(frontMatterRenameRefusal, 5000);
          throw { refused: frontMatterRenameRefusal };
        },
        provideRenameEdits: async (document, position, newName, token, next) => {
          try {
            return await next(document, position, newName, token);
          } catch (error) {
            if (!isInFrontMatter(documentLines(document), position.line)) {
              throw error;
            }
            const message = errorMessage(error);
            void vscode.window.showWarningMessage(message);
            throw { refused: message };
          }
        },
        workspace: {
          // The server pulls `notes` with workspace/configuration; answer with the mapped settings,
          // which carry the token from the secret storage that VS Code's own answer would lack.
          configuration: async (params, token, next) => {
            const fromVsCode = await next(params, token);
            if (!Array.isArray(fromVsCode)) {
              return fromVsCode;
            }
            const settings = this.serverSettings();
            return params.items.map((item, index) => configurationFor(item.section, settings) ?? fromVsCode[index]);
          },
        },
        didOpen: (document, next) => {
          this.openedAt.set(document.uri.toString(), Date.now());
          return next(document);
        },
        // Start-up timing, measured by the end-to-end test (bench/RESULTS-client.md).
        handleDiagnostics: (uri, diagnostics, next) => {
          const opened = this.openedAt.get(uri.toString());
          if (opened !== undefined && diagnostics.length > 0) {
            this.openedAt.delete(uri.toString());
            this.output.info(`Diagnostics ${Date.now() - opened} ms after opening ${vscode.workspace.asRelativePath(uri)}`);
          }
          if (!this.firstDiagnosticsLogged) {
            this.firstDiagnosticsLogged = true;
            this.output.info(
              `First diagnostics ${Date.now() - this.activatedAt} ms after activation (${diagnostics.length} for ${vscode.workspace.asRelativePath(uri)})`,
            );
          }
          if (!this.firstProblemLogged && diagnostics.length > 0) {
            this.firstProblemLogged = true;
            this.output.info(
              `First non-empty diagnostics ${Date.now() - this.activatedAt} ms after activation (${diagnostics.length} for ${vscode.workspace.asRelativePath(uri)})`,
            );
          }
          next(uri, diagnostics);
        },
      },
    };
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(configurationSection);
  }

  private serverSettings(): ServerSettings {
    const config = this.config();
    return toServerSettings((key) => config.get(key), this.token, (key) => {
      const inspected = config.inspect(key);
      if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) {
        return 'workspace';
      }
      return inspected?.globalValue !== undefined ? 'user' : 'default';
    });
  }

  private async pushSettings(): Promise<void> {
    const client = this.client;
    if (client === undefined || !client.isRunning()) {
      return;
    }
    await client
      .sendNotification(DidChangeConfigurationNotification.type, { settings: { [configurationSection]: this.serverSettings() } })
      .catch((error: unknown) => this.output.warn(`Sending settings: ${errorMessage(error)}`));
  }

  private refreshReadyStatus(): void {
    const running = this.client?.isRunning() ?? false;
    const progress = [...this.activeProgress.values()].at(-1);
    if (progress !== undefined) {
      this.setStatus({ state: 'indexing', ...progress });
    } else if (running) {
      this.setStatus({ state: 'ready', ...this.counts });
    }
  }

  private setStatus(status: ServerStatus): void {
    this.status = status;
    this.render();
  }

  private render(): void {
    const view = renderStatus(this.status);
    this.statusItem.text = view.text;
    this.statusItem.tooltip = view.tooltip;
    this.statusItem.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  private async showStartError(message: string, dotnetMissing: boolean): Promise<void> {
    const actions = dotnetMissing ? ['Download .NET', 'Open Settings', 'Show Output'] : ['Open Settings', 'Show Output'];
    const choice = await vscode.window.showErrorMessage(message, ...actions);
    if (choice === 'Download .NET') {
      await vscode.env.openExternal(vscode.Uri.parse(dotnetDownloadUrl));
    } else if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', dotnetMissing ? 'notes.dotnetPath' : 'notes.server');
    } else if (choice === 'Show Output') {
      this.output.show(true);
    }
  }

  /** Packaging keeps the native server's executable bits; if an installer lost them, they are restored. */
  private ensureExecutable(path: string): void {
    try {
      const mode = repairedExecutableMode(fs.statSync(path).mode);
      if (mode !== undefined) {
        fs.chmodSync(path, mode);
        this.output.warn(`${path} was not executable; set its mode to ${mode.toString(8)}`);
      }
    } catch (error) {
      this.output.warn(`Could not check the server's file mode: ${errorMessage(error)}`);
    }
  }

  /** After a failed start, asks `dotnet --list-runtimes` whether the .NET 10 runtime is the problem. */
  private diagnoseRuntime(dotnet: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      childProcess.execFile(dotnet, ['--list-runtimes'], { timeout: 10_000 }, (error, stdout) => {
        resolve(error ? undefined : missingRuntimeHint(stdout));
      });
    });
  }

  private runningClient(): LanguageClient | undefined {
    if (this.client?.isRunning()) {
      return this.client;
    }
    this.offerRestart((text, ...items) => vscode.window.showWarningMessage(text, ...items), 'The Notes language server is not running.');
    return undefined;
  }

  /** A message about a server that is not running, with Restart Server and Show Output. */
  private offerRestart(show: (message: string, ...items: string[]) => Thenable<string | undefined>, message: string): void {
    void show(message, 'Restart Server', 'Show Output').then((choice) => {
      if (choice === 'Restart Server') {
        void this.restart();
      } else if (choice === 'Show Output') {
        this.output.show(true);
      }
    });
  }

  /** A quick pick over the server's paper search; the chosen paper's link replaces each selection. */
  private async searchPapers(): Promise<void> {
    const client = this.runningClient();
    const editor = vscode.window.activeTextEditor;
    if (client === undefined) {
      return;
    }
    if (editor === undefined) {
      void vscode.window.showInformationMessage('Open a note to insert a paper link into.');
      return;
    }
    type PaperItem = vscode.QuickPickItem & { paper: PaperHit };
    const pick = vscode.window.createQuickPick<PaperItem>();
    pick.placeholder = 'Type part of a paper title';
    pick.matchOnDescription = true;
    pick.value = editor.document.getText(editor.selection).trim();
    let pending: vscode.CancellationTokenSource | undefined;
    let timer: NodeJS.Timeout | undefined;
    const search = (query: string): void => {
      pending?.cancel();
      if (query.trim().length < 2) {
        pick.items = [];
        pick.busy = false;
        return;
      }
      const source = new vscode.CancellationTokenSource();
      pending = source;
      pick.busy = true;
      client
        .sendRequest(ExecuteCommandRequest.type, { command: searchCommand, arguments: [query] }, source.token)
        .then(
          (result) => {
            if (source.token.isCancellationRequested) {
              return;
            }
            // The server already matched and ranked the papers; VS Code must not filter them again.
            pick.items = parseSearchResults(result).map((paper) => ({
              label: paper.title,
              description: paperDescription(paper),
              detail: paper.id,
              alwaysShow: true,
              paper,
            }));
            pick.busy = false;
          },
          (error: unknown) => {
            if (!source.token.isCancellationRequested) {
              pick.busy = false;
              this.output.warn(`Paper search failed: ${errorMessage(error)}`);
              pick.items = [];
              void vscode.window.showErrorMessage(`Paper search failed: ${errorMessage(error)}`);
            }
          },
        );
    };
    const disposables = [
      pick.onDidChangeValue((value) => {
        clearTimeout(timer);
        timer = setTimeout(() => search(value), 150);
      }),
      pick.onDidAccept(async () => {
        const chosen = pick.selectedItems[0];
        pick.hide();
        if (chosen !== undefined) {
          const link = paperLink(chosen.paper);
          await editor.edit((builder) => {
            for (const selection of editor.selections) {
              builder.replace(selection, link);
            }
          });
        }
      }),
      pick.onDidHide(() => {
        clearTimeout(timer);
        pending?.cancel();
        for (const disposable of disposables) {
          disposable.dispose();
        }
        pick.dispose();
      }),
    ];
    pick.show();
    if (pick.value !== '') {
      search(pick.value);
    }
  }

  /** Asks for a venue id and has the server download its papers into the local catalog, with cancellable progress. */
  private async downloadVenuePapers(venueArgument: string | undefined): Promise<void> {
    const client = this.runningClient();
    if (client === undefined) {
      return;
    }
    const entered =
      venueArgument ??
      (await vscode.window.showInputBox({
        title: 'Download Venue Papers',
        prompt: `OpenReview venue id (or the venue page URL). ${bundledVenueNote}`,
        placeHolder: venuePlaceholder,
        ignoreFocusOut: true,
        validateInput: validateVenueId,
      }));
    if (entered === undefined || validateVenueId(entered) !== undefined) {
      return;
    }
    const venue = normalizeVenueId(entered);
    // The progress notification closes when this callback returns, so the failure is shown after it:
    // awaiting the error message inside would keep the progress toast until the message is dismissed.
    const failure = await vscode.window.withProgress<string | undefined>(
      { location: vscode.ProgressLocation.Notification, title: `Downloading ${venue} papers`, cancellable: true },
      async (progress, cancellation) => {
        const workDoneToken = `notes-download-${Date.now()}`;
        let reported = 0;
        const subscription = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'end') {
            return;
          }
          const increment = value.percentage !== undefined ? Math.max(0, value.percentage - reported) : undefined;
          if (value.percentage !== undefined) {
            reported = Math.max(reported, value.percentage);
          }
          progress.report({ ...(value.message !== undefined ? { message: value.message } : {}), ...(increment !== undefined ? { increment } : {}) });
        });
        try {
          const result: unknown = await client.sendRequest(
            ExecuteCommandRequest.type,
            { command: downloadVenueCommand, arguments: [venue], workDoneToken },
            cancellation,
          );
          const summary = describeDownloadResult(venue, result);
          this.output.info(summary);
          void vscode.window.showInformationMessage(summary);
          return undefined;
        } catch (error) {
          if (cancellation.isCancellationRequested) {
            this.output.info(`Download of ${venue} cancelled`);
            return undefined;
          }
          const message = errorMessage(error);
          this.output.error(`Download of ${venue} failed: ${message}`);
          return message;
        } finally {
          subscription.dispose();
        }
      },
    );
    if (failure === undefined) {
      return;
    }
    const needsLogin = /login|token|forbidden|challenge|403/i.test(failure);
    const choice = await vscode.window.showErrorMessage(
      `Downloading ${venue} failed: ${failure}`,
      ...(needsLogin ? ['Set OpenReview Token'] : []),
      'Show Output',
    );
    if (choice === 'Set OpenReview Token') {
      await this.setToken();
    } else if (choice === 'Show Output') {
      this.output.show(true);
    }
  }

  /**
   * Keeps the `notes.inFrontMatter` context key, which hands Shift+F12 inside the front matter to
   * findTagReferences: VS Code merges the reference providers, and the built-in Markdown one reads
   * `tags: [a, b]` as a link and adds a bogus reference.
   */
  private updateFrontMatterContext(editor: vscode.TextEditor | undefined): void {
    const inside = editor !== undefined && editor.document.languageId === 'markdown' && isInFrontMatter(documentLines(editor.document), editor.selection.active.line);
    if (inside !== this.inFrontMatterContext) {
      this.inFrontMatterContext = inside;
      void vscode.commands.executeCommand('setContext', 'notes.inFrontMatter', inside);
    }
  }

  /** Shift+F12 inside the front matter: only this server's references (tags), shown in the references peek. */
  private async findTagReferences(): Promise<void> {
    const client = this.runningClient();
    const editor = vscode.window.activeTextEditor;
    if (client === undefined || editor === undefined) {
      return;
    }
    const position = editor.selection.active;
    const result = await client.sendRequest(ReferencesRequest.type, {
      ...client.code2ProtocolConverter.asTextDocumentPositionParams(editor.document, position),
      context: { includeDeclaration: true },
    });
    const locations = (await client.protocol2CodeConverter.asReferences(result)) ?? [];
    if (locations.length === 0) {
      vscode.window.setStatusBarMessage('No references: only tags have references in the front matter.', 5000);
      return;
    }
    await vscode.commands.executeCommand('editor.action.showReferences', editor.document.uri, position, locations);
  }

  /**
   * Markdown turns VS Code's quick suggestions off, so typing `[arrows of` or `, ` in a tag list
   * would show nothing without Ctrl+Space. Asks for completion (as an automatic request, which
   * shows nothing when the server has nothing) where the server completes. While the suggest
   * widget is open the command does nothing and VS Code's own re-filtering continues.
   */
  private suggestWhileTyping(event: vscode.TextDocumentChangeEvent): void {
    const editor = vscode.window.activeTextEditor;
    if (
      event.document.languageId !== 'markdown' ||
      editor?.document !== event.document ||
      event.reason !== undefined ||
      event.contentChanges.length !== 1 ||
      this.client?.isRunning() !== true
    ) {
      return;
    }
    const change = event.contentChanges[0]!;
    const version = event.document.version;
    if (change.text.length === 0 || change.text.length > 2) {
      return;
    }
    // The editor's selection is not updated yet when the change arrives: the cursor is where the
    // typed text ends.
    const cursor = change.range.start.translate(0, change.text.length);
    const line = event.document.lineAt(cursor.line).text;
    const inFrontMatter = isInFrontMatter(documentLines(event.document), cursor.line);
    if (shouldTriggerSuggest(line.slice(0, cursor.character), line.slice(cursor.character), change.text, inFrontMatter)) {
      // After the editor has handled the keystroke: a suggest widget that the typed space closes
      // is closed by then, and the command (which does nothing while one is open) can open it anew.
      setTimeout(() => {
        if (vscode.window.activeTextEditor?.document === event.document && event.document.version === version) {
          void vscode.commands.executeCommand('editor.action.triggerSuggest', { auto: true });
        }
      }, suggestDelayMs);
    }
  }

  /**
   * Checks every note of the workspace: opens the Problems panel, where the server's workspace
   * diagnostics appear, after asking the server to check all notes.
   */
  private async checkWorkspace(): Promise<void> {
    const client = this.runningClient();
    if (client === undefined) {
      return;
    }
    const commands = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    const checkCommand = commands.find((command) => command === 'notes.workspace.check' || command === 'notes.checkWorkspace');
    if (checkCommand === undefined) {
      // Without a server command, opening each note makes the server publish its diagnostics.
      const notes = await vscode.workspace.findFiles('**/*.{md,markdown}', '**/{node_modules,.git}/**', 2000);
      for (const note of notes) {
        await vscode.workspace.openTextDocument(note);
      }
      this.output.info(`Checked ${notes.length} notes`);
    } else {
      const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, { command: checkCommand, arguments: [] });
      this.output.info(`Workspace check: ${JSON.stringify(result ?? null)}`);
    }
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  private async setToken(): Promise<void> {
    const value = await vscode.window.showInputBox({
      title: 'OpenReview Token',
      prompt: 'An OpenReview API token. It is kept in VS Code\'s secret storage and sent only to the language server.',
      password: true,
      ignoreFocusOut: true,
    });
    if (value !== undefined && value.trim() !== '') {
      await this.context.secrets.store(tokenSecretKey, value.trim());
      void vscode.window.showInformationMessage('OpenReview token saved.');
    }
  }

  private async clearToken(): Promise<void> {
    await this.context.secrets.delete(tokenSecretKey);
    void vscode.window.showInformationMessage('OpenReview token removed.');
  }
}

/**
 * Takes over `window/workDoneProgress/create` so that the server's progress (indexing, downloads it
 * starts itself) shows in the Notes status bar item. Registered after the client's built-in
 * progress feature, so its handler is the one the connection keeps, on every (re)start.
 */
class StatusProgressFeature implements StaticFeature {
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly client: LanguageClient,
    private readonly owner: NotesController,
  ) {}

  getState(): FeatureState {
    return { kind: 'static' };
  }

  fillClientCapabilities(capabilities: ClientCapabilities): void {
    capabilities.window = { ...capabilities.window, workDoneProgress: true };
  }

  initialize(): void {
    this.client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      const subscription = this.client.onProgress(WorkDoneProgress.type, token, (value) => {
        this.owner.onServerProgress(token, value);
        if (value.kind === 'end') {
          subscription.dispose();
        }
      });
      this.subscriptions.push(subscription);
    });
  }

  clear(): void {
    for (const subscription of this.subscriptions.splice(0)) {
      subscription.dispose();
    }
    this.owner.clearServerProgress();
  }
}

function serverOptionsFor(plan: ServerCommand): ServerOptions {
  // No transport is given on purpose: the client then speaks over stdio without appending "--stdio".
  return { command: plan.command, args: [...plan.args], options: { env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } } };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A log channel that writes to `channel` with the secret replaced; disposing it leaves `channel` open. */
function redactingChannel(channel: vscode.LogOutputChannel, secret: () => string | undefined): vscode.LogOutputChannel {
  const clean = (value: string): string => redactSecret(value, secret());
  const cleanArgs = (args: unknown[]): unknown[] => args.map((arg) => (typeof arg === 'string' ? clean(arg) : arg));
  return {
    name: channel.name,
    get logLevel() {
      return channel.logLevel;
    },
    onDidChangeLogLevel: channel.onDidChangeLogLevel,
    trace: (message: string, ...args: unknown[]) => channel.trace(clean(message), ...cleanArgs(args)),
    debug: (message: string, ...args: unknown[]) => channel.debug(clean(message), ...cleanArgs(args)),
    info: (message: string, ...args: unknown[]) => channel.info(clean(message), ...cleanArgs(args)),
    warn: (message: string, ...args: unknown[]) => channel.warn(clean(message), ...cleanArgs(args)),
    error: (error: string | Error, ...args: unknown[]) => channel.error(typeof error === 'string' ? clean(error) : error, ...cleanArgs(args)),
    append: (value: string) => channel.append(clean(value)),
    appendLine: (value: string) => channel.appendLine(clean(value)),
    replace: (value: string) => channel.replace(clean(value)),
    clear: () => channel.clear(),
    show: (columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean) =>
      typeof columnOrPreserveFocus === 'boolean' ? channel.show(columnOrPreserveFocus) : channel.show(preserveFocus),
    hide: () => channel.hide(),
    dispose: () => undefined,
  };
}

function readLines(input: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  readline.createInterface({ input, crlfDelay: Infinity, terminal: false, historySize: 0 }).on('line', onLine);
}

/** The lines up to the end of a front matter block (it is short; the body is never read). */
function documentLines(document: vscode.TextDocument): string[] {
  const lines: string[] = [];
  const limit = Math.min(document.lineCount, 400);
  for (let i = 0; i < limit; i++) {
    lines.push(document.lineAt(i).text);
    if (i === 0 && lines[0]!.replace(/^\uFEFF/, '').trimEnd() !== '---') {
      break;
    }
    if (i > 0 && /^(---|\.\.\.)\s*$/.test(lines[i]!)) {
      break;
    }
  }
  return lines;
}
