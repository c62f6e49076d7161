// A12 `dind/tls-verify-without-certs` — see the rule catalogue (spec section A, A12).

import type { Rule } from './rule';

export const tlsVerifyWithoutCerts: Rule = {
  meta: {
    id: 'dind/tls-verify-without-certs',
    catalogue: 'A12',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'tls verify without certs',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-kubernetes',
    fixSafe: false,
  },
};
