// QA A9 dind/tls-certs-volume-missing: examiner-style cases from the Condition (DockerLike, TLS_ON, DOCKER_HOST_eff not
// unix://, certs not shared under Var_svc(DOCKER_TLS_CERTDIR)).

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER, NO_CERTS_RUNNER, dockerRunner } from './fixtures';

const ID = 'dind/tls-certs-volume-missing';

ruleCases(ID, [
  {
    name: 'positive: DOCKER_TLS_CERTDIR comes from an included template; the finding lands in that file',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  extends: .docker
  script:
    - docker build .
`,
      'ci/docker.yml': `.docker:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
`,
      'config.toml': NO_CERTS_RUNNER,
    },
    expect: [
      { file: 'ci/docker.yml', at: '"/certs"', job: 'build', runner: 'r1', severity: 'error' },
      { file: 'config.toml', at: 'volumes', job: null, runner: 'r1', severity: 'error' },
    ],
  },
  {
    name: 'positive: DOCKER_TLS_CERTDIR only in [[runners]] environment',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': dockerRunner('    privileged = true\n    volumes = ["/cache"]', {
        runner: '  environment = ["DOCKER_TLS_CERTDIR=/certs"]\n',
      }),
    },
    expect: [
      { file: 'config.toml', at: '"DOCKER_TLS_CERTDIR=/certs"', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'volumes', job: null, severity: 'error' },
    ],
  },
  {
    name: 'positive: docker+machine executor is DockerLike',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': dockerRunner('    privileged = true\n    volumes = ["/cache"]', {
        name: 'm1',
        executor: 'docker+machine',
      }),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'm1', severity: 'error', message: 'DOCKER_TLS_CERTDIR=/certs' },
      { file: 'config.toml', at: 'volumes', job: null, runner: 'm1' },
    ],
  },
  {
    name: 'positive: DOCKER_TLS_CERTDIR only on the service, runner shares nothing',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        DOCKER_TLS_CERTDIR: "/certs"
  script: [docker build .]
`,
      'config.toml': NO_CERTS_RUNNER,
    },
    expect: [
      { at: '"/certs"', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'volumes', job: null },
    ],
  },
  {
    name: 'negative: explicit tcp://docker:2376 with TLS variables and /certs/client shared',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: DOCKER_TLS_CERTDIR "" on the service only (TLS off), global /certs, no cert volume',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        DOCKER_TLS_CERTDIR: ""
  script: [docker build .]
`,
      'config.toml': NO_CERTS_RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: B4 Unix socket on a shared volume',
    files: {
      '.gitlab-ci.yml': `job:
  variables:
    DOCKER_HOST: "unix:///runner/services/docker/docker.sock"
  services:
    - docker:24.0.5-dind
  image: docker:24.0.5-cli
  script:
    - docker version
`,
      'config.toml': dockerRunner('    privileged = true\n    volumes = ["/runner/services/docker"]'),
    },
    expect: [],
  },
  {
    name: 'negative: docker:18.09-dind defaults to TLS off',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:18.09
  services: [docker:18.09-dind]
  script: [docker build .]
`,
      'config.toml': NO_CERTS_RUNNER,
    },
    expect: [],
  },
]);
