// A14 `dind/certs-volume-shared` — see the rule catalogue (spec section A, A14).

import type { Rule } from './rule';

export const certsVolumeShared: Rule = {
  meta: {
    id: 'dind/certs-volume-shared',
    catalogue: 'A14',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'certs volume shared',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-a-unix-socket-on-a-shared-volume-between-docker-in-docker-and-build-container',
    fixSafe: false,
  },
};
