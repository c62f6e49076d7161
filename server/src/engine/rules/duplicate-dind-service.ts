// A19 `dind/duplicate-dind-service`: SVC(J) starts two docker daemons (a runner-defined `[[runners.docker.services]]`
// plus a job service, or a list that names dind twice), or a second service claims the `docker` alias. The runner
// gives an alias to the first service that claims it only (R10).

import { edit, edited, failed, wholeLines, type EditResult } from '../fix/common';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
import { JobFacts } from '../semantics/facts';
import { executorClass } from '../semantics/runner';
import { isDindService, type Svc } from '../semantics/services';
import type { Fix, RelatedLocation } from '../types';
import type { JobCheck, Report, Rule, RuleEnv } from './rule';
import { editable, fixOf, knownAliases } from './service-alias-missing';

/** Removes a service where it is defined: its YAML sequence item, or its `[[runners.*.services]]` table. */
function removeService(env: RuleEnv, s: Svc): EditResult {
  if (s.source === 'job') {
    const editor = YamlEditor.fromSources(env.sources, s.origin.file);
    return editor ? editor.removeAt(s.origin.span) : failed('file not parsed');
  }
  const table = s.runnerService?.table;
  const text = env.sources.file(s.origin.file)?.text;
  if (!table?.headerSpan || text === undefined) return failed('no table header');
  if (table.tables.size > 0 || table.tableArrays.size > 0) return failed('table has sub-tables');
  let end = table.headerSpan.end;
  for (const e of table.entries.values()) end = Math.max(end, e.span.end);
  return edited([edit(s.origin.file, wholeLines(text, table.headerSpan.start, end), '')]);
}

function where(s: Svc): string {
  return s.source === 'runner' ? 'the runner config' : 'the job';
}

function place(s: Svc): { file: string; span: { start: number; end: number } } {
  return s.source === 'runner' && s.runnerService?.table.headerSpan
    ? { file: s.origin.file, span: s.runnerService.table.headerSpan }
    : { file: s.name.origin.file, span: s.name.origin.span };
}

export const duplicateDindService: Rule = {
  meta: {
    id: 'dind/duplicate-dind-service',
    catalogue: 'A19',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'A job should start one dind service, and only it should claim the `docker` alias',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#define-images-and-services-in-configtoml',
    fixSafe: false,
  },

  messages: {
    en: {
      'duplicate-dind-service.two-daemons':
        'Two docker daemons are started for job `{job}` (`{first}` and `{second}`); only the first gets the `docker` ' +
        'alias, the second wastes resources and may race on /certs/client.{runnerNote}{aliasNote} Remove one of them.',
      'duplicate-dind-service.runner-note': ' Runner `{runner}` already adds `{service}` to every job.',
      'duplicate-dind-service.alias-note': ' The runner warns {warning}',
      'duplicate-dind-service.runner-adds-dind':
        'Runner `{runner}` adds the dind service `{service}` to every job, and {jobs} start their own dind service ' +
        'too: two docker daemons run, only the first gets the `docker` alias, the second wastes resources and may ' +
        'race on /certs/client.',
      'duplicate-dind-service.runner-adds-dind-one':
        'Runner `{runner}` adds the dind service `{service}` to every job, and job {jobs} starts its own dind ' +
        'service too: two docker daemons run, only the first gets the `docker` alias, the second wastes resources ' +
        'and may race on /certs/client.',
      'duplicate-dind-service.alias-conflict':
        'Service `{service}` claims the alias `docker`, but `{owner}` ({where}) already has it: only the first gets ' +
        'the `docker` alias, so the runner warns {warning} and DOCKER_HOST `docker` reaches `{owner}` (job `{job}`).',
      'duplicate-dind-service.in-runner-config': 'the runner config',
      'duplicate-dind-service.in-job': 'the job',
      'duplicate-dind-service.fix-remove-duplicate-job': 'Remove the duplicate dind service `{service}` from the job',
      'duplicate-dind-service.fix-remove-duplicate-runner':
        'Remove the duplicate dind service `{service}` from the runner config',
      'duplicate-dind-service.fix-remove-runner-service': 'Remove the dind service `{service}` from the runner config',
    },
    'zh-cn': {
      'duplicate-dind-service.two-daemons':
        '作业 `{job}` 启动了两个 Docker 守护进程（`{first}` 和 `{second}`）；只有第一个获得 `docker` 别名，第二个' +
        '浪费资源，并可能在 /certs/client 上发生竞争。{runnerNote}{aliasNote}请删除其中一个。',
      'duplicate-dind-service.runner-note': 'Runner `{runner}` 已经为每个作业添加了 `{service}`。',
      'duplicate-dind-service.alias-note': 'Runner 会发出警告 {warning}。',
      'duplicate-dind-service.runner-adds-dind':
        'Runner `{runner}` 为每个作业添加了 dind 服务 `{service}`，而 {jobs} 也启动了自己的 dind 服务：会运行两个 ' +
        'Docker 守护进程，只有第一个获得 `docker` 别名，第二个浪费资源，并可能在 /certs/client 上发生竞争。',
      'duplicate-dind-service.runner-adds-dind-one':
        'Runner `{runner}` 为每个作业添加了 dind 服务 `{service}`，而作业 {jobs} 也启动了自己的 dind 服务：会运行两个 ' +
        'Docker 守护进程，只有第一个获得 `docker` 别名，第二个浪费资源，并可能在 /certs/client 上发生竞争。',
      'duplicate-dind-service.alias-conflict':
        '服务 `{service}` 声明了别名 `docker`，但 `{owner}`（{where}）已经占用了它：只有第一个声明的服务获得 ' +
        '`docker` 别名，因此 Runner 会发出警告 {warning}，并且 DOCKER_HOST `docker` 会连接到 `{owner}`（作业 `{job}`）。',
      'duplicate-dind-service.in-runner-config': '在 Runner 配置中',
      'duplicate-dind-service.in-job': '在作业中',
      'duplicate-dind-service.fix-remove-duplicate-job': '从作业中删除重复的 dind 服务 `{service}`',
      'duplicate-dind-service.fix-remove-duplicate-runner': '从 Runner 配置中删除重复的 dind 服务 `{service}`',
      'duplicate-dind-service.fix-remove-runner-service': '从 Runner 配置中删除 dind 服务 `{service}`',
    },
  },

  checkJob(check, report) {
    if (check.runner && executorClass(check.runner) === 'no-containers') return;
    for (const facts of JobFacts.variants(check.job, check.runner, check.settings)) {
      let firstDind: Svc | undefined;
      let dockerOwner: Svc | undefined;
      for (const s of facts.services) {
        const claimsDocker = knownAliases(s)?.names.includes('docker') ?? false;
        const dind = facts.isDind(s);
        if (dind && firstDind) {
          reportDuplicate(check, report, s, firstDind, claimsDocker && dockerOwner !== undefined);
        } else if (claimsDocker && dockerOwner && (dind || facts.isDind(dockerOwner))) {
          reportAliasConflict(check, report, s, dockerOwner);
        }
        if (dind && !firstDind) firstDind = s;
        if (claimsDocker && !dockerOwner) dockerOwner = s;
      }
    }
  },
};

function skipText(s: Svc): string {
  return `\`Skipping alias "docker" for service "${s.name.value}" (services[${s.position}]): alias is already in use by another service.\``;
}

/** A second dind service: reported where it is defined, plus on the runner's service when that one came first. */
function reportDuplicate(check: JobCheck, report: Report, s: Svc, first: Svc, aliasLost: boolean): void {
  const at = place(s);
  if (!editable(check, at.file)) return;
  const firstAt = place(first);
  const firstEditable = editable(check, firstAt.file);
  const related: RelatedLocation[] = firstEditable
    ? [
        {
          file: firstAt.file,
          span: firstAt.span,
          message: `first dind service \`${first.name.value}\` (${where(first)})`,
        },
      ]
    : [];
  const runnerNote =
    first.source === 'runner' && check.runner
      ? msg('duplicate-dind-service.runner-note', { runner: check.runner.label, service: first.name.value })
      : '';
  const fixes = (): Fix[] => [
    ...fixOf(
      s.source === 'runner'
        ? msg('duplicate-dind-service.fix-remove-duplicate-runner', { service: s.name.value })
        : msg('duplicate-dind-service.fix-remove-duplicate-job', { service: s.name.value }),
      removeService(check, s),
      false,
      true,
    ),
    ...(first.source === 'runner' && s.source === 'job' && firstEditable
      ? fixOf(
          msg('duplicate-dind-service.fix-remove-runner-service', { service: first.name.value }),
          removeService(check, first),
          false,
          false,
        )
      : []),
  ];
  report({
    file: at.file,
    span: at.span,
    related,
    message: msg('duplicate-dind-service.two-daemons', {
      job: check.job.name,
      first: first.name.value,
      second: s.name.value,
      runnerNote,
      aliasNote: aliasLost ? msg('duplicate-dind-service.alias-note', { warning: skipText(s) }) : '',
    }),
    fixes,
  });
  if (first.source !== 'runner' || s.source !== 'job' || !firstEditable || check.runner === null || check.runnerAssumed)
    return;
  const jobs = check.jobsOnRunner
    .filter((j) => j.services.some((js) => isDindService(js, check.settings)))
    .map((j) => `\`${j.name}\``);
  const names = jobs.length > 0 ? [...new Set(jobs)] : [`\`${check.job.name}\``];
  report({
    file: firstAt.file,
    span: firstAt.span,
    job: null,
    related: [{ file: at.file, span: at.span, message: `job \`${check.job.name}\` also starts \`${s.name.value}\`` }],
    message: msg(
      names.length === 1 ? 'duplicate-dind-service.runner-adds-dind-one' : 'duplicate-dind-service.runner-adds-dind',
      {
        runner: check.runner.label,
        service: first.name.value,
        jobs: names.join(', '),
      },
    ),
    fixes: () =>
      fixOf(
        msg('duplicate-dind-service.fix-remove-runner-service', { service: first.name.value }),
        removeService(check, first),
        false,
        false,
      ),
  });
}

/** A service that claims `docker` after another one did (one of them a dind service): its alias is skipped. */
function reportAliasConflict(check: JobCheck, report: Report, s: Svc, owner: Svc): void {
  const at = s.aliases.includes('docker') && s.aliasOrigin ? s.aliasOrigin : place(s);
  if (!editable(check, at.file)) return;
  const ownerAt = place(owner);
  report({
    file: at.file,
    span: at.span,
    related: editable(check, ownerAt.file)
      ? [{ file: ownerAt.file, span: ownerAt.span, message: `\`${owner.name.value}\` claims \`docker\` first` }]
      : [],
    message: msg('duplicate-dind-service.alias-conflict', {
      service: s.name.value,
      owner: owner.name.value,
      where:
        owner.source === 'runner'
          ? msg('duplicate-dind-service.in-runner-config')
          : msg('duplicate-dind-service.in-job'),
      warning: skipText(s),
      job: check.job.name,
    }),
  });
}
