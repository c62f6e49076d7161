// Deferred fixes: a lazy analysis leaves the fixes of most findings out (they are needed only when the user asks for
// code actions); `fixesFor` computes them for one finding by re-running its rule for its job and runner.

import { dropAssumedParts, findingKey, runRule, type Analysis } from '../analyze';
import type { EffectiveJob, Pipeline } from '../ci/model';
import type { Rule } from '../rules/rule';
import type { Runner, RunnerConfig } from '../runner/model';
import { DEFAULT_SETTINGS } from '../settings';
import type { Finding, Fix } from '../types';

/** How a finding's rule ran: for a job on a runner (or none), or for a runner alone. */
export type DeferredRun =
  | {
      readonly rule: Rule;
      readonly job: EffectiveJob;
      readonly pipeline: Pipeline;
      readonly runner: Runner | null;
      readonly runnerAssumed: boolean;
      /** The jobs that run on `runner` in the pipeline. */
      readonly jobs: readonly EffectiveJob[];
    }
  | {
      readonly rule: Rule;
      readonly runner: Runner;
      readonly config: RunnerConfig;
      readonly jobs: readonly EffectiveJob[];
    };

/**
 * The fixes of `finding`, one of `analysis.findings`. A finding with deferred fixes gets them by running its rule
 * once more, eagerly and without the result cache, for its job and runner against the analysis's own sources, model
 * and settings; any other finding returns its `fixes`. Never throws: a rule failure gives no fixes.
 */
export function fixesFor(analysis: Analysis, finding: Finding): readonly Fix[] {
  if (!finding.deferredFixes) return finding.fixes;
  const key = findingKey(finding);
  const run = analysis.deferred?.get(key);
  if (!run) return [];
  const sources = analysis.sources;
  const settings = analysis.settings ?? DEFAULT_SETTINGS;
  const found: Finding[] = [];
  if ('pipeline' in run) {
    const check = {
      job: run.job,
      pipeline: run.pipeline,
      runner: run.runner,
      runnerAssumed: run.runnerAssumed,
      jobsOnRunner: run.jobs,
      sources,
      settings,
    };
    const body = (report: Parameters<NonNullable<Rule['checkJob']>>[1]): void => run.rule.checkJob?.(check, report);
    runRule(run.rule, found, run.job.file, body, run.job.name, run.runner, 'eager');
  } else {
    const check = { runner: run.runner, config: run.config, jobs: run.jobs, sources, settings };
    runRule(
      run.rule,
      found,
      run.config.file,
      (report) => run.rule.checkRunner?.(check, report),
      null,
      run.runner,
      'eager',
    );
  }
  const match = found.find((f) => findingKey(f) === key);
  return match ? dropAssumedParts(match).fixes : [];
}
