// A24 `dind/mtu-mismatch` — see the rule catalogue (spec section A, A24).

import type { Rule } from './rule';

export const mtuMismatch: Rule = {
  meta: {
    id: 'dind/mtu-mismatch',
    catalogue: 'A24',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'mtu mismatch',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#docker-in-docker-mtu-does-not-inherit-from-the-runner',
    fixSafe: false,
  },
};
