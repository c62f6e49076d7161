// QA A1 dind/no-daemon-for-docker-commands: USES_DOCKER(J) on a DockerLike/Kubernetes runner with no dind service, no
// socket mount, DOCKER_HOST unset or at docker/localhost, and no shared Unix-socket volume.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner, k8sRunner } from './fixtures';
import { B2, B5 } from './fixtures-qa2';

const ID = 'dind/no-daemon-for-docker-commands';

/** A release job that pushes an image but lists no services, built from a `.docker` template. */
const NO_SERVICE = `.docker:
  image: docker:24.0.5-cli
  before_script:
    - docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY

release:
  extends: .docker
  script:
    - docker push $CI_REGISTRY_IMAGE
`;

ruleCases(ID, [
  {
    name: 'positive: B2 runner, a docker job without any service (template via extends)',
    files: { '.gitlab-ci.yml': NO_SERVICE, 'config.toml': B2 },
    expect: [
      {
        at: 'docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY',
        job: 'release',
        severity: 'error',
      },
      { file: 'config.toml', at: 'volumes = ["/certs/client", "/cache"]', job: 'release', severity: 'error' },
    ],
  },
  {
    name: 'negative: B5 socket binding (no dind service, host socket mounted)',
    files: { '.gitlab-ci.yml': NO_SERVICE, 'config.toml': B5 },
    expect: [],
  },
  {
    name: 'negative: a runner-defined dind service supplies the daemon',
    files: {
      '.gitlab-ci.yml': NO_SERVICE,
      'config.toml': dockerRunner(
        '    privileged = true\n    volumes = ["/certs/client", "/cache"]\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"',
      ),
    },
    expect: [],
  },
  {
    name: 'negative: DOCKER_HOST points at a remote build host, not docker/localhost',
    files: {
      '.gitlab-ci.yml': `variables:\n  DOCKER_HOST: tcp://buildkit.internal.example.com:2376\n${NO_SERVICE}`,
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative: B4 shared Unix-socket volume with a dind service',
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
    name: 'negative: a non-docker job (no docker command, no docker image) on the same runner',
    files: {
      '.gitlab-ci.yml': `test:
  image: node:20
  script:
    - npm ci
    - npm test -- --grep dockerfile
`,
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'positive: Kubernetes runner, python image running docker compose, no service',
    files: {
      '.gitlab-ci.yml': `e2e:
  image: python:3.12
  script:
    - pip install -r requirements.txt
    - docker compose up -d
`,
      'config.toml': k8sRunner('    privileged = true'),
    },
    expect: [
      { at: 'docker compose up -d', job: 'e2e', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'e2e', severity: 'error' },
    ],
  },
  {
    name: 'negative: a shell runner is out of scope (B1: the host daemon is used)',
    files: {
      '.gitlab-ci.yml': `build_image:
  script:
    - docker build -t my-docker-image .
`,
      'config.toml': `[[runners]]\n  name = "sh"\n  url = "https://gitlab.com/"\n  executor = "shell"\n`,
    },
    expect: [],
  },
  {
    name: 'positive: no config.toml at all gives the CI-only fallback warning',
    files: { '.gitlab-ci.yml': NO_SERVICE },
    expect: [
      {
        at: 'docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY',
        job: 'release',
        severity: 'warning',
      },
    ],
  },
  {
    name: 'positive: DOCKER_HOST tcp://localhost:2375 and no daemon: the message says where the client connects',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://localhost:2375
  script:
    - docker build .
`,
    },
    expect: [
      {
        at: 'docker build .',
        job: 'build',
        severity: 'warning',
        message: 'DOCKER_HOST is `tcp://localhost:2375` but nothing listens there',
      },
    ],
  },
]);
