// A17 `dind/docker-host-unresolvable` — see the rule catalogue (spec section A, A17).

import type { Rule } from './rule';

export const dockerHostUnresolvable: Rule = {
  meta: {
    id: 'dind/docker-host-unresolvable',
    catalogue: 'A17',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'docker host unresolvable',
    docs: 'https://docs.gitlab.com/ci/services/#accessing-the-services',
    fixSafe: false,
  },
};
