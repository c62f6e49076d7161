// A3 `dind/executor-unsupported` — see the rule catalogue (spec section A, A3).

import type { Origin } from '../ci/model';
import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import type { Runner } from '../runner/model';
import { DOCKER_PIPE, executorClass, JobFacts } from '../semantics';
import type { Fix } from '../types';
import type { JobCheck, Rule } from './rule';
import { FindingSet, realRunner, reportPair, runnerPlace } from './no-daemon-for-docker-commands';

/** Removes the mapping entries at these origins (`image:`, `services:`, variables), each in the file that defines it. */
function removeEntries(check: JobCheck, origins: readonly Origin[]): EditResult {
  const results: EditResult[] = [];
  for (const o of origins) {
    const editor = YamlEditor.fromSources(check.sources, o.file);
    if (!editor || !o.keySpan) return { ok: false, reason: 'no key to remove' };
    results.push(editor.removeAt(o.keySpan));
  }
  return combineEdits(...results);
}

/** Origins of the CI variables that only matter for a dind service (DOCKER_HOST, DOCKER_TLS_CERTDIR). */
function dindVariableOrigins(facts: JobFacts): Origin[] {
  const out: Origin[] = [];
  for (const name of ['DOCKER_HOST', 'DOCKER_TLS_CERTDIR']) {
    const v = facts.variables.get(name);
    if (v && v.origin.keySpan && (v.layer === 'job' || v.layer === 'global')) out.push(v.origin);
  }
  return out;
}

/** TOML edits for Windows: bind the Docker engine pipe into the job (Docker pipe binding). */
function pipeEdits(check: JobCheck, runner: Runner): EditResult {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  if (!editor) return { ok: false, reason: 'runner config not readable' };
  const pipe = `${DOCKER_PIPE}:${DOCKER_PIPE}`;
  const current = runner.docker?.entries.get('volumes')?.value;
  if (Array.isArray(current) && current.includes(pipe)) return { ok: true, edits: [] };
  return runner.docker
    ? editor.appendToArray(runner.docker, 'volumes', pipe)
    : editor.setInTable(runner.table, ['docker'], { volumes: [pipe] });
}

export const executorUnsupported: Rule = {
  meta: {
    id: 'dind/executor-unsupported',
    catalogue: 'A3',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: "A job's image/services or dind service cannot run on the runner's executor (shell, SSH, VMs, Windows)",
    docs: 'https://docs.gitlab.com/runner/executors/#compatibility-chart',
    fixSafe: false,
  },

  checkJob(check, report) {
    const runner = realRunner(check);
    if (!runner) return;
    const cls = executorClass(runner);
    if (cls !== 'no-containers' && cls !== 'docker-windows') return;
    const executor = runner.executor ?? '';
    const exec = runnerPlace(runner, runner.table, 'executor');
    const job = check.job;
    const found = new FindingSet();
    const add = (f: Parameters<FindingSet['add']>[0]) => found.add(f);
    for (const facts of JobFacts.variants(job, runner, check.settings)) {
      if (cls === 'no-containers') {
        const declared: { what: string; origin: Origin }[] = [];
        if (job.image) declared.push({ what: 'image', origin: job.image.origin });
        const services = job.servicesOrigin ?? job.services[0]?.origin;
        if (services && job.services.length > 0) declared.push({ what: 'services', origin: services });
        if (declared.length === 0) continue;
        const message =
          `\`services:\`/\`image:\` are ignored by the \`${executor}\` executor of runner \`${runner.label}\`; \`docker:dind\` will not start. ` +
          'With the shell executor, Docker commands run against the host daemon (the gitlab-runner user must be in the `docker` group); ' +
          '`DOCKER_HOST: tcp://docker:2375` fails with `dial tcp: lookup docker ...: no such host`.';
        const removal = removeEntries(check, [...declared.map((d) => d.origin), ...dindVariableOrigins(facts)]);
        const fixes: Fix[] = removal.ok
          ? [
              {
                title: `Remove \`image\`, \`services\` and dind variables for the \`${executor}\` executor`,
                safe: false,
                preferred: true,
                edits: removal.edits,
              },
            ]
          : [];
        for (const d of declared) {
          const at = { file: d.origin.file, span: d.origin.keySpan ?? d.origin.span };
          reportPair(
            add,
            { message: `Job \`${job.name}\`: ${message}`, file: at.file, span: at.span, fixes },
            {
              message: `Runner \`${runner.label}\` uses the \`${executor}\` executor, which ignores the \`${d.what}:\` of job \`${job.name}\`.`,
              file: exec.file,
              span: exec.span,
            },
            `\`${d.what}\` of job \`${job.name}\``,
            `executor of runner \`${runner.label}\``,
          );
        }
        continue;
      }
      for (const s of facts.dindServices) {
        const editor = s.source === 'job' ? YamlEditor.fromSources(check.sources, s.origin.file) : undefined;
        const removal = editor?.removeAt(s.origin.span);
        const pipe = pipeEdits(check, runner);
        const fixes: Fix[] = [];
        if (removal?.ok && pipe.ok) {
          const both = combineEdits(removal, pipe);
          if (both.ok) {
            fixes.push({
              title: `Remove the \`${s.name.value}\` service and bind the Docker engine pipe in runner \`${runner.label}\``,
              safe: false,
              preferred: true,
              edits: both.edits,
            });
          }
        }
        if (removal?.ok)
          fixes.push({ title: `Remove the \`${s.name.value}\` service`, safe: false, edits: removal.edits });
        const message =
          'Windows containers do not support Docker-in-Docker: the service cannot start. ' +
          `Use Docker pipe binding (\`${DOCKER_PIPE}\`) on runner \`${runner.label}\` instead.`;
        reportPair(
          add,
          { message: `Job \`${job.name}\`: ${message}`, file: s.name.origin.file, span: s.name.origin.span, fixes },
          {
            message: `Runner \`${runner.label}\` uses the \`docker-windows\` executor, which cannot run the dind service of job \`${job.name}\`.`,
            file: exec.file,
            span: exec.span,
            fixes,
          },
          `dind service of job \`${job.name}\``,
          `executor of runner \`${runner.label}\``,
        );
      }
    }
    found.flush(report);
  },
};
