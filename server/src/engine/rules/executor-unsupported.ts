// A3 `dind/executor-unsupported` — see the rule catalogue (spec section A, A3).

import type { Rule } from './rule';

export const executorUnsupported: Rule = {
  meta: {
    id: 'dind/executor-unsupported',
    catalogue: 'A3',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'executor unsupported',
    docs: 'https://docs.gitlab.com/runner/executors/#compatibility-chart',
    fixSafe: false,
  },
};
