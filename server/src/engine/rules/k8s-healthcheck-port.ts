// A26 `dind/k8s-healthcheck-port`: on Kubernetes the runner waits for a service only on the ports listed in the
// service's own `HEALTHCHECK_TCP_PORT` (R16 reads `service.Variables`; a job-level variable does not count). Without
// it the job races the daemon; with a port the daemon does not listen on, the job blocks until its timeout.

import type { EffectiveJob, Variable } from '../ci/model';
import { combineEdits, edit, edited, failed, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { tomlString } from '../fix/toml-format';
import { YamlEditor } from '../fix/yaml-edit';
import type { Runner } from '../runner/model';
import { executorClass, JobFacts, tcpPorts, type Svc } from '../semantics';
import type { Settings } from '../settings';
import type { Fix } from '../types';
import { FindingSet, jobList, realRunner, runnerPlace, type Place } from './no-daemon-for-docker-commands';
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

function fixOf(title: string, result: EditResult): Fix[] {
  const r = combineEdits(result);
  return r.ok && r.edits.length > 0 ? [{ title, safe: true, preferred: true, edits: r.edits }] : [];
}

function portNote(tls: boolean | null, port: number | null): string {
  if (port === null) return '2376 with TLS, 2375 without';
  if (tls === null) return String(port);
  return `${port}, TLS ${tls ? 'on' : 'off'}`;
}

function ciMessage(p: HealthProblem, job: string, runner: string, jobLevel: boolean): string {
  const name = `\`${p.svc.name.value}\``;
  if (p.kind === 'missing') {
    const value = p.port === null ? '"2376" (TLS) or "2375" (no TLS)' : `"${p.port}"`;
    return (
      `Service ${name} has no service-level HEALTHCHECK_TCP_PORT, so the Kubernetes executor (runner \`${runner}\`) ` +
      `doesn't wait for dind: early docker commands in job \`${job}\` race the daemon and fail with ` +
      `\`Cannot connect to the Docker daemon at tcp://docker:${p.port ?? 2375}. Is the docker daemon running?\`. ` +
      (p.svc.source === 'runner'
        ? `Add \`${HEALTHCHECK}=${p.port ?? 2376}\` to the service's \`environment\``
        : `Add \`${HEALTHCHECK}: ${value}\` to the service's \`variables:\``) +
      (jobLevel ? ' (the job-level HEALTHCHECK_TCP_PORT does not count: the runner reads the service variables).' : '.')
    );
  }
  return (
    `The health check of service ${name} waits on port ${p.value ?? ''}, but dind listens on ` +
    `${portNote(p.tls, p.port)}: the Kubernetes executor (runner \`${runner}\`) waits for every listed port with no ` +
    `timeout of its own, so job \`${job}\` blocks until the job timeout. Set ${HEALTHCHECK} to "${p.port ?? ''}".`
  );
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

  checkJob(check, report) {
    const runner = check.runner;
    if (!runner) return;
    const real = realRunner(check);
    const tomlPlace = real ? runnerPlace(real, real.table, 'executor') : null;
    const jobLevel = check.job.variables.has(HEALTHCHECK);
    const found = new FindingSet();
    for (const p of healthProblems(check.job, runner, check.settings)) {
      const title =
        p.kind === 'missing'
          ? `Add \`${HEALTHCHECK}: "${p.port ?? ''}"\` to service \`${p.svc.name.value}\``
          : `Set ${HEALTHCHECK} of service \`${p.svc.name.value}\` to "${p.port ?? ''}"`;
      const result =
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
        fixes: fixOf(title, result),
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
      const jobs = jobList(group.jobs);
      report({
        file: place.file,
        span: place.span,
        severity: kind === 'missing' ? 'warning' : 'error',
        job: group.jobs.length === 1 ? (group.jobs[0]?.name ?? null) : null,
        message:
          kind === 'missing'
            ? `Runner \`${runner.label}\` (Kubernetes) runs dind for ${jobs} without a service-level ` +
              `${HEALTHCHECK}: the executor doesn't wait for the daemon, so early docker commands fail with ` +
              "`Cannot connect to the Docker daemon`. Set it in the dind service's `variables:` in .gitlab-ci.yml."
            : `Runner \`${runner.label}\` (Kubernetes) waits for dind of ${jobs} on a port the daemon does not ` +
              'listen on: those jobs block until their timeout. Fix HEALTHCHECK_TCP_PORT on the dind service.',
        related: group.related.slice(0, 5).map((r) => ({ ...r, message: 'The dind service' })),
      });
    }
  },
};
