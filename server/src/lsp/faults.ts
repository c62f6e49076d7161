// Faults the engine caught (`dind/internal-error` findings) reach the server's log once per failing rule, so a
// broken rule is visible to whoever reads the output channel without flooding it on every keystroke.

import { isMsg, MODEL_FINDINGS, type Finding } from '../engine/index';

/** Distinct faults remembered; past this, new ones are no longer logged (memory stays bounded). */
export const MAX_LOGGED_FAULTS = 200;

export class FaultLog {
  private readonly logged = new Set<string>();

  constructor(private readonly log: (message: string) => void) {}

  /** Logs each internal error of `findings` whose rule (or, for the engine's own faults, message) is new. */
  report(findings: readonly Finding[]): void {
    for (const f of findings) {
      if (f.ruleId !== MODEL_FINDINGS.internalError.id) continue;
      const rule = failedRule(f);
      const key = rule ?? `engine: ${f.message}`;
      if (this.logged.has(key) || this.logged.size >= MAX_LOGGED_FAULTS) continue;
      this.logged.add(key);
      const what = rule === undefined ? 'the checker' : `rule ${rule}`;
      this.log(`Internal error in ${what} (reported once; other rules keep reporting) at ${f.file}: ${f.message}`);
    }
  }
}

/** The rule an internal-error finding names (`core.rule-failed`), if it came from a rule. */
export function failedRule(f: Finding): string | undefined {
  const detail = f.l10n?.params?.detail;
  if (!isMsg(detail) || detail.key !== 'core.rule-failed') return undefined;
  const rule = detail.params?.rule;
  return typeof rule === 'string' ? rule : undefined;
}
