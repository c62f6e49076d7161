// A36 `dind/security-docker-socket` — see the rule catalogue (spec section A, A36): the runner shares the host's
// Docker daemon with jobs (SOCKET_MOUNT(R): a `/var/run/docker.sock` volume or `host_path`, or the Windows engine pipe).

import { msg } from '../i18n';
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

  messages: {
    en: {
      'security-docker-socket.message':
        'Runner `{runner}` mounts {what} into every job ({kind} `{mount}`). Sharing the host Docker daemon gives ' +
        "every job root on the host; e.g. `docker rm -f $(docker ps -a -q)` removes the runner's containers. " +
        'Concurrent jobs can clash on container names; `-v $(pwd)...` mounts resolve on the host. Prefer ' +
        'Docker-in-Docker with TLS on a dedicated runner, rootless dind, BuildKit rootless, or Buildah.',
      'security-docker-socket.what-pipe': 'the host Docker engine pipe',
      'security-docker-socket.what-socket': 'the host Docker socket',
      'security-docker-socket.kind-host-path': 'host_path volume',
      'security-docker-socket.kind-volume': 'volume',
    },
    'zh-cn': {
      'security-docker-socket.message':
        'Runner `{runner}` 将{what}挂载到每个作业中（{kind} `{mount}`）。共享主机的 Docker 守护进程会让每个作业都获得' +
        '主机的 root 权限；例如 `docker rm -f $(docker ps -a -q)` 会删除 Runner 自身的容器。并发作业可能因容器名称' +
        '而冲突；`-v $(pwd)...` 挂载会按主机上的路径解析。建议改用专用 Runner 上启用 TLS 的 Docker-in-Docker、' +
        'rootless dind、BuildKit rootless 或 Buildah。',
      'security-docker-socket.what-pipe': '主机的 Docker 引擎管道',
      'security-docker-socket.what-socket': '主机的 Docker 套接字',
      'security-docker-socket.kind-host-path': 'host_path 卷',
      'security-docker-socket.kind-volume': '卷',
    },
  },

  checkRunner(check, report) {
    const { runner } = check;
    const cls = executorClass(runner);
    if (cls === 'no-containers' || cls === 'custom') return;
    const mount = socketMount(runner);
    if (!mount) return;
    const pipe = mount.containerPath.toLowerCase() === DOCKER_PIPE;
    const what = pipe ? msg('security-docker-socket.what-pipe') : msg('security-docker-socket.what-socket');
    const kind =
      mount.kind === 'kubernetes'
        ? msg('security-docker-socket.kind-host-path')
        : msg('security-docker-socket.kind-volume');
    report({
      message: msg('security-docker-socket.message', { runner: runner.label, what, kind, mount: mount.raw }),
      file: runner.file,
      span: mount.origin.span,
      job: null,
    });
  },
};
