// A25 `dind/proxy-no-proxy` — see the rule catalogue (spec section A, A25).

import type { Rule } from './rule';

export const proxyNoProxy: Rule = {
  meta: {
    id: 'dind/proxy-no-proxy',
    catalogue: 'A25',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'proxy no proxy',
    docs: 'https://docs.gitlab.com/runner/configuration/proxy/#proxy-settings-when-using-dind-service',
    fixSafe: false,
  },
};
