// The server writes each log line to stderr and, once connected, sends the same line as
// window/logMessage, which the language client already shows in the Notes output channel at its
// level. Showing stderr too would print every message twice, once wrongly labelled [error].

export type StderrLevel = 'error' | 'debug';

/** The server's own log format: `[HH:mm:ss.fff level] message` (server/NotesLsp.Server/ServerLog.cs). */
const serverLogLine = /^\[\d{2}:\d{2}:\d{2}\.\d{3} (info|warn|error)\] /;

/**
 * How to show one stderr line. The server's formatted lines are duplicates of window/logMessage
 * while the connection is up: they go to the debug level (visible when the channel's level is
 * Debug). Anything else, such as a .NET runtime crash, is an error. Before the connection is up,
 * nothing arrives as window/logMessage, so every line is shown.
 */
export function stderrLevel(line: string, connected: boolean): StderrLevel {
  return connected && serverLogLine.test(line) ? 'debug' : 'error';
}
