// A20 dind/service-command-bypasses-entrypoint: a dind command or entrypoint that skips the TCP listener.
import { ruleCases } from '../helpers/rule-cases';

const DROP = 'Keep only the flags: drop `dockerd` from the command';

ruleCases('dind/service-command-bypasses-entrypoint', [
  {
    name: 'command starting with dockerd: error at the command, flags kept by the fix',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["dockerd", "--registry-mirror", "https://registry-mirror.example.com"]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [
      {
        at: '["dockerd", "--registry-mirror", "https://registry-mirror.example.com"]',
        job: 'build',
        severity: 'error',
        message: 'Cannot connect to the Docker daemon at tcp://docker:2375. Is the docker daemon running?',
      },
    ],
    fixes: [DROP],
  },
  {
    name: 'command is only dockerd (block list): the fix removes the command',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command:
        - dockerd
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [{ at: '- dockerd', job: 'build' }],
    fixes: [DROP],
  },
  {
    name: 'negative: flags only (B10a)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--registry-mirror", "https://registry-mirror.example.com"]
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'negative: dockerd with an explicit tcp host',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["dockerd", "--host=tcp://0.0.0.0:2375", "--host=unix:///var/run/docker.sock"]
  variables:
    DOCKER_HOST: tcp://docker:2375
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'negative: custom CA script that ends in dockerd-entrypoint.sh (B12)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command:
        - /bin/sh
        - -c
        - |
          update-ca-certificates && \\
          dockerd-entrypoint.sh || exit
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'negative: a shell entrypoint that chains dockerd-entrypoint.sh',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      entrypoint: ["sh", "-c", "update-ca-certificates && exec dockerd-entrypoint.sh \\"$@\\"", "--"]
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'a shell script that never runs the entrypoint script: error, no automatic fix',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["/bin/sh", "-c", "update-ca-certificates && dockerd"]
  script: [docker info]
`,
    },
    expect: [{ at: '["/bin/sh", "-c", "update-ca-certificates && dockerd"]', job: 'build' }],
  },
  {
    name: 'entrypoint overridden to dockerd',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      entrypoint: ["dockerd"]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [{ at: '["dockerd"]', job: 'build', message: '(entrypoint)' }],
    fixes: ['Remove the entrypoint override'],
  },
  {
    name: 'negative: Unix socket on a shared volume that dockerd serves (B4 variant)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["dockerd", "--host=unix:///runner/services/docker/docker.sock"]
  variables:
    DOCKER_HOST: unix:///runner/services/docker/docker.sock
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'through extends from an included template, and default:',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/dind.yml
default:
  services: !reference [.dind, services]
a:
  extends: .vars
  image: docker:24.0.5-cli
  script: [docker info]
`,
      'ci/dind.yml': `.dind:
  services:
    - name: docker:24.0.5-dind
      command: [dockerd, --mtu=1400]
.vars:
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
`,
    },
    expect: [{ file: 'ci/dind.yml', at: '[dockerd, --mtu=1400]', job: 'a' }],
    fixes: [DROP],
  },
  {
    name: 'runner-defined dind service with dockerd: reported and fixed in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "svc"
  executor = "docker"
  [runners.docker]
    privileged = true
    [[runners.docker.services]]
      name = "docker:24.0.5-dind"
      command = ["dockerd", "--registry-mirror", "https://registry-mirror.example.com"]
`,
    },
    expect: [
      {
        file: 'config.toml',
        at: '["dockerd", "--registry-mirror", "https://registry-mirror.example.com"]',
        job: 'build',
        runner: 'svc',
      },
    ],
    fixes: [DROP],
  },
]);
