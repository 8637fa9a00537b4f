import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseStatusNotification, renderStatus, type ServerStatus } from '../src/status';

function text(status: ServerStatus): string {
  return renderStatus(status).text;
}

describe('renderStatus', () => {
  test('starting spins', () => {
    assert.equal(text({ state: 'starting' }), '$(sync~spin) Notes');
  });

  test('indexing shows the progress title and a clamped, rounded percentage', () => {
    assert.equal(text({ state: 'indexing', title: 'Indexing notes', percentage: 42.6 }), '$(sync~spin) Notes: Indexing notes 43%');
    assert.equal(text({ state: 'indexing', title: 'Indexing notes', percentage: 140 }), '$(sync~spin) Notes: Indexing notes 100%');
    assert.equal(text({ state: 'indexing', title: 'Indexing notes' }), '$(sync~spin) Notes: Indexing notes');
    assert.equal(renderStatus({ state: 'indexing', title: 'Indexing notes', message: '12/40' }).tooltip, 'Notes: Indexing notes: 12/40. Click to show the Notes output.');
  });

  test('ready shows the counts the server reported, with thousands separators and plurals', () => {
    assert.equal(text({ state: 'ready', notes: 2, papers: 2610 }), '$(notebook) 2 notes · 2,610 papers');
    assert.equal(text({ state: 'ready', notes: 1 }), '$(notebook) 1 note');
  });

  test('ready without a notes/status notification still says the server runs', () => {
    assert.deepEqual(renderStatus({ state: 'ready' }), {
      text: '$(notebook) Notes',
      tooltip: 'Notes: the language server is running. Click to show the Notes output.',
      error: false,
    });
  });

  test('stopped is an error with the reason in the tooltip', () => {
    const view = renderStatus({ state: 'stopped', reason: 'no dotnet.' });
    assert.equal(view.error, true);
    assert.equal(view.tooltip, 'Notes: the language server is not running: no dotnet. Click to show the Notes output.');
  });
});

describe('parseStatusNotification', () => {
  test('keeps counts', () => {
    assert.deepEqual(parseStatusNotification({ notes: 12, papers: 2610 }), { notes: 12, papers: 2610 });
  });

  test('drops what is not a count', () => {
    assert.deepEqual(parseStatusNotification({ notes: -1, papers: '3' }), {});
    assert.deepEqual(parseStatusNotification({ notes: 1.5 }), {});
    assert.deepEqual(parseStatusNotification(null), {});
    assert.deepEqual(parseStatusNotification([3]), {});
  });
});
