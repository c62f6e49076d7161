// A27 `dind/wait-for-services-timeout`: on DockerLike runners the service health check waits up to
// `wait_for_services_timeout` seconds (default 30; -1 disables it). Shorter than dind's startup, jobs race the daemon.

import { TomlEditor } from '../fix/toml-edit';
import { entryOf, executorClass } from '../semantics';
import type { Fix } from '../types';
import { dindUse, dindUsers } from './network-mode-conflict';
import type { Rule } from './rule';

/** The runner's default (`common.DefaultWaitForServicesTimeout`), used by the fix. */
const DEFAULT_TIMEOUT = 30;

export const waitForServicesTimeout: Rule = {
  meta: {
    id: 'dind/wait-for-services-timeout',
    catalogue: 'A27',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'With dind, `wait_for_services_timeout` must not be disabled (-1) or shorter than 30 seconds',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#how-gitlab-runner-performs-the-services-health-check',
    fixSafe: true,
  },

  checkRunner(check, report) {
    const runner = check.runner;
    if (executorClass(runner) !== 'docker-like') return;
    const entry = entryOf(runner.docker, 'wait_for_services_timeout');
    if (!entry || typeof entry.value !== 'number' || !Number.isInteger(entry.value)) return;
    const timeout = entry.value;
    if (timeout === 0 || timeout >= DEFAULT_TIMEOUT) return;
    const use = dindUse(runner, check.jobs, check.settings);
    if (!use.inUse) return;
    const what =
      timeout < 0
        ? `wait_for_services_timeout = ${timeout} disables the service health check`
        : `wait_for_services_timeout = ${timeout} waits only ${timeout} s for services`;
    const message =
      `On runner \`${runner.label}\`, ${what}: the runner will not wait for dind (${dindUsers(use.jobs)}) to ` +
      'listen, so the job may start before the daemon is ready (dind generates 4096-bit TLS keys at startup, plus ' +
      '~16 s without TLS) and fail with `Cannot connect to the Docker daemon...` after ' +
      "`*** WARNING: Service ... probably didn't start properly.`. Use the default 30 s or more, or wait in the job: " +
      '`before_script: - until docker info; do sleep 1; done`.';
    const fixes: Fix[] = [];
    const editor = TomlEditor.fromSources(check.sources, runner.file);
    const r = editor?.replaceValue(entry, DEFAULT_TIMEOUT);
    if (r?.ok && r.edits.length > 0) {
      fixes.push({
        title: `Set \`wait_for_services_timeout = ${DEFAULT_TIMEOUT}\``,
        safe: true,
        preferred: true,
        edits: r.edits,
      });
    }
    report({
      file: runner.file,
      span: entry.span,
      job: use.jobs.length === 1 ? (use.jobs[0]?.name ?? null) : null,
      message,
      fixes,
    });
  },
};
