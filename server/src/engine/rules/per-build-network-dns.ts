// A23 `dind/per-build-network-dns` — see the rule catalogue (spec section A, A23).

import type { Rule } from './rule';

export const perBuildNetworkDns: Rule = {
  meta: {
    id: 'dind/per-build-network-dns',
    catalogue: 'A23',
    defaultSeverity: 'info',
    scope: 'BOTH',
    title: 'per build network dns',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#create-a-network-for-each-job',
    fixSafe: false,
  },
};
