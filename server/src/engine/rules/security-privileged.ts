// A35 `dind/security-privileged` — see the rule catalogue (spec section A, A35): a runner that makes every job's
// build container privileged (DockerLike `privileged = true`, Kubernetes `privileged = true`).

import type { EffectiveJob } from '../ci/model';
import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import type { Runner, TomlEntry, TomlTable } from '../runner/model';
import { isDindImage } from '../semantics/images';
import { firstMatch } from '../semantics/match';
import { boolEntry, executorClass, stringItems } from '../semantics/runner';
import type { Settings } from '../settings';
import type { Fix } from '../types';
import type { Rule, RunnerCheck } from './rule';

/** The allow-list the catalogue's quick-fix writes (R1): the official dind images, short and `docker.io` forms. */
export const DIND_PRIVILEGED_PATTERNS: readonly string[] = [
  'docker:dind',
  'docker:*-dind',
  'docker.io/library/docker:dind',
  'docker.io/library/docker:*-dind',
];

const ADVICE =
  'Restrict privileged to dind services (privileged = false, services_privileged = true, allowed_privileged_services), use isolated/ephemeral VMs, and limit this runner to protected branches.';

export const securityPrivileged: Rule = {
  meta: {
    id: 'dind/security-privileged',
    catalogue: 'A35',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'Runner makes build containers privileged (container breakout risk)',
    docs: 'https://docs.gitlab.com/runner/security/#usage-of-docker-executor',
    fixSafe: false,
  },

  checkRunner(check, report) {
    const { runner } = check;
    const cls = executorClass(runner);
    const section = cls === 'kubernetes' ? runner.kubernetes : cls === 'docker-like' ? runner.docker : null;
    const privileged = boolEntry(section, 'privileged');
    if (!section || !privileged?.value) return;
    const restriction = restrictingKey(section);
    const scope =
      cls === 'kubernetes'
        ? 'every container of the job pod (build, helper and services)'
        : 'build and service containers';
    const restricted = restriction
      ? ` ${restriction} limits which job images run here, which lowers the risk.`
      : ' No allowed_images/allowed_privileged_images restriction limits which images run privileged.';
    const fix =
      cls === 'kubernetes'
        ? kubernetesFix(check, runner, section)
        : dockerFix(check, runner, section, privileged.entry);
    report({
      message:
        `Runner \`${runner.label}\` sets privileged = true for ${scope}${jobsNote(check.jobs)}: privileged disables ` +
        `container security mechanisms; a job can gain root on the runner host.${restricted} ${ADVICE}`,
      file: runner.file,
      span: privileged.entry.span,
      severity: restriction ? 'info' : 'warning',
      job: null,
      fixes: fix ? [fix] : [],
    });
  },
};

/** `allowed_privileged_images` or `allowed_images` when non-empty (a restriction of what runs privileged). */
function restrictingKey(section: TomlTable): string | null {
  for (const key of ['allowed_privileged_images', 'allowed_images']) {
    if ((stringItems(section, key)?.items.length ?? 0) > 0) return key;
  }
  return null;
}

function jobsNote(jobs: readonly EffectiveJob[]): string {
  const names = [...new Set(jobs.map((j) => j.name))];
  if (names.length === 0) return '';
  const shown = names
    .slice(0, 5)
    .map((n) => `\`${n}\``)
    .join(', ');
  return ` (jobs: ${shown}${names.length > 5 ? `, and ${names.length - 5} more` : ''})`;
}

/**
 * The dind service names (expanded, as the allow-list sees them) of the runner's jobs that the standard patterns do
 * not match, so the restricted configuration keeps every dind service privileged.
 */
function extraDindNames(jobs: readonly EffectiveJob[], settings: Settings): string[] {
  const out = new Set<string>();
  for (const job of jobs) {
    for (const s of job.services) {
      if (s.ref.unresolved || !isDindImage(s.ref, settings)) continue;
      if (firstMatch(DIND_PRIVILEGED_PATTERNS, s.ref.expanded) === null) out.add(s.ref.expanded);
    }
  }
  return [...out];
}

function dockerFix(check: RunnerCheck, runner: Runner, docker: TomlTable, privileged: TomlEntry): Fix | null {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  if (!editor) return null;
  const results: EditResult[] = [editor.replaceValue(privileged, false)];
  const values: Record<string, boolean | string[]> = {};
  if (!docker.entries.has('services_privileged')) values['services_privileged'] = true;
  else results.push(editor.replaceValue(docker.entries.get('services_privileged') as TomlEntry, true));
  if ((stringItems(docker, 'allowed_privileged_services')?.items.length ?? 0) === 0) {
    const patterns = [...DIND_PRIVILEGED_PATTERNS, ...extraDindNames(check.jobs, check.settings)];
    if (docker.entries.has('allowed_privileged_services')) {
      results.push(editor.replaceValue(docker.entries.get('allowed_privileged_services') as TomlEntry, patterns));
    } else {
      values['allowed_privileged_services'] = patterns;
    }
  }
  if (Object.keys(values).length > 0) results.push(editor.setKeys(docker, values));
  const r = combineEdits(...results);
  return r.ok && r.edits.length > 0
    ? {
        title: 'Make only dind services privileged (services_privileged + allowed_privileged_services)',
        safe: false,
        preferred: true,
        edits: r.edits,
      }
    : null;
}

function kubernetesFix(check: RunnerCheck, runner: Runner, kubernetes: TomlTable): Fix | null {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  const privileged = kubernetes.entries.get('privileged');
  if (!editor || !privileged) return null;
  const ctx = kubernetes.tables.get('service_container_security_context');
  const results: EditResult[] = [editor.replaceValue(privileged, false)];
  if (!ctx || boolEntry(ctx, 'privileged') === null) {
    results.push(editor.setInTable(kubernetes, ['service_container_security_context'], { privileged: true }));
  }
  const r = combineEdits(...results);
  return r.ok && r.edits.length > 0
    ? {
        title: 'Make only service containers privileged (service_container_security_context)',
        safe: false,
        preferred: true,
        edits: r.edits,
      }
    : null;
}
