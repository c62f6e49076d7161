// A7 `dind/runner-allowlist-blocks-dind` — see the rule catalogue (spec section A, A7).

import type { Origin } from '../ci/model';
import { TomlEditor } from '../fix/toml-edit';
import { msg, type Msg } from '../i18n';
import type { Runner, TomlTable } from '../runner/model';
import { allowListMatch, containerRuntime, executorClass, executorSection, JobFacts, stringItems } from '../semantics';
import type { Fix } from '../types';
import type { JobCheck, Rule } from './rule';
import { FindingSet, realRunner, reportPair } from './no-daemon-for-docker-commands';

type ListKey = 'allowed_services' | 'allowed_images' | 'allowed_privileged_services' | 'allowed_pull_policies';

function appendFix(check: JobCheck, runner: Runner, table: TomlTable, key: string, value: string): Fix | undefined {
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  const r = editor?.appendToArray(table, key, value);
  if (!r?.ok) return undefined;
  return {
    title: '',
    l10nTitle: msg('runner-allowlist-blocks-dind.fix-add', { value, key }),
    safe: false,
    preferred: true,
    edits: r.edits,
  };
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

  messages: {
    en: {
      'runner-allowlist-blocks-dind.runner-message': '{message} (job `{job}`)',
      'runner-allowlist-blocks-dind.service-not-allowed':
        'Runner `{runner}` does not allow `{name}` as a service (allowed_services = {list}): ' +
        'the job fails with `The "{name}" image is not present on list of allowed services`.',
      'runner-allowlist-blocks-dind.privileged-not-matched':
        'Runner `{runner}` runs `{name}` unprivileged: allowed_privileged_services = {list} ' +
        'does not match the name as written, so dind fails with `mount: permission denied (are you root?)`.',
      'runner-allowlist-blocks-dind.service-pull-policy':
        'The pull_policy {policy} of service `{name}` is not allowed by runner `{runner}` ' +
        '(allowed_pull_policies = {list}): the job fails with ' +
        '`the configured PullPolicies ... are not allowed by AllowedPullPolicies`.',
      'runner-allowlist-blocks-dind.image-not-allowed':
        'Runner `{runner}` does not allow the image `{image}` (allowed_images = {list}): ' +
        "the job fails with `Please check runner's allowed_images configuration`.",
      'runner-allowlist-blocks-dind.image-pull-policy':
        'The image pull_policy {policy} is not allowed by runner `{runner}` (allowed_pull_policies = {list}): ' +
        'the job fails with `the configured PullPolicies ... are not allowed by AllowedPullPolicies`.',
      'runner-allowlist-blocks-dind.services-limit':
        'Job `{job}` starts {count} services but runner `{runner}` allows {limit} (services_limit): ' +
        'the job fails with `too many services requested: {count}, only {limit} allowed`.',
      'runner-allowlist-blocks-dind.fix-add': 'Add "{value}" to {key}',
      'runner-allowlist-blocks-dind.fix-services-limit': 'Set services_limit = {count}',
    },
    'zh-cn': {
      'runner-allowlist-blocks-dind.runner-message': '{message}（作业 `{job}`）',
      'runner-allowlist-blocks-dind.service-not-allowed':
        'Runner `{runner}` 不允许将 `{name}` 用作服务（allowed_services = {list}）：' +
        '作业会以 `The "{name}" image is not present on list of allowed services` 失败。',
      'runner-allowlist-blocks-dind.privileged-not-matched':
        'Runner `{runner}` 以非特权模式运行 `{name}`：allowed_privileged_services = {list} ' +
        '不匹配按书写形式给出的名称，因此 dind 会以 `mount: permission denied (are you root?)` 失败。',
      'runner-allowlist-blocks-dind.service-pull-policy':
        '服务 `{name}` 的 pull_policy {policy} 不被 Runner `{runner}` 允许' +
        '（allowed_pull_policies = {list}）：作业会以 ' +
        '`the configured PullPolicies ... are not allowed by AllowedPullPolicies` 失败。',
      'runner-allowlist-blocks-dind.image-not-allowed':
        'Runner `{runner}` 不允许使用镜像 `{image}`（allowed_images = {list}）：' +
        "作业会以 `Please check runner's allowed_images configuration` 失败。",
      'runner-allowlist-blocks-dind.image-pull-policy':
        '镜像的 pull_policy {policy} 不被 Runner `{runner}` 允许（allowed_pull_policies = {list}）：' +
        '作业会以 `the configured PullPolicies ... are not allowed by AllowedPullPolicies` 失败。',
      'runner-allowlist-blocks-dind.services-limit':
        '作业 `{job}` 启动了 {count} 个服务，但 Runner `{runner}` 只允许 {limit} 个（services_limit）：' +
        '作业会以 `too many services requested: {count}, only {limit} allowed` 失败。',
      'runner-allowlist-blocks-dind.fix-add': '将 "{value}" 添加到 {key}',
      'runner-allowlist-blocks-dind.fix-services-limit': '设置 services_limit = {count}',
    },
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
    const pair = (ci: { message: Msg; origin: Origin }, key: string, fix: () => Fix | undefined): void => {
      const entry = section.entries.get(key);
      if (!entry) return;
      const fixes = (): Fix[] => {
        const f = fix();
        return f ? [f] : [];
      };
      reportPair(
        (f) => found.add(f),
        { message: ci.message, file: ci.origin.file, span: ci.origin.span, fixes },
        {
          message: msg('runner-allowlist-blocks-dind.runner-message', { message: ci.message, job }),
          file: runner.file,
          span: entry.span,
          fixes,
        },
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
                message: msg('runner-allowlist-blocks-dind.service-not-allowed', {
                  runner: runner.label,
                  name,
                  list: listText(runner, 'allowed_services'),
                }),
                origin: s.name.origin,
              },
              'allowed_services',
              () => appendFix(check, runner, section, 'allowed_services', name),
            );
          }
        }
        // Under Sysbox dind needs no privileged mode, so an allow-list miss costs nothing (A6's exception).
        const priv = containerRuntime(runner)?.sysbox ? null : facts.privilege(s);
        if (priv?.source === 'allow-list' && priv.allowList) {
          pair(
            {
              message: msg('runner-allowlist-blocks-dind.privileged-not-matched', {
                runner: runner.label,
                name,
                list: listText(runner, 'allowed_privileged_services'),
              }),
              origin: s.name.origin,
            },
            'allowed_privileged_services',
            () => appendFix(check, runner, section, 'allowed_privileged_services', name),
          );
        }
        const policy = s.pullPolicy;
        const allowed = stringItems(section, 'allowed_pull_policies')?.items.map((i) => i.value) ?? [];
        if (policy && policy.length > 0 && allowed.length > 0 && !policy.some((p) => allowed.includes(p))) {
          pair(
            {
              message: msg('runner-allowlist-blocks-dind.service-pull-policy', {
                policy: JSON.stringify(policy),
                name,
                runner: runner.label,
                list: listText(runner, 'allowed_pull_policies'),
              }),
              origin: s.origin,
            },
            'allowed_pull_policies',
            () => (policy[0] ? appendFix(check, runner, section, 'allowed_pull_policies', policy[0]) : undefined),
          );
        }
      }
      const image = facts.image;
      if (image && image.source === 'job' && !image.ref.unresolved) {
        const m = allowListMatch(runner, 'allowed_images', image.ref.expanded);
        if (m && m.matched === null) {
          pair(
            {
              message: msg('runner-allowlist-blocks-dind.image-not-allowed', {
                runner: runner.label,
                image: image.ref.expanded,
                list: listText(runner, 'allowed_images'),
              }),
              origin: image.name.origin,
            },
            'allowed_images',
            () => appendFix(check, runner, section, 'allowed_images', image.ref.expanded),
          );
        }
        const policy = check.job.image?.pullPolicy ?? null;
        const allowed = stringItems(section, 'allowed_pull_policies')?.items.map((i) => i.value) ?? [];
        if (policy && policy.length > 0 && allowed.length > 0 && !policy.some((p) => allowed.includes(p))) {
          pair(
            {
              message: msg('runner-allowlist-blocks-dind.image-pull-policy', {
                policy: JSON.stringify(policy),
                runner: runner.label,
                list: listText(runner, 'allowed_pull_policies'),
              }),
              origin: image.origin,
            },
            'allowed_pull_policies',
            () => (policy[0] ? appendFix(check, runner, section, 'allowed_pull_policies', policy[0]) : undefined),
          );
        }
      }
      const limitEntry = cls === 'kubernetes' ? undefined : section.entries.get('services_limit');
      const limit = typeof limitEntry?.value === 'number' ? limitEntry.value : null;
      if (dind.length > 0 && limit !== null && limit >= 0 && limit < facts.services.length) {
        const origin = check.job.servicesOrigin ?? dind[0]?.name.origin;
        const count = facts.services.length;
        const fix = (): Fix | undefined => {
          const editor = TomlEditor.fromSources(check.sources, runner.file);
          const r = limitEntry ? editor?.replaceValue(limitEntry, count) : undefined;
          return r?.ok
            ? {
                title: '',
                l10nTitle: msg('runner-allowlist-blocks-dind.fix-services-limit', { count }),
                safe: false,
                preferred: true,
                edits: r.edits,
              }
            : undefined;
        };
        if (origin) {
          pair(
            {
              message: msg('runner-allowlist-blocks-dind.services-limit', {
                job,
                count: facts.services.length,
                runner: runner.label,
                limit,
              }),
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
