// A16 `dind/service-alias-missing` — see the rule catalogue (spec section A, A16).

import type { Rule } from './rule';

export const serviceAliasMissing: Rule = {
  meta: {
    id: 'dind/service-alias-missing',
    catalogue: 'A16',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'service alias missing',
    docs: 'https://docs.gitlab.com/ci/docker/docker_build_troubleshooting/#docker-no-such-host-error',
    fixSafe: false,
  },
};
