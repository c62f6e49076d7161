// A36 `dind/security-docker-socket` — see the rule catalogue (spec section A, A36): the runner shares the host's
// Docker daemon with jobs (SOCKET_MOUNT(R): a `/var/run/docker.sock` volume or `host_path`, or the Windows engine pipe).

import { DOCKER_PIPE, executorClass, socketMount } from '../semantics/runner';
import type { Rule } from './rule';

export const securityDockerSocket: Rule = {
  meta: {
    id: 'dind/security-docker-socket',
    catalogue: 'A36',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: "Runner mounts the host's Docker socket into jobs (root on the host)",
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#known-issues-with-docker-socket-binding',
    fixSafe: false,
  },

  checkRunner(check, report) {
    const { runner } = check;
    const cls = executorClass(runner);
    if (cls === 'no-containers' || cls === 'custom') return;
    const mount = socketMount(runner);
    if (!mount) return;
    const pipe = mount.containerPath.toLowerCase() === DOCKER_PIPE;
    const what = pipe ? 'the host Docker engine pipe' : 'the host Docker socket';
    const kind = mount.kind === 'kubernetes' ? 'host_path volume' : 'volume';
    report({
      message:
        `Runner \`${runner.label}\` mounts ${what} into every job (${kind} \`${mount.raw}\`). Sharing the host ` +
        'Docker daemon gives every job root on the host; e.g. `docker rm -f $(docker ps -a -q)` removes the ' +
        "runner's containers. Concurrent jobs can clash on container names; `-v $(pwd)...` mounts resolve on the " +
        'host. Prefer Docker-in-Docker with TLS on a dedicated runner, rootless dind, BuildKit rootless, or Buildah.',
      file: runner.file,
      span: mount.origin.span,
      job: null,
    });
  },
};
