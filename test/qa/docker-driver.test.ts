// QA A31 dind/docker-driver: DOCKER_DRIVER values reaching the dind daemon.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER, dockerRunner } from './fixtures';

const ID = 'dind/docker-driver';

function ci(vars: string, dind = 'docker:24.0.5-dind'): string {
  return `variables:
${vars}
build:
  image: docker:24.0.5-cli
  services:
    - ${dind}
  script:
    - docker build -t app .
`;
}

ruleCases(ID, [
  {
    name: 'error: overlay with dind 24',
    files: { '.gitlab-ci.yml': ci('  DOCKER_DRIVER: overlay'), 'config.toml': B2_RUNNER },
    expect: [{ at: 'overlay', job: 'build', severity: 'error' }],
  },
  {
    name: 'error: devicemapper with dind 27',
    files: {
      '.gitlab-ci.yml': ci('  DOCKER_DRIVER: devicemapper', 'docker:27.4.1-dind'),
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'devicemapper', job: 'build', severity: 'error' }],
  },
  {
    name: 'info: overlay2 (S1 documented, redundant)',
    files: { '.gitlab-ci.yml': ci('  DOCKER_DRIVER: overlay2'), 'config.toml': B2_RUNNER },
    expect: [{ at: 'overlay2', job: 'build', severity: 'info' }],
  },
  {
    name: 'info: vfs from [[runners]] environment (BOTH)',
    files: {
      '.gitlab-ci.yml': ci('  GIT_DEPTH: "10"'),
      'config.toml': dockerRunner('    privileged = true\n    volumes = ["/certs/client", "/cache"]', {
        runner: '  environment = ["DOCKER_DRIVER=vfs"]\n',
      }),
    },
    expect: [{ file: 'config.toml', at: '"DOCKER_DRIVER=vfs"', job: 'build', severity: 'info' }],
  },
  {
    name: 'negative: DOCKER_DRIVER unset',
    files: { '.gitlab-ci.yml': ci('  GIT_DEPTH: "10"'), 'config.toml': B2_RUNNER },
    expect: [],
  },
]);
