// A19 `dind/duplicate-dind-service`: SVC(J) starts two docker daemons (a runner-defined `[[runners.docker.services]]`
// plus a job service, or a list that names dind twice), or a second service claims the `docker` alias. The runner
// gives an alias to the first service that claims it only (R10).

import { edit, edited, failed, wholeLines, type EditResult } from '../fix/common';
import { YamlEditor } from '../fix/yaml-edit';
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
      ? ` Runner \`${check.runner.label}\` already adds \`${first.name.value}\` to every job.`
      : '';
  const fixes: Fix[] = [
    ...fixOf(
      `Remove the duplicate dind service \`${s.name.value}\` from ${where(s)}`,
      removeService(check, s),
      false,
      true,
    ),
  ];
  if (first.source === 'runner' && s.source === 'job' && firstEditable) {
    fixes.push(
      ...fixOf(
        `Remove the dind service \`${first.name.value}\` from the runner config`,
        removeService(check, first),
        false,
        false,
      ),
    );
  }
  report({
    file: at.file,
    span: at.span,
    related,
    message:
      `Two docker daemons are started for job \`${check.job.name}\` (\`${first.name.value}\` and \`${s.name.value}\`); only the first gets the \`docker\` alias, ` +
      `the second wastes resources and may race on /certs/client.${runnerNote}` +
      (aliasLost ? ` The runner warns ${skipText(s)}` : '') +
      ' Remove one of them.',
    fixes,
  });
  if (first.source !== 'runner' || s.source !== 'job' || !firstEditable || check.runner === null || check.runnerAssumed)
    return;
  const jobs = check.jobsOnRunner
    .filter((j) => j.services.some((js) => isDindService(js, check.settings)))
    .map((j) => `\`${j.name}\``);
  report({
    file: firstAt.file,
    span: firstAt.span,
    job: null,
    related: [{ file: at.file, span: at.span, message: `job \`${check.job.name}\` also starts \`${s.name.value}\`` }],
    message:
      `Runner \`${check.runner.label}\` adds the dind service \`${first.name.value}\` to every job, and ${jobs.length > 0 ? jobs.join(', ') : `\`${check.job.name}\``} ` +
      'start their own dind service too: two docker daemons run, only the first gets the `docker` alias, the second wastes resources and may race on /certs/client.',
    fixes: fixOf(
      `Remove the dind service \`${first.name.value}\` from the runner config`,
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
    message:
      `Service \`${s.name.value}\` claims the alias \`docker\`, but \`${owner.name.value}\` (${where(owner)}) already has it: only the first gets the \`docker\` alias, ` +
      `so the runner warns ${skipText(s)} and DOCKER_HOST \`docker\` reaches \`${owner.name.value}\` (job \`${check.job.name}\`).`,
  });
}
