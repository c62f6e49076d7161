// A15 `dind/tls-disabled`: `DOCKER_TLS_CERTDIR: ""` turns TLS off for a dind service. (a) a warning: the daemon
// exposes an unauthenticated root-equivalent API on tcp/2375; (b) info: without `--tls=false` dockerd sleeps ~15 s
// at startup.

import { combineEdits, type EditResult } from '../fix/common';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
import { dockerTag } from '../semantics/images';
import { JobFacts } from '../semantics/facts';
import type { Svc } from '../semantics/services';
import type { Fix } from '../types';
import type { Rule, RuleEnv } from './rule';
import {
  certsVolumeEdit,
  fixes,
  healthcheckPortEdit,
  hostAlias,
  makeFix,
  setVariablesEdit,
} from './tls-certs-volume-missing';

/** `command: ["--tls=false"]` on a job service (appended to a flags-only command). */
function tlsFalseEdit(env: RuleEnv, s: Svc): EditResult {
  if (s.source !== 'job') return { ok: false, reason: 'runner service' };
  const editor = YamlEditor.fromSources(env.sources, s.origin.file);
  if (!editor) return { ok: false, reason: 'file not loaded' };
  if (!s.command) return editor.setItemKeysAt(s.origin.span, { command: ['--tls=false'] });
  const seq = editor.locate(s.command.origin.span)?.node;
  return editor.appendItem(seq, '--tls=false');
}

/** dind releases before 27.0: the docs' deprecation note says 27+ refuses `--tls=false` on TCP (spec E2). */
function tlsFalseSupported(s: Svc): boolean {
  const v = dockerTag(s.ref)?.version;
  return v?.kind === 'pinned' && v.major < 27;
}

export const tlsDisabled: Rule = {
  meta: {
    id: 'dind/tls-disabled',
    catalogue: 'A15',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'dind with DOCKER_TLS_CERTDIR: "" serves an unauthenticated Docker API and starts ~15 s slower',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-disabled-in-the-docker-executor',
    fixSafe: false,
  },

  messages: {
    en: {
      'tls-disabled.unauthenticated':
        'dind service `{service}` runs without TLS (DOCKER_TLS_CERTDIR: ""): it exposes an unauthenticated ' +
        'root-equivalent API on tcp/2375 to every container on the job network (job `{job}`); GitLab recommends TLS: ' +
        'set DOCKER_TLS_CERTDIR: "/certs", use port 2376 and share "/certs/client" in the runner.',
      'tls-disabled.slow-start':
        'dockerd sleeps ~15 s at startup when listening on TCP without TLS unless `--tls=false` is passed (service ' +
        'log: "Binding to an IP address without --tlsverify is deprecated. Startup is intentionally being slowed down ' +
        'to show this message"). Add --tls=false to the command of `{service}`.',
      'tls-disabled.slow-start-check-version':
        'dockerd sleeps ~15 s at startup when listening on TCP without TLS unless `--tls=false` is passed (service ' +
        'log: "Binding to an IP address without --tlsverify is deprecated. Startup is intentionally being slowed down ' +
        'to show this message"). Add --tls=false to the command of `{service}` (check that your dind version still ' +
        'accepts it: Docker 27+ may refuse it).',
      'tls-disabled.fix-enable-tls': 'Switch dind to TLS: DOCKER_TLS_CERTDIR: "/certs"',
      'tls-disabled.fix-tls-false': 'Add --tls=false to the dind service command',
    },
    'zh-cn': {
      'tls-disabled.unauthenticated':
        'dind 服务 `{service}` 未启用 TLS（DOCKER_TLS_CERTDIR: ""）：它会在 tcp/2375 上向作业网络中的所有容器暴露' +
        '一个无需认证、等同 root 权限的 API（作业 `{job}`）；GitLab 建议使用 TLS：设置 DOCKER_TLS_CERTDIR: "/certs"，' +
        '使用端口 2376，并在 Runner 中共享 "/certs/client"。',
      'tls-disabled.slow-start':
        'dockerd 在不使用 TLS 监听 TCP 时，除非传入 `--tls=false`，否则启动时会等待约 15 秒（服务日志："Binding to ' +
        'an IP address without --tlsverify is deprecated. Startup is intentionally being slowed down to show this ' +
        'message"）。请在 `{service}` 的命令中添加 --tls=false。',
      'tls-disabled.slow-start-check-version':
        'dockerd 在不使用 TLS 监听 TCP 时，除非传入 `--tls=false`，否则启动时会等待约 15 秒（服务日志："Binding to ' +
        'an IP address without --tlsverify is deprecated. Startup is intentionally being slowed down to show this ' +
        'message"）。请在 `{service}` 的命令中添加 --tls=false（请确认你的 dind 版本仍然接受该参数：Docker 27+ 可能会' +
        '拒绝它）。',
      'tls-disabled.fix-enable-tls': '将 dind 切换为 TLS：DOCKER_TLS_CERTDIR: "/certs"',
      'tls-disabled.fix-tls-false': '在 dind 服务命令中添加 --tls=false',
    },
  },

  checkJob(check, report) {
    const runner = check.runner;
    for (const facts of JobFacts.variants(check.job, runner, check.settings)) {
      for (const s of facts.dindServices) {
        const d = facts.daemon(s);
        if (!d.entrypointRuns || d.certDir.state !== 'set' || d.certDir.value !== '') continue;
        if (d.certDir.layer === 'image-default') continue;
        const origin = d.certDir.origin;

        const values: Record<string, string | null> = { DOCKER_TLS_CERTDIR: '/certs' };
        const host = facts.dockerHost;
        if (host.source === 'variable' && host.endpoint?.scheme === 'tcp' && host.endpoint.port === 2375) {
          values['DOCKER_HOST'] = `tcp://${hostAlias(facts, s)}:2376`;
        }
        if (!facts.clientAuto.value) {
          values['DOCKER_TLS_VERIFY'] = '1';
          values['DOCKER_CERT_PATH'] = '$DOCKER_TLS_CERTDIR/client';
        }
        const enable = (): Fix | undefined => {
          const results = [setVariablesEdit(check, facts, s, values), healthcheckPortEdit(check, s, true)];
          if (runner && !check.runnerAssumed && facts.certsShared('/certs') === null) {
            results.push(certsVolumeEdit(check, runner, '/certs'));
          }
          return makeFix(msg('tls-disabled.fix-enable-tls'), false, true, combineEdits(...results));
        };
        report({
          severity: 'warning',
          message: msg('tls-disabled.unauthenticated', { service: s.name.value, job: check.job.name }),
          file: origin.file,
          span: origin.span,
          fixes: () => fixes(enable()),
        });

        if (d.tlsExplicitlyDisabled) continue;
        const place = s.command?.origin ?? s.name.origin;
        const supported = tlsFalseSupported(s);
        const tlsFalse = (): Fix | undefined =>
          supported ? makeFix(msg('tls-disabled.fix-tls-false'), false, true, tlsFalseEdit(check, s)) : undefined;
        report({
          severity: 'info',
          message: supported
            ? msg('tls-disabled.slow-start', { service: s.name.value })
            : msg('tls-disabled.slow-start-check-version', { service: s.name.value }),
          file: place.file,
          span: place.span,
          fixes: () => fixes(tlsFalse()),
        });
      }
    }
  },
};
