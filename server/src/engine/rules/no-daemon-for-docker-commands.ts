// A1 `dind/no-daemon-for-docker-commands` — see the rule catalogue (spec section A, A1).

import type { Rule } from './rule';

export const noDaemonForDockerCommands: Rule = {
  meta: {
    id: 'dind/no-daemon-for-docker-commands',
    catalogue: 'A1',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'no daemon for docker commands',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#enable-docker-commands-in-your-cicd-jobs',
    fixSafe: false,
  },
};
