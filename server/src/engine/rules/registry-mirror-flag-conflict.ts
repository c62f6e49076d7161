// A34 `dind/registry-mirror-flag-conflict` — see the rule catalogue (spec section A, A34).

import type { Rule } from './rule';

export const registryMirrorFlagConflict: Rule = {
  meta: {
    id: 'dind/registry-mirror-flag-conflict',
    catalogue: 'A34',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'registry mirror flag conflict',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#enable-registry-mirror-for-dockerdind-service',
    fixSafe: false,
  },
};
