// QA A7 dind/runner-allowlist-blocks-dind: allowed_services / allowed_images / allowed_privileged_services (doublestar,
// as written after expansion), services_limit, allowed_pull_policies. Runner-defined services bypass allowed_services.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner } from './fixtures';

const ID = 'dind/runner-allowlist-blocks-dind';

const JOB = `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build -t app .
`;

const base = (extra: string): string =>
  dockerRunner(`    privileged = true\n    volumes = ["/certs/client", "/cache"]\n${extra}`, { name: 'locked' });

ruleCases(ID, [
  {
    name: 'positive: allowed_services lists only databases',
    files: { '.gitlab-ci.yml': JOB, 'config.toml': base('    allowed_services = ["postgres:*", "redis:*"]') },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'locked', severity: 'error' },
      { file: 'config.toml', at: 'allowed_services = ["postgres:*", "redis:*"]', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'negative: allowed_services with docker:*-dind and allowed_images with docker:*-cli',
    files: {
      '.gitlab-ci.yml': JOB,
      'config.toml': base(
        '    allowed_services = ["postgres:*", "docker:*-dind"]\n    allowed_images = ["docker:*-cli", "alpine:*"]',
      ),
    },
    expect: [],
  },
  {
    name: 'negative: a runner-defined dind service bypasses allowed_services',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build -t app .
`,
      'config.toml': base(
        '    allowed_services = ["postgres:*"]\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"',
      ),
    },
    expect: [],
  },
  {
    name: 'positive: allowed_images does not match the job image from default:',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5
  services: [docker:24.0.5-dind]
build:
  script: [docker build .]
`,
      'config.toml': base('    allowed_images = ["docker:*-cli"]'),
    },
    expect: [
      { at: 'docker:24.0.5', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'allowed_images = ["docker:*-cli"]', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'positive: services_limit = 1 with dind plus postgres',
    files: {
      '.gitlab-ci.yml': `integration:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
    - postgres:16
  script: [docker compose up --abort-on-container-exit]
`,
      'config.toml': base('    services_limit = 1'),
    },
    expect: [
      { at: '- docker:24.0.5-dind\n    - postgres:16\n', job: 'integration', severity: 'error' },
      { file: 'config.toml', at: 'services_limit = 1', job: 'integration', severity: 'error' },
    ],
  },
  {
    name: 'negative: services_limit = 2 with two services',
    files: {
      '.gitlab-ci.yml': `integration:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
    - postgres:16
  script: [docker compose up --abort-on-container-exit]
`,
      'config.toml': base('    services_limit = 2'),
    },
    expect: [],
  },
  {
    name: 'positive: service pull_policy always vs allowed_pull_policies if-not-present',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      pull_policy: always
  script: [docker build .]
`,
      'config.toml': base(
        '    pull_policy = ["always", "if-not-present"]\n    allowed_pull_policies = ["if-not-present"]',
      ),
    },
    expect: [
      { at: 'name: docker:24.0.5-dind\n      pull_policy: always\n', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'allowed_pull_policies = ["if-not-present"]', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'positive: services_limit counts the runner-defined dind service (SVC(J))',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [postgres:16]
  script: [docker build .]
`,
      'config.toml': base('    services_limit = 1\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"'),
    },
    expect: [
      { at: '[postgres:16]', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'services_limit = 1', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'negative: allowed_services "**/docker:*-dind" matches a Docker Hub path',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: registry.hub.docker.com/library/docker:24.0.5-dind
      alias: docker
  script: [docker build .]
`,
      'config.toml': base('    allowed_services = ["**/docker:*-dind"]'),
    },
    expect: [],
  },
]);
