// Living beside VS Code's built-in Markdown extension (#12): one outline entry per heading, F2 in a
// front matter tag list renames through the server, completion while typing without Ctrl+Space.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export async function run({ step, page, h, workspace, shots, settings }) {
  await step('outline-one-entry-per-heading', async () => {
    await h.openFile('reading.md');
    // Room for the whole outline: no panel, the folder section of the Explorer collapsed.
    if (await page.locator('.part.panel').isVisible()) {
      await page.keyboard.press('Control+J'); // View: Toggle Panel Visibility
    }
    const folders = page.locator('.pane-header[aria-label*="notes" i][aria-expanded="true"]');
    if ((await folders.count()) > 0) {
      await folders.first().click();
    }
    await h.runCommand('Explorer: Focus on Outline View', 'outline.focus');
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /outline/i }) });
    const labels = async () => (await pane.locator('.monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
    // VS Code's Markdown outline writes headings with their `#`s; NotesLsp's would not.
    const name = (label) => label.replace(/^#{1,6}\s+/, '');
    await h.waitFor(async () => (await labels()).some((l) => name(l) === 'Results') && (await labels()).includes('#ML'), 30_000, 'the outline to list the headings and the tags');
    // Both providers answer asynchronously: give a duplicate the time to arrive before counting.
    await new Promise((r) => setTimeout(r, 1_500));
    const shown = await labels();
    for (const heading of ['Intro', 'Method', 'Results', 'Reading list', '#reading-list', '#ML']) {
      const count = shown.filter((l) => l === heading || name(l) === heading).length;
      if (count !== 1) {
        throw new Error(`"${heading}" is in the outline ${count} times: [${shown.join(', ')}]`);
      }
    }
    await shots.feature('outline', pane, { maxHeight: 240 });
    return `outline: [${shown.join(', ')}]`;
  });

  await step('workspace-symbols-no-duplicate-headings', async () => {
    await h.openFile('reading.md');
    await page.keyboard.press('Control+T');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type('Results');
    const rows = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Results' });
    await rows.first().waitFor({ timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 1_500));
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t.includes('reading.md'));
    await page.keyboard.press('Escape');
    if (texts.length !== 1) {
      throw new Error(`Ctrl+T lists the heading of reading.md ${texts.length} times: ${JSON.stringify(texts)}`);
    }
    return texts[0];
  });

  await step('f2-in-front-matter-tag-list-renames-through-the-server', async () => {
    await h.openFile('reading.md');
    await h.goTo(3, 10); // inside `reading-list` of `tags: [reading-list, ML]`
    await page.keyboard.press('F2');
    const input = page.locator('.rename-box input, .rename-box .rename-input');
    await input.first().waitFor({ timeout: 10_000 });
    const value = await input.first().inputValue().catch(async () => (await input.first().innerText()).trim());
    if (value !== 'reading-list') {
      throw new Error(`F2 offered to rename "${value}", not the tag reading-list (the built-in Markdown rename would take the whole list)`);
    }
    // Typed into the rename box itself, so that a box closed early fails the step instead of
    // typing into the note.
    await input.first().fill('to-read');
    // Ctrl+Enter (Shift+Enter in older versions): preview the edit across notes before applying it.
    const hint = (await page.locator('.rename-box').first().innerText()).includes('Ctrl+Enter') ? 'Control+Enter' : 'Shift+Enter';
    await input.first().press(hint);
    const preview = page.locator('.part.panel', { hasText: /closed-note\.md/ });
    await preview.first().waitFor({ timeout: 15_000 });
    await shots.feature('rename-preview', page.locator('.part.panel'));
    await shots.save('rename-preview');
    await page.locator('.part.panel .monaco-button', { hasText: /^Apply$/ }).first().click();
    await h.waitFor(async () => (await h.compactText()).includes('tags:[to-read,ML]'), 10_000, 'reading.md to read `tags: [to-read, ML]`');
    const closed = join(workspace, 'archive', 'closed-note.md');
    await h.waitFor(async () => readFileSync(closed, 'utf8').includes('  - to-read\n'), 15_000, 'the closed note on disk to have the tag renamed');
    const text = readFileSync(closed, 'utf8');
    if (text.includes('reading-list') || !text.includes('  - archive')) {
      throw new Error(`the closed note was not renamed exactly: ${JSON.stringify(text)}`);
    }
    return 'reading.md: tags: [to-read, ML]; archive/closed-note.md (never opened): - to-read';
  });

  await step('f2-on-a-front-matter-key-is-refused', async () => {
    await h.openFile('reading.md');
    await h.goTo(2, 3); // on the key `title`
    await page.keyboard.press('F2');
    await new Promise((r) => setTimeout(r, 2_000));
    const boxes = await page.locator('.rename-box').filter({ visible: true }).count();
    if (boxes > 0) {
      await page.keyboard.press('Escape');
      throw new Error('F2 on a front matter key opened a rename box (the built-in Markdown rename took over)');
    }
    return 'no rename box; the status bar says only tags can be renamed in the front matter';
  });

  await step('builtin-link-validation-skips-front-matter', async () => {
    // A user who turns VS Code's Markdown link checks on must not get `tags: [a, b]` reported as a reference link.
    settings.set({ 'markdown.validate.enabled': true });
    try {
      await h.openFile('builtin-links.md');
      await h.runCommand('View: Focus Problems', 'workbench.actions.view.problems');
      // Its diagnostics carry no source; each row's label reads "Warning: No link definition found: 'x' at line ...".
      const builtin = page.locator('.part.panel .monaco-list-row[aria-label*="No link definition found"]');
      const labels = async () => (await builtin.evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''))).map((t) => t.replace(/\s+/g, ' ').trim());
      // The control: the broken reference in the body is reported, so the checks do run.
      await h.waitFor(async () => (await labels()).some((t) => t.includes('no-such-definition')), 60_000, "VS Code's Markdown to report the broken body reference");
      await new Promise((r) => setTimeout(r, 2_000));
      const rows = await labels();
      const inFrontMatter = rows.filter((t) => /alpha-tag|beta-tag/.test(t));
      if (inFrontMatter.length > 0) {
        throw new Error(`VS Code's Markdown checks the front matter tag list as a link: ${inFrontMatter.join(' | ')}`);
      }
      return `markdown.validate.enabled: ${rows.join(' | ')}`;
    } finally {
      settings.set({ 'markdown.validate.enabled': false });
    }
  });

  await step('go-to-references-from-the-context-menu-in-front-matter', async () => {
    await h.openFile('builtin-links.md');
    await h.goTo(3, 10); // on `alpha-tag` in `tags: [alpha-tag, beta-tag]`
    await page.keyboard.press('Shift+F10'); // the editor context menu, as a right click opens it
    const item = page.locator('.context-view .monaco-menu .action-item', { hasText: /^Go to References/ });
    await item.first().waitFor({ timeout: 10_000 });
    const peek = page.locator('.peekview-widget');
    // A click that lands while the menu is still settling can leave it open with the item merely
    // highlighted (seen: the menu on screen, no peek): then the highlighted item is chosen with Enter.
    await item.first().click();
    for (let attempt = 1; ; attempt++) {
      try {
        await peek.first().waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) {
          throw error;
        }
        if (await page.locator('.context-view .monaco-menu').first().isVisible().catch(() => false)) {
          await item.first().hover();
          await page.keyboard.press('Enter');
        }
      }
    }
    const title = page.locator('.peekview-widget .peekview-title');
    await h.waitFor(async () => /(references?|locations?) \(\d+\)|\d+ references?/i.test(await title.innerText().catch(() => '')), 15_000, 'the references count');
    const header = (await title.innerText()).replace(/\s+/g, ' ').trim();
    const files = (await page.locator('.peekview-widget .ref-tree .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => /\.md \d+$/.test(t));
    await page.keyboard.press('Escape');
    // One use in each note; a second entry in builtin-links.md is VS Code's Markdown reading the list as a link.
    if (!files.includes('builtin-links.md 1') || !files.includes('builtin-links-2.md 1') || files.length !== 2) {
      throw new Error(`Go to References on alpha-tag: ${header} [${files.join(', ')}]`);
    }
    return `${header}: ${files.join(', ')}`;
  });

  await step('paper-completion-while-typing-without-ctrl-space', async () => {
    await h.openFile('papers.md');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('Read ', { delay: 30 });
    await page.keyboard.type('[', { delay: 30 }); // VS Code auto-closes it: `[]`
    await page.keyboard.type('arrows of', { delay: 60 });
    const row = page.locator('.suggest-widget.visible .monaco-list-row', { hasText: 'Arrows of Time for Large Language Models' });
    await row.first().waitFor({ timeout: 20_000 });
    await shots.feature('paper-completion', page.locator('.editor-instance').first());
    await shots.save('paper-completion');
    await page.keyboard.press('Enter');
    await h.waitFor(async () => (await h.compactText()).includes('Read[ArrowsofTimeforLargeLanguageModels](https://openreview.net/forum?id=UpSe7ag34v)'), 10_000, 'the link to be inserted once');
    const compact = await h.compactText();
    if (compact.includes(')]')) {
      throw new Error('the auto-closed `]` was left after the link');
    }
    return 'typed `[arrows of`, chose the paper: [Arrows of Time for Large Language Models](https://openreview.net/forum?id=UpSe7ag34v)';
  });

  await step('tag-completion-after-comma-space-without-ctrl-space', async () => {
    await h.openFile('papers.md');
    await h.goTo(3, 10); // after `ML` in `tags: [ML]`
    await page.keyboard.type(', ', { delay: 80 });
    const labels = await h.suggestLabels(['to-read']);
    await shots.feature('tag-completion', page.locator('.editor-instance').first());
    await shots.save('tag-completion');
    await page.keyboard.press('Escape');
    if (labels.includes('ML')) {
      throw new Error(`ML is offered again into a list that has it: [${labels.join(', ')}]`);
    }
    return `after ", ": [${labels.slice(0, 8).join(', ')}]`;
  });
}
