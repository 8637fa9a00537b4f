// What the status bar item says. Pure so that the wording of every state is unit-tested.

/** The server's state as the client sees it. */
export type ServerStatus =
  | { readonly state: 'starting' }
  | { readonly state: 'indexing'; readonly title: string; readonly message?: string; readonly percentage?: number }
  | { readonly state: 'ready'; readonly notes?: number; readonly papers?: number }
  | { readonly state: 'stopped'; readonly reason: string };

export interface StatusView {
  readonly text: string;
  readonly tooltip: string;
  /** True when the item should draw attention (error background). */
  readonly error: boolean;
}

export function renderStatus(status: ServerStatus): StatusView {
  const click = 'Click to show the Notes output.';
  switch (status.state) {
    case 'starting':
      return { text: '$(sync~spin) Notes', tooltip: `Notes: starting the language server. ${click}`, error: false };
    case 'indexing': {
      const percentage = status.percentage === undefined ? '' : ` ${Math.max(0, Math.min(100, Math.round(status.percentage)))}%`;
      const detail = status.message ? `: ${status.message}` : '';
      return {
        text: `$(sync~spin) Notes: ${status.title}${percentage}`,
        tooltip: `Notes: ${status.title}${detail}. ${click}`,
        error: false,
      };
    }
    case 'ready': {
      const parts: string[] = [];
      if (status.notes !== undefined) {
        parts.push(count(status.notes, 'note'));
      }
      if (status.papers !== undefined) {
        parts.push(count(status.papers, 'paper'));
      }
      if (parts.length === 0) {
        return { text: '$(notebook) Notes', tooltip: `Notes: the language server is running. ${click}`, error: false };
      }
      return {
        text: `$(notebook) ${parts.join(' · ')}`,
        tooltip: `Notes: ${parts.join(' and ')} known to the language server. ${click}`,
        error: false,
      };
    }
    case 'stopped':
      return { text: '$(error) Notes', tooltip: `Notes: the language server is not running: ${status.reason} ${click}`, error: true };
  }
}

/**
 * Reads the server's optional `notes/status` notification ({ notes, papers }); fields that are
 * missing or not counts are left out rather than shown as NaN.
 */
export function parseStatusNotification(params: unknown): { notes?: number; papers?: number } {
  const result: { notes?: number; papers?: number } = {};
  if (params === null || typeof params !== 'object') {
    return result;
  }
  const record = params as Record<string, unknown>;
  if (isCount(record['notes'])) {
    result.notes = record['notes'];
  }
  if (isCount(record['papers'])) {
    result.papers = record['papers'];
  }
  return result;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
