// A4 `dind/executor-section-mismatch` — see the rule catalogue (spec section A, A4).

import type { Rule } from './rule';

export const executorSectionMismatch: Rule = {
  meta: {
    id: 'dind/executor-section-mismatch',
    catalogue: 'A4',
    defaultSeverity: 'error',
    scope: 'TOML',
    title: 'executor section mismatch',
    docs: 'https://docs.gitlab.com/runner/configuration/advanced-configuration/#the-executors',
    fixSafe: false,
  },
};
