// `npm run test:e2e`: the extension in a real VS Code (code-server), driven like a person would,
// with every assertion read from the rendered workbench.
//
// 1. installs the toolchain if needed (scripts/e2e-setup.sh; a no-op once installed),
// 2. builds the .vsix (npm run package) unless --vsix <file> is given,
// 3. installs it into code-server with a fresh user-data-dir and opens a copy of examples/ plus
//    two notes written here (a broken front matter, a scratch note to type in),
// 4. drives the page with playwright-core and Debian's chromium through four steps, each a real
//    assertion with a screenshot in artifacts/e2e/, and measures activation -> first diagnostics.
//
// It prints "N passed, N failed" and exits non-zero when a step fails.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

// A paper of the bundled ICML 2024 catalog for completion, and another for hover.
const completionPaper = { id: '0uUHfhXdnH', title: 'DiJiang: Efficient Large Language Models through Compact Kernelization', typed: 'DiJiang Efficient' };
const hoverPaper = { id: '1QmFKwVwwI', title: 'Privacy Preserving Adaptive Experiment Design' };

rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

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

// The workspace: a copy of examples/ and two notes this test writes.
const workspace = join(scratch, 'notes');
cpSync(join(root, 'examples'), workspace, { recursive: true });
writeFileSync(
  join(workspace, 'broken-front-matter.md'),
  ['---', 'title: A note with a broken front matter', 'tags: [unclosed, list', 'date: 2024-07-22', '---', '', 'The tag list above never closes.', ''].join('\n'),
);
writeFileSync(
  join(workspace, 'e2e-scratch.md'),
  [
    '---',
    'title: Scratch note for the end-to-end test',
    'date: 2024-07-23',
    'tags:',
    '  - ',
    '---',
    '',
    `Hover this link: [the paper](https://openreview.net/forum?id=${hoverPaper.id})`,
    '',
  ].join('\n'),
);

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
      // The test machine has no internet: papers come from the bundled catalog.
      'notes.openreview.online': false,
    },
    null,
    2,
  ),
);

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
await waitFor(() => serverOutput.join('').includes('HTTP server listening'), 60_000, 'code-server to listen');
log(`code-server on 127.0.0.1:${port}`);

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
let shot = 0;
const screenshot = async (name) => {
  shot += 1;
  const file = join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  return file;
};

async function step(name, body) {
  const stepStarted = Date.now();
  try {
    const detail = await body();
    const file = await screenshot(name);
    results.push({ name, ok: true, detail, file });
    log(`PASS ${name}${detail ? `: ${detail}` : ''} (${Date.now() - stepStarted} ms, ${file})`);
  } catch (error) {
    const file = await screenshot(`${name}-FAILED`).catch(() => undefined);
    // The workbench's DOM at the failure, to tell a missing feature from a changed selector.
    const html = await page.evaluate(() => document.querySelector('.monaco-workbench')?.outerHTML ?? '').catch(() => '');
    writeFileSync(join(artifacts, `${String(shot).padStart(2, '0')}-${name}-FAILED.html`), html);
    results.push({ name, ok: false, detail: String(error?.message ?? error).split('\n')[0], file });
    log(`FAIL ${name}: ${String(error?.message ?? error)} (${file})`);
    await page.keyboard.press('Escape').catch(() => {});
  }
}

try {
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  log('workbench loaded');

  await step('activation-status-bar', async () => {
    // The extension activates on workspaceContains:**/*.md, starts the server and shows its item.
    const item = page.locator('.statusbar-item', { hasText: /notes?\b/i }).filter({ has: page.locator('.codicon-notebook') });
    await item.first().waitFor({ timeout: 60_000 });
    return (await item.first().innerText()).trim();
  });

  await step('problems-broken-front-matter', async () => {
    await openFile('broken-front-matter.md');
    await runCommand('View: Focus Problems', 'workbench.actions.view.problems');
    const row = page.locator('.part.panel .monaco-list-row').filter({ has: page.locator('.marker-source', { hasText: /^notes$/ }) });
    await row.first().waitFor({ timeout: 30_000 });
    const fileRow = page.locator('.part.panel .monaco-list-row', { hasText: 'broken-front-matter.md' });
    await fileRow.first().waitFor({ timeout: 5_000 });
    const text = (await row.first().innerText()).replace(/\s+/g, ' ').trim();
    if ((await row.first().locator('.codicon-error').count()) === 0) {
      throw new Error(`the diagnostic is not shown as an error: ${text}`);
    }
    return text;
  });

  await step('tag-completion', async () => {
    await openFile('e2e-scratch.md');
    await goTo(5, 5);
    await triggerSuggest();
    const labels = await suggestLabels(['ML', 'conference']);
    return `suggested: ${labels.join(', ')}`;
  });

  await step('paper-title-completion', async () => {
    await openFile('e2e-scratch.md');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(`## ${completionPaper.typed}`, { delay: 20 });
    await triggerSuggest();
    const row = page.locator('.suggest-widget .monaco-list-row', { hasText: completionPaper.title });
    await row.first().waitFor({ timeout: 20_000 });
    await row.first().click();
    const link = `openreview.net/forum?id=${completionPaper.id}`;
    // Markdown wraps long lines, so the rendered link may span two view lines: compare without whitespace.
    const compact = async () => (await editorText()).replace(/\s+/g, '');
    await waitFor(async () => (await compact()).includes(link), 10_000, `the editor to contain ${link}`);
    const text = await compact();
    return `inserted: ${text.slice(Math.max(0, text.indexOf('##')), text.indexOf(link) + link.length + 1)}`;
  });

  await step('hover-openreview-link', async () => {
    await openFile('e2e-scratch.md');
    await page.keyboard.press('Escape');
    const token = page.locator('.view-lines .view-line span span', { hasText: hoverPaper.id }).last();
    await token.waitFor({ timeout: 10_000 });
    const box = await token.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: hoverPaper.title });
    await hover.first().waitFor({ state: 'visible', timeout: 20_000 });
    return (await hover.first().innerText()).replace(/\s+/g, ' ').trim().slice(0, 160);
  });

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
} finally {
  for (const [index, file] of extensionLogs().entries()) {
    copyFileSync(file, join(artifacts, `extension-Notes-${index + 1}.log`));
  }
  await browser.close();
  stopServer();
  rmSync(scratch, { recursive: true, force: true });
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

async function openFile(name) {
  const tab = page.locator(`.tabs-container .tab[data-resource-name="${name}"]`);
  if ((await tab.count()) > 0) {
    await tab.first().click();
  } else {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
  }
  await page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).waitFor({ timeout: 15_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
}

async function runCommand(label, commandId) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.keyboard.type(label);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label });
  await row.first().waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error(`no command "${label}" (${commandId}) in the palette`);
  });
  await page.keyboard.press('Enter');
}

async function goTo(line, column) {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
}

async function triggerSuggest() {
  // A person presses Ctrl+Space again when nothing shows (the first request may still be
  // warming up the server, or the key may reach the editor before it has focus).
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Space');
    try {
      await page.locator('.suggest-widget.visible').waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 4) {
        throw error;
      }
    }
  }
}

/** Waits until every expected label is in the suggest widget; returns all labels shown. */
async function suggestLabels(expected) {
  let labels = [];
  try {
    await waitFor(async () => {
      labels = (await page.locator('.suggest-widget.visible .monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
      return expected.every((e) => labels.includes(e));
    }, 20_000, `suggestions ${expected.join(', ')}`);
  } catch (error) {
    throw new Error(`${error.message}; shown: [${labels.join(', ')}]`);
  }
  return labels;
}

async function editorText() {
  const lines = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  return lines.replace(/\u00a0/g, ' ');
}

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

async function waitFor(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
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
