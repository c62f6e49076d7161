// A6 `dind/privileged-required` — see the rule catalogue (spec section A, A6).

import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { msg, type Msg } from '../i18n';
import type { Runner, TomlTable } from '../runner/model';
import {
  containerRuntime,
  executorClass,
  firstMatch,
  isDindImage,
  JobFacts,
  stringItems,
  type ServicePrivilege,
} from '../semantics';
import type { Fix } from '../types';
import type { JobCheck, Rule } from './rule';
import { FindingSet, realRunner, reportPair, runnerPlace } from './no-daemon-for-docker-commands';

/** The least-privilege allow-list of the catalogue (doublestar `docker:*-dind` does not match the bare `docker:dind`). */
export const DIND_PRIVILEGED_PATTERNS = [
  'docker:dind',
  'docker:*-dind',
  'docker.io/library/docker:dind',
  'docker.io/library/docker:*-dind',
] as const;

/** The dind names (after expansion) every job on the runner starts, so a new allow-list keeps them all privileged. */
export function dindNamesOnRunner(check: JobCheck, facts: JobFacts): string[] {
  const names = new Set<string>(facts.dindServices.map((s) => s.ref.expanded));
  for (const j of check.jobsOnRunner) {
    for (const s of j.services) if (isDindImage(s.ref, check.settings) && !s.ref.unresolved) names.add(s.ref.expanded);
  }
  return [...names];
}

/** Patterns to add to `allowed_privileged_services` so that every name in `names` matches. */
function missingPatterns(priv: ServicePrivilege | null, names: readonly string[], base: readonly string[]): string[] {
  const current = priv?.allowList?.patterns ?? [];
  const out = current.length > 0 ? [] : [...base];
  for (const n of names) if (firstMatch([...current, ...out], n) === null) out.push(n);
  return out;
}

/**
 * The config.toml repairs for a DockerLike runner whose privileged mode is off, least privilege first. (Privileged
 * mode on with an allow-list that misses the name is A7's finding, with its own fix.)
 */
function dockerFixes(check: JobCheck, facts: JobFacts, runner: Runner, priv: ServicePrivilege | null): Fix[] {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  if (!editor) return [];
  const names = dindNamesOnRunner(check, facts);
  const out: Fix[] = [];
  const docker = runner.docker;
  const patterns = missingPatterns(priv, names, DIND_PRIVILEGED_PATTERNS);
  const setIn = (values: Record<string, boolean>): EditResult =>
    docker ? editor.setKeys(docker, values) : editor.setInTable(runner.table, ['docker'], values);
  const hasList = stringItems(docker, 'allowed_privileged_services') !== null;
  let least: EditResult;
  if (hasList && docker) {
    least = combineEdits(
      setIn({ services_privileged: true }),
      ...patterns.map((p) => editor.appendToArray(docker, 'allowed_privileged_services', p)),
    );
  } else if (docker) {
    least = editor.setKeys(docker, { services_privileged: true, allowed_privileged_services: patterns });
  } else {
    least = editor.setInTable(runner.table, ['docker'], {
      services_privileged: true,
      allowed_privileged_services: patterns,
    });
  }
  if (least.ok) {
    out.push({
      title: '',
      l10nTitle: msg('privileged-required.fix-services-privileged'),
      safe: false,
      preferred: true,
      edits: least.edits,
    });
  }
  const sp = docker?.entries.get('services_privileged');
  const full = sp
    ? combineEdits(setIn({ privileged: true }), editor.removeKey(docker ?? runner.table, 'services_privileged'))
    : setIn({ privileged: true });
  if (full.ok && !hasList) {
    out.push({ title: '', l10nTitle: msg('privileged-required.fix-privileged'), safe: false, edits: full.edits });
  }
  return out;
}

/** The config.toml repairs for a Kubernetes runner. */
function kubernetesFixes(check: JobCheck, runner: Runner, priv: ServicePrivilege | null): Fix[] {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  const k8s = runner.kubernetes;
  if (!editor) return [];
  const out: Fix[] = [];
  const ctx = k8s?.tables.get('service_container_security_context');
  const dropEscalation = (table: TomlTable | null | undefined): EditResult[] =>
    table && table.entries.get('allow_privilege_escalation')?.value === false
      ? [editor.removeKey(table, 'allow_privilege_escalation')]
      : [];
  const ctxFix = combineEdits(
    k8s
      ? editor.setInTable(k8s, ['service_container_security_context'], { privileged: true })
      : editor.setInTable(runner.table, ['kubernetes', 'service_container_security_context'], { privileged: true }),
    ...dropEscalation(ctx),
    ...(ctx?.entries.has('allow_privilege_escalation') ? [] : dropEscalation(k8s)),
  );
  if (priv?.source !== 'service_container_security_context') {
    const global = combineEdits(
      k8s
        ? editor.setKey(k8s, 'privileged', true)
        : editor.setInTable(runner.table, ['kubernetes'], { privileged: true }),
      ...dropEscalation(k8s),
      ...dropEscalation(ctx),
    );
    if (global.ok)
      out.push({
        title: '',
        l10nTitle: msg('privileged-required.fix-kubernetes-privileged'),
        safe: false,
        preferred: true,
        edits: global.edits,
      });
  }
  if (ctxFix.ok) {
    out.push({
      title: '',
      l10nTitle: msg('privileged-required.fix-service-context-privileged'),
      safe: false,
      preferred: out.length === 0,
      edits: ctxFix.edits,
    });
  }
  return out;
}

/**
 * True when A37 `dind/rootless-misconfigured` checks this job's rootless dind services on this runner (a known Docker
 * or Kubernetes runner, the rule not turned off): one root cause, one finding per side, so A6 then defers to it.
 */
function rootlessRuleReports(check: JobCheck, cls: string): boolean {
  if (check.runnerAssumed || (cls !== 'docker-like' && cls !== 'kubernetes')) return false;
  return check.settings.rules['dind/rootless-misconfigured'] !== 'off';
}

function explain(priv: ServicePrivilege | null): Msg {
  if (priv?.source === 'service_container_security_context') return msg('privileged-required.why-service-context');
  if (priv?.source === 'services_privileged') return msg('privileged-required.why-services-privileged');
  if (priv?.source === 'privileged') return msg('privileged-required.why-privileged');
  return msg('privileged-required.why-unset');
}

export const privilegedRequired: Rule = {
  meta: {
    id: 'dind/privileged-required',
    catalogue: 'A6',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'A docker:dind service runs unprivileged on its runner',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#use-docker-in-docker-with-privileged-mode',
    fixSafe: false,
  },

  messages: {
    en: {
      'privileged-required.message':
        'docker:dind needs a privileged container, but runner `{runner}` starts services unprivileged ({why}). ' +
        'The service logs `mount: permission denied (are you root?)` and the job fails with ' +
        '`error during connect: ... dial tcp: lookup docker ... no such host`.',
      'privileged-required.message-job': 'Job `{job}`: {message}',
      'privileged-required.message-runner': '{message} Affected job: `{job}`.',
      'privileged-required.why-service-context': '`service_container_security_context` sets `privileged = false`',
      'privileged-required.why-services-privileged': '`services_privileged = false`',
      'privileged-required.why-privileged': '`privileged = false`',
      'privileged-required.why-unset': '`privileged` is not set',
      'privileged-required.fix-services-privileged':
        'Set services_privileged = true with allowed_privileged_services for dind',
      'privileged-required.fix-privileged': 'Set privileged = true',
      'privileged-required.fix-kubernetes-privileged': 'Set [runners.kubernetes] privileged = true',
      'privileged-required.fix-service-context-privileged':
        'Set [runners.kubernetes.service_container_security_context] privileged = true',
    },
    'zh-cn': {
      'privileged-required.message':
        'docker:dind 需要特权容器，但 Runner `{runner}` 以非特权模式启动服务（{why}）。' +
        '该服务会记录 `mount: permission denied (are you root?)`，作业会以 ' +
        '`error during connect: ... dial tcp: lookup docker ... no such host` 失败。',
      'privileged-required.message-job': '作业 `{job}`：{message}',
      'privileged-required.message-runner': '{message}受影响的作业：`{job}`。',
      'privileged-required.why-service-context': '`service_container_security_context` 设置了 `privileged = false`',
      'privileged-required.why-services-privileged': '设置了 `services_privileged = false`',
      'privileged-required.why-privileged': '设置了 `privileged = false`',
      'privileged-required.why-unset': '未设置 `privileged`',
      'privileged-required.fix-services-privileged':
        '为 dind 设置 services_privileged = true 并配置 allowed_privileged_services',
      'privileged-required.fix-privileged': '设置 privileged = true',
      'privileged-required.fix-kubernetes-privileged': '设置 [runners.kubernetes] privileged = true',
      'privileged-required.fix-service-context-privileged':
        '设置 [runners.kubernetes.service_container_security_context] privileged = true',
    },
  },

  checkJob(check, report) {
    const runner = check.runner;
    if (!runner) return;
    const cls = executorClass(runner);
    if (cls !== 'docker-like' && cls !== 'kubernetes' && cls !== 'unknown') return;
    if (containerRuntime(runner)?.sysbox) return;
    const real = realRunner(check);
    const rootlessOwned = rootlessRuleReports(check, cls);
    const found = new FindingSet();
    for (const facts of JobFacts.variants(check.job, runner, check.settings)) {
      for (const s of facts.dindServices) {
        if (s.ref.unresolved) continue;
        // A37 (a) reports an unprivileged rootless dind service, with the rootless allow-list as its fix.
        if (rootlessOwned && facts.isRootless(s)) continue;
        const priv = facts.privilege(s);
        if (!priv || priv.privileged || !real) continue;
        // Privileged mode is on but `allowed_privileged_services` misses the name: A7 reports that cause.
        if (priv.source === 'allow-list') continue;
        const message = msg('privileged-required.message', { runner: runner.label, why: explain(priv) });
        const fixes = () =>
          cls === 'kubernetes' ? kubernetesFixes(check, runner, priv) : dockerFixes(check, facts, runner, priv);
        const section = cls === 'kubernetes' ? runner.kubernetes : runner.docker;
        const place =
          priv.entry !== null ? { file: runner.file, span: priv.entry.span } : runnerPlace(runner, section, null);
        if (s.source === 'runner') {
          found.add({ message, file: s.name.origin.file, span: s.name.origin.span, fixes });
          continue;
        }
        reportPair(
          (f) => found.add(f),
          {
            message: msg('privileged-required.message-job', { job: check.job.name, message }),
            file: s.name.origin.file,
            span: s.name.origin.span,
            fixes,
          },
          {
            message: msg('privileged-required.message-runner', { job: check.job.name, message }),
            file: place.file,
            span: place.span,
            fixes,
          },
          `dind service of job \`${check.job.name}\``,
          `privilege setting of runner \`${runner.label}\``,
        );
      }
    }
    found.flush(report);
  },
};
