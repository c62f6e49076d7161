// A17 dind/docker-host-unresolvable: DOCKER_HOST names a host no dind service answers to.
import { ruleCases } from '../helpers/rule-cases';

const DOCKER_RUNNER = `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

const K8S_RUNNER = `[[runners]]
  name = "kube"
  executor = "kubernetes"
  [runners.kubernetes]
    image = "ubuntu:20.04"
    privileged = true
`;

ruleCases('dind/docker-host-unresolvable', [
  {
    name: 'DOCKER_HOST names a host no service has: error at the variable, both fixes',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://dind:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [
      {
        at: 'tcp://dind:2375',
        job: 'build',
        severity: 'error',
        message: 'DOCKER_HOST points to `dind` but no service container has that hostname (available: `docker`)',
      },
    ],
    fixes: ['Point DOCKER_HOST at `tcp://docker:2375`', 'Add alias `dind` to service `docker:24.0.5-dind`'],
  },
  {
    name: 'with TLS the alias fix also adds DOCKER_TLS_SAN',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://dind:2376
  DOCKER_TLS_CERTDIR: /certs
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
  script: [docker info]
`,
      'config.toml': DOCKER_RUNNER,
    },
    expect: [{ at: 'tcp://dind:2376', job: 'build', runner: 'dock' }],
    fixes: [
      'Point DOCKER_HOST at `tcp://docker:2376`',
      'Add alias `dind` and DOCKER_TLS_SAN `DNS:dind` to service `docker:24.0.5-dind`',
    ],
  },
  {
    name: 'negative: the alias exists',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'negative: remote daemon without any dind service',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://build-host.example.com:2376
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'localhost on the docker executor: error in CI and at the runner executor key',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://localhost:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': DOCKER_RUNNER,
    },
    expect: [
      {
        at: 'tcp://localhost:2375',
        job: 'build',
        runner: 'dock',
        message: 'Cannot connect to the Docker daemon at tcp://localhost:2375',
      },
      { file: 'config.toml', at: '"docker"', job: null, runner: 'dock', message: 'only works on Kubernetes' },
    ],
    fixes: ['Point DOCKER_HOST at `tcp://docker:2375`'],
  },
  {
    name: 'negative: localhost on Kubernetes (pod shares the network namespace)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://localhost:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': K8S_RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: localhost without a runner config (executor unknown)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://localhost:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'localhost with the assumed GitLab.com runner: CI finding only',
    settings: { assumeRunner: 'gitlab-saas' },
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://127.0.0.1:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://127.0.0.1:2375', job: 'build' }],
    fixes: ['Point DOCKER_HOST at `tcp://docker:2375`'],
  },
  {
    name: 'alias written with a variable is not expanded',
    files: {
      '.gitlab-ci.yml': `variables:
  DIND_HOST: dind
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: $DIND_HOST
  variables:
    DOCKER_HOST: tcp://$DIND_HOST:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://$DIND_HOST:2375', job: 'build', message: 'variables are not expanded in `alias`' }],
    fixes: ['Point DOCKER_HOST at `tcp://docker:2375`', 'Add alias `dind` to service `docker:24.0.5-dind`'],
  },
  {
    name: 'alias and DOCKER_HOST use the same unknown variable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: $DIND_HOST
  variables:
    DOCKER_HOST: tcp://$DIND_HOST:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://$DIND_HOST:2375', job: 'build', message: 'variables are not expanded' }],
    fixes: ['Point DOCKER_HOST at `tcp://docker:2375`'],
  },
  {
    name: 'Kubernetes alias that is not a DNS name',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: docker_dind
  variables:
    DOCKER_HOST: tcp://docker_dind:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': K8S_RUNNER,
    },
    expect: [{ at: 'docker_dind', occurrence: 0, job: 'build', runner: 'kube', message: 'is invalid DNS' }],
    fixes: ['Rename the alias to `docker-dind`'],
  },
  {
    name: 'DOCKER_HOST from an included file and extends: reported and fixed there',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/vars.yml
build:
  extends: .vars
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'ci/vars.yml': `.vars:
  variables:
    DOCKER_HOST: "tcp://dockerd:2375"
    DOCKER_TLS_CERTDIR: ""
`,
    },
    expect: [{ file: 'ci/vars.yml', at: '"tcp://dockerd:2375"', job: 'build' }],
    fixes: ['Point DOCKER_HOST at `tcp://docker:2375`'],
  },
  {
    name: 'DOCKER_HOST through !reference and default services',
    files: {
      '.gitlab-ci.yml': `.vars:
  variables:
    DOCKER_HOST: tcp://daemon:2375
default:
  services: [docker:24.0.5-dind]
build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: !reference [.vars, variables, DOCKER_HOST]
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://daemon:2375', job: 'build' }],
    fixes: ['Point DOCKER_HOST at `tcp://docker:2375`'],
  },
  {
    name: 'DOCKER_HOST from the runner environment: reported in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "env"
  executor = "docker"
  environment = ["DOCKER_HOST=tcp://dind:2375"]
  [runners.docker]
    privileged = true
`,
    },
    expect: [{ file: 'config.toml', at: '"DOCKER_HOST=tcp://dind:2375"', job: 'build', runner: 'env' }],
    fixes: ['Point DOCKER_HOST at `tcp://docker:2375`'],
  },
  {
    name: 'conditional DOCKER_HOST: only the rules branch is wrong',
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
        DOCKER_HOST: tcp://dind:2375
    - when: on_success
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://dind:2375', job: 'build' }],
  },
]);
