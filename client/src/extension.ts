// The VS Code side of NotesLsp. It stays thin on purpose: it starts the .NET language server,
// forwards settings (and the OpenReview token from the secret storage), shows the server's state
// in the status bar and offers a few commands that call the server. Everything that does not need
// the `vscode` module lives in serverPath.ts, settings.ts, status.ts and papers.ts, with unit tests.
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
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
import { describeDownloadResult, normalizeVenueId, paperDescription, paperLink, parseSearchResults, validateVenueId, type PaperHit } from './papers';
import { dotnetDownloadUrl, missingRuntimeHint, repairedExecutableMode, resolveServerLaunch, type ServerCommand } from './serverPath';
import { configurationFor, configurationSection, restartSettings, toServerSettings, type ServerSettings } from './settings';
import { parseStatusNotification, renderStatus, type ServerStatus } from './status';

const tokenSecretKey = 'notes.openreview.token';
const searchCommand = 'notes.papers.search';
const downloadVenueCommand = 'notes.papers.downloadVenue';

let controller: NotesController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  controller = new NotesController(context, Date.now());
  await controller.start();
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
  private firstProblemLogged = false;
  private readonly openedAt = new Map<string, number>();
  private token: string | undefined;

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

    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (restartSettings.some((setting) => event.affectsConfiguration(setting))) {
          void this.restart();
        } else if (event.affectsConfiguration(configurationSection)) {
          void this.pushSettings();
        }
      }),
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
        this.setStatus({ state: 'stopped', reason: 'it stopped. Run "Notes: Restart Server" to start it again.' });
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
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'untitled', language: 'markdown' },
      ],
      outputChannel: this.output,
      initializationOptions: this.serverSettings(),
      middleware: {
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
    return toServerSettings((key) => config.get(key), this.token);
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
    void vscode.window.showWarningMessage('The Notes language server is not running.', 'Restart Server', 'Show Output').then((choice) => {
      if (choice === 'Restart Server') {
        void this.restart();
      } else if (choice === 'Show Output') {
        this.output.show(true);
      }
    });
    return undefined;
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
        prompt: 'OpenReview venue id (or the venue page URL)',
        value: 'ICML.cc/2024/Conference',
        ignoreFocusOut: true,
        validateInput: validateVenueId,
      }));
    if (entered === undefined || validateVenueId(entered) !== undefined) {
      return;
    }
    const venue = normalizeVenueId(entered);
    await vscode.window.withProgress(
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
        } catch (error) {
          if (cancellation.isCancellationRequested) {
            this.output.info(`Download of ${venue} cancelled`);
            return;
          }
          const message = errorMessage(error);
          this.output.error(`Download of ${venue} failed: ${message}`);
          const needsLogin = /login|token|forbidden|challenge|403/i.test(message);
          const choice = await vscode.window.showErrorMessage(
            `Downloading ${venue} failed: ${message}`,
            ...(needsLogin ? ['Set OpenReview Token'] : []),
            'Show Output',
          );
          if (choice === 'Set OpenReview Token') {
            await this.setToken();
          } else if (choice === 'Show Output') {
            this.output.show(true);
          }
        } finally {
          subscription.dispose();
        }
      },
    );
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
