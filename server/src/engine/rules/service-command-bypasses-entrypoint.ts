// A20 `dind/service-command-bypasses-entrypoint` — see the rule catalogue (spec section A, A20).

import type { Rule } from './rule';

export const serviceCommandBypassesEntrypoint: Rule = {
  meta: {
    id: 'dind/service-command-bypasses-entrypoint',
    catalogue: 'A20',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'service command bypasses entrypoint',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#enable-registry-mirror-for-dockerdind-service',
    fixSafe: false,
  },
};
