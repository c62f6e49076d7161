// A11 `dind/tls-port-mismatch` — see the rule catalogue (spec section A, A11).

import type { Rule } from './rule';

export const tlsPortMismatch: Rule = {
  meta: {
    id: 'dind/tls-port-mismatch',
    catalogue: 'A11',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'tls port mismatch',
    docs: 'https://docs.gitlab.com/ci/docker/docker_build_troubleshooting/#error-docker-cannot-connect-to-the-docker-daemon-at-tcpdocker2375',
    fixSafe: false,
  },
};
