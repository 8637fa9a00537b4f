// Front matter quick fixes, each applied through the lightbulb menu (Ctrl+.), with the note's text
// read back from the editor afterwards; diagnostics in the Problems panel.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fixes = [
  { file: 'fix-unclosed.md', at: [1, 1], action: 'Close the front matter', expect: 'date:2024-07-22---' },
  { file: 'fix-quote.md', at: [2, 8], action: 'Quote', expect: "title:'BERT:Pre-training'" },
  { file: 'fix-typo.md', at: [2, 2], action: 'Rename to `title`', expect: 'title:Amisspeltkey' },
  { file: 'fix-date.md', at: [3, 8], action: 'Change to `2024-07-10`', expect: 'date:2024-07-10' },
  { file: 'fix-taglist.md', at: [3, 8], action: 'Convert `tags` to a list', expect: 'tags:[ML,NLP]', alsoExpect: /tags:\[ML,NLP\]|tags:-ML-NLP/ },
  { file: 'fix-no.md', at: [2, 8], action: 'Quote `no`', expect: "title:'no'" },
];

export async function run({ step, page, h, workspace, shots }) {
  await step('problems-broken-front-matter', async () => {
    await h.openFile('broken-front-matter.md');
    await h.runCommand('View: Focus Problems', 'workbench.actions.view.problems');
    const row = page.locator('.part.panel .monaco-list-row').filter({ has: page.locator('.marker-source', { hasText: /^notes$/ }) });
    await row.first().waitFor({ timeout: 30_000 });
    const fileRow = page.locator('.part.panel .monaco-list-row', { hasText: 'broken-front-matter.md' });
    await fileRow.first().waitFor({ timeout: 5_000 });
    const text = (await row.first().innerText()).replace(/\s+/g, ' ').trim();
    if ((await row.first().locator('.codicon-error').count()) === 0) {
      throw new Error(`the diagnostic is not shown as an error: ${text}`);
    }
    await shots.feature('diagnostics', page.locator('.part.panel'));
    return text;
  });

  for (const fix of fixes) {
    await step(`quick-fix-${fix.file.replace(/^fix-|\.md$/g, '')}`, async () => {
      await h.openFile(fix.file);
      await h.waitFor(async () => (await page.locator('.editor-instance .squiggly-error, .editor-instance .squiggly-warning').count()) > 0, 20_000, `a squiggle in ${fix.file}`);
      await h.goTo(...fix.at);
      await h.applyCodeAction(fix.action, async () => {
        if (fix.file === 'fix-quote.md') {
          await shots.feature('quick-fix', page.locator('.editor-instance').first(), { maxHeight: 260 });
        }
      });
      await h.waitFor(async () => (await h.compactText()).includes(fix.expect) || (fix.alsoExpect?.test(await h.compactText()) ?? false), 10_000, `${fix.file} to contain ${fix.expect}`);
      const text = (await h.editorText()).split('\n').slice(0, 5).join(' | ');
      await page.keyboard.press('Control+S');
      return `${fix.action}: ${text}`;
    });
  }

  await step('quick-fix-add-missing-required-key', async () => {
    // A workspace schema makes `title` required; the server reloads it when the file appears.
    writeFileSync(join(workspace, '.notes', 'schema.yaml'), 'extends: notes\nkeys:\n  title: { type: string, required: true }\n');
    try {
      await h.openFile('fix-missing.md');
      await h.waitFor(async () => (await page.locator('.editor-instance .squiggly-error, .editor-instance .squiggly-warning').count()) > 0, 30_000, 'the missing `title` to be reported');
      await h.goTo(1, 1);
      await h.applyCodeAction('Add `title`');
      await h.waitFor(async () => (await h.compactText()).includes('title:'), 10_000, 'fix-missing.md to get a title key');
      return (await h.editorText()).split('\n').slice(0, 5).join(' | ');
    } finally {
      rmSync(join(workspace, '.notes', 'schema.yaml'), { force: true });
    }
  });
}
