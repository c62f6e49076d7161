// A13 `dind/client-env-not-autoconfigured` — see the rule catalogue (spec section A, A13).

import type { Rule } from './rule';

export const clientEnvNotAutoconfigured: Rule = {
  meta: {
    id: 'dind/client-env-not-autoconfigured',
    catalogue: 'A13',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'client env not autoconfigured',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-kubernetes',
    fixSafe: false,
  },
};
