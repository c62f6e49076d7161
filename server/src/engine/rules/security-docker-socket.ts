// A36 `dind/security-docker-socket` — see the rule catalogue (spec section A, A36).

import type { Rule } from './rule';

export const securityDockerSocket: Rule = {
  meta: {
    id: 'dind/security-docker-socket',
    catalogue: 'A36',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'security docker socket',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#known-issues-with-docker-socket-binding',
    fixSafe: false,
  },
};
