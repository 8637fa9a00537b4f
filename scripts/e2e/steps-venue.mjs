// Download Venue Papers against the fake OpenReview on 127.0.0.1: the prompt, progress, Cancel, the
// new papers completing and hovering, and an unreachable API giving a clear message with no stale
// progress notification.
import { fakeVenue } from './workspace.mjs';

export async function run({ step, page, h, shots, slowVenue, fake }) {
  const progressToast = (venue) => page.locator('.notifications-toasts .notification-toast', { hasText: `Downloading ${venue}` });

  async function startDownload(venue) {
    await h.closeNotifications();
    await h.runCommand('Notes: Download Venue Papers', 'notes.downloadVenuePapers');
    // The venue prompt, not the command palette it replaces.
    await page.locator('.quick-input-widget', { hasText: 'OpenReview venue id' }).waitFor({ timeout: 10_000 });
    const input = page.locator('.quick-input-widget input');
    const value = await input.inputValue();
    if (value !== '') {
      throw new Error(`the venue prompt offers "${value}" as its default`);
    }
    await page.keyboard.type(venue);
    await page.keyboard.press('Enter');
  }

  await step('download-venue-progress-and-new-papers', async () => {
    await startDownload(fakeVenue.id);
    await progressToast(fakeVenue.id).first().waitFor({ timeout: 15_000 });
    await shots.feature('download-venue', page.locator('.notifications-toasts'));
    await shots.save('download-progress');
    const done = page.locator('.notifications-toasts .notification-toast', { hasText: `Downloaded ${fakeVenue.count} papers of ${fakeVenue.id}` });
    await done.first().waitFor({ timeout: 60_000 });
    await progressToast(fakeVenue.id).first().waitFor({ state: 'detached', timeout: 10_000 });
    // The new papers complete while typing and hover.
    await h.openFile('papers.md');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('[', { delay: 30 });
    await page.keyboard.type('zebra crossing', { delay: 60 });
    const title = fakeVenue.titleOf(12);
    const row = page.locator('.suggest-widget.visible .monaco-list-row', { hasText: title });
    await row.first().waitFor({ timeout: 20_000 });
    await row.first().click();
    await h.waitFor(async () => (await h.compactText()).includes(title.replace(/\s+/g, '')), 10_000, 'the new paper link');
    await page.keyboard.press('Escape');
    const hover = await h.hoverText('openreview.net/forum?id=Fk', title);
    const text = (await hover.innerText()).replace(/\s+/g, ' ').trim();
    await page.mouse.move(0, 0);
    return `downloaded ${fakeVenue.count}; completed and hovered "${title}": ${text.slice(0, 100)}`;
  });

  await step('download-venue-cancel', async () => {
    await startDownload(slowVenue);
    const toast = progressToast(slowVenue).first();
    await toast.waitFor({ timeout: 15_000 });
    await toast.hover();
    await toast.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    await toast.waitFor({ state: 'detached', timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1_500));
    const errors = (await h.notificationTexts()).filter((t) => /failed/i.test(t));
    if (errors.length > 0) {
      throw new Error(`cancelling showed an error: ${errors.join(' / ')}`);
    }
    return 'the progress notification closed on Cancel, no error shown';
  });

  await step('download-venue-offline-clear-message-no-stale-progress', async () => {
    // Offline: nothing listens at the API's address any more (connections are refused).
    await fake.close();
    await startDownload(fakeVenue.id);
    const error = page.locator('.notifications-toasts .notification-toast', { hasText: `Downloading ${fakeVenue.id} failed` });
    await error.first().waitFor({ timeout: 60_000 });
    // The progress notification closes as the failure shows (allow the window a moment to redraw).
    const message = (await error.first().innerText()).replace(/\s+/g, ' ').trim();
    try {
      await progressToast(fakeVenue.id).filter({ hasNotText: 'failed' }).first().waitFor({ state: 'detached', timeout: 5_000 });
    } catch {
      throw new Error(`the progress notification stayed next to the failure: ${message}`);
    }
    await shots.save('download-offline');
    await h.closeNotifications();
    return message.slice(0, 200);
  });
}
