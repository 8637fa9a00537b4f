// The notes the end-to-end test writes into its copy of examples/. Each one has a single,
// unambiguous job; diagnostics are kinds every preset agrees on (YAML syntax, a missing or
// misspelt key, a bad date), so rule refinements elsewhere do not make the test flaky.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

/** A paper of the bundled ICML 2024 catalog for completion, one for hover, one for a bare URL. */
export const papers = {
  completion: { id: '0uUHfhXdnH', title: 'DiJiang: Efficient Large Language Models through Compact Kernelization', typed: 'DiJiang Efficient' },
  hover: { id: '1QmFKwVwwI', title: 'Privacy Preserving Adaptive Experiment Design' },
};

/** The venue the fake OpenReview serves, and a title only it knows. */
export const fakeVenue = { id: 'Fake.cc/2026/Conference', name: 'Fake 2026', count: 40, titleOf: (i) => `Zebra Crossing Transformers ${i}` };

export const notes = {
  'broken-front-matter.md': ['---', 'title: A note with a broken front matter', 'tags: [unclosed, list', 'date: 2024-07-22', '---', '', 'The tag list above never closes.', ''],
  'e2e-scratch.md': [
    '---',
    'title: Scratch note for the end-to-end test',
    'date: 2024-07-23',
    'tags:',
    '  - ',
    '---',
    '',
    `Hover this link: [the paper](https://openreview.net/forum?id=${papers.hover.id})`,
    '',
  ],
  // Outline, F2 and Shift+F12 on tags; `reading-list` is also used by the closed note below.
  'reading.md': [
    '---',
    'title: Reading list',
    'tags: [reading-list, ML]',
    '---',
    '',
    '# Intro',
    '',
    'Why these papers.',
    '',
    '## Method',
    '',
    'How they were chosen.',
    '',
    '## Results',
    '',
    'What came out.',
    '',
  ],
  'archive/closed-note.md': ['---', 'title: Never opened by the test', 'tags:', '  - reading-list', '  - archive', '---', '', 'This note stays closed.', ''],
  // Paper typing, the heading action, Add title, inlay title and "also in your notes".
  'papers.md': [
    '---',
    'title: Papers I read',
    'tags: [ML]',
    '---',
    '',
    `A bare link: https://openreview.net/forum?id=${papers.hover.id}`,
    '',
    '## Arrows of Time for Large Language Models',
    '',
    '',
  ],
  // VS Code's own Markdown link checks and references must skip the front matter (a body link is the control).
  'builtin-links.md': ['---', 'title: Links beside tags', 'tags: [alpha-tag, beta-tag]', '---', '', 'A broken reference: [text][no-such-definition].', ''],
  'builtin-links-2.md': ['---', 'title: The same tag again', 'tags: [alpha-tag]', '---', ''],
  'cites-the-paper.md': ['---', 'title: Another note citing the paper', '---', '', `[Privacy](https://openreview.net/forum?id=${papers.hover.id}) again.`, ''],
  'shape-flow.md': ['---', 'title: Tags in a flow list', 'tags: [ML, ]', '---', ''],
  'shape-scalar.md': ['---', 'title: Tags as one scalar', 'tags: ', '---', ''],
  // One note per quick fix kind.
  'fix-unclosed.md': ['---', 'title: Never closed', 'date: 2024-07-22', '', 'Body text.', ''],
  'fix-quote.md': ['---', 'title: BERT: Pre-training', 'date: 2024-07-22', '---', ''],
  'fix-typo.md': ['---', 'titel: A misspelt key', 'date: 2024-07-22', '---', ''],
  'fix-date.md': ['---', 'title: A date written with slashes', 'date: 2024/7/10', '---', ''],
  'fix-taglist.md': ['---', 'title: Tags as a string', 'tags: ML, NLP', '---', ''],
  'fix-no.md': ['---', 'title: no', 'date: 2024-07-22', '---', ''],
  'preset-year.md': ['---', 'title: A note dated by year', 'date: 2024', '---', ''],
  'fix-missing.md': ['---', 'date: 2024-07-22', 'tags: [ML]', '---', '', '# No title key', ''],
};

export function writeNotes(workspace) {
  // The folder of the schema file the missing-key step writes; it exists from the start, as file
  // watchers may miss a file in a folder created a moment before.
  mkdirSync(join(workspace, '.notes'), { recursive: true });
  for (const [name, lines] of Object.entries(notes)) {
    const path = join(workspace, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, lines.join('\n'));
  }
}
