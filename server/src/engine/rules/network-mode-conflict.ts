// A21 `dind/network-mode-conflict` — see the rule catalogue (spec section A, A21).

import type { Rule } from './rule';

export const networkModeConflict: Rule = {
  meta: {
    id: 'dind/network-mode-conflict',
    catalogue: 'A21',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'network mode conflict',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#network-configurations',
    fixSafe: false,
  },
};
