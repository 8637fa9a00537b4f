// Settings and the server's life: switching the preset re-checks open notes, the status bar counts
// notes and papers and follows notes created outside the editor, a killed server comes back.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export async function run({ step, page, h, shots, settings, workspace, codeServerPid }) {
  await step('status-bar-counts-notes-and-papers-and-follows-new-notes', async () => {
    const count = async () => {
      const match = /([\d,]+) notes? · ([\d,]+) papers?/.exec(await h.statusBarText());
      return match ? { notes: Number(match[1].replace(/,/g, '')), papers: Number(match[2].replace(/,/g, '')) } : undefined;
    };
    await h.waitFor(async () => (await count()) !== undefined, 30_000, 'the status bar to show notes and papers');
    const before = await count();
    writeFileSync(join(workspace, 'created-outside.md'), '---\ntitle: Written by another program\n---\n');
    await h.waitFor(async () => (await count())?.notes === before.notes + 1, 30_000, `the status bar to show ${before.notes + 1} notes`);
    const item = page.locator('.statusbar-item', { has: page.locator('.codicon-notebook') }).first();
    await shots.feature('status-bar', item, { padding: 40 });
    return `${before.notes} -> ${before.notes + 1} notes, ${before.papers} papers`;
  });

  await step('switching-the-preset-re-checks-open-notes', async () => {
    await h.openFile('preset-year.md');
    const squiggles = () => page.locator('.editor-instance .squiggly-warning, .editor-instance .squiggly-error').count();
    await new Promise((r) => setTimeout(r, 2_000));
    if ((await squiggles()) !== 0) {
      throw new Error('`date: 2024` is flagged under the notes preset');
    }
    settings.set({ 'notes.frontMatter.preset': 'jekyll' });
    await h.waitFor(async () => (await squiggles()) > 0, 30_000, 'the open note to be re-checked under jekyll (a year alone is a warning)');
    settings.set({ 'notes.frontMatter.preset': 'notes' });
    await h.waitFor(async () => (await squiggles()) === 0, 30_000, 'the warning to go when switching back to notes');
    return 'notes: no problem; jekyll: year-only-date warning; notes again: none';
  });

  await step('a-killed-server-restarts', async () => {
    const pids = serverPids(codeServerPid);
    if (pids.length === 0) {
      throw new Error('no notes-lsp process below code-server');
    }
    for (const pid of pids) {
      process.kill(pid, 'SIGKILL');
    }
    await h.waitFor(() => serverPids(codeServerPid).some((pid) => !pids.includes(pid)), 60_000, 'a new notes-lsp process');
    await h.waitFor(async () => /notes? · /.test(await h.statusBarText()), 60_000, 'the status bar to show the counts again');
    // And it answers: hover a tag.
    await h.openFile('reading.md');
    await h.hoverText('ML', /used in \d+ note/);
    await page.mouse.move(0, 0);
    return `killed ${pids.join(', ')}; restarted as ${serverPids(codeServerPid).join(', ')}; hover works`;
  });
}

/** The notes-lsp processes that descend from code-server (started by this test run). */
function serverPids(root) {
  const parents = new Map();
  const commands = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      commands.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
    } catch {
      // The process ended while we looked.
    }
  }
  const descends = (pid) => {
    for (let p = pid, guard = 0; p > 1 && guard < 64; p = parents.get(p) ?? 0, guard++) {
      if (p === root) {
        return true;
      }
    }
    return false;
  };
  return [...commands].filter(([pid, cmd]) => /notes-lsp(\.dll)?\0/.test(cmd + '\0') && descends(pid)).map(([pid]) => pid);
}
