import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frontMatterEndLine, isInFrontMatter, shouldTriggerSuggest } from '../src/editorContext';

const note = ['---', 'title: Reading', 'tags: [reading-list, ML]', '---', '', '[arrows'];

test('front matter ends at the closing fence; no opening fence means none', () => {
  assert.equal(frontMatterEndLine(note), 3);
  assert.equal(frontMatterEndLine(['\uFEFF---', 'a: 1', '...', 'x']), 2);
  assert.equal(frontMatterEndLine(['', '---', 'a: 1', '---']), undefined);
  assert.equal(frontMatterEndLine(['---', 'never closed']), undefined);
  assert.equal(frontMatterEndLine([]), undefined);
});

test('the tag list line is in the front matter, the body is not', () => {
  assert.equal(isInFrontMatter(note, 2), true);
  assert.equal(isInFrontMatter(note, 3), true);
  assert.equal(isInFrontMatter(note, 5), false);
});

test('typing link text asks for papers from three characters on, until the link is complete', () => {
  assert.equal(shouldTriggerSuggest('[ar', ']', 'r', false), false);
  assert.equal(shouldTriggerSuggest('[arr', ']', 'r', false), true);
  assert.equal(shouldTriggerSuggest('See [arrows of', ']', 'f', false), true);
  assert.equal(shouldTriggerSuggest('See [arrows of ', ']', ' ', false), true);
  assert.equal(shouldTriggerSuggest('[arrows]', '', ']', false), false);
  assert.equal(shouldTriggerSuggest('[arrows', '](https://x)', 's', false), false);
  assert.equal(shouldTriggerSuggest('[a](https://x) and more', '', 'e', false), false);
  assert.equal(shouldTriggerSuggest('plain prose words', '', 's', false), false);
  assert.equal(shouldTriggerSuggest('[arrows', ']', '\n', false), false);
});

test('in the front matter a new value after ", ", "- " or "key: " asks; other typing does not', () => {
  assert.equal(shouldTriggerSuggest('tags: [reading-list, ', ']', ' ', true), true);
  assert.equal(shouldTriggerSuggest('  - ', '', ' ', true), true);
  assert.equal(shouldTriggerSuggest('tags: ', '', ' ', true), true);
  assert.equal(shouldTriggerSuggest('title: A long title ', '', ' ', true), false);
  assert.equal(shouldTriggerSuggest('tags: [reading-list, M', ']', 'M', true), false);
  assert.equal(shouldTriggerSuggest('# a comment: ', '', ' ', true), false);
});
