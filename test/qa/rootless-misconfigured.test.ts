// QA A37 dind/rootless-misconfigured: rootless dind privileges, allow-lists and cert volumes.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner } from './fixtures';

const ID = 'dind/rootless-misconfigured';

const CI = `build:
  image: docker:27.4.1-cli
  services:
    - docker:27.4.1-dind-rootless
  script:
    - docker build -t app .
`;
const B9_ALLOW =
  'allowed_privileged_services = ["docker.io/library/docker:*-dind-rootless", "docker.io/library/docker:dind-rootless", "docker:*-dind-rootless", "docker:dind-rootless"]';

ruleCases(ID, [
  {
    name: 'positive (a): rootless dind on an unprivileged runner is an error',
    files: { '.gitlab-ci.yml': CI, 'config.toml': dockerRunner('    volumes = ["/certs/client", "/cache"]') },
    expect: [
      { at: 'docker:27.4.1-dind-rootless', job: 'build', severity: 'error' },
      { file: 'config.toml', at: '[runners.docker]', runner: 'r1', severity: 'error' },
    ],
    fixes: ['Run rootless dind privileged (services_privileged = true with an allow-list)'],
  },
  {
    name: 'QA (a) on Kubernetes without [runners.kubernetes]: the fix creates the service security context',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "k"
  executor = "kubernetes"
`,
    },
    expect: [
      { at: 'docker:27.4.1-dind-rootless', job: 'build', severity: 'error' },
      { file: 'config.toml', at: '[[runners]]', runner: 'k', severity: 'error' },
    ],
    fixes: ['Run service containers privileged (service_container_security_context)'],
  },
  {
    name: 'positive (b): privileged = true makes the build container privileged too (warning)',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': dockerRunner('    privileged = true\n    volumes = ["/certs/client", "/cache"]'),
    },
    expect: [
      { at: 'docker:27.4.1-dind-rootless', job: 'build', severity: 'warning', message: 'privileged = true' },
      { file: 'config.toml', at: 'privileged = true', severity: 'warning' },
    ],
  },
  {
    name: 'positive (d): /certs/ca on a volume',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': dockerRunner(
        `    services_privileged = true\n    ${B9_ALLOW}\n    volumes = ["/certs/ca", "/certs/client", "/cache"]`,
      ),
    },
    expect: [
      { at: 'docker:27.4.1-dind-rootless', job: 'build', severity: 'error', message: '/certs/ca' },
      { file: 'config.toml', at: '"/certs/ca"' },
    ],
  },
  {
    name: 'negative: B9 runner with /certs/client (restricted privileged mode)',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': dockerRunner(
        `    services_privileged = true\n    ${B9_ALLOW}\n    volumes = ["/certs/client", "/cache"]`,
      ),
    },
    expect: [],
  },
]);
