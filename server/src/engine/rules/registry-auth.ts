// A33 `dind/registry-auth` — see the rule catalogue (spec section A, A33).

import type { Rule } from './rule';

export const registryAuth: Rule = {
  meta: {
    id: 'dind/registry-auth',
    catalogue: 'A33',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'registry auth',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#authenticate-with-registry-in-docker-in-docker',
    fixSafe: false,
  },
};
