// A38 `dind/sysbox-misconfigured`: Sysbox runtime with privileged containers or host namespaces.

import { ruleCases } from '../helpers/rule-cases';

const CI = `image: docker:24.0.5-cli
services:
  - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker build -t my-docker-image .
`;

const RUNTIME = 'runtime = "sysbox-runc"';

ruleCases('dind/sysbox-misconfigured', [
  {
    name: 'privileged = true with sysbox-runc: error with the unprivileged fix, plus the runner-version info',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "sysbox"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    runtime = "sysbox-runc"
`,
    },
    expect: [
      { file: 'config.toml', at: 'privileged = true', runner: 'sysbox', severity: 'error', message: 'remove dev/ptmx' },
      { file: 'config.toml', at: RUNTIME, severity: 'info', message: '14.4' },
    ],
    fixes: ['Run unprivileged under Sysbox (privileged = false, remove services_privileged)'],
  },
  {
    name: 'services_privileged = true and host namespaces: one error each',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = false
    services_privileged = true
    network_mode = "host"
    pid_mode = "host"
    userns_mode = "host"
    volumes = ["/certs/client", "/cache"]
    runtime = "sysbox-runc"
`,
    },
    expect: [
      { file: 'config.toml', at: 'services_privileged = true', severity: 'error' },
      { file: 'config.toml', at: 'network_mode = "host"', severity: 'error', message: 'host namespaces' },
      { file: 'config.toml', at: 'pid_mode = "host"', severity: 'error' },
      { file: 'config.toml', at: 'userns_mode = "host"', severity: 'error' },
      { file: 'config.toml', at: RUNTIME, severity: 'info' },
    ],
    fixes: [
      'Run unprivileged under Sysbox (privileged = false, remove services_privileged)',
      'Remove network_mode = "host"',
      'Remove pid_mode = "host"',
      'Remove userns_mode = "host"',
    ],
  },
  {
    name: 'kubernetes: Sysbox runtime class with privileged = true',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "kubernetes"
  [runners.kubernetes]
    runtime_class_name = "sysbox-runc"
    privileged = true
`,
    },
    expect: [{ file: 'config.toml', at: 'privileged = true', severity: 'error', message: 'runtime_class_name' }],
    fixes: ['Set privileged = false in [runners.kubernetes]'],
  },
  {
    name: 'negative: B11 (only the runner-version info), and privileged without Sysbox',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = false
    volumes = ["/certs/client", "/cache"]
    runtime = "sysbox-runc"
[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = true
    network_mode = "host"
`,
    },
    expect: [{ file: 'config.toml', at: RUNTIME, severity: 'info' }],
  },
]);
