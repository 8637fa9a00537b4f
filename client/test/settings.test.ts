import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configurationFor, defaultServerSettings, toServerSettings } from '../src/settings';

/** A reader over a flat map of `notes.`-relative keys, like WorkspaceConfiguration.get. */
function reader(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

describe('toServerSettings', () => {
  test('an empty configuration gives the server defaults of Settings.cs', () => {
    assert.deepEqual(toServerSettings(reader({}), undefined), {
      exclude: [],
      frontMatter: { preset: 'notes', schema: '.notes/schema.yaml' },
      tags: { allowed: [], inlineCompletion: false, variantHints: true, keys: ['tags', 'categories'] },
      papers: { catalogs: [], completeInHeadings: true, inlayHints: true },
      openReview: { online: true, baseUrl: 'https://api2.openreview.net', fallbackBaseUrl: 'https://api.openreview.net' },
    });
  });

  test('every setting maps to its place in NotesSettings', () => {
    const settings = toServerSettings(
      reader({
        exclude: ['drafts/**'],
        'frontMatter.preset': 'hugo',
        'frontMatter.schema': 'schema/notes.yaml',
        'tags.allowed': ['ML', 'conference'],
        'tags.allowedFile': '.notes/tags.txt',
        'tags.inlineCompletion': true,
        'tags.variantHints': false,
        'tags.keys': ['tags', 'topics'],
        'papers.catalogs': ['papers/iclr2024.jsonl'],
        'papers.completeInHeadings': false,
        'papers.inlayHints': false,
        'papers.cacheDirectory': '~/papers-cache',
        'openreview.fallbackBaseUrl': '',
        'openreview.online': false,
        'openreview.baseUrl': 'http://127.0.0.1:8080/',
      }),
      'secret-token',
    );
    assert.deepEqual(settings, {
      exclude: ['drafts/**'],
      frontMatter: { preset: 'hugo', schema: 'schema/notes.yaml' },
      tags: { allowed: ['ML', 'conference'], allowedFile: '.notes/tags.txt', inlineCompletion: true, variantHints: false, keys: ['tags', 'topics'] },
      papers: { catalogs: ['papers/iclr2024.jsonl'], completeInHeadings: false, inlayHints: false, cacheDirectory: '~/papers-cache' },
      openReview: { online: false, baseUrl: 'http://127.0.0.1:8080', fallbackBaseUrl: '', token: 'secret-token' },
    });
  });

  test('values of the wrong type fall back to the defaults instead of reaching the server', () => {
    const settings = toServerSettings(
      reader({
        exclude: 'drafts/**',
        'frontMatter.preset': 'wordpress',
        'tags.allowed': ['ML', 3, null, '  '],
        'tags.inlineCompletion': 'yes',
        'tags.keys': [],
        'tags.allowedFile': '  ',
        'openreview.baseUrl': '   ',
      }),
      '   ',
    );
    assert.deepEqual(settings.exclude, []);
    assert.equal(settings.frontMatter.preset, 'notes');
    assert.deepEqual(settings.tags, { allowed: ['ML'], inlineCompletion: false, variantHints: true, keys: ['tags', 'categories'] });
    assert.deepEqual(settings.openReview, { online: true, baseUrl: 'https://api2.openreview.net', fallbackBaseUrl: 'https://api.openreview.net' });
  });

  test('the token is never part of the settings when the secret storage has none', () => {
    assert.equal('token' in toServerSettings(reader({}), undefined).openReview, false);
  });
});

describe('configurationFor', () => {
  const settings = toServerSettings(reader({ 'papers.catalogs': ['a.jsonl'] }), 'tok');

  test('the whole section', () => {
    assert.equal(configurationFor('notes', settings), settings);
  });

  test('a sub-section, matched case-insensitively like the server does', () => {
    assert.deepEqual(configurationFor('notes.papers', settings), { catalogs: ['a.jsonl'], completeInHeadings: true, inlayHints: true });
    assert.equal(configurationFor('notes.openreview.token', settings), 'tok');
  });

  test('an unknown key inside our section is null, other sections are left to VS Code', () => {
    assert.equal(configurationFor('notes.nothing.here', settings), null);
    assert.equal(configurationFor('markdown', settings), undefined);
    assert.equal(configurationFor('notesx', settings), undefined);
    assert.equal(configurationFor(undefined, settings), undefined);
  });

  test('defaults stay frozen in shape', () => {
    assert.deepEqual(Object.keys(defaultServerSettings), ['exclude', 'frontMatter', 'tags', 'papers', 'openReview']);
  });
});
