// A8 `dind/k8s-privilege-escalation-conflict` — see the rule catalogue (spec section A, A8).

import type { Rule } from './rule';

export const k8sPrivilegeEscalationConflict: Rule = {
  meta: {
    id: 'dind/k8s-privilege-escalation-conflict',
    catalogue: 'A8',
    defaultSeverity: 'error',
    scope: 'TOML',
    title: 'k8s privilege escalation conflict',
    docs: 'https://docs.gitlab.com/runner/executors/kubernetes/#set-a-security-policy-for-the-pod',
    fixSafe: false,
  },
};
