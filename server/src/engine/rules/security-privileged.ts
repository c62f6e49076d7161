// A35 `dind/security-privileged` — see the rule catalogue (spec section A, A35): a runner that makes every job's
// build container privileged (DockerLike `privileged = true`, Kubernetes `privileged = true`).

import type { EffectiveJob } from '../ci/model';
import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { msg, type MsgParam } from '../i18n';
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

  messages: {
    en: {
      'security-privileged.message':
        'Runner `{runner}` sets privileged = true for {scope}{jobs}: privileged disables container security ' +
        'mechanisms; a job can gain root on the runner host. {restriction} Restrict privileged to dind services ' +
        '(privileged = false, services_privileged = true, allowed_privileged_services), use isolated/ephemeral VMs, ' +
        'and limit this runner to protected branches.',
      'security-privileged.scope-kubernetes': 'every container of the job pod (build, helper and services)',
      'security-privileged.scope-docker': 'build and service containers',
      'security-privileged.jobs': ' (jobs: {names})',
      'security-privileged.jobs-more': ' (jobs: {names}, and {more} more)',
      'security-privileged.restricted': '{key} limits which job images run here, which lowers the risk.',
      'security-privileged.unrestricted':
        'No allowed_images/allowed_privileged_images restriction limits which images run privileged.',
      'security-privileged.fix-docker':
        'Make only dind services privileged (services_privileged + allowed_privileged_services)',
      'security-privileged.fix-kubernetes':
        'Make only service containers privileged (service_container_security_context)',
    },
    'zh-cn': {
      'security-privileged.message':
        'Runner `{runner}` 为{scope}{jobs}设置了 privileged = true：特权模式会禁用容器的安全机制，作业可以借此获得 ' +
        'Runner 主机的 root 权限。{restriction}请只为 dind 服务启用特权模式（privileged = false、' +
        'services_privileged = true、allowed_privileged_services），使用隔离的/临时的虚拟机，并将此 Runner 限制为' +
        '只运行受保护分支。',
      'security-privileged.scope-kubernetes': '作业 Pod 中的所有容器（构建、helper 和服务容器）',
      'security-privileged.scope-docker': '构建容器和服务容器',
      'security-privileged.jobs': '（作业：{names}）',
      'security-privileged.jobs-more': '（作业：{names}，以及另外 {more} 个）',
      'security-privileged.restricted': '{key} 限制了可在此运行的作业镜像，这降低了风险。',
      'security-privileged.unrestricted': '没有 allowed_images/allowed_privileged_images 限制哪些镜像以特权模式运行。',
      'security-privileged.fix-docker':
        '只让 dind 服务以特权模式运行（services_privileged + allowed_privileged_services）',
      'security-privileged.fix-kubernetes': '只让服务容器以特权模式运行（service_container_security_context）',
    },
  },

  checkRunner(check, report) {
    const { runner } = check;
    const cls = executorClass(runner);
    const section = cls === 'kubernetes' ? runner.kubernetes : cls === 'docker-like' ? runner.docker : null;
    const privileged = boolEntry(section, 'privileged');
    if (!section || !privileged?.value) return;
    const restriction = restrictingKey(section);
    const scope =
      cls === 'kubernetes' ? msg('security-privileged.scope-kubernetes') : msg('security-privileged.scope-docker');
    const restricted = restriction
      ? msg('security-privileged.restricted', { key: restriction })
      : msg('security-privileged.unrestricted');
    const fix = () =>
      cls === 'kubernetes'
        ? kubernetesFix(check, runner, section)
        : dockerFix(check, runner, section, privileged.entry);
    report({
      message: msg('security-privileged.message', {
        runner: runner.label,
        scope,
        jobs: jobsNote(check.jobs),
        restriction: restricted,
      }),
      file: runner.file,
      span: privileged.entry.span,
      severity: restriction ? 'info' : 'warning',
      job: null,
      fixes: () => {
        const f = fix();
        return f ? [f] : [];
      },
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

/** ` (jobs: `a`, `b`)` after the scope, or nothing without jobs. */
function jobsNote(jobs: readonly EffectiveJob[]): MsgParam {
  const names = new Set<string>();
  for (const j of jobs) names.add(j.name);
  if (names.size === 0) return '';
  const first: string[] = [];
  for (const n of names) {
    if (first.length === 5) break;
    first.push(`\`${n}\``);
  }
  const shown = first.join(', ');
  return names.size > 5
    ? msg('security-privileged.jobs-more', { names: shown, more: names.size - 5 })
    : msg('security-privileged.jobs', { names: shown });
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
        title: '',
        l10nTitle: msg('security-privileged.fix-docker'),
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
        title: '',
        l10nTitle: msg('security-privileged.fix-kubernetes'),
        safe: false,
        preferred: true,
        edits: r.edits,
      }
    : null;
}
