// A21 `dind/network-mode-conflict`: `[runners.docker] network_mode` set to `host` or to a pre-existing network while
// jobs run dind. `network_mode` wins over FF_NETWORK_PER_BUILD (R13), so every job's dind shares one network.

import type { EffectiveJob } from '../ci/model';
import { combineEdits } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import type { Runner } from '../runner/model';
import { executorClass, isDindImage, JobFacts, parseImageRef, stringEntry } from '../semantics';
import type { Settings } from '../settings';
import type { Fix } from '../types';
import { jobList } from './no-daemon-for-docker-commands';
import type { Rule } from './rule';

/** Network modes that are not a shared user-defined network: the default bridge, no network, another container's. */
const NOT_SHARED = new Set(['', 'bridge', 'default', 'none']);

/**
 * Jobs among `jobs` that start a dind service on `runner` (their own, or a runner-defined one). With no jobs known,
 * a runner-defined dind service alone counts as dind in use: the returned flag says so.
 */
export function dindUse(
  runner: Runner,
  jobs: readonly EffectiveJob[],
  settings: Settings,
): { jobs: EffectiveJob[]; inUse: boolean } {
  const runnerDind = runner.services.some(
    (s) => s.name !== null && isDindImage(parseImageRef(s.name, s.name), settings),
  );
  const out = jobs.filter((job) =>
    JobFacts.variants(job, runner, settings).some((facts) => facts.dindServices.length > 0),
  );
  return { jobs: out, inUse: out.length > 0 || runnerDind };
}

/** `jobs `build` and `test`` / `the runner-defined dind service`: who runs dind, for messages. */
export function dindUsers(jobs: readonly EffectiveJob[]): string {
  if (jobs.length === 0) return 'the runner-defined dind service';
  return `${jobs.length === 1 ? 'job' : 'jobs'} ${jobList(jobs)}`;
}

export const networkModeConflict: Rule = {
  meta: {
    id: 'dind/network-mode-conflict',
    catalogue: 'A21',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'With dind, `network_mode` must not be `host` or a shared network; use FF_NETWORK_PER_BUILD instead',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#network-configurations',
    fixSafe: false,
  },

  checkRunner(check, report) {
    const runner = check.runner;
    if (executorClass(runner) !== 'docker-like' || !runner.docker) return;
    const mode = stringEntry(runner.docker, 'network_mode');
    if (!mode) return;
    const value = mode.value.trim();
    if (NOT_SHARED.has(value) || value.startsWith('container:')) return;
    const use = dindUse(runner, check.jobs, check.settings);
    if (!use.inUse) return;
    const who = dindUsers(use.jobs);
    const message =
      value === 'host'
        ? `With network_mode = "host" on runner \`${runner.label}\`, dind (${who}) binds 2375/2376 on the host ` +
          'network: concurrent jobs collide (`address already in use`) and the (non-TLS) API is exposed to the host ' +
          'network. Remove network_mode and enable FF_NETWORK_PER_BUILD for a network per job.'
        : `All jobs of runner \`${runner.label}\` share network \`${value}\`; every job's dind (${who}) registers ` +
          "the alias `docker` on it, so clients can reach another job's daemon: builds land in the wrong daemon or " +
          'fail intermittently with `x509: certificate signed by unknown authority ... "docker:dind CA"`. Remove ' +
          'network_mode and enable FF_NETWORK_PER_BUILD for a network per job.';
    const fixes: Fix[] = [];
    const editor = TomlEditor.fromSources(check.sources, runner.file);
    if (editor) {
      const r = combineEdits(
        editor.removeKey(runner.docker, 'network_mode'),
        editor.setInTable(runner.table, ['feature_flags'], { FF_NETWORK_PER_BUILD: true }),
      );
      if (r.ok && r.edits.length > 0) {
        fixes.push({
          title: 'Remove `network_mode` and set `FF_NETWORK_PER_BUILD = true`',
          safe: false,
          preferred: true,
          edits: r.edits,
        });
      }
    }
    report({
      file: runner.file,
      span: mode.entry.span,
      job: use.jobs.length === 1 ? (use.jobs[0]?.name ?? null) : null,
      message,
      fixes,
    });
  },
};
