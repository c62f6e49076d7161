import { ruleCases } from '../helpers/rule-cases';

const RUNNER_ENV = (env: string) => `[[runners]]
  name = "docker-runner"
  executor = "docker"
  environment = [${env}]
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

ruleCases('dind/docker-driver', [
  {
    name: 'overlay with dind 24: error at the variable, set overlay2 or remove',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_DRIVER: overlay
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
    },
    expect: [
      { at: 'overlay', job: 'build', severity: 'error', message: 'DOCKER_DRIVER=overlay is removed in Docker 24' },
    ],
    fixes: ['Set DOCKER_DRIVER to overlay2', 'Remove DOCKER_DRIVER'],
  },
  {
    name: 'no DOCKER_DRIVER, or no dind service: no finding',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
b:
  variables:
    DOCKER_DRIVER: overlay
  image: alpine:3.20
  script: [echo]
`,
    },
    expect: [],
  },
  {
    name: 'aufs with an old dind is not an error; devicemapper with floating dind is',
    files: {
      '.gitlab-ci.yml': `a:
  variables:
    DOCKER_DRIVER: aufs
  services: [docker:20.10.24-dind]
  script: [docker info]
b:
  variables:
    DOCKER_DRIVER: devicemapper
  services: [docker:dind]
  script: [docker info]
`,
    },
    expect: [{ at: 'devicemapper', job: 'b', severity: 'error' }],
    fixes: ['Set DOCKER_DRIVER to overlay2'],
  },
  {
    name: 'vfs is info (slow); overlay2 is info (already the default)',
    files: {
      '.gitlab-ci.yml': `a:
  variables:
    DOCKER_DRIVER: vfs
  services: [docker:24.0.5-dind]
  script: [docker info]
b:
  variables:
    DOCKER_DRIVER: "overlay2"
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
    },
    expect: [
      { at: 'vfs', job: 'a', severity: 'info', message: 'is very slow' },
      { at: '"overlay2"', job: 'b', severity: 'info', message: 'is already the default' },
    ],
    fixes: ['Set DOCKER_DRIVER to overlay2', 'Remove DOCKER_DRIVER'],
  },
  {
    name: 'from the runner environment: reported in config.toml at the item',
    files: {
      '.gitlab-ci.yml': `build:
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'config.toml': RUNNER_ENV('"FOO=1", "DOCKER_DRIVER=overlay"'),
    },
    expect: [
      { file: 'config.toml', at: '"DOCKER_DRIVER=overlay"', job: 'build', runner: 'docker-runner', severity: 'error' },
    ],
    fixes: ['Set DOCKER_DRIVER to overlay2', 'Remove DOCKER_DRIVER'],
  },
  {
    name: 'a CI variable overrides the runner environment',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_DRIVER: ""
build:
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'config.toml': RUNNER_ENV('"DOCKER_DRIVER=overlay"'),
    },
    expect: [],
  },
  {
    name: 'from an included template through extends, from service variables, and through !reference',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/vars.yml
build:
  extends: .driver
  services: [docker:24.0.5-dind]
  script: [docker info]
svc:
  services:
    - name: docker:24.0.5-dind
      variables:
        DOCKER_DRIVER: aufs
  script: [docker info]
ref:
  variables: !reference [.driver, variables]
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'ci/vars.yml': `.driver:
  variables:
    DOCKER_DRIVER: overlay
`,
    },
    expect: [
      { file: 'ci/vars.yml', at: 'overlay', job: 'build', severity: 'error' },
      { file: 'ci/vars.yml', at: 'overlay', job: 'ref', severity: 'error' },
      { at: 'aufs', job: 'svc', severity: 'error' },
    ],
  },
  {
    name: 'conditional variable (rules:variables) is checked in its branch',
    files: {
      '.gitlab-ci.yml': `build:
  services: [docker:24.0.5-dind]
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_DRIVER: overlay
    - when: always
  script: [docker info]
`,
    },
    expect: [{ at: 'overlay', job: 'build', severity: 'error' }],
  },
  {
    name: 'unknown value ($VAR) gives nothing',
    files: {
      '.gitlab-ci.yml': `build:
  variables:
    DOCKER_DRIVER: $MY_DRIVER
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
    },
    expect: [],
  },
]);
