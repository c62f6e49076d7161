// QA A29 dind/client-daemon-version-skew: client image vs dind version (Engine 29 API floor).

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER } from './fixtures';

const ID = 'dind/client-daemon-version-skew';

function job(image: string, service: string): string {
  return `build:
  image: ${image}
  services:
    - ${service}
  script:
    - docker build -t app .
`;
}

ruleCases(ID, [
  {
    name: 'error: docker:24.0.5-cli against docker:29.0.1-dind',
    files: { '.gitlab-ci.yml': job('docker:24.0.5-cli', 'docker:29.0.1-dind'), 'config.toml': B2_RUNNER },
    expect: [{ at: 'docker:24.0.5-cli', job: 'build', severity: 'error' }],
  },
  {
    name: 'error: docker:stable client against docker:29-dind',
    files: { '.gitlab-ci.yml': job('docker:stable', 'docker:29-dind'), 'config.toml': B2_RUNNER },
    expect: [{ at: 'docker:stable', job: 'build', severity: 'error' }],
  },
  {
    name: 'warning: majors differ (26 vs 27), client image from a template',
    files: {
      '.gitlab-ci.yml': `.client:
  image: docker:26.1.4-cli
build:
  extends: .client
  services:
    - docker:27.4.1-dind
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'docker:26.1.4-cli', job: 'build', severity: 'warning' }],
  },
  {
    name: 'negative: matching pinned pair',
    files: { '.gitlab-ci.yml': job('docker:27.4.1-cli', 'docker:27.4.1-dind'), 'config.toml': B2_RUNNER },
    expect: [],
  },
  {
    name: 'negative: same major, different patch',
    files: { '.gitlab-ci.yml': job('docker:29.1.0-cli', 'docker:29.0.1-dind'), 'config.toml': B2_RUNNER },
    expect: [],
  },
]);
