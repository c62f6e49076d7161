// A small check runner for the extension host. Checks run in order (later ones build on the workspace state earlier
// ones leave). A check either passes, fails, or reports that the feature it exercises is not implemented yet; the
// last is listed separately and never counted as passed.
import { appendFileSync } from 'node:fs';
import * as vscode from 'vscode';

/** Thrown by a check whose feature is genuinely not implemented yet (detected, not assumed). */
export class NotYetAvailable extends Error {}

export type Status = 'passed' | 'failed' | 'not-available';

export interface CheckResult {
  readonly name: string;
  readonly status: Status;
  readonly ms: number;
  readonly detail?: string;
}

export interface Check {
  readonly name: string;
  /** Resolves when the check passed, with a detail worth reporting (a measurement) or nothing. */
  run(): Promise<string | void>;
}

/** A check that hangs (a modal prompt, a lost response) fails after this long instead of stalling the suite. */
const CHECK_TIMEOUT_MS = 60_000;

/** Environment variable naming a JSON-lines file the harness reads while the suite runs. */
export const REPORT_ENV = 'GITLAB_CI_DIND_E2E_REPORT';

function emit(result: CheckResult | { readonly summary: Record<Status, number> }): void {
  const line = JSON.stringify(result);
  const file = process.env[REPORT_ENV];
  if (file) appendFileSync(file, `${line}\n`);
  else console.log(line);
}

/** Runs every check and rejects when one failed (the host then exits non-zero). */
export async function runChecks(checks: readonly Check[]): Promise<void> {
  const counts: Record<Status, number> = { passed: 0, failed: 0, 'not-available': 0 };
  for (const check of checks) {
    const started = Date.now();
    let status: Status = 'passed';
    let detail: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const reported = await Promise.race([
        check.run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the check did not finish within ${CHECK_TIMEOUT_MS} ms`)),
            CHECK_TIMEOUT_MS,
          );
        }),
      ]);
      if (typeof reported === 'string') detail = reported;
    } catch (e) {
      status = e instanceof NotYetAvailable ? 'not-available' : 'failed';
      detail = e instanceof Error ? e.message : String(e);
    } finally {
      clearTimeout(timer);
    }
    counts[status]++;
    emit({ name: check.name, status, ms: Date.now() - started, ...(detail !== undefined ? { detail } : {}) });
  }
  emit({ summary: counts });
  if (counts.failed > 0) throw new Error(`${counts.failed} e2e check(s) failed`);
  if (counts.passed === 0) throw new Error('no e2e check passed');
}

/** Polls `probe` until it returns a value other than undefined, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await nextDiagnosticsChange(Math.min(250, deadline - Date.now() + 1));
  }
}

/** Resolves on the next diagnostics change, or after `ms` at the latest (so non-diagnostic probes are re-polled). */
function nextDiagnosticsChange(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(ms, 1));
    const sub = vscode.languages.onDidChangeDiagnostics(done);
    function done(): void {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
