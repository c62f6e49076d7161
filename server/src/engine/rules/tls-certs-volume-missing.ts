// A9 `dind/tls-certs-volume-missing` — see the rule catalogue (spec section A, A9).

import type { Rule } from './rule';

export const tlsCertsVolumeMissing: Rule = {
  meta: {
    id: 'dind/tls-certs-volume-missing',
    catalogue: 'A9',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'tls certs volume missing',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-the-docker-executor',
    fixSafe: false,
  },
};
