// When the server process dies, whether the client starts it again. Pure so that it is unit-tested.
//
// vscode-languageclient's default handler shuts the client down for good after the fourth failed
// write: a server killed while the editor is sending (a burst of didChange, file events, progress)
// then never comes back, although the crash is the same as one killed while idle. Here write errors
// never decide anything; only the closed connection does, counted like the default handler counts it.

export type CrashDecision = { readonly restart: true; readonly message: string } | { readonly restart: false; readonly message: string };

export class CrashPolicy {
  private crashes: number[] = [];

  /**
   * @param maxRestarts restarts allowed within `windowMs`; one crash more and the server stays stopped.
   * @param now the clock, injectable for tests.
   */
  constructor(
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The connection to the server closed without the client asking for it. */
  onClosed(): CrashDecision {
    const at = this.now();
    this.crashes = [...this.crashes.filter((t) => at - t < this.windowMs), at];
    if (this.crashes.length <= this.maxRestarts) {
      return { restart: true, message: `The Notes language server stopped unexpectedly; starting it again (${this.crashes.length} of ${this.maxRestarts} restarts in ${this.windowMinutes()} minutes).` };
    }
    return {
      restart: false,
      message: `The Notes language server stopped ${this.crashes.length} times in ${this.windowMinutes()} minutes and was not started again. Run "Notes: Restart Server" to start it; the Notes output shows why it stopped.`,
    };
  }

  /** A restart the user asked for starts the count afresh. */
  reset(): void {
    this.crashes = [];
  }

  private windowMinutes(): number {
    return Math.round(this.windowMs / 60_000);
  }
}
