// QA A32 dind/buildx-tls-context: `docker buildx create` with TLS settings from the environment.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER, NO_CERTS_RUNNER } from './fixtures';

const ID = 'dind/buildx-tls-context';

const HEAD = `default:
  image: docker:27.4.1-cli
  services:
    - docker:27.4.1-dind
variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
`;

ruleCases(ID, [
  {
    name: 'positive: buildx create --driver docker-container without a context (TLS)',
    files: {
      '.gitlab-ci.yml': `${HEAD}build:
  script:
    - docker buildx create --driver docker-container --use
    - docker buildx build --push -t $CI_REGISTRY_IMAGE .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'docker buildx create --driver docker-container --use', job: 'build', severity: 'warning' }],
  },
  {
    name: 'positive: TLS through the client entrypoint (DOCKER_HOST unset), buildx create in a template before_script',
    files: {
      '.gitlab-ci.yml': `.buildx:
  before_script:
    - docker buildx create --name ci --driver docker-container --use
build:
  extends: .buildx
  image: docker:27.4.1-cli
  services:
    - docker:27.4.1-dind
  script:
    - docker buildx build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [
      { at: 'docker buildx create --name ci --driver docker-container --use', job: 'build', severity: 'warning' },
    ],
  },
  {
    name: 'negative: B13 canonical (context created first)',
    files: {
      '.gitlab-ci.yml': `${HEAD}build:
  script:
    - docker context create my-builder
    - docker buildx create my-builder --driver docker-container --use
    - docker buildx build --push -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: TLS disabled',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:27.4.1-cli
  services:
    - docker:27.4.1-dind
variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  script:
    - docker buildx create --driver docker-container --use
`,
      'config.toml': NO_CERTS_RUNNER,
    },
    expect: [],
  },
]);
