// QA A5 dind/wrong-image-variant: (a) a docker:*dind* job image; (b) a Docker client image as a service of a job
// that uses Docker.

import { ruleCases } from '../helpers/rule-cases';

import { B2 } from './fixtures-qa2';

const ID = 'dind/wrong-image-variant';

ruleCases(ID, [
  {
    name: 'positive (a): the dind image as job image, from an extends template',
    files: {
      '.gitlab-ci.yml': `.docker:
  image: docker:24.0.5-dind
  variables:
    DOCKER_TLS_CERTDIR: "/certs"

build:
  extends: .docker
  services:
    - docker:24.0.5-dind
  script:
    - docker build -t app .
`,
      'config.toml': B2,
    },
    expect: [{ at: 'docker:24.0.5-dind', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive (b): docker:24.0.5-cli listed as the service in an included file',
    files: {
      '.gitlab-ci.yml': `include: ci/defaults.yml
build:
  script:
    - docker build -t app .
`,
      'ci/defaults.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-cli
`,
      'config.toml': B2,
    },
    expect: [{ file: 'ci/defaults.yml', at: 'docker:24.0.5-cli', occurrence: 1, job: 'build', severity: 'error' }],
  },
  {
    name: 'positive (b): docker:24.0.5 as service (object form)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5
      alias: docker
  script:
    - docker build -t app .
`,
      'config.toml': B2,
    },
    expect: [{ at: 'docker:24.0.5', occurrence: 1, job: 'build', severity: 'error' }],
    fixes: ['Use `docker:24.0.5-dind`'],
  },
  {
    name: 'negative: B2 (cli image, dind service) and docker:git as image',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:git
  services:
    - docker:24.0.5-dind
  script:
    - docker build -t app .
`,
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative (b): a client-image service in a job that does not use Docker',
    files: {
      '.gitlab-ci.yml': `lint:
  image: node:20
  services:
    - docker:24.0.5
  script:
    - npm run lint
`,
      'config.toml': B2,
    },
    expect: [],
  },
  ...['latest', 'stable', 'cli', 'git'].map((tag) => ({
    name: `positive (b): floating docker:${tag} as service next to docker:24.0.5-cli gets the client's version`,
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:${tag}
      alias: docker
  script:
    - docker build -t app .
`,
      'config.toml': B2,
    },
    expect: [{ at: `docker:${tag}`, job: 'build', severity: 'error' as const }],
    fixes: ['Use `docker:24.0.5-dind`'],
  })),
  {
    name: 'positive (a): the dind image behind the Dependency Proxy prefix as job image',
    files: {
      '.gitlab-ci.yml': `t:
  image: \${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind
  services: [docker:24.0.5-dind]
  script:
    - docker build .
`,
      'config.toml': B2,
    },
    expect: [{ at: '${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind', job: 't', severity: 'error' }],
    fixes: ['Use `${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-cli` as the image'],
  },
  {
    name: 'positive (b): the CLI image behind the Dependency Proxy prefix as service',
    files: {
      '.gitlab-ci.yml': `t:
  image: docker:24.0.5-cli
  services: ["\${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5"]
  script:
    - docker build .
`,
      'config.toml': B2,
    },
    // The span of a quoted scalar includes its quotes, as everywhere in the engine.
    expect: [{ at: '"${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5"', job: 't', severity: 'error' }],
    fixes: ['Use `${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind`'],
  },
  {
    name: 'positive (a): a variable inside the tag still leaves a literal dind (docker:$DOCKER_VERSION-dind)',
    files: {
      '.gitlab-ci.yml': `t:
  image: docker:$DOCKER_VERSION-dind
  services: [docker:24.0.5-dind]
  script:
    - docker build .
`,
      'config.toml': B2,
    },
    expect: [{ at: 'docker:$DOCKER_VERSION-dind', job: 't', severity: 'error' }],
  },
  {
    name: 'negative (b): a variable tag (docker:$DOCKER_TAG) may be a dind tag, so it is not known to be the CLI',
    files: {
      '.gitlab-ci.yml': `t:
  image: docker:24.0.5-cli
  services: [docker:$DOCKER_TAG]
  script:
    - docker build .
`,
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative (a): a variable named like dind (docker:$DIND_TAG) is not a dind tag',
    files: {
      '.gitlab-ci.yml': `t:
  image: docker:$DIND_TAG
  services: [docker:24.0.5-dind]
  script:
    - docker build .
`,
      'config.toml': B2,
    },
    expect: [],
  },
]);
