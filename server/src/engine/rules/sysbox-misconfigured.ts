// A38 `dind/sysbox-misconfigured` — see the rule catalogue (spec section A, A38).

import type { Rule } from './rule';

export const sysboxMisconfigured: Rule = {
  meta: {
    id: 'dind/sysbox-misconfigured',
    catalogue: 'A38',
    defaultSeverity: 'error',
    scope: 'TOML',
    title: 'sysbox misconfigured',
    docs: 'https://docs.gitlab.com/runner/configuration/advanced-configuration/#the-runnersdocker-section',
    fixSafe: false,
  },
};
