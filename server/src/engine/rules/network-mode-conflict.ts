// A21 `dind/network-mode-conflict`: `[runners.docker] network_mode` set to `host` or to a pre-existing network while
// jobs run dind. `network_mode` wins over FF_NETWORK_PER_BUILD (R13), so every job's dind shares one network.

import type { EffectiveJob } from '../ci/model';
import { combineEdits } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { msg, type Msg } from '../i18n';
import type { Runner } from '../runner/model';
import { executorClass, isDindImage, JobFacts, parseImageRef, stringEntry } from '../semantics';
import type { Settings } from '../settings';
import type { Fix } from '../types';
import { jobNames } from './lists';
import type { Rule } from './rule';

/** Network modes that are not a shared user-defined network: the default bridge, no network, another container's. */
const NOT_SHARED = new Set(['', 'bridge', 'default', 'none']);

/**
 * Jobs among `jobs` that start a dind service on `runner` (their own, or a runner-defined one). With no jobs known,
 * a runner-defined dind service alone counts as dind in use: the returned flag says so.
 */
export function dindUse(
  runner: Runner,
  jobs: readonly EffectiveJob[],
  settings: Settings,
): { jobs: EffectiveJob[]; inUse: boolean } {
  const runnerDind = runner.services.some(
    (s) => s.name !== null && isDindImage(parseImageRef(s.name, s.name), settings),
  );
  const out = jobs.filter((job) =>
    JobFacts.variants(job, runner, settings).some((facts) => facts.dindServices.length > 0),
  );
  return { jobs: out, inUse: out.length > 0 || runnerDind };
}

/** `jobs `build` and `test`` / `the runner-defined dind service`: who runs dind, for messages. */
export function dindUsers(jobs: readonly EffectiveJob[]): Msg {
  if (jobs.length === 0) return msg('network-mode-conflict.users-runner');
  const names = jobNames(jobs);
  return jobs.length === 1
    ? msg('network-mode-conflict.users-job', { jobs: names })
    : msg('network-mode-conflict.users-jobs', { jobs: names });
}

export const networkModeConflict: Rule = {
  meta: {
    id: 'dind/network-mode-conflict',
    catalogue: 'A21',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'With dind, `network_mode` must not be `host` or a shared network; use FF_NETWORK_PER_BUILD instead',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#network-configurations',
    fixSafe: false,
  },

  messages: {
    en: {
      'network-mode-conflict.users-runner': 'the runner-defined dind service',
      'network-mode-conflict.users-job': 'job {jobs}',
      'network-mode-conflict.users-jobs': 'jobs {jobs}',
      'network-mode-conflict.host':
        'With network_mode = "host" on runner `{runner}`, dind ({who}) binds 2375/2376 on the host network: ' +
        'concurrent jobs collide (`address already in use`) and the (non-TLS) API is exposed to the host network. ' +
        'Remove network_mode and enable FF_NETWORK_PER_BUILD for a network per job.',
      'network-mode-conflict.shared':
        "All jobs of runner `{runner}` share network `{network}`; every job's dind ({who}) registers the alias " +
        "`docker` on it, so clients can reach another job's daemon: builds land in the wrong daemon or fail " +
        'intermittently with `x509: certificate signed by unknown authority ... "docker:dind CA"`. Remove ' +
        'network_mode and enable FF_NETWORK_PER_BUILD for a network per job.',
      'network-mode-conflict.fix': 'Remove `network_mode` and set `FF_NETWORK_PER_BUILD = true`',
    },
    'zh-cn': {
      'network-mode-conflict.users-runner': 'Runner 定义的 dind 服务',
      'network-mode-conflict.users-job': '作业 {jobs}',
      'network-mode-conflict.users-jobs': '作业 {jobs}',
      'network-mode-conflict.host':
        'Runner `{runner}` 设置了 network_mode = "host"，dind（{who}）会在主机网络上绑定 2375/2376 端口：并发作业会' +
        '相互冲突（`address already in use`），且（非 TLS 的）API 会暴露在主机网络上。请删除 network_mode，并启用 ' +
        'FF_NETWORK_PER_BUILD，为每个作业创建独立网络。',
      'network-mode-conflict.shared':
        'Runner `{runner}` 的所有作业共用网络 `{network}`；每个作业的 dind（{who}）都会在该网络上注册别名 `docker`，' +
        '客户端因此可能连到其他作业的守护进程：构建会进入错误的守护进程，或间歇性失败并报错 ' +
        '`x509: certificate signed by unknown authority ... "docker:dind CA"`。请删除 network_mode，并启用 ' +
        'FF_NETWORK_PER_BUILD，为每个作业创建独立网络。',
      'network-mode-conflict.fix': '删除 `network_mode` 并设置 `FF_NETWORK_PER_BUILD = true`',
    },
  },

  checkRunner(check, report) {
    const runner = check.runner;
    if (executorClass(runner) !== 'docker-like' || !runner.docker) return;
    const mode = stringEntry(runner.docker, 'network_mode');
    if (!mode) return;
    const value = mode.value.trim();
    if (NOT_SHARED.has(value) || value.startsWith('container:')) return;
    const use = dindUse(runner, check.jobs, check.settings);
    if (!use.inUse) return;
    const who = dindUsers(use.jobs);
    const message =
      value === 'host'
        ? msg('network-mode-conflict.host', { runner: runner.label, who })
        : msg('network-mode-conflict.shared', { runner: runner.label, network: value, who });
    const docker = runner.docker;
    const fixes = (): Fix[] => {
      const editor = TomlEditor.fromSources(check.sources, runner.file);
      if (!editor) return [];
      const r = combineEdits(
        editor.removeKey(docker, 'network_mode'),
        editor.setInTable(runner.table, ['feature_flags'], { FF_NETWORK_PER_BUILD: true }),
      );
      return r.ok && r.edits.length > 0
        ? [{ title: '', l10nTitle: msg('network-mode-conflict.fix'), safe: false, preferred: true, edits: r.edits }]
        : [];
    };
    report({
      file: runner.file,
      span: mode.entry.span,
      job: use.jobs.length === 1 ? (use.jobs[0]?.name ?? null) : null,
      message,
      fixes,
    });
  },
};
