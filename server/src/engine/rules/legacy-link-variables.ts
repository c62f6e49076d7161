// A22 `dind/legacy-link-variables` — see the rule catalogue (spec section A, A22).

import type { Rule } from './rule';

export const legacyLinkVariables: Rule = {
  meta: {
    id: 'dind/legacy-link-variables',
    catalogue: 'A22',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'legacy link variables',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#configure-a-network-with-container-links',
    fixSafe: false,
  },
};
