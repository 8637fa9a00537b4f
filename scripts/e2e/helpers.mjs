// Driving the rendered workbench like a person: keyboard, palette, quick open, and reading what is
// on screen. Every helper waits for what it needs and fails with a sentence saying what it missed.

export function createHelpers(page) {
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

  async function openFile(name) {
    const base = name.split('/').at(-1);
    const active = page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`);
    // Always through Quick Open, never by clicking the tab: a click waits for its target to be the topmost element
    // at its point, and a toast, a hover or a leftover widget over the tab or the text area made it wait out its
    // 30 s (seen on CI: every step that reopened papers.md failed with "locator.click: Timeout").
    // The mouse leaves the editor first: resting where the last step clicked, it can sit on a link of the note
    // being opened and raise a paper hover over the text.
    await page.mouse.move(0, 0);
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type(name);
    // Enter only once the list is filtered and its first row is this very file: `papers.md` is also the end of
    // `icml2024-oral-papers.md`, so the row's label must be the name itself.
    const first = page.locator('.quick-input-list .monaco-list-row').first();
    const isFile = (label) => label === base || label.startsWith(`${base},`) || label.startsWith(`${base} `);
    let seen = '';
    await waitFor(async () => isFile((seen = (await first.getAttribute('aria-label').catch(() => '')) ?? '')), 15_000, `quick open to list ${name} first`).catch((error) => {
      throw new Error(`${error.message} (its first row: "${seen}")`);
    });
    await page.keyboard.press('Enter');
    await active.waitFor({ timeout: 15_000 });
    await focusEditor();
  }

  /** Gives the active editor the keyboard focus, by keyboard (View: Focus First Editor Group), and checks it has it. */
  async function focusEditor() {
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element !== null && element.closest('.editor-instance .monaco-editor') !== null && element.closest('.peekview-widget, .zone-widget') === null;
      });
    for (let attempt = 1; ; attempt++) {
      if (await focused()) {
        return;
      }
      await page.keyboard.press('Control+1');
      try {
        await waitFor(focused, 2_000, 'the editor to take the keyboard focus');
        return;
      } catch (error) {
        if (attempt === 3) {
          const where = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing').catch(() => '?');
          throw new Error(`the editor did not take the focus (Ctrl+1, 3 times); focus is on ${where}`);
        }
        await page.keyboard.press('Escape');
      }
    }
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

  /** Ctrl+G to a 1-based line and column. */
  async function goTo(line, column) {
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type(`${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
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
  async function suggestLabels(expected, timeoutMs = 20_000) {
    let labels = [];
    try {
      await waitFor(async () => {
        labels = (await page.locator('.suggest-widget.visible .monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
        return expected.every((e) => labels.some((l) => l === e || l.startsWith(e)));
      }, timeoutMs, `suggestions ${expected.join(', ')}`);
    } catch (error) {
      throw new Error(`${error.message}; shown: [${labels.join(', ')}]`);
    }
    return labels;
  }

  /** The visible text of the active editor, top to bottom (VS Code reuses line elements out of order). */
  async function editorText() {
    const lines = await page
      .locator('.editor-instance .monaco-editor .view-lines')
      .first()
      .evaluate((element) =>
        [...element.querySelectorAll(':scope > .view-line')]
          .map((line) => ({ top: parseFloat(line.style.top || '0'), text: line.innerText }))
          .sort((a, b) => a.top - b.top)
          .map((line) => line.text)
          .join('\n'),
      );
    return lines.replace(/\u00a0/g, ' ');
  }

  /** The editor's text without white space: Markdown wraps long lines into several view lines. */
  async function compactText() {
    return (await editorText()).replace(/\s+/g, '');
  }

  /** Ctrl+. at the cursor and picks the code action whose title contains `title`. */
  async function applyCodeAction(title, whileShown = async () => {}) {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      const item = page.locator('.action-widget .monaco-list-row', { hasText: title });
      try {
        await item.first().waitFor({ timeout: 8_000 });
        await whileShown();
        await item.first().click();
        return;
      } catch (error) {
        const shown = await page.locator('.action-widget .monaco-list-row').allInnerTexts().catch(() => []);
        await page.keyboard.press('Escape');
        if (attempt === 3) {
          throw new Error(`no code action "${title}"; shown: [${shown.map((s) => s.trim()).join(' | ')}]`);
        }
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  /** Moves the mouse over the rendered text `text` (its last occurrence) and returns the hover widget. */
  async function hoverText(text, expected) {
    const token = page.locator('.editor-instance .view-lines .view-line span span', { hasText: text }).last();
    const hover = page.locator('.monaco-hover', { hasText: expected });
    for (let attempt = 1; ; attempt++) {
      // The line is found anew on each attempt: the editor re-renders it when decorations arrive (inlay titles,
      // link underlines), and the element found a moment ago then has no box (seen in a run: "reading 'x'").
      await token.waitFor({ timeout: 10_000 });
      const box = await token.boundingBox();
      if (box === null) {
        if (attempt === 3) {
          throw new Error(`the text ${text} is not on screen to hover`);
        }
        await page.waitForTimeout(300);
        continue;
      }
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.move(box.x + Math.min(12, box.width / 2), box.y + box.height / 2);
      try {
        await hover.first().waitFor({ state: 'visible', timeout: 8_000 });
        return hover.first();
      } catch (error) {
        await page.mouse.move(0, 0);
        if (attempt === 3) {
          throw error;
        }
      }
    }
  }

  async function statusBarText() {
    const item = page.locator('.statusbar-item', { has: page.locator('.codicon-notebook') });
    return (await item.first().innerText()).trim();
  }

  async function notificationTexts() {
    return (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  async function closeNotifications() {
    await runCommand('Notifications: Clear All Notifications', 'notifications.clearAll').catch(() => {});
  }

  return {
    waitFor,
    openFile,
    focusEditor,
    runCommand,
    goTo,
    triggerSuggest,
    suggestLabels,
    editorText,
    compactText,
    applyCodeAction,
    hoverText,
    statusBarText,
    notificationTexts,
    closeNotifications,
  };
}
