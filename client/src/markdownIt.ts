// A markdown-it plugin for VS Code's built-in Markdown extension (contributes.markdown.markdownItPlugins).
// That extension's language server finds links with regular expressions over the whole text and skips
// only the lines of code blocks, fences and HTML blocks it gets from this markdown-it instance, so it
// reads `tags: [a, b]` in the front matter as a reference link: a "No link definition found" diagnostic
// when markdown.validate.enabled is on, a bogus entry in Go to / Find All References, a rename of the
// whole list. Marking the front matter lines as a (never rendered) code block keeps every one of its
// link features off the YAML, whichever command or menu starts them; the preview is unchanged.
import { frontMatterEndLine } from './editorContext';

/** The parts of markdown-it's Token this plugin uses. */
export interface MdToken {
  type: string;
  map: [number, number] | null;
  content: string;
  block: boolean;
  hidden: boolean;
  meta: unknown;
}

/** The parts of markdown-it's core state this plugin uses. */
export interface MdCoreState {
  src: string;
  tokens: MdToken[];
  Token: new (type: string, tag: string, nesting: number) => MdToken;
}

type RenderRule = (tokens: MdToken[], index: number, options: unknown, env: unknown, self: unknown) => string;

/** The parts of a markdown-it instance this plugin uses. */
export interface MarkdownItLike {
  core: { ruler: { push(name: string, rule: (state: MdCoreState) => boolean | void): void } };
  renderer: { rules: Record<string, RenderRule | undefined> };
}

const marker = 'notesFrontMatter';

/** True for the token this plugin adds. */
export function isFrontMatterMarker(token: MdToken): boolean {
  return typeof token.meta === 'object' && token.meta !== null && (token.meta as Record<string, unknown>)[marker] === true;
}

/** Adds, before every other token, a code block token covering the front matter lines (fences included). */
export function markFrontMatter(state: MdCoreState): void {
  const end = frontMatterEndLine(state.src.split(/\r\n|\r|\n/));
  if (end === undefined || state.tokens.some(isFrontMatterMarker)) {
    return;
  }
  const token = new state.Token('code_block', 'code', 0);
  token.map = [0, end + 1];
  token.content = '';
  token.block = true;
  token.hidden = true;
  token.meta = { [marker]: true };
  state.tokens.unshift(token);
}

export function extendMarkdownIt<T extends MarkdownItLike>(md: T): T {
  md.core.ruler.push('notes_front_matter_no_links', (state) => {
    markFrontMatter(state);
    return true;
  });
  const render = md.renderer.rules['code_block'];
  md.renderer.rules['code_block'] = (tokens, index, options, env, self) =>
    isFrontMatterMarker(tokens[index]!) ? '' : render !== undefined ? render(tokens, index, options, env, self) : '';
  return md;
}
