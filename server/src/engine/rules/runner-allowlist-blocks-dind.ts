// A7 `dind/runner-allowlist-blocks-dind` — see the rule catalogue (spec section A, A7).

import type { Rule } from './rule';

export const runnerAllowlistBlocksDind: Rule = {
  meta: {
    id: 'dind/runner-allowlist-blocks-dind',
    catalogue: 'A7',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'runner allowlist blocks dind',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#restrict-docker-images-and-services',
    fixSafe: false,
  },
};
