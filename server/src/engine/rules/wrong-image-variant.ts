// A5 `dind/wrong-image-variant` — see the rule catalogue (spec section A, A5).

import type { Rule } from './rule';

export const wrongImageVariant: Rule = {
  meta: {
    id: 'dind/wrong-image-variant',
    catalogue: 'A5',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'wrong image variant',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-in-docker',
    fixSafe: false,
  },
};
