// A26 `dind/k8s-healthcheck-port` — see the rule catalogue (spec section A, A26).

import type { Rule } from './rule';

export const k8sHealthcheckPort: Rule = {
  meta: {
    id: 'dind/k8s-healthcheck-port',
    catalogue: 'A26',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'k8s healthcheck port',
    docs: 'https://docs.gitlab.com/runner/executors/kubernetes/#define-a-list-of-services',
    fixSafe: false,
  },
};
