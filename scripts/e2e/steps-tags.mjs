// Tags: completion in the scalar, flow and block shapes, Shift+F12 references, hover.
export async function run({ step, page, h, shots }) {
  await step('tag-completion-block-list', async () => {
    await h.openFile('e2e-scratch.md');
    await h.goTo(5, 5);
    await h.triggerSuggest();
    const labels = await h.suggestLabels(['ML', 'conference']);
    await page.keyboard.press('Escape');
    return `block list: ${labels.slice(0, 8).join(', ')}`;
  });

  await step('tag-completion-flow-and-scalar', async () => {
    await h.openFile('shape-flow.md');
    await h.goTo(3, 12); // after `[ML, ` in `tags: [ML, ]`
    await h.triggerSuggest();
    const flow = await h.suggestLabels(['conference']);
    await page.keyboard.press('Escape');
    await h.openFile('shape-scalar.md');
    await h.goTo(3, 7); // after `tags: `
    await h.triggerSuggest();
    const scalar = await h.suggestLabels(['ML']);
    await page.keyboard.press('Escape');
    return `flow: ${flow.slice(0, 5).join(', ')}; scalar: ${scalar.slice(0, 5).join(', ')}`;
  });

  await step('tag-references-shift-f12', async () => {
    await h.openFile('papers.md');
    await h.goTo(3, 9); // on `ML` in `tags: [ML`
    await page.keyboard.press('Shift+F12');
    const peek = page.locator('.peekview-widget');
    await peek.first().waitFor({ timeout: 15_000 });
    const title = page.locator('.peekview-widget .peekview-title');
    await h.waitFor(async () => /(references?|locations?) \(\d+\)|\d+ references?/i.test(await title.innerText().catch(() => '')), 15_000, 'the references count');
    const header = (await title.innerText()).replace(/\s+/g, ' ').trim();
    // File rows read "papers.md 2": the name and how many references it holds.
    const files = (await page.locator('.peekview-widget .ref-tree .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => /\.md \d+$/.test(t));
    await shots.feature('references', peek.first());
    await shots.save('references');
    await page.keyboard.press('Escape');
    if (!files.some((f) => f.startsWith('reading.md'))) {
      throw new Error(`references of ML miss reading.md: ${header} [${files.join(', ')}]`);
    }
    // papers.md uses ML once; a second entry is VS Code's Markdown extension reading `[ML, ]` as a link.
    if (!files.includes('papers.md 1')) {
      throw new Error(`papers.md should hold one reference to ML: ${header} [${files.join(', ')}]`);
    }
    return `${header}: ${files.join(', ')}`;
  });

  await step('tag-hover', async () => {
    await h.openFile('reading.md');
    const hover = await h.hoverText('ML', /used in \d+ note/);
    const text = (await hover.innerText()).replace(/\s+/g, ' ').trim();
    await shots.feature('tag-hover', page.locator('.editor-instance').first());
    await page.mouse.move(0, 0);
    return text.slice(0, 160);
  });
}
