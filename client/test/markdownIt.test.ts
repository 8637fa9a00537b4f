import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extendMarkdownIt, isFrontMatterMarker, type MarkdownItLike, type MdCoreState, type MdToken } from '../src/markdownIt';

class FakeToken implements MdToken {
  map: [number, number] | null = null;
  content = '';
  block = false;
  hidden = false;
  meta: unknown = null;
  constructor(
    public type: string,
    public tag: string,
    public nesting: number,
  ) {}
}

function fakeMarkdownIt(): { md: MarkdownItLike; parse: (src: string) => MdToken[] } {
  const rules: ((state: MdCoreState) => boolean | void)[] = [];
  const md: MarkdownItLike = {
    core: { ruler: { push: (_name, rule) => void rules.push(rule) } },
    renderer: { rules: { code_block: (tokens, index) => `<pre><code>${tokens[index]!.content}</code></pre>` } },
  };
  const parse = (src: string): MdToken[] => {
    const paragraph = new FakeToken('paragraph_open', 'p', 1);
    paragraph.map = [0, 1];
    const state: MdCoreState = { src, tokens: [paragraph], Token: FakeToken };
    for (const rule of rules) {
      rule(state);
    }
    return state.tokens;
  };
  return { md, parse };
}

const note = '---\ntitle: Reading\ntags: [reading-list, ML]\n---\n\nSee [a, b] and [x][y].\n';

test('the front matter lines, fences included, become a code block, which VS Code Markdown finds no links in', () => {
  const { md, parse } = fakeMarkdownIt();
  extendMarkdownIt(md);
  const tokens = parse(note);
  const marker = tokens[0]!;
  assert.equal(marker.type, 'code_block');
  assert.deepEqual(marker.map, [0, 4]);
  assert.equal(isFrontMatterMarker(marker), true);
  assert.equal(tokens.filter(isFrontMatterMarker).length, 1);
  assert.equal(isFrontMatterMarker(tokens[1]!), false);
});

test('CRLF front matter is covered; a note without one, or with an unclosed one, gets no marker', () => {
  const { md, parse } = fakeMarkdownIt();
  extendMarkdownIt(md);
  assert.deepEqual(parse('---\r\ntags: [a, b]\r\n---\r\nbody')[0]!.map, [0, 3]);
  assert.equal(parse('# Title\n\n---\ntags: [a]\n---\n').some(isFrontMatterMarker), false);
  assert.equal(parse('---\ntags: [a, b]\n').some(isFrontMatterMarker), false);
});

test('the marker renders as nothing in the preview; real code blocks render as before', () => {
  const { md, parse } = fakeMarkdownIt();
  extendMarkdownIt(md);
  const tokens = parse(note);
  const code = new FakeToken('code_block', 'code', 0);
  code.content = 'x = 1\n';
  tokens.push(code);
  const render = md.renderer.rules['code_block']!;
  assert.equal(render(tokens, 0, {}, {}, {}), '');
  assert.equal(render(tokens, tokens.length - 1, {}, {}, {}), '<pre><code>x = 1\n</code></pre>');
});
