// A18 `dind/tls-hostname-not-in-cert`: the client connects to a TLS dind daemon by a name its generated server
// certificate does not cover. `dockerd-entrypoint.sh` (D1 `_tls_san`) puts only the container's IPs and hostname,
// `docker`, `localhost` and `$DOCKER_TLS_SAN` in it. Reported only when DOCKER_HOST reaches a TLS listener of the
// daemon (2376, or a `--host` port with TLS on): on any other port there is no handshake, and A11 explains it.

import { msg } from '../i18n';
import { listenerFor } from '../semantics/daemon';
import { JobFacts } from '../semantics/facts';
import { executorClass } from '../semantics/runner';
import type { RelatedLocation } from '../types';
import type { Rule } from './rule';
import { addTlsSan, editable, fixOf, knownAliases, pointAtDocker, withHost } from './service-alias-missing';

/** Names every generated dind server certificate covers (besides the container's own hostname and IPs). */
const CERT_NAMES = new Set(['docker', 'localhost']);

function isIpAddress(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

/** True when a DOCKER_TLS_SAN value lists `DNS:{host}` (entries are separated by commas or white space). */
function sanCovers(san: string, host: string): boolean {
  return san.split(/[\s,]+/).some((e) => e.toLowerCase() === `dns:${host}`);
}

export const tlsHostnameNotInCert: Rule = {
  meta: {
    id: 'dind/tls-hostname-not-in-cert',
    catalogue: 'A18',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'With TLS, DOCKER_HOST must use a name the dind server certificate covers (`docker`, or DOCKER_TLS_SAN)',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-the-docker-executor',
    fixSafe: false,
  },

  messages: {
    en: {
      'tls-hostname-not-in-cert.message':
        'The dind server certificate only covers `docker`, `localhost`, the container hostname and IPs; connecting as ' +
        '`{host}` (DOCKER_HOST `{value}`) to service `{service}` fails verification: `x509: certificate is valid for ' +
        '<container-id>, docker, localhost, not {host}`. Set DOCKER_TLS_SAN: "DNS:{host}" on the service or use the ' +
        '`docker` alias (job `{job}`).',
      'tls-hostname-not-in-cert.fix-add-san': 'Add DOCKER_TLS_SAN `DNS:{host}` to service `{service}`',
      'tls-hostname-not-in-cert.fix-point-at-docker': 'Point DOCKER_HOST at `{target}`',
    },
    'zh-cn': {
      'tls-hostname-not-in-cert.message':
        'dind 服务器证书只包含 `docker`、`localhost`、容器主机名和 IP；以 `{host}`（DOCKER_HOST `{value}`）连接服务 ' +
        '`{service}` 时证书校验会失败：`x509: certificate is valid for <container-id>, docker, localhost, not ' +
        '{host}`。请在该服务上设置 DOCKER_TLS_SAN: "DNS:{host}"，或使用 `docker` 别名（作业 `{job}`）。',
      'tls-hostname-not-in-cert.fix-add-san': '为服务 `{service}` 添加 DOCKER_TLS_SAN `DNS:{host}`',
      'tls-hostname-not-in-cert.fix-point-at-docker': '将 DOCKER_HOST 指向 `{target}`',
    },
  },

  checkJob(check, report) {
    if (check.runner && executorClass(check.runner) === 'no-containers') return;
    for (const facts of JobFacts.variants(check.job, check.runner, check.settings)) {
      const v = facts.dockerHost.variable;
      const endpoint = facts.dockerHost.endpoint;
      if (facts.dockerHost.source !== 'variable' || v?.state !== 'set' || endpoint?.scheme !== 'tcp') continue;
      const host = endpoint.host.toLowerCase();
      if (CERT_NAMES.has(host) || isIpAddress(host) || !editable(check, v.origin.file)) continue;
      for (const s of facts.dindServices) {
        if (!(knownAliases(s)?.names.some((n) => n.toLowerCase() === host) ?? false)) continue;
        const daemon = facts.daemon(s);
        // Only a TLS listener checks the name: on another port the client gets no certificate (A11 explains that).
        if (daemon.tls !== true || listenerFor(daemon, endpoint)?.tls !== true) continue;
        const san = daemon.tlsSan;
        if (san.state === 'unknown' || (san.state === 'set' && sanCovers(san.value, host))) continue;
        const place = s.aliasOrigin ?? s.name.origin;
        const related: RelatedLocation[] = editable(check, place.file)
          ? [
              {
                file: place.file,
                span: place.span,
                message: `service \`${s.name.value}\` answers to \`${endpoint.host}\``,
              },
            ]
          : [];
        report({
          file: v.origin.file,
          span: v.origin.span,
          related,
          message: msg('tls-hostname-not-in-cert.message', {
            host: endpoint.host,
            value: v.value,
            service: s.name.value,
            job: check.job.name,
          }),
          fixes: () => [
            ...fixOf(
              msg('tls-hostname-not-in-cert.fix-add-san', { host: endpoint.host, service: s.name.value }),
              addTlsSan(check, facts, s, endpoint.host),
              false,
              true,
            ),
            ...fixOf(
              msg('tls-hostname-not-in-cert.fix-point-at-docker', { target: withHost(v.raw, 'docker') }),
              pointAtDocker(check, v, s),
              false,
              false,
            ),
          ],
        });
      }
    }
  },
};
