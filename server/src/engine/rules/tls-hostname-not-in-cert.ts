// A18 `dind/tls-hostname-not-in-cert`: the client connects to a TLS dind daemon by a name its generated server
// certificate does not cover. `dockerd-entrypoint.sh` (D1 `_tls_san`) puts only the container's IPs and hostname,
// `docker`, `localhost` and `$DOCKER_TLS_SAN` in it.

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
        if (daemon.tls !== true) continue;
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
          message:
            'The dind server certificate only covers `docker`, `localhost`, the container hostname and IPs; ' +
            `connecting as \`${endpoint.host}\` (DOCKER_HOST \`${v.value}\`) to service \`${s.name.value}\` fails verification: ` +
            `\`x509: certificate is valid for <container-id>, docker, localhost, not ${endpoint.host}\`. ` +
            `Set DOCKER_TLS_SAN: "DNS:${endpoint.host}" on the service or use the \`docker\` alias (job \`${check.job.name}\`).`,
          fixes: [
            ...fixOf(
              `Add DOCKER_TLS_SAN \`DNS:${endpoint.host}\` to service \`${s.name.value}\``,
              addTlsSan(check, facts, s, endpoint.host),
              false,
              true,
            ),
            ...fixOf(`Point DOCKER_HOST at \`${withHost(v.raw, 'docker')}\``, pointAtDocker(check, v, s), false, false),
          ],
        });
      }
    }
  },
};
