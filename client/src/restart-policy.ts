// When the language server's connection closes unexpectedly: restart it, tell the user once per streak of crashes,
// and give up after too many crashes in a short time. Pure (no `vscode`), so node:test exercises it directly.

export interface RestartPolicyOptions {
  /** Crashes tolerated within `windowMs`; one more stops the server. */
  readonly maxRestarts: number;
  readonly windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = { maxRestarts: 4, windowMs: 3 * 60_000 };

export type CrashDecision =
  /** Restart; `notify` is true for the first crash of a streak (the only one the user is told about). */
  | { readonly action: 'restart'; readonly notify: boolean; readonly crashes: number }
  /** Too many crashes within the window: leave the server stopped and tell the user how to restart it. */
  | { readonly action: 'stop'; readonly crashes: number };

export class RestartPolicy {
  /** Times of the crashes of the current streak (those within the window of the latest one). */
  private crashes: number[] = [];

  constructor(
    private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** The server's connection closed without a stop being asked for. */
  crashed(): CrashDecision {
    const at = this.now();
    this.crashes = this.crashes.filter((t) => at - t < this.options.windowMs);
    this.crashes.push(at);
    const crashes = this.crashes.length;
    if (crashes > this.options.maxRestarts) {
      this.crashes = [];
      return { action: 'stop', crashes };
    }
    return { action: 'restart', notify: crashes === 1, crashes };
  }

  /** The user restarted the server: a new streak begins. */
  reset(): void {
    this.crashes = [];
  }
}
