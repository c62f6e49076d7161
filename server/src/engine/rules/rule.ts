// The contract every rule implements. One rule per file, named after its id (`tls-port-mismatch.ts` ↔
// `dind/tls-port-mismatch`); the rule index (index.ts) lists them.

import type { EffectiveJob, Pipeline } from '../ci/model';
import type { Catalogs, Msg } from '../i18n';
import type { Runner, RunnerConfig } from '../runner/model';
import type { Settings } from '../settings';
import type { SourceStore } from '../sources';
import type { Fix, RelatedLocation, Severity, Span } from '../types';

export type RuleScope = 'CI' | 'TOML' | 'BOTH';

export interface RuleMeta {
  /** Public id, e.g. `dind/tls-port-mismatch`. */
  readonly id: string;
  /** Catalogue number (A1..A39). */
  readonly catalogue: string;
  readonly defaultSeverity: Severity;
  readonly scope: RuleScope;
  /** One line: what the rule checks. */
  readonly title: string;
  /** GitLab docs section that explains the correct setup. */
  readonly docs: string;
  /** Whether this rule's fixes may be applied without review (`--fix`, fix-all). */
  readonly fixSafe: boolean;
}

export interface RuleFinding {
  /** A localisable message (preferred), or English text. */
  readonly message: string | Msg;
  readonly file: string;
  readonly span: Span;
  /** Defaults to the rule's default severity (rules with two levels say which). */
  readonly severity?: Severity;
  readonly job?: string | null;
  readonly runner?: string | null;
  readonly related?: readonly RelatedLocation[];
  /**
   * The fixes, or a thunk that builds them. Reads done only to build fixes (editors, file texts) belong in the thunk:
   * the analysis calls it during the run in eager mode and not at all in lazy mode (`fixesFor` re-runs the rule).
   */
  readonly fixes?: FixList;
}

/** Fixes given at once, or deferred until asked for. */
export type FixList = readonly Fix[] | (() => readonly Fix[]);

export type Report = (finding: RuleFinding) => void;

export interface RuleEnv {
  readonly sources: SourceStore;
  readonly settings: Settings;
}

/** One job checked against one runner. `runner` is null when no runner config is known and none is assumed. */
export interface JobCheck extends RuleEnv {
  readonly job: EffectiveJob;
  readonly pipeline: Pipeline;
  readonly runner: Runner | null;
  /** True when `runner` is the assumed GitLab.com instance runner (its file is not real; do not edit it). */
  readonly runnerAssumed: boolean;
  /** The jobs that run on this runner in this pipeline (for TOML-side findings that name the affected jobs). */
  readonly jobsOnRunner: readonly EffectiveJob[];
}

export interface RunnerCheck extends RuleEnv {
  readonly runner: Runner;
  readonly config: RunnerConfig;
  /** Jobs (over all pipelines) that run on this runner. */
  readonly jobs: readonly EffectiveJob[];
}

export interface Rule {
  readonly meta: RuleMeta;
  /** The rule's message catalogue, keys prefixed with the rule's name (`tls-port-mismatch.`). */
  readonly messages?: Catalogs;
  checkJob?(check: JobCheck, report: Report): void;
  checkRunner?(check: RunnerCheck, report: Report): void;
}
