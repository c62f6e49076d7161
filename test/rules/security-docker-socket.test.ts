// A36 `dind/security-docker-socket`: the host's Docker socket (or engine pipe) mounted into jobs.

import { ruleCases } from '../helpers/rule-cases';

const CI = `build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`;

ruleCases('dind/security-docker-socket', [
  {
    name: 'docker volumes bind /var/run/docker.sock',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "sock"
  executor = "docker"
  [runners.docker]
    privileged = false
    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]
`,
    },
    expect: [
      {
        file: 'config.toml',
        at: '"/var/run/docker.sock:/var/run/docker.sock"',
        runner: 'sock',
        severity: 'warning',
        message: 'root on the host',
      },
    ],
  },
  {
    name: 'read-only socket mount at a non-canonical host path still counts',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "docker-autoscaler"
  [runners.docker]
    volumes = ["/cache", "/run/docker.sock:/var/run/docker.sock:ro"]
`,
    },
    expect: [{ file: 'config.toml', at: '"/run/docker.sock:/var/run/docker.sock:ro"' }],
  },
  {
    name: 'kubernetes host_path socket (B8)',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  [runners.kubernetes]
    image = "ubuntu:20.04"
    privileged = false
    [[runners.kubernetes.volumes.host_path]]
      host_path = '/var/run/docker.sock'
      mount_path = '/var/run/docker.sock'
      name = 'docker-sock'
      read_only = true
`,
    },
    expect: [{ file: 'config.toml', at: "'/var/run/docker.sock'", occurrence: 1, message: 'host_path volume' }],
  },
  {
    name: 'windows engine pipe',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "docker-windows"
  [runners.docker]
    volumes = ['\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine']
`,
    },
    expect: [
      { file: 'config.toml', at: "'\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine'", message: 'engine pipe' },
    ],
  },
  {
    name: 'negative: dind with /certs/client only, and a kubernetes socket in an empty_dir',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
[[runners]]
  executor = "kubernetes"
  [runners.kubernetes]
    [[runners.kubernetes.volumes.empty_dir]]
      name = "sock"
      mount_path = "/var/run/docker.sock"
`,
    },
    expect: [],
  },
]);
