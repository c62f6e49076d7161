// A13 dind/client-env-not-autoconfigured: the client entrypoint does not run and DOCKER_HOST is not set.

import { ruleCases } from '../helpers/rule-cases';

const ID = 'dind/client-env-not-autoconfigured';
const TLS = 'Configure the client for TLS: DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH';
const PLAIN = 'Configure the client without TLS: DOCKER_HOST: tcp://docker:2375, DOCKER_TLS_CERTDIR: ""';

const DOCKER = `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;
const K8S = `[[runners]]
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
    name: 'non-docker image with docker-cli installed (docker executor)',
    files: {
      '.gitlab-ci.yml': `build:
  image: python:3.12
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`,
      'config.toml': DOCKER,
    },
    expect: [
      { at: 'python:3.12', job: 'build', runner: 'r1', severity: 'error', message: 'unix:///var/run/docker.sock' },
    ],
    fixes: [TLS, PLAIN],
  },
  {
    name: 'image entrypoint overridden: lands on the entrypoint',
    files: {
      '.gitlab-ci.yml': `build:
  image:
    name: docker:24.0.5-cli
    entrypoint: [""]
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': DOCKER,
    },
    expect: [{ at: '[""]', job: 'build', message: 'entrypoint is overridden' }],
    fixes: [PLAIN],
  },
  {
    name: 'Kubernetes without FF_KUBERNETES_HONOR_ENTRYPOINT: CI finding at the image, TOML at [runners.kubernetes]',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  script: [docker info]
`,
      'config.toml': K8S,
    },
    expect: [
      {
        at: 'docker:24.0.5-cli',
        job: 'build',
        runner: 'k',
        message: 'Kubernetes executor does not run image entrypoints',
      },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', runner: 'k' },
    ],
    fixes: [TLS, PLAIN],
  },
  {
    name: 'Kubernetes with TLS and DOCKER_HOST set but no TLS client variables',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
  script: [docker info]
`,
      'config.toml': K8S,
    },
    expect: [
      { at: 'docker:24.0.5-cli', job: 'build', message: 'Client sent an HTTP request to an HTTPS server.' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build' },
    ],
    fixes: [TLS],
  },
  {
    name: 'negative: B6, B7, honor-entrypoint flag, docker executor with a docker image',
    files: {
      '.gitlab-ci.yml': `b6:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
    DOCKER_TLS_VERIFY: 1
    DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
  script: [docker info]
b7:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
honored:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    FF_KUBERNETES_HONOR_ENTRYPOINT: "true"
  script: [docker info]
`,
      'config.toml': K8S,
    },
    expect: [],
  },
  {
    name: 'negative: docker executor, docker client image (CLIENT_AUTO), and no dind service',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
b:
  image: python:3.12
  script: [python -V]
`,
      'config.toml': DOCKER,
    },
    expect: [],
  },
  {
    name: 'via extends from an included template, the fix adds variables to the template',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  extends: .docker
  image: golang:1.22
  script: [docker build .]
`,
      'ci/docker.yml': `.docker:
  services:
    - docker:24.0.5-dind
`,
      'config.toml': DOCKER,
    },
    expect: [{ at: 'golang:1.22', job: 'build' }],
    fixes: [TLS, PLAIN],
  },
  {
    name: 'Kubernetes with a service-level HEALTHCHECK_TCP_PORT "2376": the no-TLS fix moves it to 2375 (no A26 error)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  script: [docker build .]
`,
      'config.toml': K8S,
    },
    expect: [
      { at: 'docker:24.0.5-cli', job: 'build', runner: 'k', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', runner: 'k' },
    ],
    fixes: [TLS, PLAIN],
  },
  {
    name: 'Kubernetes with a runner-defined dind service: the no-TLS fix moves its environment health check to 2375',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script: [docker build .]
`,
      'config.toml': `${K8S}  [[runners.kubernetes.services]]
    name = "docker:24.0.5-dind"
    environment = ['HEALTHCHECK_TCP_PORT=2376']
`,
    },
    expect: [
      { at: 'docker:24.0.5-cli', job: 'build', runner: 'k', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', runner: 'k' },
    ],
    fixes: [TLS, PLAIN],
  },
  {
    name: 'conditional: DOCKER_HOST set only under a rules: branch',
    files: {
      '.gitlab-ci.yml': `build:
  image: python:3.12
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: ""
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_HOST: tcp://docker:2375
    - when: always
  script: [docker info]
`,
      'config.toml': DOCKER,
    },
    expect: [{ at: 'python:3.12', job: 'build' }],
  },
]);
