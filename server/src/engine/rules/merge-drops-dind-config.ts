// A39 `dind/merge-drops-dind-config` — see the rule catalogue (spec section A, A39).

import type { Rule } from './rule';

export const mergeDropsDindConfig: Rule = {
  meta: {
    id: 'dind/merge-drops-dind-config',
    catalogue: 'A39',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'merge drops dind config',
    docs: 'https://docs.gitlab.com/ci/yaml/yaml_optimization/#merge-details',
    fixSafe: false,
  },
};
