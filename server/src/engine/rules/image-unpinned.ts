// A28 `dind/image-unpinned` — see the rule catalogue (spec section A, A28).

import type { Rule } from './rule';

export const imageUnpinned: Rule = {
  meta: {
    id: 'dind/image-unpinned',
    catalogue: 'A28',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'image unpinned',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-in-docker',
    fixSafe: false,
  },
};
