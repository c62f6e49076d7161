// A38 `dind/sysbox-misconfigured` — see the rule catalogue (spec section A, A38): with the Sysbox runtime, containers
// must not be privileged or share host namespaces (I14); dind then works unprivileged (B11).

import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import type { Runner, TomlEntry, TomlTable } from '../runner/model';
import { isDindImage } from '../semantics/images';
import { boolEntry, containerRuntime, executorClass, stringEntry } from '../semantics/runner';
import type { Fix, RelatedLocation } from '../types';
import type { Report, Rule, RunnerCheck } from './rule';

const FAILURE =
  'Container creation fails with `OCI runtime create failed: ... setting up ptmx caused "remove dev/ptmx: device or resource busy"`.';

const NAMESPACE_KEYS = ['network_mode', 'userns_mode', 'pid_mode'] as const;

const K8S_CONTEXTS = [
  'build_container_security_context',
  'service_container_security_context',
  'helper_container_security_context',
] as const;

export const sysboxMisconfigured: Rule = {
  meta: {
    id: 'dind/sysbox-misconfigured',
    catalogue: 'A38',
    defaultSeverity: 'error',
    scope: 'TOML',
    title: 'Sysbox runtime combined with privileged mode or host namespaces',
    docs: 'https://docs.gitlab.com/runner/configuration/advanced-configuration/#the-runnersdocker-section',
    fixSafe: false,
  },

  checkRunner(check, report) {
    const { runner } = check;
    const runtime = containerRuntime(runner);
    if (!runtime?.sysbox) return;
    const cls = executorClass(runner);
    const at = runtime.origin;
    const runtimeSpan = { start: at.keySpan?.start ?? at.span.start, end: at.span.end };
    const related: RelatedLocation[] = [
      { file: runner.file, span: runtimeSpan, message: `Sysbox runtime \`${runtime.value}\` set here.` },
    ];
    if (cls === 'kubernetes') checkKubernetes(check, runner, related, report);
    else if (cls === 'docker-like') checkDocker(check, runner, runtime.value, related, report);
    else return;
    if (cls === 'docker-like' && check.jobs.some((j) => j.services.some((s) => isDindImage(s.ref, check.settings)))) {
      report({
        message:
          `Runner \`${runner.label}\` runs dind under Sysbox: GitLab Runner applies \`runtime\` to service containers ` +
          'only since 14.4. Use Runner 14.4 or newer, or the dind service runs with runc, unprivileged, and fails to start.',
        file: runner.file,
        span: runtimeSpan,
        severity: 'info',
        job: null,
      });
    }
  },
};

function checkDocker(
  check: RunnerCheck,
  runner: Runner,
  runtime: string,
  related: readonly RelatedLocation[],
  report: Report,
): void {
  const docker = runner.docker;
  if (!docker) return;
  const unprivileged = unprivilegedFix(check, runner, docker);
  for (const key of ['privileged', 'services_privileged'] as const) {
    const e = boolEntry(docker, key);
    if (!e?.value) continue;
    report({
      message:
        `Runner \`${runner.label}\` sets ${key} = true with runtime = "${runtime}": Sysbox containers cannot be ` +
        `privileged or share host namespaces. ${FAILURE} Set privileged = false and remove services_privileged ` +
        '(dind works unprivileged under Sysbox).',
      file: runner.file,
      span: e.entry.span,
      job: null,
      related,
      fixes: unprivileged ? [unprivileged] : [],
    });
  }
  for (const key of NAMESPACE_KEYS) {
    const e = stringEntry(docker, key);
    if (!e || e.value.trim().toLowerCase() !== 'host') continue;
    const fix = removeKeyFix(check, runner, docker, key);
    report({
      message:
        `Runner \`${runner.label}\` sets ${key} = "host" with runtime = "${runtime}": Sysbox containers cannot share ` +
        `host namespaces. ${FAILURE} Remove ${key}.`,
      file: runner.file,
      span: e.entry.span,
      job: null,
      related,
      fixes: fix ? [fix] : [],
    });
  }
}

function checkKubernetes(
  check: RunnerCheck,
  runner: Runner,
  related: readonly RelatedLocation[],
  report: Report,
): void {
  const k8s = runner.kubernetes;
  if (!k8s) return;
  const places: { table: TomlTable; name: string }[] = [{ table: k8s, name: '[runners.kubernetes]' }];
  for (const ctx of K8S_CONTEXTS) {
    const t = k8s.tables.get(ctx);
    if (t) places.push({ table: t, name: `[runners.kubernetes.${ctx}]` });
  }
  for (const { table, name } of places) {
    const e = boolEntry(table, 'privileged');
    if (!e?.value) continue;
    const fix = setFalseFix(check, runner, e.entry, `Set privileged = false in ${name}`);
    report({
      message:
        `Runner \`${runner.label}\` sets privileged = true in ${name} with a Sysbox runtime_class_name: Sysbox pods ` +
        `cannot be privileged. ${FAILURE} Set privileged = false (dind works unprivileged under Sysbox).`,
      file: runner.file,
      span: e.entry.span,
      job: null,
      related,
      fixes: fix ? [fix] : [],
    });
  }
}

/** `privileged = false` and no `services_privileged` (B11). */
function unprivilegedFix(check: RunnerCheck, runner: Runner, docker: TomlTable): Fix | null {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  if (!editor) return null;
  const results: EditResult[] = [];
  const p = docker.entries.get('privileged');
  if (p && p.value !== false) results.push(editor.replaceValue(p, false));
  if (docker.entries.has('services_privileged')) results.push(editor.removeKey(docker, 'services_privileged'));
  const r = combineEdits(...results);
  return r.ok && r.edits.length > 0
    ? {
        title: 'Run unprivileged under Sysbox (privileged = false, remove services_privileged)',
        safe: false,
        preferred: true,
        edits: r.edits,
      }
    : null;
}

function removeKeyFix(check: RunnerCheck, runner: Runner, table: TomlTable, key: string): Fix | null {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  const r = editor?.removeKey(table, key);
  return r?.ok && r.edits.length > 0
    ? { title: `Remove ${key} = "host"`, safe: false, preferred: true, edits: r.edits }
    : null;
}

function setFalseFix(check: RunnerCheck, runner: Runner, entry: TomlEntry, title: string): Fix | null {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  const r = editor?.replaceValue(entry, false);
  return r?.ok && r.edits.length > 0 ? { title, safe: false, preferred: true, edits: r.edits } : null;
}
