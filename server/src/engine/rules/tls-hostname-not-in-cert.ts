// A18 `dind/tls-hostname-not-in-cert` — see the rule catalogue (spec section A, A18).

import type { Rule } from './rule';

export const tlsHostnameNotInCert: Rule = {
  meta: {
    id: 'dind/tls-hostname-not-in-cert',
    catalogue: 'A18',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'tls hostname not in cert',
    docs: 'https://docs.gitlab.com/ci/services/#accessing-the-services',
    fixSafe: false,
  },
};
