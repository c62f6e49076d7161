// A26 `dind/k8s-healthcheck-port`: on Kubernetes the runner waits for a service only on the ports listed in the
// service's own `HEALTHCHECK_TCP_PORT` (R16 reads `service.Variables`; a job-level variable does not count). Without
// it the job races the daemon; with a port the daemon does not listen on, the job blocks until its timeout.

import type { EffectiveJob, Variable } from '../ci/model';
import { combineEdits, edit, edited, failed, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { tomlString } from '../fix/toml-format';
import { YamlEditor } from '../fix/yaml-edit';
import { msg, type Msg, type MsgParam } from '../i18n';
import type { Runner } from '../runner/model';
import { executorClass, JobFacts, tcpPorts, type Svc } from '../semantics';
import type { Settings } from '../settings';
import type { Fix } from '../types';
import { jobNames } from './lists';
import { FindingSet, realRunner, runnerPlace, type Place } from './no-daemon-for-docker-commands';
import type { Rule, RuleEnv } from './rule';

const HEALTHCHECK = 'HEALTHCHECK_TCP_PORT';

interface HealthProblem {
  readonly kind: 'missing' | 'wrong';
  readonly svc: Svc;
  /** The port the daemon listens on (what the variable should say), or null when unknown. */
  readonly port: number | null;
  /** The daemon's TLS state as far as it decides the port. */
  readonly tls: boolean | null;
  /** The service-level variable (kind `wrong`). */
  readonly variable: Variable | null;
  /** The variable's value after expansion (kind `wrong`). */
  readonly value: string | null;
  /** Where the finding lands: the variable (wrong) or the service's name (missing). */
  readonly place: Place;
}

/** The service-level HEALTHCHECK_TCP_PORT problems of a job on a Kubernetes runner (none on other executors). */
function healthProblems(job: EffectiveJob, runner: Runner, settings: Settings): HealthProblem[] {
  if (executorClass(runner) !== 'kubernetes') return [];
  const out: HealthProblem[] = [];
  const seen = new Set<string>();
  for (const facts of JobFacts.variants(job, runner, settings)) {
    for (const s of facts.dindServices) {
      const d = facts.daemon(s);
      const ports = tcpPorts(d);
      const port = d.entrypointPort ?? ports[0] ?? null;
      const variable = s.variables.get(HEALTHCHECK) ?? null;
      let problem: HealthProblem | null = null;
      if (!variable) {
        problem = {
          kind: 'missing',
          svc: s,
          port,
          tls: d.tls,
          variable: null,
          value: null,
          place: { file: s.name.origin.file, span: s.name.origin.span },
        };
      } else {
        const expanded = variable.expand
          ? facts.serviceScope(s).expand(variable.value)
          : { value: variable.value, unresolved: [] };
        const value = expanded.value.trim();
        if (expanded.unresolved.length === 0 && port !== null && !ports.includes(Number(value))) {
          problem = {
            kind: 'wrong',
            svc: s,
            port,
            tls: d.tls,
            variable,
            value,
            place: { file: variable.origin.file, span: variable.origin.span },
          };
        }
      }
      if (!problem) continue;
      const key = `${problem.kind}\0${problem.place.file}\0${problem.place.span.start}\0${problem.port ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(problem);
    }
  }
  return out;
}

/** Adds `HEALTHCHECK_TCP_PORT` to a service where it is defined (YAML `variables:`, or the TOML `environment`). */
function addHealthcheck(env: RuleEnv, s: Svc, port: number): EditResult {
  if (s.source === 'runner') {
    const editor = TomlEditor.fromSources(env.sources, s.origin.file);
    if (!editor || !s.runnerService) return failed('no runner table');
    return editor.appendToArray(s.runnerService.table, 'environment', `${HEALTHCHECK}=${port}`);
  }
  const editor = YamlEditor.fromSources(env.sources, s.origin.file);
  if (!editor) return failed('file not parsed');
  return editor.setItemKeysAt(s.origin.span, { variables: { [HEALTHCHECK]: String(port) } });
}

/** Replaces the value of a service-level `HEALTHCHECK_TCP_PORT` (YAML scalar, or the TOML `"K=V"` item). */
function setHealthcheck(env: RuleEnv, s: Svc, variable: Variable, port: number): EditResult {
  const file = variable.origin.file;
  if (s.source === 'runner') {
    const f = env.sources.file(file);
    if (!f) return failed('file not read');
    const literal = f.text.startsWith("'", variable.origin.span.start);
    return edited([
      edit(file, variable.origin.span, tomlString(`${HEALTHCHECK}=${port}`, literal ? 'literal' : 'basic')),
    ]);
  }
  const editor = YamlEditor.fromSources(env.sources, file);
  const node = editor?.locate(variable.origin.span)?.node;
  if (!editor || !node) return failed('variable not found');
  return editor.replaceScalar(node, String(port));
}

function fixOf(title: Msg, result: EditResult): Fix[] {
  const r = combineEdits(result);
  return r.ok && r.edits.length > 0
    ? [{ title: '', l10nTitle: title, safe: true, preferred: true, edits: r.edits }]
    : [];
}

function portNote(tls: boolean | null, port: number | null): MsgParam {
  if (port === null) return msg('k8s-healthcheck-port.ports-unknown');
  if (tls === null) return String(port);
  return tls ? msg('k8s-healthcheck-port.port-tls-on', { port }) : msg('k8s-healthcheck-port.port-tls-off', { port });
}

/** What to add for a missing health check: the TOML `environment` item or the YAML `variables:` entry. */
function missingTodo(p: HealthProblem, jobLevel: boolean): Msg {
  if (p.svc.source === 'runner') {
    const port = p.port ?? 2376;
    return jobLevel
      ? msg('k8s-healthcheck-port.todo-environment-job-level', { port })
      : msg('k8s-healthcheck-port.todo-environment', { port });
  }
  const value = p.port === null ? msg('k8s-healthcheck-port.value-either') : `"${p.port}"`;
  return jobLevel
    ? msg('k8s-healthcheck-port.todo-variables-job-level', { value })
    : msg('k8s-healthcheck-port.todo-variables', { value });
}

function ciMessage(p: HealthProblem, job: string, runner: string, jobLevel: boolean): Msg {
  const service = p.svc.name.value;
  if (p.kind === 'missing') {
    return msg('k8s-healthcheck-port.missing', {
      service,
      runner,
      job,
      port: p.port ?? 2375,
      todo: missingTodo(p, jobLevel),
    });
  }
  return msg('k8s-healthcheck-port.wrong', {
    service,
    value: p.value ?? '',
    ports: portNote(p.tls, p.port),
    runner,
    job,
    port: p.port ?? '',
  });
}

export const k8sHealthcheckPort: Rule = {
  meta: {
    id: 'dind/k8s-healthcheck-port',
    catalogue: 'A26',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'On Kubernetes, a dind service needs a service-level HEALTHCHECK_TCP_PORT equal to the port dind listens on',
    docs: 'https://docs.gitlab.com/runner/executors/kubernetes/#define-a-list-of-services',
    fixSafe: true,
  },

  messages: {
    en: {
      'k8s-healthcheck-port.missing':
        "Service `{service}` has no service-level HEALTHCHECK_TCP_PORT, so the Kubernetes executor (runner `{runner}`) doesn't " +
        'wait for dind: early docker commands in job `{job}` race the daemon and fail with `Cannot connect to the ' +
        'Docker daemon at tcp://docker:{port}. Is the docker daemon running?`. {todo}',
      'k8s-healthcheck-port.todo-environment': "Add `HEALTHCHECK_TCP_PORT={port}` to the service's `environment`.",
      'k8s-healthcheck-port.todo-environment-job-level':
        "Add `HEALTHCHECK_TCP_PORT={port}` to the service's `environment` (the job-level HEALTHCHECK_TCP_PORT does " +
        'not count: the runner reads the service variables).',
      'k8s-healthcheck-port.todo-variables': "Add `HEALTHCHECK_TCP_PORT: {value}` to the service's `variables:`.",
      'k8s-healthcheck-port.todo-variables-job-level':
        "Add `HEALTHCHECK_TCP_PORT: {value}` to the service's `variables:` (the job-level HEALTHCHECK_TCP_PORT does " +
        'not count: the runner reads the service variables).',
      'k8s-healthcheck-port.value-either': '"2376" (TLS) or "2375" (no TLS)',
      'k8s-healthcheck-port.wrong':
        'The health check of service `{service}` waits on port {value}, but dind listens on {ports}: the Kubernetes ' +
        'executor (runner `{runner}`) waits for every listed port with no timeout of its own, so job `{job}` blocks ' +
        'until the job timeout. Set HEALTHCHECK_TCP_PORT to "{port}".',
      'k8s-healthcheck-port.ports-unknown': '2376 with TLS, 2375 without',
      'k8s-healthcheck-port.port-tls-on': '{port}, TLS on',
      'k8s-healthcheck-port.port-tls-off': '{port}, TLS off',
      'k8s-healthcheck-port.fix-add': 'Add `HEALTHCHECK_TCP_PORT: "{port}"` to service `{service}`',
      'k8s-healthcheck-port.fix-set': 'Set HEALTHCHECK_TCP_PORT of service `{service}` to "{port}"',
      'k8s-healthcheck-port.runner-missing':
        'Runner `{runner}` (Kubernetes) runs dind for {jobs} without a service-level HEALTHCHECK_TCP_PORT: the ' +
        "executor doesn't wait for the daemon, so early docker commands fail with `Cannot connect to the Docker " +
        "daemon`. Set it in the dind service's `variables:` in .gitlab-ci.yml.",
      'k8s-healthcheck-port.runner-wrong':
        'Runner `{runner}` (Kubernetes) waits for dind of {jobs} on a port the daemon does not listen on: those jobs ' +
        'block until their timeout. Fix HEALTHCHECK_TCP_PORT on the dind service.',
    },
    'zh-cn': {
      'k8s-healthcheck-port.missing':
        '服务 `{service}` 没有服务级别的 HEALTHCHECK_TCP_PORT，因此 Kubernetes 执行器（Runner `{runner}`）不会等待 ' +
        'dind 就绪：作业 `{job}` 中较早执行的 docker 命令会与守护进程的启动竞争，并失败报错 `Cannot connect to the ' +
        'Docker daemon at tcp://docker:{port}. Is the docker daemon running?`。{todo}',
      'k8s-healthcheck-port.todo-environment': '请在该服务的 `environment` 中添加 `HEALTHCHECK_TCP_PORT={port}`。',
      'k8s-healthcheck-port.todo-environment-job-level':
        '请在该服务的 `environment` 中添加 `HEALTHCHECK_TCP_PORT={port}`（作业级别的 HEALTHCHECK_TCP_PORT 不起作用：' +
        'Runner 只读取服务的变量）。',
      'k8s-healthcheck-port.todo-variables': '请在该服务的 `variables:` 中添加 `HEALTHCHECK_TCP_PORT: {value}`。',
      'k8s-healthcheck-port.todo-variables-job-level':
        '请在该服务的 `variables:` 中添加 `HEALTHCHECK_TCP_PORT: {value}`（作业级别的 HEALTHCHECK_TCP_PORT 不起作用：' +
        'Runner 只读取服务的变量）。',
      'k8s-healthcheck-port.value-either': '"2376"（TLS）或 "2375"（无 TLS）',
      'k8s-healthcheck-port.wrong':
        '服务 `{service}` 的健康检查等待端口 {value}，但 dind 监听的是 {ports}：Kubernetes 执行器（Runner ' +
        '`{runner}`）会等待列出的每个端口，且自身没有超时，因此作业 `{job}` 会一直阻塞到作业超时。请将 ' +
        'HEALTHCHECK_TCP_PORT 设置为 "{port}"。',
      'k8s-healthcheck-port.ports-unknown': '2376（启用 TLS）或 2375（未启用 TLS）',
      'k8s-healthcheck-port.port-tls-on': '{port}（TLS 已开启）',
      'k8s-healthcheck-port.port-tls-off': '{port}（TLS 已关闭）',
      'k8s-healthcheck-port.fix-add': '为服务 `{service}` 添加 `HEALTHCHECK_TCP_PORT: "{port}"`',
      'k8s-healthcheck-port.fix-set': '将服务 `{service}` 的 HEALTHCHECK_TCP_PORT 设置为 "{port}"',
      'k8s-healthcheck-port.runner-missing':
        'Runner `{runner}`（Kubernetes）为 {jobs} 运行 dind，但没有服务级别的 HEALTHCHECK_TCP_PORT：执行器不会等待' +
        '守护进程就绪，因此较早执行的 docker 命令会失败并报错 `Cannot connect to the Docker daemon`。请在 ' +
        '.gitlab-ci.yml 中 dind 服务的 `variables:` 里设置它。',
      'k8s-healthcheck-port.runner-wrong':
        'Runner `{runner}`（Kubernetes）在 dind 未监听的端口上等待 {jobs} 的 dind：这些作业会一直阻塞到超时。请修正 ' +
        'dind 服务上的 HEALTHCHECK_TCP_PORT。',
    },
  },

  checkJob(check, report) {
    const runner = check.runner;
    if (!runner) return;
    const real = realRunner(check);
    const tomlPlace = real ? runnerPlace(real, real.table, 'executor') : null;
    const jobLevel = check.job.variables.has(HEALTHCHECK);
    const found = new FindingSet();
    for (const p of healthProblems(check.job, runner, check.settings)) {
      const names = { service: p.svc.name.value, port: p.port ?? '' };
      const title =
        p.kind === 'missing' ? msg('k8s-healthcheck-port.fix-add', names) : msg('k8s-healthcheck-port.fix-set', names);
      const result = (): EditResult =>
        p.port === null
          ? failed('port unknown')
          : p.kind === 'missing'
            ? addHealthcheck(check, p.svc, p.port)
            : p.variable
              ? setHealthcheck(check, p.svc, p.variable, p.port)
              : failed('no variable');
      const related =
        tomlPlace && p.svc.source === 'job' && p.place.file !== tomlPlace.file
          ? [{ ...tomlPlace, message: `Runner \`${runner.label}\` uses the Kubernetes executor` }]
          : [];
      found.add({
        file: p.place.file,
        span: p.place.span,
        severity: p.kind === 'missing' ? 'warning' : 'error',
        message: ciMessage(p, check.job.name, runner.label, jobLevel),
        related,
        fixes: () => fixOf(title, result()),
      });
    }
    found.flush(report);
  },

  checkRunner(check, report) {
    const runner = check.runner;
    if (executorClass(runner) !== 'kubernetes') return;
    const place = runnerPlace(runner, runner.table, 'executor');
    const byKind = new Map<'missing' | 'wrong', { jobs: EffectiveJob[]; related: Place[] }>();
    for (const job of check.jobs) {
      for (const p of healthProblems(job, runner, check.settings)) {
        if (p.svc.source !== 'job') continue;
        let group = byKind.get(p.kind);
        if (!group) byKind.set(p.kind, (group = { jobs: [], related: [] }));
        if (!group.jobs.includes(job)) group.jobs.push(job);
        if (!group.related.some((r) => r.file === p.place.file && r.span.start === p.place.span.start))
          group.related.push(p.place);
      }
    }
    for (const [kind, group] of byKind) {
      const jobs = jobNames(group.jobs);
      report({
        file: place.file,
        span: place.span,
        severity: kind === 'missing' ? 'warning' : 'error',
        job: group.jobs.length === 1 ? (group.jobs[0]?.name ?? null) : null,
        message:
          kind === 'missing'
            ? msg('k8s-healthcheck-port.runner-missing', { runner: runner.label, jobs })
            : msg('k8s-healthcheck-port.runner-wrong', { runner: runner.label, jobs }),
        related: group.related.slice(0, 5).map((r) => ({ ...r, message: 'The dind service' })),
      });
    }
  },
};
