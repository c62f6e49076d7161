// A3 `dind/executor-unsupported` — see the rule catalogue (spec section A, A3).

import type { Origin } from '../ci/model';
import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
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

  messages: {
    en: {
      'executor-unsupported.message-no-containers':
        'Job `{job}`: `services:`/`image:` are ignored by the `{executor}` executor of runner `{runner}`; ' +
        '`docker:dind` will not start. With the shell executor, Docker commands run against the host daemon ' +
        '(the gitlab-runner user must be in the `docker` group); ' +
        '`DOCKER_HOST: tcp://docker:2375` fails with `dial tcp: lookup docker ...: no such host`.',
      'executor-unsupported.runner-ignores':
        'Runner `{runner}` uses the `{executor}` executor, which ignores the `{what}:` of job `{job}`.',
      'executor-unsupported.fix-remove-entries':
        'Remove `image`, `services` and dind variables for the `{executor}` executor',
      'executor-unsupported.message-windows':
        'Job `{job}`: Windows containers do not support Docker-in-Docker: the service cannot start. ' +
        'Use Docker pipe binding (`{pipe}`) on runner `{runner}` instead.',
      'executor-unsupported.runner-windows':
        'Runner `{runner}` uses the `docker-windows` executor, which cannot run the dind service of job `{job}`.',
      'executor-unsupported.fix-remove-and-pipe':
        'Remove the `{service}` service and bind the Docker engine pipe in runner `{runner}`',
      'executor-unsupported.fix-remove-service': 'Remove the `{service}` service',
    },
    'zh-cn': {
      'executor-unsupported.message-no-containers':
        '作业 `{job}`：Runner `{runner}` 的 `{executor}` 执行器会忽略 `services:`/`image:`；`docker:dind` 不会启动。' +
        '使用 shell 执行器时，Docker 命令直接在主机的守护进程上运行（gitlab-runner 用户必须属于 `docker` 组）；' +
        '`DOCKER_HOST: tcp://docker:2375` 会以 `dial tcp: lookup docker ...: no such host` 失败。',
      'executor-unsupported.runner-ignores':
        'Runner `{runner}` 使用 `{executor}` 执行器，它会忽略作业 `{job}` 的 `{what}:`。',
      'executor-unsupported.fix-remove-entries': '针对 `{executor}` 执行器删除 `image`、`services` 和 dind 变量',
      'executor-unsupported.message-windows':
        '作业 `{job}`：Windows 容器不支持 Docker-in-Docker，该服务无法启动。' +
        '请改为在 Runner `{runner}` 上使用 Docker 管道绑定（`{pipe}`）。',
      'executor-unsupported.runner-windows':
        'Runner `{runner}` 使用 `docker-windows` 执行器，无法运行作业 `{job}` 的 dind 服务。',
      'executor-unsupported.fix-remove-and-pipe':
        '删除 `{service}` 服务，并在 Runner `{runner}` 中绑定 Docker 引擎管道',
      'executor-unsupported.fix-remove-service': '删除 `{service}` 服务',
    },
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
        const message = msg('executor-unsupported.message-no-containers', {
          job: job.name,
          executor,
          runner: runner.label,
        });
        const fixes = (): Fix[] => {
          const removal = removeEntries(check, [...declared.map((d) => d.origin), ...dindVariableOrigins(facts)]);
          return removal.ok
            ? [
                {
                  title: '',
                  l10nTitle: msg('executor-unsupported.fix-remove-entries', { executor }),
                  safe: false,
                  preferred: true,
                  edits: removal.edits,
                },
              ]
            : [];
        };
        for (const d of declared) {
          const at = { file: d.origin.file, span: d.origin.keySpan ?? d.origin.span };
          reportPair(
            add,
            { message, file: at.file, span: at.span, fixes },
            {
              message: msg('executor-unsupported.runner-ignores', {
                runner: runner.label,
                executor,
                what: d.what,
                job: job.name,
              }),
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
        const fixes = (): Fix[] => {
          const editor = s.source === 'job' ? YamlEditor.fromSources(check.sources, s.origin.file) : undefined;
          const removal = editor?.removeAt(s.origin.span);
          const pipe = pipeEdits(check, runner);
          const list: Fix[] = [];
          if (removal?.ok && pipe.ok) {
            const both = combineEdits(removal, pipe);
            if (both.ok) {
              list.push({
                title: '',
                l10nTitle: msg('executor-unsupported.fix-remove-and-pipe', {
                  service: s.name.value,
                  runner: runner.label,
                }),
                safe: false,
                preferred: true,
                edits: both.edits,
              });
            }
          }
          if (removal?.ok) {
            list.push({
              title: '',
              l10nTitle: msg('executor-unsupported.fix-remove-service', { service: s.name.value }),
              safe: false,
              edits: removal.edits,
            });
          }
          return list;
        };
        const message = msg('executor-unsupported.message-windows', {
          job: job.name,
          pipe: DOCKER_PIPE,
          runner: runner.label,
        });
        reportPair(
          add,
          { message, file: s.name.origin.file, span: s.name.origin.span, fixes },
          {
            message: msg('executor-unsupported.runner-windows', { runner: runner.label, job: job.name }),
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
