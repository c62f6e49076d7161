// A6 `dind/privileged-required` — see the rule catalogue (spec section A, A6).

import type { Rule } from './rule';

export const privilegedRequired: Rule = {
  meta: {
    id: 'dind/privileged-required',
    catalogue: 'A6',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'privileged required',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#use-docker-in-docker-with-privileged-mode',
    fixSafe: false,
  },
};
