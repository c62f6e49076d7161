// A11 `dind/tls-port-mismatch`: DOCKER_HOST points at a dind service on a port it does not listen on (2375 while
// the daemon serves TLS on 2376, 2376 while it serves plain TCP on 2375, or a custom port without `--host`).

import { combineEdits } from '../fix/common';
import { msg } from '../i18n';
import { DIND_PLAIN_PORT, DIND_TLS_PORT, tcpPorts } from '../semantics/daemon';
import { JobFacts } from '../semantics/facts';
import type { Svc } from '../semantics/services';
import type { Fix } from '../types';
import type { Rule } from './rule';
import {
  fixes,
  healthcheckPortEdit,
  hostAlias,
  makeFix,
  related,
  setVariablesEdit,
  type Place,
} from './tls-certs-volume-missing';

interface Mismatch {
  readonly facts: JobFacts;
  readonly s: Svc;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly place: Place;
  /** The DOCKER_HOST value is written in config.toml (`[[runners]] environment`). */
  readonly fromRunner: boolean;
  readonly explicit: boolean;
}

function mismatch(facts: JobFacts): Mismatch | undefined {
  const eff = facts.dockerHost;
  const endpoint = eff.endpoint;
  if (endpoint?.scheme !== 'tcp') return undefined;
  const host = endpoint.host.toLowerCase();
  const s = facts.dindServices.find((x) => facts.aliases(x).some((a) => a.toLowerCase() === host));
  if (!s) return undefined;
  const d = facts.daemon(s);
  if (d.tls === null) return undefined;
  const port = endpoint.port;
  const wrong = port === DIND_PLAIN_PORT ? d.tls : port === DIND_TLS_PORT ? !d.tls : !tcpPorts(d).includes(port);
  if (!wrong) return undefined;
  if (eff.source === 'variable' && eff.variable) {
    const o = eff.variable.origin;
    return {
      facts,
      s,
      host: endpoint.host,
      port,
      tls: d.tls,
      place: { file: o.file, span: o.span },
      fromRunner: eff.variable.layer === 'runner',
      explicit: true,
    };
  }
  if (eff.source !== 'entrypoint' || !d.tls || d.certDir.state !== 'set') return undefined;
  // The entrypoint fell back to 2375 although the daemon serves TLS. When the runner does not share the cert dir,
  // that is A9/A10's finding; here the client looks for certificates in another directory than the daemon writes.
  if (facts.runner && facts.certsShared(d.certDir.value) === null) return undefined;
  const clientDir = facts.buildVar('DOCKER_TLS_CERTDIR');
  const o = clientDir.state === 'unset' || clientDir.layer === 'image-default' ? s.name.origin : clientDir.origin;
  return {
    facts,
    s,
    host: endpoint.host,
    port,
    tls: d.tls,
    place: { file: o.file, span: o.span },
    fromRunner: clientDir.state !== 'unset' && clientDir.layer === 'runner',
    explicit: false,
  };
}

export const tlsPortMismatch: Rule = {
  meta: {
    id: 'dind/tls-port-mismatch',
    catalogue: 'A11',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'DOCKER_HOST must use the port the dind service listens on: 2376 with TLS, 2375 without',
    docs: 'https://docs.gitlab.com/ci/docker/docker_build_troubleshooting/#error-docker-cannot-connect-to-the-docker-daemon-at-tcpdocker2375',
    fixSafe: false,
  },

  messages: {
    en: {
      'tls-port-mismatch.message':
        '{what}{where} but the dind service `{service}` listens on {listens}: job `{job}` will fail with "Cannot ' +
        'connect to the Docker daemon at tcp://{host}:{port}. Is the docker daemon running?". {todo}',
      'tls-port-mismatch.what-explicit': 'DOCKER_HOST uses port {port}',
      'tls-port-mismatch.what-entrypoint':
        "The client entrypoint picks DOCKER_HOST=tcp://{host}:{port} (the client's DOCKER_TLS_CERTDIR holds no " +
        'certificates)',
      'tls-port-mismatch.where-runner': ' (set in the environment of runner `{runner}`)',
      'tls-port-mismatch.listens-tls': '2376 (TLS)',
      'tls-port-mismatch.listens-plain': '2375 (no TLS)',
      'tls-port-mismatch.todo-tls': 'Use DOCKER_HOST: tcp://{alias}:2376, or turn TLS off with DOCKER_TLS_CERTDIR: "".',
      'tls-port-mismatch.todo-plain': 'Use DOCKER_HOST: tcp://{alias}:2375.',
      'tls-port-mismatch.fix-use-port': 'Set DOCKER_HOST to tcp://{alias}:{port}',
      'tls-port-mismatch.fix-tls-off': 'Turn TLS off for dind: DOCKER_TLS_CERTDIR: ""',
    },
    'zh-cn': {
      'tls-port-mismatch.message':
        '{what}{where}，但 dind 服务 `{service}` 监听的是 {listens}：作业 `{job}` 会失败并报错 "Cannot connect to ' +
        'the Docker daemon at tcp://{host}:{port}. Is the docker daemon running?"。{todo}',
      'tls-port-mismatch.what-explicit': 'DOCKER_HOST 使用端口 {port}',
      'tls-port-mismatch.what-entrypoint':
        '客户端入口脚本选择了 DOCKER_HOST=tcp://{host}:{port}（客户端的 DOCKER_TLS_CERTDIR 中没有证书）',
      'tls-port-mismatch.where-runner': '（在 Runner `{runner}` 的 environment 中设置）',
      'tls-port-mismatch.listens-tls': '2376（TLS）',
      'tls-port-mismatch.listens-plain': '2375（无 TLS）',
      'tls-port-mismatch.todo-tls': '请使用 DOCKER_HOST: tcp://{alias}:2376，或通过 DOCKER_TLS_CERTDIR: "" 关闭 TLS。',
      'tls-port-mismatch.todo-plain': '请使用 DOCKER_HOST: tcp://{alias}:2375。',
      'tls-port-mismatch.fix-use-port': '将 DOCKER_HOST 设为 tcp://{alias}:{port}',
      'tls-port-mismatch.fix-tls-off': '为 dind 关闭 TLS：DOCKER_TLS_CERTDIR: ""',
    },
  },

  checkJob(check, report) {
    for (const facts of JobFacts.variants(check.job, check.runner, check.settings)) {
      const m = mismatch(facts);
      if (!m) continue;
      const listens = m.tls ? msg('tls-port-mismatch.listens-tls') : msg('tls-port-mismatch.listens-plain');
      const right = m.tls ? DIND_TLS_PORT : DIND_PLAIN_PORT;
      const alias = hostAlias(facts, m.s);
      const what = m.explicit
        ? msg('tls-port-mismatch.what-explicit', { port: m.port })
        : msg('tls-port-mismatch.what-entrypoint', { host: m.host, port: m.port });
      const where =
        m.fromRunner && check.runner ? msg('tls-port-mismatch.where-runner', { runner: check.runner.label }) : '';
      const todo = m.tls
        ? msg('tls-port-mismatch.todo-tls', { alias })
        : msg('tls-port-mismatch.todo-plain', { alias });
      const usePort = (): Fix | undefined =>
        m.explicit
          ? makeFix(
              msg('tls-port-mismatch.fix-use-port', { alias, port: right }),
              false,
              true,
              setVariablesEdit(check, facts, m.s, { DOCKER_HOST: `tcp://${alias}:${right}` }),
            )
          : undefined;
      const tlsOff = (): Fix | undefined =>
        m.tls && m.port === DIND_PLAIN_PORT
          ? makeFix(
              msg('tls-port-mismatch.fix-tls-off'),
              false,
              !m.explicit,
              combineEdits(
                setVariablesEdit(check, facts, m.s, {
                  DOCKER_TLS_CERTDIR: '',
                  DOCKER_TLS_VERIFY: null,
                  DOCKER_CERT_PATH: null,
                }),
                healthcheckPortEdit(check, m.s, false),
              ),
            )
          : undefined;
      report({
        message: msg('tls-port-mismatch.message', {
          what,
          where,
          service: m.s.name.value,
          listens,
          job: check.job.name,
          host: m.host,
          port: m.port,
          todo,
        }),
        file: m.place.file,
        span: m.place.span,
        ...(m.fromRunner
          ? { related: [related({ file: m.s.name.origin.file, span: m.s.name.origin.span }, 'the dind service')] }
          : {}),
        fixes: () => fixes(usePort(), tlsOff()),
      });
    }
  },
};
