// A32 `dind/buildx-tls-context` — see the rule catalogue (spec section A, A32).

import type { Rule } from './rule';

export const buildxTlsContext: Rule = {
  meta: {
    id: 'dind/buildx-tls-context',
    catalogue: 'A32',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'buildx tls context',
    docs: 'https://docs.gitlab.com/ci/docker/docker_layer_caching/',
    fixSafe: false,
  },
};
