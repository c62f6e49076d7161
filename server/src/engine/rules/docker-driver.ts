// A31 `dind/docker-driver` — see the rule catalogue (spec section A, A31).

import type { Rule } from './rule';

export const dockerDriver: Rule = {
  meta: {
    id: 'dind/docker-driver',
    catalogue: 'A31',
    defaultSeverity: 'info',
    scope: 'BOTH',
    title: 'docker driver',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-the-overlayfs-driver',
    fixSafe: false,
  },
};
