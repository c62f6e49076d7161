// QA A16 dind/service-alias-missing: a dind service whose derived aliases lack `docker`, no explicit alias docker, and
// DOCKER_HOST_eff host = docker (explicit or by the client entrypoint default).

import { ruleCases } from '../helpers/rule-cases';

import { B2 } from './fixtures-qa2';

const ID = 'dind/service-alias-missing';

ruleCases(ID, [
  {
    name: 'positive: Docker Hub full path in a template, DOCKER_HOST unset (entrypoint picks docker)',
    files: {
      '.gitlab-ci.yml': `.dind:
  image: docker:24.0.5-cli
  services:
    - registry.hub.docker.com/library/docker:24.0.5-dind

build:
  extends: .dind
  script: [docker build .]
`,
      'config.toml': B2,
    },
    expect: [{ at: 'registry.hub.docker.com/library/docker:24.0.5-dind', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: dependency proxy prefix with an explicit DOCKER_HOST tcp://docker:2376',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
build:
  image: \${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-cli
  services:
    - name: \${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind
  script: [docker build .]
`,
      'config.toml': B2,
    },
    expect: [{ at: '${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind', job: 'build', severity: 'error' }],
  },
  {
    name: 'negative: mirror path with alias: docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: mirror.local/docker:24.0.5-cli
  services:
    - name: mirror.local/docker:24.0.5-dind
      alias: docker
  script: [docker build .]
`,
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative: alias list "dind, docker" (comma-separated) includes docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: mirror.local/docker:24.0.5-dind
      alias: dind, docker
  script: [docker build .]
`,
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative: B4 Unix socket (DOCKER_HOST host is not docker)',
    files: {
      '.gitlab-ci.yml': `job:
  variables:
    DOCKER_HOST: "unix:///runner/services/docker/docker.sock"
  services:
    - mirror.local/docker:24.0.5-dind
  image: docker:24.0.5-cli
  script: [docker version]
`,
      'config.toml': B2,
    },
    expect: [],
  },
]);
