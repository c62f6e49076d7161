// A11 dind/tls-port-mismatch: DOCKER_HOST's port does not match what the dind daemon listens on.

import { ruleCases } from '../helpers/rule-cases';

const ID = 'dind/tls-port-mismatch';

const RUNNER = `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

const K8S_RUNNER = `[[runners]]
  name = "k"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
    medium = "Memory"
`;

ruleCases(ID, [
  {
    name: '(a) port 2375 while TLS is on (the classic 19.03 upgrade error)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
  script:
    - docker info
`,
      'config.toml': RUNNER,
    },
    expect: [
      {
        at: 'tcp://docker:2375',
        job: 'build',
        runner: 'r1',
        severity: 'error',
        message: 'Cannot connect to the Docker daemon at tcp://docker:2375. Is the docker daemon running?',
      },
    ],
    fixes: ['Set DOCKER_HOST to tcp://docker:2376', 'Turn TLS off for dind: DOCKER_TLS_CERTDIR: ""'],
  },
  {
    name: '(b) port 2376 while TLS is off',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://docker:2376', job: 'build', runner: null, message: 'listens on 2375 (no TLS)' }],
    fixes: ['Set DOCKER_HOST to tcp://docker:2375'],
  },
  {
    name: '(c) custom port without --host in the service command',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:4444
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://dind:4444', job: 'build', message: 'DOCKER_HOST uses port 4444' }],
    fixes: ['Set DOCKER_HOST to tcp://dind:2375'],
  },
  {
    name: 'negative: (c) custom port served by --host in the command',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--host=tcp://0.0.0.0:4444"]
  variables:
    DOCKER_HOST: tcp://docker:4444
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'negative: B2/B3/B13 consistent pairs',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
  script: [docker info]
b:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
c:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'config.toml': RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: host is not a dind alias (A17) or unknown',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://remote.example.com:2375
  script: [docker info]
b:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: $REMOTE
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'via default: and extends from an included template: lands where DOCKER_HOST is written',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  extends: .docker-vars
  script: [docker build .]
`,
      'ci/docker.yml': `.docker-vars:
  variables:
    DOCKER_HOST: tcp://docker:2375
`,
      'config.toml': RUNNER,
    },
    expect: [{ file: 'ci/docker.yml', at: 'tcp://docker:2375', job: 'build' }],
    fixes: ['Set DOCKER_HOST to tcp://docker:2376'],
  },
  {
    name: 'via !reference',
    files: {
      '.gitlab-ci.yml': `.vars:
  variables:
    DOCKER_HOST: tcp://docker:2375
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: !reference [.vars, variables, DOCKER_HOST]
  script: [docker info]
`,
      'config.toml': RUNNER,
    },
    expect: [{ at: 'tcp://docker:2375', job: 'build' }],
  },
  {
    name: 'conditional: a rules: branch sets DOCKER_TLS_CERTDIR to /certs while DOCKER_HOST stays on 2375',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_TLS_CERTDIR: /certs
    - when: always
  script: [docker info]
`,
      'config.toml': RUNNER,
    },
    expect: [{ at: 'tcp://docker:2375', job: 'build', message: 'listens on 2376 (TLS)' }],
  },
  {
    name: 'BOTH: DOCKER_HOST from [[runners]] environment lands in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "r1"
  executor = "docker"
  environment = ["DOCKER_HOST=tcp://docker:2375"]
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [
      {
        file: 'config.toml',
        at: '"DOCKER_HOST=tcp://docker:2375"',
        job: 'build',
        message: 'environment of runner `r1`',
      },
    ],
    fixes: ['Set DOCKER_HOST to tcp://docker:2376'],
  },
  {
    name: 'Kubernetes: turning TLS off also moves the service health check from 2376 to 2375 (no A26 error)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: "/certs"
    DOCKER_TLS_VERIFY: 1
    DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
  script: [docker info]
`,
      'config.toml': K8S_RUNNER,
    },
    expect: [{ at: 'tcp://docker:2375', job: 'build', runner: 'k', message: 'listens on 2376 (TLS)' }],
    fixes: ['Set DOCKER_HOST to tcp://docker:2376', 'Turn TLS off for dind: DOCKER_TLS_CERTDIR: ""'],
  },
  {
    name: 'Kubernetes, runner-defined dind service: turning TLS off moves its environment health check to 2375',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_VERIFY: 1
    DOCKER_CERT_PATH: "/certs/client"
  script: [docker info]
`,
      'config.toml': `${K8S_RUNNER}  [[runners.kubernetes.services]]
    name = "docker:24.0.5-dind"
    environment = ["HEALTHCHECK_TCP_PORT=2376"]
`,
    },
    expect: [{ at: 'tcp://docker:2375', job: 'build', runner: 'k' }],
    fixes: ['Set DOCKER_HOST to tcp://docker:2376', 'Turn TLS off for dind: DOCKER_TLS_CERTDIR: ""'],
  },
  {
    name: 'Kubernetes, runner-defined dind service shared with a TLS job: no TLS-off fix (it would break that job)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_VERIFY: 1
    DOCKER_CERT_PATH: "/certs/client"
  script: [docker info]
other:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_VERIFY: 1
    DOCKER_CERT_PATH: "/certs/client"
  script: [docker info]
`,
      'config.toml': `${K8S_RUNNER}  [[runners.kubernetes.services]]
    name = "docker:24.0.5-dind"
    environment = ["HEALTHCHECK_TCP_PORT=2376"]
`,
    },
    expect: [{ at: 'tcp://docker:2375', job: 'build', runner: 'k' }],
    fixes: ['Set DOCKER_HOST to tcp://docker:2376'],
  },
  {
    name: 'entrypoint: job turns the client cert dir off while the service keeps TLS on',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        DOCKER_TLS_CERTDIR: /certs
  variables:
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': RUNNER,
    },
    expect: [{ at: '""', job: 'build', message: 'The client entrypoint picks DOCKER_HOST=tcp://docker:2375' }],
    fixes: ['Turn TLS off for dind: DOCKER_TLS_CERTDIR: ""'],
  },
]);
