// A7 `dind/runner-allowlist-blocks-dind` — see the rule catalogue (spec section A, A7).

import type { Origin } from '../ci/model';
import { TomlEditor } from '../fix/toml-edit';
import type { Runner, TomlTable } from '../runner/model';
import { allowListMatch, executorClass, executorSection, JobFacts, stringItems } from '../semantics';
import type { Fix } from '../types';
import type { JobCheck, Rule } from './rule';
import { FindingSet, realRunner, reportPair } from './no-daemon-for-docker-commands';

type ListKey = 'allowed_services' | 'allowed_images' | 'allowed_privileged_services' | 'allowed_pull_policies';

function appendFix(check: JobCheck, runner: Runner, table: TomlTable, key: string, value: string): Fix | undefined {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  const r = editor?.appendToArray(table, key, value);
  if (!r?.ok) return undefined;
  return { title: `Add "${value}" to ${key}`, safe: false, preferred: true, edits: r.edits };
}

function listText(runner: Runner, key: ListKey): string {
  const items = stringItems(executorSection(runner), key)?.items.map((i) => JSON.stringify(i.value)) ?? [];
  return `[${items.join(', ')}]`;
}

export const runnerAllowlistBlocksDind: Rule = {
  meta: {
    id: 'dind/runner-allowlist-blocks-dind',
    catalogue: 'A7',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: "The runner's allow-lists or services_limit reject the job's Docker image or dind service",
    docs: 'https://docs.gitlab.com/runner/executors/docker/#restrict-docker-images-and-services',
    fixSafe: false,
  },

  checkJob(check, report) {
    const runner = realRunner(check);
    if (!runner) return;
    const cls = executorClass(runner);
    if (cls !== 'docker-like' && cls !== 'kubernetes' && cls !== 'unknown') return;
    const section = executorSection(runner);
    if (!section) return;
    const job = check.job.name;
    const found = new FindingSet();
    const pair = (ci: { message: string; origin: Origin }, key: string, fix: Fix | undefined): void => {
      const entry = section.entries.get(key);
      if (!entry) return;
      const fixes = fix ? [fix] : [];
      reportPair(
        (f) => found.add(f),
        { message: ci.message, file: ci.origin.file, span: ci.origin.span, fixes },
        { message: `${ci.message} (job \`${job}\`)`, file: runner.file, span: entry.span, fixes },
        `job \`${job}\``,
        `${key} of runner \`${runner.label}\``,
      );
    };
    for (const facts of JobFacts.variants(check.job, runner, check.settings)) {
      const dind = facts.dindServices;
      if (dind.length === 0 && !facts.usesDocker.value) continue;
      for (const s of dind) {
        if (s.ref.unresolved) continue;
        const name = s.ref.expanded;
        if (s.source === 'job') {
          const m = allowListMatch(runner, 'allowed_services', name);
          if (m && m.matched === null) {
            pair(
              {
                message:
                  `Runner \`${runner.label}\` does not allow \`${name}\` as a service (allowed_services = ${listText(runner, 'allowed_services')}): ` +
                  `the job fails with \`The "${name}" image is not present on list of allowed services\`.`,
                origin: s.name.origin,
              },
              'allowed_services',
              appendFix(check, runner, section, 'allowed_services', name),
            );
          }
        }
        const priv = facts.privilege(s);
        if (priv?.source === 'allow-list' && priv.allowList) {
          pair(
            {
              message:
                `Runner \`${runner.label}\` runs \`${name}\` unprivileged: allowed_privileged_services = ${listText(runner, 'allowed_privileged_services')} ` +
                'does not match the name as written, so dind fails with `mount: permission denied (are you root?)`.',
              origin: s.name.origin,
            },
            'allowed_privileged_services',
            appendFix(check, runner, section, 'allowed_privileged_services', name),
          );
        }
        const policy = s.pullPolicy;
        const allowed = stringItems(section, 'allowed_pull_policies')?.items.map((i) => i.value) ?? [];
        if (policy && policy.length > 0 && allowed.length > 0 && !policy.some((p) => allowed.includes(p))) {
          pair(
            {
              message:
                `The pull_policy ${JSON.stringify(policy)} of service \`${name}\` is not allowed by runner \`${runner.label}\` ` +
                `(allowed_pull_policies = ${listText(runner, 'allowed_pull_policies')}): the job fails with \`the configured PullPolicies ... are not allowed by AllowedPullPolicies\`.`,
              origin: s.origin,
            },
            'allowed_pull_policies',
            policy[0] ? appendFix(check, runner, section, 'allowed_pull_policies', policy[0]) : undefined,
          );
        }
      }
      const image = facts.image;
      if (image && image.source === 'job' && !image.ref.unresolved) {
        const m = allowListMatch(runner, 'allowed_images', image.ref.expanded);
        if (m && m.matched === null) {
          pair(
            {
              message:
                `Runner \`${runner.label}\` does not allow the image \`${image.ref.expanded}\` (allowed_images = ${listText(runner, 'allowed_images')}): ` +
                "the job fails with `Please check runner's allowed_images configuration`.",
              origin: image.name.origin,
            },
            'allowed_images',
            appendFix(check, runner, section, 'allowed_images', image.ref.expanded),
          );
        }
        const policy = check.job.image?.pullPolicy ?? null;
        const allowed = stringItems(section, 'allowed_pull_policies')?.items.map((i) => i.value) ?? [];
        if (policy && policy.length > 0 && allowed.length > 0 && !policy.some((p) => allowed.includes(p))) {
          pair(
            {
              message:
                `The image pull_policy ${JSON.stringify(policy)} is not allowed by runner \`${runner.label}\` ` +
                `(allowed_pull_policies = ${listText(runner, 'allowed_pull_policies')}): the job fails with \`the configured PullPolicies ... are not allowed by AllowedPullPolicies\`.`,
              origin: image.origin,
            },
            'allowed_pull_policies',
            policy[0] ? appendFix(check, runner, section, 'allowed_pull_policies', policy[0]) : undefined,
          );
        }
      }
      const limitEntry = cls === 'kubernetes' ? undefined : section.entries.get('services_limit');
      const limit = typeof limitEntry?.value === 'number' ? limitEntry.value : null;
      if (dind.length > 0 && limit !== null && limit >= 0 && limit < facts.services.length) {
        const origin = check.job.servicesOrigin ?? dind[0]?.name.origin;
        const editor = TomlEditor.fromSources(check.sources, runner.file);
        const r = limitEntry ? editor?.replaceValue(limitEntry, facts.services.length) : undefined;
        const fix: Fix | undefined = r?.ok
          ? { title: `Set services_limit = ${facts.services.length}`, safe: false, preferred: true, edits: r.edits }
          : undefined;
        if (origin) {
          pair(
            {
              message:
                `Job \`${job}\` starts ${facts.services.length} services but runner \`${runner.label}\` allows ${limit} ` +
                `(services_limit): the job fails with \`too many services requested: ${facts.services.length}, only ${limit} allowed\`.`,
              origin,
            },
            'services_limit',
            fix,
          );
        }
      }
    }
    found.flush(report);
  },
};
