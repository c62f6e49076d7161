// A35 `dind/security-privileged` — see the rule catalogue (spec section A, A35).

import type { Rule } from './rule';

export const securityPrivileged: Rule = {
  meta: {
    id: 'dind/security-privileged',
    catalogue: 'A35',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'security privileged',
    docs: 'https://docs.gitlab.com/runner/security/#usage-of-docker-executor',
    fixSafe: false,
  },
};
