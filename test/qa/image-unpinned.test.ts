// QA A28 dind/image-unpinned: floating Docker image tags for the client image and the dind service.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER } from './fixtures';

const ID = 'dind/image-unpinned';

ruleCases(ID, [
  {
    name: 'positive: B9-style docker:git image + docker:dind service, each a warning',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:git
  services:
    - docker:dind
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [
      { at: 'docker:git', job: 'build', severity: 'warning' },
      { at: 'docker:dind', job: 'build', severity: 'warning' },
    ],
  },
  {
    name: 'positive: floating tags in an included template land in that file',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  extends: .docker
  script:
    - docker build -t app .
`,
      'ci/docker.yml': `.docker:
  image: docker:latest
  services:
    - name: registry.hub.docker.com/library/docker:dind
      alias: docker
`,
      'config.toml': B2_RUNNER,
    },
    expect: [
      { file: 'ci/docker.yml', at: 'docker:latest', job: 'build', severity: 'warning' },
      { file: 'ci/docker.yml', at: 'registry.hub.docker.com/library/docker:dind', job: 'build', severity: 'warning' },
    ],
  },
  {
    name: 'positive: major-only dind tag is info',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:27.4.1-cli
  services:
    - docker:27-dind
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'docker:27-dind', job: 'build', severity: 'info' }],
  },
  {
    name: 'negative: pinned pair in default:',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
]);
