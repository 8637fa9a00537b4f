// `npm run test:e2e`: the extension in a real VS Code (code-server), driven like a person would,
// with every assertion read from the rendered workbench.
//
// 1. installs the toolchain if needed (scripts/e2e-setup.sh; a no-op once installed),
// 2. builds the .vsix (npm run package) unless --vsix <file> is given,
// 3. installs it into code-server with a fresh user-data-dir and opens a copy of examples/ plus
//    two notes written here (a broken front matter, a scratch note to type in),
// 4. starts a fake OpenReview API on 127.0.0.1 (scripts/fake-openreview.mjs) for the venue download,
// 5. drives the page with playwright-core and Debian's chromium through the steps in scripts/e2e/
//    (each a real assertion read from the rendered workbench, with a screenshot in artifacts/e2e/),
//    and measures activation -> first diagnostics.
//
// The README's feature pictures are cut from this run (artifacts/e2e/features/); `--update-images`
// (npm run docs:images) copies them into docs/images/.
// It prints "N passed, N failed" and exits non-zero when a step fails.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeVenuePapers, startFakeOpenReview } from './fake-openreview.mjs';
import { createHelpers } from './e2e/helpers.mjs';
import { fakeVenue, writeNotes } from './e2e/workspace.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, 'artifacts', 'e2e');
const tools = process.env.NOTES_E2E_TOOLS ?? join(homedir(), '.cache', 'notes-lsp-e2e');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const argValue = (name) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[e2e ${elapsed()}] ${message}`);

const features = join(artifacts, 'features');
const updateImages = process.argv.includes('--update-images');
const only = argValue('--only')?.split(',');

rmSync(artifacts, { recursive: true, force: true });
mkdirSync(features, { recursive: true });

log('toolchain: scripts/e2e-setup.sh');
execFileSync('bash', [join(root, 'scripts', 'e2e-setup.sh')], { stdio: 'inherit', env: { ...process.env, NOTES_E2E_TOOLS: tools } });
const codeServer = join(tools, 'code-server.sh');

const scratch = mkdtempSync(join(tmpdir(), 'notes-e2e-'));
let vsix = argValue('--vsix');
if (vsix === undefined) {
  vsix = join(scratch, 'notes-lsp.vsix');
  log('building the .vsix (npm run package)');
  execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--out', vsix], { stdio: ['ignore', 'ignore', 'inherit'], cwd: root });
}
log(`vsix: ${vsix} (${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MB)`);

const results = [];
{
  // The package holds what runs and nothing else: the bundle, the server, the manifest.
  const entries = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' })
    .split('\n')
    .filter((e) => e.startsWith('extension/'));
  // A platform package carries a native server; the universal one the framework-dependent assembly.
  const server = entries.includes('extension/dist/server/notes-lsp') ? ['extension/dist/server/notes-lsp'] : ['extension/dist/server/notes-lsp.dll', 'extension/dist/server/notes-lsp.runtimeconfig.json'];
  const required = ['extension/package.json', 'extension/dist/extension.js', ...server];
  const missing = required.filter((r) => !entries.includes(r));
  const unwanted = entries.filter((e) => /node_modules\/|\.ts$|\.cs$|\.csproj$|\.pdb$|\.map$|^extension\/(client|server|tests|scripts|examples)\//.test(e));
  const ok = missing.length === 0 && unwanted.length === 0;
  results.push({ name: 'vsix-contents', ok, detail: ok ? `${entries.length} files, server and bundle only` : `missing [${missing}], unwanted [${unwanted}]` });
  log(`${ok ? 'PASS' : 'FAIL'} vsix-contents: ${results[0].detail}`);
}

// The workspace: a copy of examples/ and the notes this test writes (scripts/e2e/workspace.mjs).
const workspace = join(scratch, 'notes');
cpSync(join(root, 'examples'), workspace, { recursive: true });
writeNotes(workspace);

// The OpenReview API the extension talks to: a fake on 127.0.0.1 with one quick venue and one slow one.
const slowVenue = 'Slow.cc/2026/Conference';
const fake = await startFakeOpenReview({
  venues: { [fakeVenue.id]: fakeVenuePapers(fakeVenue.id, fakeVenue.name, fakeVenue.count, fakeVenue.titleOf), [slowVenue]: [] },
  pageDelayMs: 2_500,
  slowVenues: { [slowVenue]: 120_000 },
});
log(`fake OpenReview on ${fake.baseUrl}`);

const userData = join(scratch, 'user-data');
const extensions = join(scratch, 'extensions');
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'workbench.enableExperiments': false,
      'workbench.tips.enabled': false,
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      // Completion items must come from the server, not from words already in the note.
      'editor.wordBasedSuggestions': 'off',
      'editor.hover.delay': 200,
      'outline.collapseItems': 'alwaysExpand',
      // The test machine has no internet: papers come from the bundled catalog and the fake API.
      'notes.openreview.online': true,
      'notes.openreview.baseUrl': fake.baseUrl,
      'notes.openreview.fallbackBaseUrl': '',
      'notes.papers.cacheDirectory': join(scratch, 'paper-cache'),
    },
    null,
    2,
  ),
);
/** Changes workspace settings the way a person's edit of .vscode/settings.json does. */
mkdirSync(join(workspace, '.vscode'), { recursive: true });
const settings = {
  set(values) {
    const file = join(workspace, '.vscode', 'settings.json');
    const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    writeFileSync(file, JSON.stringify({ ...current, ...values }, null, 2));
  },
};
settings.set({});

log('installing the extension into code-server');
const installOutput = execFileSync(codeServer, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], {
  encoding: 'utf8',
});
if (!/successfully installed/i.test(installOutput)) {
  throw new Error(`code-server did not install the extension:\n${installOutput}`);
}

const port = await freePort();
const serverLog = join(artifacts, 'code-server.log');
const server = spawn(
  codeServer,
  [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
);
const serverOutput = [];
server.stdout.on('data', (chunk) => serverOutput.push(chunk.toString()));
server.stderr.on('data', (chunk) => serverOutput.push(chunk.toString()));
const stopServer = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // It has already exited.
  }
  writeFileSync(serverLog, serverOutput.join(''));
};
process.on('exit', stopServer);
await createHelpers(undefined).waitFor(() => serverOutput.join('').includes('HTTP server listening'), 60_000, 'code-server to listen');
log(`code-server on 127.0.0.1:${port}`);

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
let shot = 0;
const screenshot = async (name) => {
  shot += 1;
  const file = join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  return file;
};
const shots = {
  /** A screenshot inside a step, beside the one taken at its end. */
  save: (name) => screenshot(name),
  /** A README picture: the part of the window that shows the feature (docs/images/NAME.png). */
  async feature(name, locator, { padding = 12, maxHeight = Infinity } = {}) {
    const box = await locator.first().boundingBox();
    const view = page.viewportSize();
    if (box === null || view === null) {
      return;
    }
    const x = Math.max(0, box.x - padding);
    const y = Math.max(0, box.y - padding);
    const clip = { x, y, width: Math.min(view.width - x, box.width + 2 * padding), height: Math.min(view.height - y, box.height + 2 * padding, maxHeight) };
    const file = join(features, `${name}.png`);
    await page.screenshot({ path: file, clip });
    pendingFeatures.push(file);
  },
};
/** README pictures of the running step: kept only when the step passes. */
const pendingFeatures = [];
const h = createHelpers(page);
const { editorText, openFile, waitFor } = h;

/**
 * A failure in one line for the summary (CI shows only the end of the log): the error's first line, and for a
 * Playwright timeout the last thing its call log says it was waiting on (what intercepted the click, say).
 */
function failureSummary(error) {
  const lines = String(error?.message ?? error).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const reasons = lines.slice(1).filter((l) => /intercepts pointer events|not visible|not stable|not enabled|outside of the viewport|waiting for/.test(l));
  const reason = reasons.at(-1)?.replace(/^- +/, '');
  return reason === undefined ? (lines[0] ?? '') : `${lines[0]} (${reason.slice(0, 300)})`;
}

async function step(name, body) {
  const stepStarted = Date.now();
  try {
    pendingFeatures.length = 0;
    const detail = await body();
    pendingFeatures.length = 0;
    const file = await screenshot(name);
    results.push({ name, ok: true, detail, file });
    log(`PASS ${name}${detail ? `: ${detail}` : ''} (${Date.now() - stepStarted} ms, ${file})`);
  } catch (error) {
    for (const picture of pendingFeatures.splice(0)) {
      rmSync(picture, { force: true });
    }
    const file = await screenshot(`${name}-FAILED`).catch(() => undefined);
    // The workbench's DOM at the failure, to tell a missing feature from a changed selector.
    const html = await page.evaluate(() => document.querySelector('.monaco-workbench')?.outerHTML ?? '').catch(() => '');
    writeFileSync(join(artifacts, `${String(shot).padStart(2, '0')}-${name}-FAILED.html`), html);
    results.push({ name, ok: false, detail: failureSummary(error), file });
    log(`FAIL ${name}: ${String(error?.message ?? error)} (${file})`);
    await page.keyboard.press('Escape').catch(() => {});
  }
}

try {
  // A loaded machine can take a while to serve the workbench's first page.
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { timeout: 180_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  log('workbench loaded');

  await step('activation-status-bar', async () => {
    // The extension activates on workspaceContains:**/*.md, starts the server and shows its item.
    const item = page.locator('.statusbar-item', { hasText: /notes?\b/i }).filter({ has: page.locator('.codicon-notebook') });
    await item.first().waitFor({ timeout: 60_000 });
    return (await item.first().innerText()).trim();
  });

  const context = { step, page, h, shots, workspace, settings, slowVenue, fake, codeServerPid: server.pid };
  for (const module of ['frontmatter', 'markdown', 'tags', 'papers', 'venue', 'settings']) {
    if (only === undefined || only.includes(module)) {
      log(`steps: ${module}`);
      await (await import(`./e2e/steps-${module}.mjs`)).run(context);
    }
  }

  await step('japanese-note-renders', async () => {
    // The example note is Japanese: the screenshot shows whether the CJK fonts are installed.
    await openFile('icml2024-oral-papers.md');
    await waitFor(async () => (await editorText()).includes('気になる論文'), 10_000, 'the Japanese title to render');
    return (await editorText()).split('\n').find((l) => l.includes('気になる論文'))?.trim();
  });

  await step('startup-timing', async () => {
    // The extension logs, in its output channel, when the server answered initialize and how long
    // each note took from didOpen to its first diagnostics.
    const text = readFileSync(extensionLogs()[0], 'utf8');
    const ready = /Server ready (\d+) ms after activation/.exec(text);
    const opened = /Diagnostics (\d+) ms after opening broken-front-matter\.md/.exec(text);
    const first = /First non-empty diagnostics (\d+) ms after activation/.exec(text);
    if (ready === null || opened === null) {
      throw new Error('the extension did not log its start-up timing');
    }
    results.timing = {
      activationToServerReadyMs: Number(ready[1]),
      openToDiagnosticsMs: Number(opened[1]),
      activationToFirstDiagnosticsMs: first ? Number(first[1]) : undefined,
    };
    const t = results.timing;
    return `activation -> server ready ${t.activationToServerReadyMs} ms; didOpen -> diagnostics ${t.openToDiagnosticsMs} ms; activation -> first diagnostics (note opened by the test after load) ${t.activationToFirstDiagnosticsMs} ms`;
  });
  await step('output-shows-each-server-message-once', async () => {
    // The server's own lines arrive as window/logMessage; their stderr copy must not show as well.
    const text = readFileSync(extensionLogs()[0], 'utf8');
    // One line per server start (the test kills the server once); each must be there once.
    const indexed = text.split('\n').filter((line) => /indexed \d+ notes in \d+ ms/.test(line));
    const messages = indexed.map((line) => line.slice(line.indexOf('indexed ')));
    if (indexed.length === 0 || new Set(messages).size !== messages.length || indexed.some((line) => /\[error\]/.test(line))) {
      throw new Error(`"indexed N notes" lines in the Notes output: ${JSON.stringify(indexed)}`);
    }
    const stderrCopies = text.split('\n').filter((line) => /\[error\] \[\d{2}:\d{2}:\d{2}\.\d{3} (info|warn)\]/.test(line));
    if (stderrCopies.length > 0) {
      throw new Error(`server info lines shown as errors: ${stderrCopies.slice(0, 3).join(' / ')}`);
    }
    return indexed[0].trim();
  });
} finally {
  for (const [index, file] of extensionLogs().entries()) {
    copyFileSync(file, join(artifacts, `extension-Notes-${index + 1}.log`));
  }
  await browser.close();
  stopServer();
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });
}

if (updateImages) {
  const images = join(root, 'docs', 'images');
  mkdirSync(images, { recursive: true });
  for (const name of readdirSync(features)) {
    copyFileSync(join(features, name), join(images, name));
  }
  log(`copied ${readdirSync(features).length} pictures into docs/images/`);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
writeFileSync(join(artifacts, 'results.json'), JSON.stringify({ results, timing: results.timing, seconds: (Date.now() - started) / 1000 }, null, 2));
console.log('');
for (const r of results) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail ?? ''}`);
}
console.log(`e2e finished in ${elapsed()}; screenshots in ${artifacts}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

// ---- helpers -------------------------------------------------------------------------------

/** The Notes output channel logs of this run's windows, oldest first. */
function extensionLogs() {
  const found = [];
  const walk = (dir) => {
    if (!existsSync(dir)) {
      return;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (/Notes\.log$/.test(entry.name) && path.includes('notes-lsp')) {
        found.push(path);
      }
    }
  };
  walk(join(userData, 'logs'));
  return found.sort((a, b) => statSync(a).birthtimeMs - statSync(b).birthtimeMs);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}
