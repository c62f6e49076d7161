// A2 `dind/socket-mount-with-dind-service` — see the rule catalogue (spec section A, A2).

import type { Rule } from './rule';

export const socketMountWithDindService: Rule = {
  meta: {
    id: 'dind/socket-mount-with-dind-service',
    catalogue: 'A2',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'socket mount with dind service',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-socket-binding',
    fixSafe: false,
  },
};
