// A38 `dind/sysbox-misconfigured` — see the rule catalogue (spec section A, A38): with the Sysbox runtime, containers
// must not be privileged or share host namespaces (I14); dind then works unprivileged (B11).

import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { msg, type Msg } from '../i18n';
import type { Runner, TomlEntry, TomlTable } from '../runner/model';
import { isDindImage } from '../semantics/images';
import { boolEntry, containerRuntime, executorClass, stringEntry } from '../semantics/runner';
import type { Fix, RelatedLocation } from '../types';
import type { Report, Rule, RunnerCheck } from './rule';

/** The runtime error Sysbox gives for privileged containers or host namespaces (a sentence of every message). */
const FAILURE = msg('sysbox-misconfigured.failure');

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

  messages: {
    en: {
      'sysbox-misconfigured.failure':
        'Container creation fails with `OCI runtime create failed: ... setting up ptmx caused "remove dev/ptmx: ' +
        'device or resource busy"`.',
      'sysbox-misconfigured.old-runner':
        'Runner `{runner}` runs dind under Sysbox: GitLab Runner applies `runtime` to service containers only since ' +
        '14.4. Use Runner 14.4 or newer, or the dind service runs with runc, unprivileged, and fails to start.',
      'sysbox-misconfigured.docker-privileged':
        'Runner `{runner}` sets {key} = true with runtime = "{runtime}": Sysbox containers cannot be privileged or ' +
        'share host namespaces. {failure} Set privileged = false and remove services_privileged (dind works ' +
        'unprivileged under Sysbox).',
      'sysbox-misconfigured.docker-namespace':
        'Runner `{runner}` sets {key} = "host" with runtime = "{runtime}": Sysbox containers cannot share host ' +
        'namespaces. {failure} Remove {key}.',
      'sysbox-misconfigured.kubernetes-privileged':
        'Runner `{runner}` sets privileged = true in {table} with a Sysbox runtime_class_name: Sysbox pods cannot be ' +
        'privileged. {failure} Set privileged = false (dind works unprivileged under Sysbox).',
      'sysbox-misconfigured.fix-unprivileged':
        'Run unprivileged under Sysbox (privileged = false, remove services_privileged)',
      'sysbox-misconfigured.fix-remove-key': 'Remove {key} = "host"',
      'sysbox-misconfigured.fix-set-false': 'Set privileged = false in {table}',
    },
    'zh-cn': {
      'sysbox-misconfigured.failure':
        '容器创建会失败并报错 `OCI runtime create failed: ... setting up ptmx caused "remove dev/ptmx: device or ' +
        'resource busy"`。',
      'sysbox-misconfigured.old-runner':
        'Runner `{runner}` 在 Sysbox 下运行 dind：GitLab Runner 从 14.4 起才会将 `runtime` 应用到服务容器。请使用 ' +
        'Runner 14.4 或更高版本，否则 dind 服务会以 runc、非特权模式运行，并且无法启动。',
      'sysbox-misconfigured.docker-privileged':
        'Runner `{runner}` 在 runtime = "{runtime}" 的同时设置了 {key} = true：Sysbox 容器不能使用特权模式，也不能' +
        '共享主机命名空间。{failure}请设置 privileged = false 并删除 services_privileged（在 Sysbox 下 dind 无需特权' +
        '模式即可运行）。',
      'sysbox-misconfigured.docker-namespace':
        'Runner `{runner}` 在 runtime = "{runtime}" 的同时设置了 {key} = "host"：Sysbox 容器不能共享主机命名空间。' +
        '{failure}请删除 {key}。',
      'sysbox-misconfigured.kubernetes-privileged':
        'Runner `{runner}` 使用 Sysbox 的 runtime_class_name，却在 {table} 中设置了 privileged = true：Sysbox Pod ' +
        '不能使用特权模式。{failure}请设置 privileged = false（在 Sysbox 下 dind 无需特权模式即可运行）。',
      'sysbox-misconfigured.fix-unprivileged':
        '在 Sysbox 下以非特权模式运行（privileged = false，删除 services_privileged）',
      'sysbox-misconfigured.fix-remove-key': '删除 {key} = "host"',
      'sysbox-misconfigured.fix-set-false': '在 {table} 中设置 privileged = false',
    },
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
        message: msg('sysbox-misconfigured.old-runner', { runner: runner.label }),
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
  for (const key of ['privileged', 'services_privileged'] as const) {
    const e = boolEntry(docker, key);
    if (!e?.value) continue;
    report({
      message: msg('sysbox-misconfigured.docker-privileged', { runner: runner.label, key, runtime, failure: FAILURE }),
      file: runner.file,
      span: e.entry.span,
      job: null,
      related,
      fixes: () => {
        const fix = unprivilegedFix(check, runner, docker);
        return fix ? [fix] : [];
      },
    });
  }
  for (const key of NAMESPACE_KEYS) {
    const e = stringEntry(docker, key);
    if (!e || e.value.trim().toLowerCase() !== 'host') continue;
    report({
      message: msg('sysbox-misconfigured.docker-namespace', { runner: runner.label, key, runtime, failure: FAILURE }),
      file: runner.file,
      span: e.entry.span,
      job: null,
      related,
      fixes: () => {
        const fix = removeKeyFix(check, runner, docker, key);
        return fix ? [fix] : [];
      },
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
    const entry = e.entry;
    report({
      message: msg('sysbox-misconfigured.kubernetes-privileged', {
        runner: runner.label,
        table: name,
        failure: FAILURE,
      }),
      file: runner.file,
      span: e.entry.span,
      job: null,
      related,
      fixes: () => {
        const fix = setFalseFix(check, runner, entry, msg('sysbox-misconfigured.fix-set-false', { table: name }));
        return fix ? [fix] : [];
      },
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
        title: '',
        l10nTitle: msg('sysbox-misconfigured.fix-unprivileged'),
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
    ? {
        title: '',
        l10nTitle: msg('sysbox-misconfigured.fix-remove-key', { key }),
        safe: false,
        preferred: true,
        edits: r.edits,
      }
    : null;
}

function setFalseFix(check: RunnerCheck, runner: Runner, entry: TomlEntry, title: Msg): Fix | null {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  const r = editor?.replaceValue(entry, false);
  return r?.ok && r.edits.length > 0
    ? { title: '', l10nTitle: title, safe: false, preferred: true, edits: r.edits }
    : null;
}
