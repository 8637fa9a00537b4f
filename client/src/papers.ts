// Paper search results and the Markdown link inserted for a chosen paper. Pure so that the
// parsing of the server's answer and the exact inserted text are unit-tested.

/** One result of the server's `notes.papers.search` command. */
export interface PaperHit {
  readonly id: string;
  readonly title: string;
  readonly venue?: string;
  readonly decision?: string;
  readonly score?: number;
}

/** Keeps the well-formed results of `notes.papers.search`, in the server's order. */
export function parseSearchResults(result: unknown): PaperHit[] {
  const items = Array.isArray(result)
    ? result
    : result !== null && typeof result === 'object' && Array.isArray((result as Record<string, unknown>)['papers'])
      ? ((result as Record<string, unknown>)['papers'] as unknown[])
      : [];
  const hits: PaperHit[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object') {
      continue;
    }
    const record = item as Record<string, unknown>;
    const id = record['id'];
    const title = record['title'];
    if (typeof id !== 'string' || id === '' || typeof title !== 'string') {
      continue;
    }
    const venue = record['venue'];
    const decision = record['decision'];
    const score = record['score'];
    hits.push({
      id,
      title,
      ...(typeof venue === 'string' && venue !== '' ? { venue } : {}),
      ...(typeof decision === 'string' && decision !== '' ? { decision } : {}),
      ...(typeof score === 'number' && Number.isFinite(score) ? { score } : {}),
    });
  }
  return hits;
}

export function openReviewForumUrl(id: string): string {
  return `https://openreview.net/forum?id=${encodeURIComponent(id)}`;
}

/** The Markdown inserted for a paper: `[Title](https://openreview.net/forum?id=ID)`. */
export function paperLink(paper: PaperHit): string {
  // Brackets and backslashes in a title would end the link text early.
  const text = paper.title.replace(/([\\[\]])/g, '\\$1');
  return `[${text}](${openReviewForumUrl(paper.id)})`;
}

/** The quick pick's second line for a paper, e.g. "ICML 2024 · Oral". */
export function paperDescription(paper: PaperHit): string {
  return [paper.venue, paper.decision].filter((part): part is string => part !== undefined).join(' · ');
}

/**
 * Checks an OpenReview venue id such as `ICML.cc/2024/Conference` and returns what is wrong with
 * it, in words for the input box, or undefined when it looks right.
 */
export function validateVenueId(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') {
    return 'Enter a venue id, for example ICML.cc/2024/Conference.';
  }
  if (/^https?:\/\//i.test(trimmed)) {
    const id = venueIdFromUrl(trimmed);
    return id === undefined ? 'That URL has no ?id= venue group; paste the venue page URL or the id itself.' : undefined;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.\-]*(\/[A-Za-z0-9_.\-]+)+$/.test(trimmed)) {
    return 'A venue id looks like ICML.cc/2024/Conference (a group path with slashes, no spaces).';
  }
  return undefined;
}

/** Accepts either a venue id or an OpenReview group URL and returns the venue id. */
export function normalizeVenueId(value: string): string {
  const trimmed = value.trim();
  return /^https?:\/\//i.test(trimmed) ? venueIdFromUrl(trimmed) ?? trimmed : trimmed;
}

function venueIdFromUrl(url: string): string | undefined {
  try {
    const id = new URL(url).searchParams.get('id');
    return id !== null && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Words for the result of `notes.papers.downloadVenue`. The server may answer with a count, or an
 * object with a count (`count`, `downloaded` or `papers`) and where it stored them (`path`).
 */
export function describeDownloadResult(venue: string, result: unknown): string {
  let count: number | undefined;
  let path: string | undefined;
  if (typeof result === 'number') {
    count = result;
  } else if (result !== null && typeof result === 'object') {
    const record = result as Record<string, unknown>;
    for (const key of ['count', 'downloaded', 'papers']) {
      const value = record[key];
      if (typeof value === 'number') {
        count = value;
        break;
      }
      if (Array.isArray(value)) {
        count = value.length;
        break;
      }
    }
    for (const key of ['path', 'file', 'catalog']) {
      if (typeof record[key] === 'string') {
        path = record[key];
        break;
      }
    }
  }
  const what = count === undefined ? `Downloaded the papers of ${venue}` : `Downloaded ${count.toLocaleString('en-US')} papers of ${venue}`;
  return path === undefined ? `${what}.` : `${what} into ${path}.`;
}

/** The venues built into the server (NotesLsp.Papers embeds their catalog): never worth downloading. */
export const bundledVenueIds: readonly string[] = ['ICML.cc/2024/Conference'];

/** Said in the download prompt, so nobody downloads what is already there. */
export const bundledVenueNote = `${bundledVenueIds.join(', ')} is built in.`;

/** An example in the download prompt's empty input box; deliberately not a bundled venue. */
export const venuePlaceholder = 'e.g. NeurIPS.cc/2023/Conference';
