// A15 `dind/tls-disabled` — see the rule catalogue (spec section A, A15).

import type { Rule } from './rule';

export const tlsDisabled: Rule = {
  meta: {
    id: 'dind/tls-disabled',
    catalogue: 'A15',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'tls disabled',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-disabled-in-the-docker-executor',
    fixSafe: false,
  },
};
