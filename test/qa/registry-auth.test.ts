// QA A33 dind/registry-auth: pushing/pulling private images from dind without logging the daemon in.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER } from './fixtures';

const ID = 'dind/registry-auth';

const HEAD = `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
`;

ruleCases(ID, [
  {
    name: 'positive (a): docker push $CI_REGISTRY_IMAGE without docker login',
    files: {
      '.gitlab-ci.yml': `${HEAD}build:
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .
    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA', job: 'build', severity: 'warning' }],
  },
  {
    name: 'positive (c): docker login -p on the command line (B13 before_script)',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  before_script:
    - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
build:
  script:
    - docker build -t $CI_REGISTRY_IMAGE .
    - docker push $CI_REGISTRY_IMAGE
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY', job: 'build' }],
  },
  {
    name: 'positive (b): deprecated CI_BUILD_TOKEN',
    files: {
      '.gitlab-ci.yml': `${HEAD}build:
  script:
    - echo "$CI_BUILD_TOKEN" | docker login -u gitlab-ci-token --password-stdin $CI_REGISTRY
    - docker push $CI_REGISTRY_IMAGE
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: '$CI_BUILD_TOKEN', job: 'build', severity: 'warning' }],
  },
  {
    name: 'negative: login with --password-stdin in default before_script',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  before_script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY --username $CI_REGISTRY_USER --password-stdin
build:
  script:
    - docker build -t $CI_REGISTRY_IMAGE .
    - docker push $CI_REGISTRY_IMAGE
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: build only, no push/pull of private images',
    files: {
      '.gitlab-ci.yml': `${HEAD}build:
  script:
    - docker build -t app .
    - docker run app ./test.sh
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
]);
