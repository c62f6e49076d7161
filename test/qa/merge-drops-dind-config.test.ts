// QA A39 dind/merge-drops-dind-config: dind settings lost through services replacement, inherit and null.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER } from './fixtures';

const ID = 'dind/merge-drops-dind-config';

ruleCases(ID, [
  {
    name: '(a) job services replace default:services that held dind',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  services:
    - postgres:16
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'services', occurrence: 1, job: 'build', severity: 'warning' }],
  },
  {
    name: '(b) inherit: default: false drops the default dind service',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  image: docker:24.0.5-cli
  inherit:
    default: false
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'default', occurrence: 1, job: 'build', severity: 'warning' }],
  },
  {
    name: '(c) inherit: variables: false drops the global DOCKER_HOST',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  inherit:
    variables: false
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [
      {
        at: 'variables',
        occurrence: 1,
        job: 'build',
        severity: 'warning',
        message: 'now runs with `DOCKER_HOST` unset and `DOCKER_TLS_CERTDIR=/certs` (image default). Unless',
      },
    ],
  },
  {
    name: 'negative: job lists dind again next to postgres',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  services:
    - docker:24.0.5-dind
    - postgres:16
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: replaced services in a job that runs no docker',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
test:
  image: python:3.12
  services:
    - postgres:16
  script:
    - pytest
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
]);
