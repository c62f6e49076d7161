// A37 `dind/rootless-misconfigured` — see the rule catalogue (spec section A, A37).

import type { Rule } from './rule';

export const rootlessMisconfigured: Rule = {
  meta: {
    id: 'dind/rootless-misconfigured',
    catalogue: 'A37',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'rootless misconfigured',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#use-rootless-docker-in-docker-with-restricted-privileged-mode',
    fixSafe: false,
  },
};
