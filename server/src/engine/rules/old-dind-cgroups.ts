// A30 `dind/old-dind-cgroups` — see the rule catalogue (spec section A, A30).

import type { Rule } from './rule';

export const oldDindCgroups: Rule = {
  meta: {
    id: 'dind/old-dind-cgroups',
    catalogue: 'A30',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'old dind cgroups',
    docs: 'https://docs.gitlab.com/ci/docker/docker_build_troubleshooting/#error-cgroups-cgroup-mountpoint-does-not-exist-unknown',
    fixSafe: false,
  },
};
