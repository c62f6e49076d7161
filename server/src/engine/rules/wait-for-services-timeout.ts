// A27 `dind/wait-for-services-timeout` — see the rule catalogue (spec section A, A27).

import type { Rule } from './rule';

export const waitForServicesTimeout: Rule = {
  meta: {
    id: 'dind/wait-for-services-timeout',
    catalogue: 'A27',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'wait for services timeout',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#how-gitlab-runner-performs-the-services-health-check',
    fixSafe: false,
  },
};
