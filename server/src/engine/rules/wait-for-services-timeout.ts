// A27 `dind/wait-for-services-timeout`: on DockerLike runners the service health check waits up to
// `wait_for_services_timeout` seconds (default 30; -1 disables it). Shorter than dind's startup, jobs race the daemon.

import { TomlEditor } from '../fix/toml-edit';
import { msg } from '../i18n';
import { entryOf, executorClass } from '../semantics';
import type { Fix } from '../types';
import { dindUse, dindUsers } from './network-mode-conflict';
import type { Rule } from './rule';

/** The runner's default (`common.DefaultWaitForServicesTimeout`), used by the fix. */
const DEFAULT_TIMEOUT = 30;

export const waitForServicesTimeout: Rule = {
  meta: {
    id: 'dind/wait-for-services-timeout',
    catalogue: 'A27',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'With dind, `wait_for_services_timeout` must not be disabled (-1) or shorter than 30 seconds',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#how-gitlab-runner-performs-the-services-health-check',
    fixSafe: true,
  },

  messages: {
    en: {
      'wait-for-services-timeout.disabled':
        'On runner `{runner}`, wait_for_services_timeout = {timeout} disables the service health check: the runner ' +
        'will not wait for dind ({who}) to listen, so the job may start before the daemon is ready (dind generates ' +
        '4096-bit TLS keys at startup, plus ~16 s without TLS) and fail with `Cannot connect to the Docker daemon...` ' +
        "after `*** WARNING: Service ... probably didn't start properly.`. Use the default 30 s or more, or wait in " +
        'the job: `before_script: - until docker info; do sleep 1; done`.',
      'wait-for-services-timeout.short':
        'On runner `{runner}`, wait_for_services_timeout = {timeout} waits only {timeout} s for services: the runner ' +
        'will not wait for dind ({who}) to listen, so the job may start before the daemon is ready (dind generates ' +
        '4096-bit TLS keys at startup, plus ~16 s without TLS) and fail with `Cannot connect to the Docker daemon...` ' +
        "after `*** WARNING: Service ... probably didn't start properly.`. Use the default 30 s or more, or wait in " +
        'the job: `before_script: - until docker info; do sleep 1; done`.',
      'wait-for-services-timeout.fix': 'Set `wait_for_services_timeout = {timeout}`',
    },
    'zh-cn': {
      'wait-for-services-timeout.disabled':
        'Runner `{runner}` 上的 wait_for_services_timeout = {timeout} 关闭了服务健康检查：Runner 不会等待 dind（{who}）' +
        '开始监听，作业可能在守护进程就绪之前就已启动（dind 启动时要生成 4096 位 TLS 密钥；不启用 TLS 时也约需 16 秒），' +
        "并在出现 `*** WARNING: Service ... probably didn't start properly.` 之后失败，报错 " +
        '`Cannot connect to the Docker daemon...`。请使用默认的 30 秒或更长时间，或在作业中等待：' +
        '`before_script: - until docker info; do sleep 1; done`。',
      'wait-for-services-timeout.short':
        'Runner `{runner}` 上的 wait_for_services_timeout = {timeout} 只等待服务 {timeout} 秒：Runner 不会等待 dind' +
        '（{who}）开始监听，作业可能在守护进程就绪之前就已启动（dind 启动时要生成 4096 位 TLS 密钥；不启用 TLS 时也约需 ' +
        "16 秒），并在出现 `*** WARNING: Service ... probably didn't start properly.` 之后失败，报错 " +
        '`Cannot connect to the Docker daemon...`。请使用默认的 30 秒或更长时间，或在作业中等待：' +
        '`before_script: - until docker info; do sleep 1; done`。',
      'wait-for-services-timeout.fix': '设置 `wait_for_services_timeout = {timeout}`',
    },
  },

  checkRunner(check, report) {
    const runner = check.runner;
    if (executorClass(runner) !== 'docker-like') return;
    const entry = entryOf(runner.docker, 'wait_for_services_timeout');
    if (!entry || typeof entry.value !== 'number' || !Number.isInteger(entry.value)) return;
    const timeout = entry.value;
    if (timeout === 0 || timeout >= DEFAULT_TIMEOUT) return;
    const use = dindUse(runner, check.jobs, check.settings);
    if (!use.inUse) return;
    const params = { runner: runner.label, timeout, who: dindUsers(use.jobs) };
    const message =
      timeout < 0 ? msg('wait-for-services-timeout.disabled', params) : msg('wait-for-services-timeout.short', params);
    const fixes = (): Fix[] => {
      const editor = TomlEditor.fromSources(check.sources, runner.file);
      const r = editor?.replaceValue(entry, DEFAULT_TIMEOUT);
      if (!r?.ok || r.edits.length === 0) return [];
      return [
        {
          title: '',
          l10nTitle: msg('wait-for-services-timeout.fix', { timeout: DEFAULT_TIMEOUT }),
          safe: true,
          preferred: true,
          edits: r.edits,
        },
      ];
    };
    report({
      file: runner.file,
      span: entry.span,
      job: use.jobs.length === 1 ? (use.jobs[0]?.name ?? null) : null,
      message,
      fixes,
    });
  },
};
