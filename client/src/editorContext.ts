// Where the cursor is, as far as the client needs to know without asking the server: inside the front
// matter block (to keep VS Code's built-in Markdown rename off YAML), and whether what was just typed
// starts a place the server completes (a paper title after `[`, a tag after `, ` or `- `), so that
// completion shows without Ctrl+Space in VS Code, where Markdown turns quick suggestions off.
// The server still decides what to offer: an automatic request it answers with nothing shows nothing.

/**
 * The zero-based line of the front matter's closing fence, or undefined when the text has no
 * front matter: `---` on the first line (after an optional BOM), closed by `---` or `...`.
 */
export function frontMatterEndLine(lines: readonly string[]): number | undefined {
  if (lines.length === 0 || lines[0]!.replace(/^\uFEFF/, '').trimEnd() !== '---') {
    return undefined;
  }
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '---' || line === '...') {
      return i;
    }
  }
  return undefined;
}

/** True when the line is inside the front matter block, fences included. */
export function isInFrontMatter(lines: readonly string[], line: number): boolean {
  const end = frontMatterEndLine(lines);
  return end !== undefined && line >= 0 && line <= end;
}

/** Paper titles are searched from three typed characters on (PaperCompletion.MinQueryLength). */
const minTitleQuery = 3;

/**
 * Whether to ask for completion after an edit that left the cursor between `before` and `after`
 * on its line. `inserted` is the text the edit typed.
 */
export function shouldTriggerSuggest(before: string, after: string, inserted: string, inFrontMatter: boolean): boolean {
  if (inserted.length === 0 || /[\r\n]/.test(inserted)) {
    return false;
  }
  if (inFrontMatter) {
    // A new value starts: after `, ` or `[` in a flow list, `- ` in a block list, `key: `.
    return inserted.endsWith(' ') && (/[,[]\s+$/.test(before) || /^\s*-\s+$/.test(before) || /^[^\s#:][^:]*:\s+$/.test(before));
  }
  // Link text being typed: `[arrows of`, not yet `[text](`.
  if (after.startsWith('](')) {
    return false;
  }
  const open = before.lastIndexOf('[');
  if (open < 0 || before.slice(open).includes(']')) {
    return false;
  }
  const typed = before.slice(open + 1);
  return typed.trim().length >= minTitleQuery && !/[()]/.test(typed);
}
