import { ruleCases } from '../helpers/rule-cases';

const DOCKER_TOML = `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

ruleCases('dind/no-daemon-for-docker-commands', [
  {
    name: 'docker commands without dind or socket: error on the script line and the runner volumes',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build -t app .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [
      {
        at: '- docker build -t app .'.slice(2),
        job: 'build',
        runner: 'dock',
        severity: 'error',
        message: 'no Docker daemon is reachable',
      },
      { file: 'config.toml', at: 'volumes = ["/certs/client", "/cache"]', job: 'build', runner: 'dock' },
    ],
    fixes: [
      'Add a `docker:24.0.5-dind` service to job `build`',
      "Bind-mount the host's Docker socket in runner `dock` (socket binding)",
    ],
  },
  {
    name: 'a dind service makes a daemon reachable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script:
    - docker build -t app .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [],
  },
  {
    name: 'socket binding makes a daemon reachable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker info
`,
      'config.toml': `[[runners]]
  name = "sock"
  executor = "docker"
  [runners.docker]
    volumes = ["/var/run/docker.sock:/var/run/docker.sock"]
`,
    },
    expect: [],
  },
  {
    name: 'a remote DOCKER_HOST is a daemon',
    files: {
      '.gitlab-ci.yml': `build:
  image: alpine:3.20
  variables:
    DOCKER_HOST: tcp://build-host.example.com:2376
  script:
    - docker info
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [],
  },
  {
    name: 'a DOCKER_HOST that needs project variables is unknown: no finding',
    files: {
      '.gitlab-ci.yml': `build:
  image: alpine:3.20
  variables:
    DOCKER_HOST: $REMOTE_DOCKER
  script:
    - docker info
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [],
  },
  {
    name: 'no runner config: CI-only warning at the docker line that comes from default: in an included file',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  image: alpine:3.20
  script:
    - echo hi
`,
      'ci/docker.yml': `default:
  before_script:
    - docker login -u x -p y registry.example.com
`,
    },
    expect: [
      { file: 'ci/docker.yml', at: 'docker login -u x -p y registry.example.com', job: 'build', severity: 'warning' },
    ],
  },
  {
    name: 'DOCKER_HOST pointing at docker without a service, through extends',
    files: {
      '.gitlab-ci.yml': `.docker:
  variables:
    DOCKER_HOST: tcp://docker:2375
build:
  extends: .docker
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [
      { at: 'docker build .', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'volumes = ["/certs/client", "/cache"]', job: 'build' },
    ],
  },
  {
    name: 'services through !reference count as the daemon',
    files: {
      '.gitlab-ci.yml': `.dind:
  services:
    - docker:24.0.5-dind
build:
  image: docker:24.0.5-cli
  services: !reference [.dind, services]
  script:
    - docker build .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [],
  },
  {
    name: 'kubernetes runner without dind: error, socket host_path fix',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = false
`,
    },
    expect: [
      { at: 'docker build .', job: 'build', runner: 'k8s', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build' },
    ],
    fixes: ["Bind-mount the host's Docker socket in runner `k8s` (socket binding)"],
  },
  {
    name: 'shell executor is not this rule (A3 and the host daemon)',
    files: {
      '.gitlab-ci.yml': `build:
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "sh"
  executor = "shell"
`,
    },
    expect: [],
  },
  {
    name: 'conditional DOCKER_HOST: the branch without it still fails',
    files: {
      '.gitlab-ci.yml': `build:
  image: alpine:3.20
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
      variables:
        DOCKER_HOST: tcp://build-host.example.com:2375
    - when: always
  script:
    - docker info
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [
      { at: 'docker info', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'volumes = ["/certs/client", "/cache"]', job: 'build' },
    ],
  },
]);
