// A29 `dind/client-daemon-version-skew` — see the rule catalogue (spec section A, A29).

import type { Rule } from './rule';

export const clientDaemonVersionSkew: Rule = {
  meta: {
    id: 'dind/client-daemon-version-skew',
    catalogue: 'A29',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'client daemon version skew',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-in-docker',
    fixSafe: false,
  },
};
