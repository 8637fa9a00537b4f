// Maps VS Code's `notes.*` configuration to the JSON the server reads (the shape of
// server/NotesLsp.Analysis/Settings.cs: NotesSettings). Values of the wrong type fall back to the
// defaults, so a hand-edited settings.json can never make the server reject its configuration.

/** The configuration section that holds every setting of this extension. */
export const configurationSection = 'notes';

/** Mirrors NotesSettings in server/NotesLsp.Analysis/Settings.cs. */
export interface ServerSettings {
  readonly exclude: readonly string[];
  readonly frontMatter: { readonly preset: FrontMatterPreset; readonly schema: string };
  readonly tags: {
    readonly allowed: readonly string[];
    readonly allowedFile?: string;
    readonly inlineCompletion: boolean;
    readonly variantHints: boolean;
    readonly keys: readonly string[];
  };
  readonly papers: {
    readonly catalogs: readonly string[];
    readonly completeInHeadings: boolean;
    readonly inlayHints: boolean;
    readonly cacheDirectory?: string;
  };
  readonly openReview: {
    readonly online: boolean;
    readonly baseUrl: string;
    readonly fallbackBaseUrl: string;
    readonly token?: string;
    /** Set when the base URLs were chosen in user settings: the server then sends the token to them even off openreview.net. */
    readonly baseUrlFromUserSettings?: boolean;
  };
}

export const frontMatterPresets = ['notes', 'jekyll', 'hugo', 'obsidian', 'none'] as const;
export type FrontMatterPreset = (typeof frontMatterPresets)[number];

export const defaultServerSettings: ServerSettings = {
  exclude: [],
  frontMatter: { preset: 'notes', schema: '.notes/schema.yaml' },
  tags: { allowed: [], inlineCompletion: false, variantHints: true, keys: ['tags', 'categories'] },
  papers: { catalogs: [], completeInHeadings: true, inlayHints: true },
  openReview: { online: true, baseUrl: 'https://api2.openreview.net', fallbackBaseUrl: 'https://api.openreview.net' },
};

/** Reads one setting below `notes.` (for example `frontMatter.preset`); undefined when unset. */
export type SettingReader = (key: string) => unknown;

/** Where a setting's value comes from, by VS Code's `inspect()`: its default, the user's settings, or a workspace. */
export type SettingOrigin = 'default' | 'user' | 'workspace';

/** The settings that choose where the OpenReview token is sent. */
export const openReviewHostSettings = ['openreview.baseUrl', 'openreview.fallbackBaseUrl'] as const;

/**
 * True when the user chose an OpenReview base URL in their own settings and no workspace sets one. Only then
 * may the server send the token to a host that is not OpenReview's (a workspace's `.vscode/settings.json`
 * could otherwise collect it; the settings are application-scoped, so VS Code ignores workspace values
 * anyway, and this keeps the server's rule independent of that).
 */
export function baseUrlFromUserSettings(origin: (key: string) => SettingOrigin): boolean {
  const origins = openReviewHostSettings.map(origin);
  return origins.includes('user') && !origins.includes('workspace');
}

/**
 * Builds the server's settings from VS Code's configuration. The OpenReview token comes from the
 * secret storage, never from settings.json, and is added only when there is one.
 */
export function toServerSettings(
  read: SettingReader,
  openReviewToken: string | undefined,
  origin?: (key: string) => SettingOrigin,
): ServerSettings {
  const defaults = defaultServerSettings;
  const preset = read('frontMatter.preset');
  const baseUrl = stringOr(read('openreview.baseUrl'), defaults.openReview.baseUrl).trim();
  const token = openReviewToken?.trim();
  const allowedFile = stringOr(read('tags.allowedFile'), '').trim();
  const tagKeys = stringArray(read('tags.keys'));
  const cacheDirectory = stringOr(read('papers.cacheDirectory'), '').trim();
  return {
    exclude: stringArray(read('exclude')),
    frontMatter: {
      preset: isPreset(preset) ? preset : defaults.frontMatter.preset,
      schema: stringOr(read('frontMatter.schema'), defaults.frontMatter.schema),
    },
    tags: {
      allowed: stringArray(read('tags.allowed')),
      ...(allowedFile !== '' ? { allowedFile } : {}),
      inlineCompletion: booleanOr(read('tags.inlineCompletion'), defaults.tags.inlineCompletion),
      variantHints: booleanOr(read('tags.variantHints'), defaults.tags.variantHints),
      // An empty list would turn tag checks off entirely; that is never what a stray edit means.
      keys: tagKeys.length > 0 ? tagKeys : [...defaults.tags.keys],
    },
    papers: {
      catalogs: stringArray(read('papers.catalogs')),
      completeInHeadings: booleanOr(read('papers.completeInHeadings'), defaults.papers.completeInHeadings),
      inlayHints: booleanOr(read('papers.inlayHints'), defaults.papers.inlayHints),
      ...(cacheDirectory !== '' ? { cacheDirectory } : {}),
    },
    openReview: {
      online: booleanOr(read('openreview.online'), defaults.openReview.online),
      // A trailing slash would make the server build "//notes" URLs.
      baseUrl: baseUrl === '' ? defaults.openReview.baseUrl : baseUrl.replace(/\/+$/, ''),
      // Empty is meaningful here: it turns the API v1 fallback off.
      fallbackBaseUrl: stringOr(read('openreview.fallbackBaseUrl'), defaults.openReview.fallbackBaseUrl).trim().replace(/\/+$/, ''),
      ...(token ? { token } : {}),
      ...(origin !== undefined && baseUrlFromUserSettings(origin) ? { baseUrlFromUserSettings: true } : {}),
    },
  };
}

/**
 * Answers a `workspace/configuration` item the way the server expects: the whole mapped `notes`
 * section for `notes`, the matching sub-object for `notes.papers` and so on, and undefined
 * (meaning "ask VS Code") for sections that are not ours.
 */
export function configurationFor(section: string | undefined, settings: ServerSettings): unknown {
  if (section === configurationSection) {
    return settings;
  }
  if (section === undefined || !section.startsWith(configurationSection + '.')) {
    return undefined;
  }
  let value: unknown = settings;
  for (const part of section.slice(configurationSection.length + 1).split('.')) {
    if (value === null || typeof value !== 'object') {
      return null;
    }
    const record = value as Record<string, unknown>;
    const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === part.toLowerCase());
    value = key === undefined ? null : record[key];
  }
  return value;
}

/** Settings that change how the server process is started: changing them needs a restart, not a notification. */
export const restartSettings = ['notes.server.path', 'notes.dotnetPath'] as const;

function isPreset(value: unknown): value is FrontMatterPreset {
  return typeof value === 'string' && (frontMatterPresets as readonly string[]).includes(value);
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function booleanOr(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/**
 * The text with every occurrence of the secret (as written, and as JSON escapes it) replaced by `(hidden)`:
 * for the trace of LSP messages, which carry the settings and with them the OpenReview token.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.trim() === '') {
    return text;
  }
  let result = text;
  for (const form of new Set([secret, secret.trim(), JSON.stringify(secret.trim()).slice(1, -1)])) {
    if (form !== '') {
      result = result.split(form).join('(hidden)');
    }
  }
  return result;
}
