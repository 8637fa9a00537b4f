import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeDownloadResult, normalizeVenueId, paperDescription, paperLink, parseSearchResults, validateVenueId } from '../src/papers';

describe('parseSearchResults', () => {
  test('keeps well-formed hits in the server order', () => {
    const hits = parseSearchResults([
      { id: 'Fw4fBE2rqW', title: 'Position: A Call for Embodied AI', venue: 'ICML 2024', decision: 'Oral', score: 0.9 },
      { id: 'abc', title: 'Second', venue: '', score: 'high' },
    ]);
    assert.deepEqual(hits, [
      { id: 'Fw4fBE2rqW', title: 'Position: A Call for Embodied AI', venue: 'ICML 2024', decision: 'Oral', score: 0.9 },
      { id: 'abc', title: 'Second' },
    ]);
  });

  test('accepts { papers: [...] } and drops entries without id or title', () => {
    assert.deepEqual(parseSearchResults({ papers: [{ id: 'x', title: 'T' }, { title: 'no id' }, { id: '', title: 'empty id' }, 3, null] }), [
      { id: 'x', title: 'T' },
    ]);
  });

  test('anything else is no result, not a crash', () => {
    assert.deepEqual(parseSearchResults(null), []);
    assert.deepEqual(parseSearchResults('oops'), []);
  });
});

describe('paperLink', () => {
  test('a Markdown link to the forum page', () => {
    assert.equal(paperLink({ id: 'Fw4fBE2rqW', title: 'Scaling Laws' }), '[Scaling Laws](https://openreview.net/forum?id=Fw4fBE2rqW)');
  });

  test('brackets in a title are escaped so the link text does not end early', () => {
    assert.equal(paperLink({ id: 'a1', title: 'On [MASK] tokens \\ more' }), '[On \\[MASK\\] tokens \\\\ more](https://openreview.net/forum?id=a1)');
  });

  test('Japanese titles are kept as they are', () => {
    assert.equal(paperLink({ id: 'a1', title: '時系列予測' }), '[時系列予測](https://openreview.net/forum?id=a1)');
  });

  test('description joins venue and decision', () => {
    assert.equal(paperDescription({ id: 'a', title: 't', venue: 'ICML 2024', decision: 'Oral' }), 'ICML 2024 · Oral');
    assert.equal(paperDescription({ id: 'a', title: 't' }), '');
  });
});

describe('venue ids', () => {
  test('valid ids and group URLs', () => {
    assert.equal(validateVenueId('ICML.cc/2024/Conference'), undefined);
    assert.equal(validateVenueId('  NeurIPS.cc/2023/Conference  '), undefined);
    assert.equal(validateVenueId('https://openreview.net/group?id=ICLR.cc/2024/Conference#tab-accept-oral'), undefined);
    assert.equal(normalizeVenueId('https://openreview.net/group?id=ICLR.cc/2024/Conference#tab-accept-oral'), 'ICLR.cc/2024/Conference');
    assert.equal(normalizeVenueId(' ICML.cc/2024/Conference '), 'ICML.cc/2024/Conference');
  });

  test('invalid ids say what a venue id looks like', () => {
    assert.equal(validateVenueId(''), 'Enter a venue id, for example ICML.cc/2024/Conference.');
    assert.equal(validateVenueId('ICML 2024'), 'A venue id looks like ICML.cc/2024/Conference (a group path with slashes, no spaces).');
    assert.equal(validateVenueId('ICML.cc'), 'A venue id looks like ICML.cc/2024/Conference (a group path with slashes, no spaces).');
    assert.equal(validateVenueId('https://openreview.net/forum'), 'That URL has no ?id= venue group; paste the venue page URL or the id itself.');
  });
});

describe('describeDownloadResult', () => {
  test('count and path', () => {
    assert.equal(describeDownloadResult('ICML.cc/2024/Conference', { count: 2610, path: '.notes/papers/icml.jsonl' }), 'Downloaded 2,610 papers of ICML.cc/2024/Conference into .notes/papers/icml.jsonl.');
  });

  test('a bare number, a list, or nothing', () => {
    assert.equal(describeDownloadResult('V/1', 3), 'Downloaded 3 papers of V/1.');
    assert.equal(describeDownloadResult('V/1', { papers: [{}, {}] }), 'Downloaded 2 papers of V/1.');
    assert.equal(describeDownloadResult('V/1', null), 'Downloaded the papers of V/1.');
  });
});

test('the download prompt does not suggest a venue that is already built in', async () => {
  const { bundledVenueIds, venuePlaceholder, bundledVenueNote } = await import('../src/papers');
  for (const venue of bundledVenueIds) {
    assert.ok(!venuePlaceholder.includes(venue), venuePlaceholder);
    assert.ok(bundledVenueNote.includes(venue));
  }
});
