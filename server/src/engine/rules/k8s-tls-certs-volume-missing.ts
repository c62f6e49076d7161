// A10 `dind/k8s-tls-certs-volume-missing` — see the rule catalogue (spec section A, A10).

import type { Rule } from './rule';

export const k8sTlsCertsVolumeMissing: Rule = {
  meta: {
    id: 'dind/k8s-tls-certs-volume-missing',
    catalogue: 'A10',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'k8s tls certs volume missing',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-kubernetes',
    fixSafe: false,
  },
};
